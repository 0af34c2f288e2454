// Test helpers for the async runtime (scheduler.js, task.js, waitable.js, stream.js):
// a `Guest` is one component instance whose "core code" is JS that calls the runtime's
// built-ins exactly as generated code does (crates/js/src/builtins.rs, host.rs,
// exports.rs): with the instance's AsyncInstance, the stream/future type index,
// `plain`/`bytes` flags and an `Elem` describing how the guest's memory holds elements.
import assert from 'node:assert/strict';
import { Trap } from '../trap.js';
import { HandleTable } from '../handles.js';
import { sched } from '../scheduler.js';
import {
  AsyncInstance,
  Lift,
  LIFT_SYNC,
  LIFT_CALLBACK,
  LIFT_STACKFUL,
  canonLift,
  canonLowerAsync,
  canonLowerSync,
  hostFunc,
  hostInvoke,
  taskReturn,
  taskCancel,
  threadYield,
  subtaskCancel,
  subtaskDrop,
  backpressureInc,
  backpressureDec,
  contextGet,
  contextSet,
} from '../task.js';
import { waitableSetNew, waitableSetWait, waitableSetPoll, waitableSetDrop, waitableJoin } from '../waitable.js';
import { Elem, endsNew, endCopy, endCancel, endDrop } from '../stream.js';

export { LIFT_SYNC, LIFT_CALLBACK, LIFT_STACKFUL };

/** Callback codes returned by a stackless (callback-lifted) task. */
export const EXIT = 0;
export const YIELD = 1;
/** The WAIT callback code for waitable set `si`. @param {number} si */
export const WAIT = (si) => 2 | (si << 4);

/** Event codes (`EventCode`). */
export const EV = { NONE: 0, SUBTASK: 1, STREAM_READ: 2, STREAM_WRITE: 3, FUTURE_READ: 4, FUTURE_WRITE: 5, TASK_CANCELLED: 6 };
/** Subtask states (`Subtask.State`). */
export const SUB = { STARTING: 0, STARTED: 1, RETURNED: 2, CANCELLED_BEFORE_STARTED: 3, CANCELLED_BEFORE_RETURNED: 4 };
/** Copy results (`CopyResult`). */
export const COPY = { COMPLETED: 0, DROPPED: 1, CANCELLED: 2 };
/** The BLOCKED return value (0xffffffff as an i32). */
export const BLOCKED = -1;

/** A stream copy's payload: the result in the low 4 bits, the count above. */
export const copied = (/** @type {number} */ result, /** @type {number} */ n) => result | (n << 4);

/** The `task.return` key every test lift uses (a result of one i32). */
export const KEY = 'u32';

/** Where `Guest.wait`/`Guest.poll` let the runtime store an event's payload. */
const EVENT_PTR = 8;

/**
 * Stream and future element types, as generated code describes them: the type index
 * `t`, `plain` (none or a number type), `bytes` (u8), and the element codec.
 */
export const U8 = { t: 1, plain: true, bytes: true, elem: (/** @type {Guest} */ g) => new Elem(1, 1, () => g.memory, null, null, Uint8Array) };
export const U32 = { t: 2, plain: true, bytes: false, elem: (/** @type {Guest} */ g) => new Elem(4, 4, () => g.memory, null, null, Uint32Array) };
/** `stream<_>` / `future<_>`: no element type, no memory. */
export const UNIT = { t: 3, plain: true, bytes: false, elem: () => null };
/** `char`: not a number type, so it moves through load/store functions. */
export const CHAR = {
  t: 4,
  plain: false,
  bytes: false,
  elem: (/** @type {Guest} */ g) =>
    new Elem(
      4,
      4,
      () => g.memory,
      (ptr) => String.fromCodePoint(new DataView(g.memory.buffer).getUint32(ptr, true)),
      (v, ptr) => new DataView(g.memory.buffer).setUint32(ptr, /** @type {string} */ (v).codePointAt(0) ?? 0, true),
      null,
    ),
};

/** One component instance and its memory; methods are its built-ins. */
export class Guest {
  constructor() {
    this.poisoned = false;
    this.inst = new AsyncInstance(new HandleTable(), () => {
      this.poisoned = true;
    });
    this.memory = new WebAssembly.Memory({ initial: 1 });
    /** @type {Map<object, Elem | null>} one Elem per type, as generated code caches it */
    this.elems = new Map();
  }

  /** @param {{ elem: (g: Guest) => Elem | null }} type */
  elem(type) {
    if (!this.elems.has(type)) this.elems.set(type, type.elem(this));
    return /** @type {Elem | null} */ (this.elems.get(type));
  }

  /** The bytes of memory at [ptr, ptr + n). */
  bytes(ptr, n) {
    return Array.from(new Uint8Array(this.memory.buffer, ptr, n));
  }

  /** Writes `bytes` at `ptr`. @param {number} ptr @param {number[]} bytes */
  store(ptr, bytes) {
    new Uint8Array(this.memory.buffer).set(bytes, ptr);
  }

