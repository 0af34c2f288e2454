// The event loop of component-model concurrency (Concurrency.md; CanonicalABI.md
// "Threads" and "Store"): threads that wait, the scheduler that resumes ready ones, and
// deadlock detection.
//
// The spec models every thread as a stack that can suspend. Here most threads have no
// stack of their own: the implicit thread of a callback-lifted task (stackless) is a
// continuation, the function its `wake` runs when it is resumed. Such threads run on the
// JS event loop, in microtasks, with no JSPI. A thread that runs core wasm which blocks
// (`waitable-set.wait`, a synchronous call of an async function, a synchronous stream
// copy) blocks *on the wasm stack*: `blockOn` first runs other ready threads right
// there (nested, which is one of the schedules the spec allows); when nothing nested
// can make progress, a thread entered through `WebAssembly.promising` suspends with
// JSPI, and any other thread gets a Trap naming why it cannot wait.
import { trap, Trap } from './trap.js';

/** The scheduler's state: one per JS realm copy of the runtime. */
export const sched = {
  /** The thread whose code is running. @type {Thread | null} */
  current: null,
  /** Threads waiting for their `ready` condition, oldest first. @type {Thread[]} */
  waiting: [],
  /** A tick is queued. */
  queued: false,
  /** Host operations in flight (promises of async imports, host-held stream ends). */
  hostPending: 0,
  /** Top-level calls waiting for their task: `(error) => void` rejecters. @type {Set<(e: unknown) => void>} */
  roots: new Set(),
  /** Threads whose `WebAssembly.promising` call has not settled. @type {Set<Thread>} */
  inflight: new Set(),
  /**
   * JSPI stacks ready to resume, oldest first. Resuming happens in a microtask the
   * runtime does not control, so one stack resumes at a time and is the current
   * thread until it suspends again or its call settles (`release`).
   * @type {[Thread, () => void][]}
   */
  resumeQueue: [],
  /** The thread of the JSPI stack resuming now. @type {Thread | null} */
  resuming: null,
};

/** Resumes the next suspended JSPI stack, unless one is resuming. */
function pumpResumes() {
  if (sched.resuming !== null || sched.resumeQueue.length === 0) return;
  const [t, go] = /** @type {[Thread, () => void]} */ (sched.resumeQueue.shift());
  sched.resuming = t;
  setCurrent(t);
  go();
}

/**
 * The JSPI stack of `t` suspended again or its call settled: let the next resume.
 * @param {Thread} t
 */
export function release(t) {
  if (sched.resuming !== t) return;
  sched.resuming = null;
  queueMicrotask(pumpResumes);
}

/** A thread (`class Thread`): the implicit thread of a task. */
export class Thread {
  /** @param {any} task */
  constructor(task) {
    this.task = task;
    /** Index in the instance's thread table (0 while unregistered). */
    this.index = 0;
    /** `context.get/set` slots. */
    this.storage = [0, 0];
    /** While waiting: resume when this returns true. @type {(() => boolean) | null} */
    this.ready = null;
    /** While waiting: what resuming does. @type {(() => void) | null} */
    this.wake = null;
    /** Entered through `WebAssembly.promising`: may suspend with JSPI. */
    this.jspi = false;
  }
}

/** Queues a scheduler tick (a microtask), once. */
export function schedule() {
  if (!sched.queued) {
    sched.queued = true;
    queueMicrotask(tick);
  }
}

/**
 * Makes `thread` wait until `ready()`, then run `wake()` as that thread.
 * @param {Thread} thread @param {() => boolean} ready @param {() => void} wake
 */
export function waitUntil(thread, ready, wake) {
  thread.ready = ready;
  thread.wake = wake;
  sched.waiting.push(thread);
  schedule();
}

/**
 * Removes and returns the oldest waiting thread that is ready and passes `filter`.
 * @param {((t: Thread) => boolean) | null} filter @returns {Thread | null}
 */
function takeReady(filter) {
  const w = sched.waiting;
  for (let i = 0; i < w.length; i++) {
    const t = w[i];
    if ((filter === null || filter(t)) && /** @type {() => boolean} */ (t.ready)()) {
      w.splice(i, 1);
      return t;
    }
  }
  return null;
}

/**
 * Stops `thread` waiting (if it is) without running it. @param {Thread} thread
 * @returns {boolean} whether it was waiting
 */
