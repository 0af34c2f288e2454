// Waitables and waitable sets (CanonicalABI.md "Waitable State") and their built-ins.
// Subtasks, stream ends and future ends are waitables: they hold at most one pending
// event, delivered through a waitable set (or a synchronous wait on the waitable).
import { trap } from './trap.js';
import { blockOn, schedule } from './scheduler.js';

/**
 * The waitable state a lowered module keeps for one component instance's table
 * (`weft lower`, docs/lower.md "Async"): its `waitable-pend`, `waitable-sync`,
 * `waitable-set-of`, `waitable-leave`, `set-ready`, `set-take` and `set-wait`.
 * @typedef {{
 *   pend: (w: number, on: number) => void, sync: (w: number, on: number) => void,
 *   setOf: (w: number) => number, leave: (w: number) => void, ready: (s: number) => number,
 *   take: (s: number) => number, wait: (s: number, delta: number) => void,
 * }} CoreWaitables
 */

/**
 * A waitable (`class Waitable`). In a table a lowered module keeps (`CoreHandleTable`),
 * the module holds which set it is in and whether an event is pending or a synchronous
 * call waits on it (`core`, at its handle `coreIndex`); the event itself stays here.
 */
export class Waitable {
  constructor() {
    /** Produces the event when it is delivered. @type {(() => [number, number, number]) | null} */
    this.pendingEvent = null;
    /** @type {WaitableSet | null} */
    this.wset = null;
    this.hasSyncWaiter = false;
    /** @type {CoreWaitables | null} */
    this.core = null;
    this.coreIndex = 0;
  }

  /**
   * In a lowered module's table, at handle `i` (an event it brings along is pending
   * there too).
   * @param {CoreWaitables} core @param {number} i
   */
  bindCore(core, i) {
    this.core = core;
    this.coreIndex = i;
    if (this.pendingEvent !== null) core.pend(i, 1);
  }

  /**
   * Out of the lowered module's table (before the module frees its slot, which takes
   * it out of its set): as the spec's table removal, it still counts as in a set
   * (lifting it traps on that) until it is dropped.
   */
  unbindCore() {
    if (this.core === null) return;
    if (this.core.setOf(this.coreIndex) !== 0) this.wset = outOfTable;
    this.core = null;
    this.coreIndex = 0;
  }

  /** @param {() => [number, number, number]} f */
  setPendingEvent(f) {
    this.pendingEvent = f;
    this.core?.pend(this.coreIndex, 1);
    schedule();
  }

  hasPendingEvent() {
    return this.pendingEvent !== null;
  }

  /** @returns {[number, number, number]} */
  getPendingEvent() {
    const f = /** @type {() => [number, number, number]} */ (this.pendingEvent);
    this.pendingEvent = null;
    this.core?.pend(this.coreIndex, 0);
    return f();
  }

  /** Whether a synchronous call waits on it (`waitable.join` then traps). @param {boolean} on */
  setSyncWaiter(on) {
    this.hasSyncWaiter = on;
    this.core?.sync(this.coreIndex, on ? 1 : 0);
  }

  /** Whether it is in a waitable set. */
  inSet() {
    return this.core ? this.core.setOf(this.coreIndex) !== 0 : this.wset !== null;
  }

  /** Out of its set. */
  leave() {
    if (this.core) this.core.leave(this.coreIndex);
    else this.join(null);
  }

  /** @param {WaitableSet | null} wset */
  join(wset) {
    if (this.wset !== null) {
      const e = this.wset.elems;
      e.splice(e.indexOf(this), 1);
    }
    this.wset = wset;
    if (wset !== null) wset.elems.push(this);
  }

  drop() {
    this.leave();
  }
}

/** A waitable set (`class WaitableSet`). */
export class WaitableSet {
  constructor() {
    /** @type {Waitable[]} */
    this.elems = [];
    this.numWaiting = 0;
  }

  hasPendingEvent() {
    for (const w of this.elems) if (w.pendingEvent !== null) return true;
    return false;
  }

  /**
   * The oldest-joined waitable's event (the spec picks any).
   * @returns {[number, number, number]}
   */
  getPendingEvent() {
    for (const w of this.elems) if (w.pendingEvent !== null) return w.getPendingEvent();
    return trap('internal error: no pending event');
  }

  /** One more (1) or one fewer (-1) task waiting on it. @param {number} delta */
  wait(delta) {
    this.numWaiting += delta;
  }
}

/** The set a waitable taken out of a lowered module's table was in (`unbindCore`). */
const outOfTable = new WaitableSet();

