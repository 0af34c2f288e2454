// Waitables and waitable sets (CanonicalABI.md "Waitable State") and their built-ins.
// Subtasks, stream ends and future ends are waitables: they hold at most one pending
// event, delivered through a waitable set (or a synchronous wait on the waitable).
import { trap } from './trap.js';
import { blockOn, schedule } from './scheduler.js';

/** A waitable (`class Waitable`). */
export class Waitable {
  constructor() {
    /** Produces the event when it is delivered. @type {(() => [number, number, number]) | null} */
    this.pendingEvent = null;
    /** @type {WaitableSet | null} */
    this.wset = null;
    this.hasSyncWaiter = false;
  }

  /** @param {() => [number, number, number]} f */
  setPendingEvent(f) {
    this.pendingEvent = f;
    schedule();
  }

  hasPendingEvent() {
    return this.pendingEvent !== null;
  }

  /** @returns {[number, number, number]} */
  getPendingEvent() {
    const f = /** @type {() => [number, number, number]} */ (this.pendingEvent);
    this.pendingEvent = null;
    return f();
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
    this.join(null);
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
  wset.numWaiting++;
  const finish = () => {
    wset.numWaiting--;
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