  // Lifting.

  /**
   * A lifted function of this instance. `core` is the core function (flat args → flat
   * result, or packed callback code).
   * @param {{ mode?: number, isAsync?: boolean, core: Function, callback?: Function | null, post?: Function | null, key?: string }} o
   */
  lift({ mode = LIFT_CALLBACK, isAsync = true, core, callback = null, post = null, key = KEY }) {
    return new Lift(this.inst, isAsync, mode, core, callback, post, key, null);
  }

  /**
   * A callback-lifted async function written as a generator: it yields callback codes
   * (YIELD, WAIT(si)) and receives the next event `[code, p1, p2]`; returning ends the
   * task (EXIT). Per-task state is found through `context.get(0)`, as guests do.
   * @param {(...args: any[]) => Generator<number, number | void, [number, number, number]>} body
   */
  callbackLift(body, { isAsync = true } = {}) {
    /** @type {Map<number, Generator<number, number | void, [number, number, number]>>} */
    const tasks = new Map();
    let next = 1;
    /** @param {number} id @param {IteratorResult<number, number | void>} r */
    const code = (id, r) => {
      if (!r.done) return r.value;
      tasks.delete(id);
      return r.value ?? EXIT;
    };
    return this.lift({
      isAsync,
      core: (/** @type {unknown[]} */ ...args) => {
        const id = next++;
        const it = body(...args);
        tasks.set(id, it);
        contextSet(0, id);
        return code(id, it.next());
      },
      callback: (/** @type {number} */ ev, /** @type {number} */ p1, /** @type {number} */ p2) => {
        const id = contextGet(0);
        const it = tasks.get(id);
        assert.ok(it, 'a callback for a task that has exited');
        return code(id, it.next([ev, p1, p2 >>> 0]));
      },
    });
  }

  /** A stackful async function (no callback): `core` runs to completion, blocking as it likes. @param {Function} core */
  stackfulLift(core) {
    return this.lift({ mode: LIFT_STACKFUL, core });
  }

  // Calls from the host (an export called by JS).

  /**
   * Calls `lift` from the host: a promise for an `async` function type, a value for
   * any other. The result is the first flat result (or `task.return` argument).
   * @param {Lift} lift @param {unknown[]} args @param {{ signal?: AbortSignal }} [options]
   */
  invoke(lift, args = [], options) {
    return hostInvoke(lift, () => args, (flat) => flat[0], null, options);
  }

  /**
   * Runs `body` as the core code of a synchronous export called by the host, and
   * returns what it returns (a throw propagates, as a trap in core code does).
   * @template T @param {() => T} body @returns {T}
   */
  run(body) {
    /** @type {any} */
    let out;
    this.invoke(
      this.lift({
        mode: LIFT_SYNC,
        isAsync: false,
        core: () => {
          out = body();
        },
      }),
    );
    return out;
  }

  /**
   * Runs `body` as the core code of a stackful async export called by the host, which
   * returns (`task.return`) what `body` returns: a promise of it. Unlike `run`, the
   * code may block on other instances' threads (a synchronous function may only wait
   * for its own instance's threads).
   * @param {() => unknown} body @returns {Promise<unknown>}
   */
  runAsync(body) {
    return this.invoke(this.stackfulLift(() => this.taskReturn(body())));
  }

  // Calls to other functions (`canon lower` of an adapter or a host function).

  /**
   * Calls `lift` (another instance's export, or this one's) with `canon lower async`:
   * returns the packed status. `onResolve` sees the callee's flat results.
   * @param {Lift} lift @param {unknown[]} args @param {(flat: unknown[]) => unknown} [onResolve]
   */
  callAsync(lift, args = [], onResolve = () => undefined) {
    return canonLowerAsync(this.inst, (s, r) => canonLift(lift, s, r, null), () => args, onResolve, null);
  }

  /**
   * Calls `lift` with a synchronous `canon lower`: returns the callee's first result.
   * @param {Lift} lift @param {unknown[]} args
   */
  callSync(lift, args = []) {
    return canonLowerSync(this.inst, (s, r) => canonLift(lift, s, r, null), () => args, (flat) => flat[0], null, 'callee');
  }

  /**
   * Calls a host function (`hostFunc`) with `canon lower async`.
   * @param {(args: unknown[]) => unknown} fn @param {unknown[]} args @param {(r: unknown[]) => unknown} [onResolve]
   */
  callHostAsync(fn, args = [], onResolve = () => undefined) {
    return canonLowerAsync(this.inst, hostFunc(fn), () => args, onResolve, null);
  }

  // Task built-ins.

  taskReturn(/** @type {unknown[]} */ ...flat) {
    return taskReturn(this.inst, KEY, flat);
  }
  taskCancel() {
    return taskCancel(this.inst);
  }
  yield() {
    return threadYield(this.inst);
  }
  subtaskCancel(/** @type {number} */ i, isAsync = true) {
    return subtaskCancel(this.inst, isAsync, i);
  }
  subtaskDrop(/** @type {number} */ i) {
    return subtaskDrop(this.inst, i);
  }
  backpressureInc() {
    return backpressureInc(this.inst);
  }
  backpressureDec() {
    return backpressureDec(this.inst);
  }