export function unwait(thread) {
  const i = sched.waiting.indexOf(thread);
  if (i < 0) return false;
  sched.waiting.splice(i, 1);
  return true;
}

/** Runs the wake of `t` as the current thread. @param {Thread} t */
export function resume(t) {
  const wake = /** @type {() => void} */ (t.wake);
  t.ready = null;
  t.wake = null;
  const prev = sched.current;
  sched.current = t;
  try {
    wake();
  } finally {
    sched.current = prev;
  }
}

/** Resumes ready threads until none is ready; then checks for a deadlock. */
function tick() {
  sched.queued = false;
  for (;;) {
    const t = takeReady(null);
    if (t === null) break;
    try {
      resume(t);
    } catch (e) {
      fail(e);
      return;
    }
  }
  if (sched.roots.size > 0 && sched.hostPending === 0 && !sched.queued && sched.resumeQueue.length === 0) {
    // A JSPI thread that is not waiting is about to resume or to settle.
    for (const t of sched.inflight) if (!sched.waiting.includes(t)) return;
    fail(new Trap('deadlock detected: event loop cannot make further progress'));
  }
}

/**
 * A trap outside any caller's stack: every top-level call still waiting fails with it,
 * and no waiting thread runs again.
 * @param {unknown} e
 */
export function fail(e) {
  sched.waiting.length = 0;
  const roots = [...sched.roots];
  sched.roots.clear();
  for (const reject of roots) reject(e);
  if (roots.length === 0) queueMicrotask(() => { throw e; });
}

/**
 * Blocks the running thread until `ready()` (`Thread.wait_until` on a wasm stack).
 * Returns `undefined` once ready, or a promise to suspend on (JSPI threads only).
 * `cannot` is the reason given when the thread can neither make progress nor suspend.
 * @param {() => boolean} ready @param {string} what
 * @returns {Promise<void> | undefined}
 */
export function blockOn(ready, what) {
  const t = /** @type {Thread} */ (sched.current);
  if (ready()) return undefined;
  if (t.jspi) {
    // Suspend the wasm stack (through `jspiShim`, which resumes it as this thread).
    return new Promise((resolve) => {
      waitUntil(t, ready, () => resolve(undefined));
    });
  }
  // Run other ready threads on this stack until `ready()` holds.
  for (;;) {
    const other = takeReady((o) => o !== t);
    if (other === null) break;
    resume(other);
    sched.current = t;
    if (ready()) return undefined;
  }
  if (sched.hostPending === 0) trap('deadlock detected: event loop cannot make further progress');
  return trap(
    `${what} must wait for the host, which needs JSPI (WebAssembly.Suspending and ` +
      'WebAssembly.promising); this engine lacks it, or the waiting code was not entered ' +
      'through an async export',
  );
}

/**
 * Makes `t` the running thread, for code resumed outside `resume`. @param {Thread | null} t
 */
export function setCurrent(t) {
  sched.current = t;
  jspiFlag.value = t !== null && t.jspi ? 1 : 0;
}

/** Whether the engine has JSPI. */
export const hasJspi = typeof (/** @type {any} */ (WebAssembly).Suspending) === 'function';

/** 1 while a thread entered through `WebAssembly.promising` runs: read by JSPI switches. */
export const jspiFlag = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);

/**
 * The JSPI switch in front of a built-in that may block: a tiny core module (from the
 * transpiler, base64) whose `f` calls `fn` through `WebAssembly.Suspending` when
 * `jspiFlag` is set, and plainly otherwise. Without JSPI, `fn` itself.
 * @param {string} b64 @param {Function} fn
 */
export function jspiShim(b64, fn) {
  if (!hasJspi) return fn;
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const W = /** @type {any} */ (WebAssembly);
  // A `Suspending` import suspends the stack even when the result is not a promise,
  // and the stack resumes from a microtask: make its thread current again first.
  /** @param {unknown[]} args */
  const susp = (...args) => {
    const t = /** @type {Thread} */ (sched.current);
    if (sched.resuming === t) release(t);
    const r = fn(...args);
    return new Promise((resolve) => {
      Promise.resolve(r).then((v) => {
        sched.resumeQueue.push([t, () => resolve(v)]);
        pumpResumes();
      });
    });
  };
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    '': { flag: jspiFlag, plain: fn, susp: new W.Suspending(susp) },
  });
  return inst.exports.f;
}