/**
 * A waitable set a lowered module keeps: a view of its set at handle `index` of
 * `table` (a `CoreHandleTable`), through the module's functions.
 */
export class CoreWaitableSet extends WaitableSet {
  /** @param {{ array: unknown[], waitables: CoreWaitables }} table @param {number} index */
  constructor(table, index) {
    super();
    this.table = table;
    this.index = index;
  }

  hasPendingEvent() {
    return this.table.waitables.ready(this.index) !== 0;
  }

  /** @returns {[number, number, number]} */
  getPendingEvent() {
    const w = this.table.waitables.take(this.index);
    if (w === 0) return trap('internal error: no pending event');
    return /** @type {Waitable} */ (this.table.array[w]).getPendingEvent();
  }

  /** @param {number} delta */
  wait(delta) {
    this.table.waitables.wait(this.index, delta);
  }
}

/**
 * The lowered module's `event` hook, bound to the tables by component instance: the
 * event pending on waitable `w` of instance `i`'s table, delivered (`waitable-set.poll`
 * in the module took it off its set).
 * @param {Record<number, { array: unknown[] }>} tables @param {number} i @param {number} w
 */
export function coreEvent(tables, i, w) {
  return /** @type {Waitable} */ (tables[i].array[w]).getPendingEvent();
}

/** `trap_if(not inst.may_leave)`. @param {{ mayLeave: boolean }} inst */
export function mayLeave(inst) {
  if (!inst.mayLeave) trap('cannot leave component instance');
}

/** `canon waitable-set.new`. @param {import('./task.js').AsyncInstance} inst */
export function waitableSetNew(inst) {
  mayLeave(inst);
  return inst.handles.add(new WaitableSet());
}

/** @param {import('./task.js').AsyncInstance} inst @param {number} si */
function getSet(inst, si) {
  const s = inst.handles.get(si);
  if (!(s instanceof WaitableSet)) trap(`index ${si} is not a waitable set`);
  return s;
}

/**
 * Stores an event's payload at `ptr` and returns its code (`unpack_event`).
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {[number, number, number]} e
 */
function unpackEvent(memory, ptr, e) {
  if (ptr < 0) ptr += 2 ** 32;
  if (ptr + 8 > memory.buffer.byteLength) trap('event pointer out of bounds');
  const dv = new DataView(memory.buffer);
  dv.setUint32(ptr, e[1] >>> 0, true);
  dv.setUint32(ptr + 4, e[2] >>> 0, true);
  return e[0];
}

/**
 * `canon waitable-set.wait`: blocks until an event (JSPI or nested scheduling).
 * @param {import('./task.js').AsyncInstance} inst @param {WebAssembly.Memory} memory
 * @param {number} si @param {number} ptr
 */
export function waitableSetWait(inst, memory, si, ptr) {
  mayLeave(inst);
  const wset = getSet(inst, si);
  wset.wait(1);
  const finish = () => {
    wset.wait(-1);
    return unpackEvent(memory, ptr, wset.getPendingEvent());
  };
  const r = blockOn(() => wset.hasPendingEvent(), 'waitable-set.wait');
  if (r === undefined) return finish();
  return r.then(finish);
}

/**
 * `canon waitable-set.poll`.
 * @param {import('./task.js').AsyncInstance} inst @param {WebAssembly.Memory} memory
 * @param {number} si @param {number} ptr
 */
export function waitableSetPoll(inst, memory, si, ptr) {
  mayLeave(inst);
  const wset = getSet(inst, si);
  const e = wset.hasPendingEvent() ? wset.getPendingEvent() : /** @type {[number, number, number]} */ ([0, 0, 0]);
  return unpackEvent(memory, ptr, e);
}

/** `canon waitable-set.drop`. @param {import('./task.js').AsyncInstance} inst @param {number} si */
export function waitableSetDrop(inst, si) {
  mayLeave(inst);
  const wset = getSet(inst, si);
  if (wset.elems.length > 0) trap('cannot drop a waitable set that still contains waitables');
  if (wset.numWaiting > 0) trap('cannot drop a waitable set that a task is waiting on');
  inst.handles.remove(si);
}

/**
 * `canon waitable.join`.
 * @param {import('./task.js').AsyncInstance} inst @param {number} wi @param {number} si
 */
export function waitableJoin(inst, wi, si) {
  mayLeave(inst);
  const w = inst.handles.get(wi);
  if (!(w instanceof Waitable)) trap(`index ${wi} is not a waitable`);
  if (w.hasSyncWaiter) trap('cannot join a waitable that a synchronous call is waiting on');
  w.join(si === 0 ? null : getSet(inst, si));
  schedule();
}