  // Waitable built-ins.

  setNew() {
    return waitableSetNew(this.inst);
  }
  join(/** @type {number} */ wi, /** @type {number} */ si) {
    return waitableJoin(this.inst, wi, si);
  }
  setDrop(/** @type {number} */ si) {
    return waitableSetDrop(this.inst, si);
  }
  /** `waitable-set.wait`: the event as `[code, p1, p2]`. @param {number} si @returns {[number, number, number]} */
  wait(si) {
    const code = waitableSetWait(this.inst, this.memory, si, EVENT_PTR);
    assert.ok(!(code instanceof Promise), 'a non-JSPI thread never suspends');
    return this.event(/** @type {number} */ (code));
  }
  /** `waitable-set.poll`: the event as `[code, p1, p2]`. @param {number} si @returns {[number, number, number]} */
  poll(si) {
    return this.event(waitableSetPoll(this.inst, this.memory, si, EVENT_PTR));
  }
  /** @param {number} code @returns {[number, number, number]} */
  event(code) {
    const dv = new DataView(this.memory.buffer);
    return [code, dv.getUint32(EVENT_PTR, true), dv.getUint32(EVENT_PTR + 4, true)];
  }

  // Stream and future built-ins. `type` is U8, U32, UNIT or CHAR.

  /** `stream.new`: `[readable, writable]`. */
  streamNew(type) {
    return split(endsNew(this.inst, type.t, type.plain, true, type.bytes));
  }
  /** `future.new`: `[readable, writable]`. */
  futureNew(type) {
    return split(endsNew(this.inst, type.t, type.plain, false, type.bytes));
  }
  read(type, i, ptr, n, isAsync = true) {
    return endCopy(this.inst, type.t, true, true, isAsync, this.elem(type), i, ptr, n);
  }
  write(type, i, ptr, n, isAsync = true) {
    return endCopy(this.inst, type.t, true, false, isAsync, this.elem(type), i, ptr, n);
  }
  futureRead(type, i, ptr, isAsync = true) {
    return endCopy(this.inst, type.t, false, true, isAsync, this.elem(type), i, ptr, 1);
  }
  futureWrite(type, i, ptr, isAsync = true) {
    return endCopy(this.inst, type.t, false, false, isAsync, this.elem(type), i, ptr, 1);
  }
  cancelRead(type, i, isAsync = true, stream = true) {
    return endCancel(this.inst, type.t, stream, true, isAsync, i);
  }
  cancelWrite(type, i, isAsync = true, stream = true) {
    return endCancel(this.inst, type.t, stream, false, isAsync, i);
  }
  dropReadable(type, i, stream = true) {
    return endDrop(this.inst, type.t, stream, true, i);
  }
  dropWritable(type, i, stream = true) {
    return endDrop(this.inst, type.t, stream, false, i);
  }
}

/** `[low 32 bits, high 32 bits]` of `stream.new`'s i64. @param {bigint} packed */
function split(packed) {
  return [Number(packed & 0xffffffffn), Number(packed >> 32n)];
}

/** Asserts that `f` throws a `Trap` whose message is `message` (a string: exactly; a RegExp: matching). */
export function assertTrap(f, message) {
  assert.throws(f, (e) => isTrap(e, message));
}

/** Asserts that `p` rejects with a `Trap` like `assertTrap`. */
export async function assertRejectsTrap(p, message) {
  await assert.rejects(p, (e) => isTrap(e, message));
}

function isTrap(/** @type {unknown} */ e, /** @type {string | RegExp} */ message) {
  assert.ok(e instanceof Trap, `expected a Trap, got ${e}`);
  assert.ok(e instanceof WebAssembly.RuntimeError);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
}

/** Resolves once every queued microtask (scheduler ticks included) has run. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves after `ms` milliseconds (a timer: a macrotask). */
export function sleep(ms = 0) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * For `afterEach`: lets queued ticks run, checks that the test left the scheduler idle
 * (no waiting thread, no pending host operation, no top-level call, no current
 * thread), then resets it so that one failing test does not break the next.
 */
export async function assertSchedulerIdle() {
  await settle();
  const state = {
    waiting: sched.waiting.length,
    hostPending: sched.hostPending,
    roots: sched.roots.size,
    current: sched.current,
    depth: sched.depth,
  };
  sched.waiting.length = 0;
  sched.hostPending = 0;
  sched.roots.clear();
  sched.current = null;
  sched.depth = 0;
  assert.deepEqual(state, { waiting: 0, hostPending: 0, roots: 0, current: null, depth: 0 });
}

/** A promise with its resolvers (for host functions whose result the test controls). */
export function deferred() {
  /** @type {(v?: unknown) => void} */
  let resolve = () => {};
  /** @type {(e: unknown) => void} */
  let reject = () => {};
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
