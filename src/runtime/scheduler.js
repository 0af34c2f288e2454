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
//
// The event loop must breathe: host timers, I/O and rendering are macrotasks, which a
// scheduler that only ever queues microtasks would starve. So a thread that yields
// (callback code YIELD, `thread.yield`) runs again only on the next *turn*, a macrotask
// (`setImmediate`, else a `MessageChannel` message, else `setTimeout`), and a tick that
// has run for TICK_BUDGET_MS continues on the next turn too. Threads woken by events
// run in microtasks, at once.
import { trap, Trap } from './trap.js';

/** How long one tick may run ready threads before it lets the event loop run. */
const TICK_BUDGET_MS = 8;

/**
 * How often a stack blocked without JSPI runs threads that yielded, nested on it,
 * before it gives up: a yield loop that waits for the blocked stack never ends.
 */
const MAX_NESTED_YIELDS = 100000;

/** The scheduler's state: one per JS realm copy of the runtime. */
export const sched = {
  /** The thread whose code is running. @type {Thread | null} */
  current: null,
  /** Threads waiting for their `ready` condition, oldest first. @type {Thread[]} */
  waiting: [],
  /** A tick is queued (a microtask). */
  queued: false,
  /** A tick is queued for the next turn of the event loop (a macrotask). */
  turnQueued: false,
  /** Turns of the event loop the scheduler has seen: a thread that yielded on turn n runs on turn n + 1 or later. */
  turn: 0,
  /** Host operations in flight (promises of async imports, host-held stream ends). */
  hostPending: 0,
  /** Core calls on the JS stack (`callAs` nesting). */
  depth: 0,
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
  t.resumePending = false;
  if (sched.resuming !== t) return;
  sched.resuming = null;
  // The stack stopped running: it is no longer the current thread.
  if (sched.current === t) setCurrent(null);
  const waiters = releaseWaiters.get(t);
  if (waiters !== undefined) {
    releaseWaiters.delete(t);
    for (const w of waiters) w();
  }
  queueMicrotask(pumpResumes);
}

/** Callbacks to run when a thread's resumed JSPI stack suspends or settles. @type {Map<Thread, (() => void)[]>} */
const releaseWaiters = new Map();

/**
 * Resolves once the JSPI stack of `t`, resumed and waiting its turn, has run (it
 * suspended again or its call settled).
 * @param {Thread} t @returns {Promise<void>}
 */
export function afterRelease(t) {
  return new Promise((resolve) => {
    const list = releaseWaiters.get(t) ?? [];
    list.push(() => resolve(undefined));
    releaseWaiters.set(t, list);
  });
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
    /** The turn of the event loop on which it last yielded (`waitYield`). */
    this.yieldTurn = -1;
    /** Its suspended JSPI stack was woken and will resume from a microtask. */
    this.resumePending = false;
    /** Waiting to enter its instance (backpressure): a host call may release it. */
    this.entering = false;
    /** Core calls of this thread on the JS stack (`callAs` nesting). */
    this.active = 0;
    /** What waits for the end of its core run (`deferToRunEnd`). @type {(() => void) | null} */
    this.deferred = null;
  }
}

/** Queues a scheduler tick (a microtask), once. */
export function schedule() {
  if (!sched.queued) {
    sched.queued = true;
    queueMicrotask(tick);
  }
}

/** Runs `f` in a macrotask: after timers, I/O and rendering have had their turn. */
const nextTurn = (() => {
  if (typeof setImmediate === 'function') return (/** @type {() => void} */ f) => setImmediate(f);
  if (typeof MessageChannel === 'function') {
    const ch = new MessageChannel();
    /** @type {(() => void)[]} */
    const queue = [];
    ch.port1.onmessage = () => /** @type {() => void} */ (queue.shift())();
    return (/** @type {() => void} */ f) => {
      queue.push(f);
      ch.port2.postMessage(null);
    };
  }
  return (/** @type {() => void} */ f) => setTimeout(f, 0);
})();

/** Queues a tick on the next turn of the event loop, once. */
function scheduleTurn() {
  if (sched.turnQueued) return;
  sched.turnQueued = true;
  nextTurn(() => {
    sched.turnQueued = false;
    sched.turn++;
    tick();
  });
}

/**
 * Makes `thread` wait, as `waitUntil` does, after yielding: it runs no earlier than the
 * next turn of the event loop.
 * @param {Thread} thread @param {() => boolean} ready @param {() => void} wake
 */
export function waitYield(thread, ready, wake) {
  thread.yieldTurn = sched.turn;
  waitUntil(thread, ready, wake);
}

/** Whether `t` yielded on this turn (and so waits for the next). @param {Thread} t */
const yieldedNow = (t) => t.yieldTurn === sched.turn;

/**
 * Makes `thread` wait until `ready()`, then run `wake()` as that thread.
 * @param {Thread} thread @param {() => boolean} ready @param {() => void} wake
 */
export function waitUntil(thread, ready, wake) {
  thread.ready = ready;
  thread.wake = wake;
  // A thread waits for one thing at a time: a second wait replaces the first.
  if (!sched.waiting.includes(thread)) sched.waiting.push(thread);
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
    if (t.ready === null) {
      // No longer waiting (resumed by other means): not a candidate.
      w.splice(i--, 1);
      continue;
    }
    if ((filter === null || filter(t)) && t.ready()) {
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

/**
 * Runs `f` with `t` as the current thread, then restores the thread that was.
 * @template R @param {Thread | null} t @param {() => R} f @returns {R}
 */
export function asThread(t, f) {
  const prev = sched.current;
  setCurrent(t);
  try {
    return f();
  } finally {
    setCurrent(prev);
  }
}

/** Runs the wake of `t` as the current thread. @param {Thread} t */
export function resume(t) {
  const wake = /** @type {() => void} */ (t.wake);
  t.ready = null;
  t.wake = null;
  asThread(t, wake);
}

/**
 * Resumes ready threads until none is ready (those that yielded on this turn wait for
 * the next) or the budget is spent; then checks for a deadlock.
 */
function tick() {
  sched.queued = false;
  const deadline = now() + TICK_BUDGET_MS;
  // A throw from a ready condition or a resumed thread (a trap, or a bug) fails the
  // waiting calls (of the resumed thread's component, when known) instead of escaping
  // as an uncaught exception.
  /** @type {Thread | null} */
  let running = null;
  try {
    for (let n = 1; ; n++) {
      const t = takeReady((o) => !yieldedNow(o));
      if (t === null) break;
      running = t;
      resume(t);
      running = null;
      if ((n & 63) === 0 && now() > deadline) {
        scheduleTurn();
        return;
      }
    }
    if (sched.waiting.some((t) => yieldedNow(t) && /** @type {() => boolean} */ (t.ready)())) {
      scheduleTurn();
      return;
    }
  } catch (e) {
    const inst = running?.task?.inst;
    if (typeof inst?.trapped === 'function') inst.trapped(e);
    else fail(e);
    return;
  }
  if (sched.roots.size > 0 && sched.hostPending === 0 && !sched.queued && !sched.turnQueued && sched.resumeQueue.length === 0) {
    // A JSPI thread that is not waiting is about to resume or to settle.
    for (const t of sched.inflight) if (!sched.waiting.includes(t)) return;
    // A call held back by backpressure may be let in by a later host call, if one can
    // lower it (`AsyncInstance.lowersBackpressure`); otherwise nothing ever will.
    if (sched.waiting.some((t) => t.entering && t.task.inst.backpressure > 0 && t.task.inst.lowersBackpressure)) return;
    // Every waiting thread is stuck for good: their instances trapped (a later call
    // must not wait for a lock or a stack that will never be released).
    for (const t of [...sched.waiting, ...sched.inflight]) t.task?.inst?.poison?.();
    fail(new Trap('deadlock detected: event loop cannot make further progress'));
  }
}

/**
 * A trap outside any caller's stack: every top-level call still waiting fails with it,
 * and no waiting thread runs again. With none waiting, it is reported (`report`)
 * unless `reportUnheard` is false.
 * @param {unknown} e @param {boolean} [reportUnheard]
 */
export function fail(e, reportUnheard = true) {
  // Their JSPI stacks, if any, will never resume.
  for (const t of sched.waiting) sched.inflight.delete(t);
  sched.waiting.length = 0;
  const roots = [...sched.roots];
  sched.roots.clear();
  for (const reject of roots) reject(e);
  if (roots.length === 0 && reportUnheard) report(e);
}

/**
 * A trap no call is waiting for (it came after every call into the instance settled:
 * a host import's promise rejecting late, a task running on after it returned): the
 * instance is poisoned already; the trap is reported as an error the host did not
 * handle (`reportError` where there is one, else `console.error`), never thrown, which
 * would kill a node process.
 * @param {unknown} e
 */
export function report(e) {
  const g = /** @type {any} */ (globalThis);
  if (typeof g.reportError === 'function') g.reportError(e);
  else console.error('A component trapped after its calls settled:', e);
}

/**
 * Blocks the running thread until `ready()` (`Thread.wait_until` on a wasm stack).
 * Returns `undefined` once ready, or a promise to suspend on (JSPI threads only).
 * `cannot` is the reason given when the thread can neither make progress nor suspend.
 * A `yielding` JSPI thread resumes no earlier than the next turn of the event loop.
 * @param {() => boolean} ready @param {string} what @param {boolean} [yielding]
 * @returns {Promise<void> | undefined}
 */
export function blockOn(ready, what, yielding = false) {
  const t = /** @type {Thread} */ (sched.current);
  if (ready()) return undefined;
  if (t.jspi && jspiFlag.value === 1) {
    // Suspend the wasm stack (through `jspiShim`, which resumes it as this thread).
    return new Promise((resolve) => {
      (yielding ? waitYield : waitUntil)(t, ready, () => {
        t.resumePending = true;
        resolve(undefined);
      });
    });
  }
  // Run other ready threads on this stack until `ready()` holds. A thread that yielded
  // would run again only on the next turn of the event loop, which this stack cannot
  // wait for: it runs again here, but a yield loop that never ends the wait traps.
  let spins = 0;
  for (;;) {
    const other = takeReady((o) => o !== t);
    if (other === null) break;
    if (yieldedNow(other) && ++spins > MAX_NESTED_YIELDS) {
      trap(
        `${what} blocks a stack while a thread that yields waits for it; letting that ` +
          'thread wait for the event loop needs JSPI (WebAssembly.Suspending and WebAssembly.promising), which this engine lacks',
      );
    }
    resume(other);
    setCurrent(t);
    if (ready()) return undefined;
  }
  if (!hasJspi && sched.depth > 1) {
    // Core code of another thread is on the stack below this one: what this thread
    // waits for may need that code to go on, which only stack switching allows.
    trap(
      `${what} blocks a stack while other threads' stacks are below it; letting them ` +
        'go on needs JSPI (WebAssembly.Suspending and WebAssembly.promising), which this engine lacks',
    );
  }
  if (sched.hostPending === 0) trap('deadlock detected: event loop cannot make further progress');
  return trap(
    `${what} must wait for the host, which needs JSPI (WebAssembly.Suspending and ` +
      'WebAssembly.promising); this engine lacks it, or the waiting code was not entered ' +
      'through an async export',
  );
}

/** Milliseconds, for the tick budget. */
const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();

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

/** Set by a built-in that must wait on a JSPI stack: the switch then suspends. */
export const jspiPending = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);

/** The promise a built-in left for its JSPI switch to suspend on. @type {Promise<unknown> | null} */
let jspiStash = null;

/**
 * The JSPI switch in front of a built-in that may block (a tiny core module from the
 * transpiler, base64; see `jspi_shim`). `fn` runs plainly; when it returns a promise
 * (it must wait, and its thread may suspend), the switch suspends on that promise
 * through `WebAssembly.Suspending`, and the stack resumes as its thread, one stack at a
 * time. Without JSPI, `fn` itself.
 * @param {string} b64 @param {Function} fn @param {unknown} zero a placeholder result
 */
export function jspiShim(b64, fn, zero) {
  if (!hasJspi) return fn;
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const W = /** @type {any} */ (WebAssembly);
  /** @param {unknown[]} args */
  const plain = (...args) => {
    const r = fn(...args);
    if (!(r instanceof Promise)) return r;
    jspiStash = r;
    jspiPending.value = 1;
    return zero;
  };
  const susp = () => {
    jspiPending.value = 0;
    const p = /** @type {Promise<unknown>} */ (jspiStash);
    jspiStash = null;
    const t = /** @type {Thread} */ (sched.current);
    if (sched.resuming === t) release(t);
    return new Promise((resolve) => {
      p.then((v) => {
        sched.resumeQueue.push([t, () => resolve(v)]);
        pumpResumes();
      });
    });
  };
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    '': { pending: jspiPending, plain, susp: new W.Suspending(susp) },
  });
  return inst.exports.f;
}

/**
 * `fn` entered through `WebAssembly.promising`, via a tiny core module (base64) whose
 * `done` import sees the result: a call that finishes without suspending returns its
 * result synchronously, one that suspends returns a promise of it.
 * @param {string} b64 @param {Function} fn
 */
export function jspiEntry(b64, fn) {
  /** The call running synchronously now: `{ done, value }`. @type {{ done: boolean, value: unknown } | null} */
  let slot = null;
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    '': {
      callee: fn,
      /** @param {unknown} v */
      done: (v) => {
        if (slot !== null) {
          slot.done = true;
          slot.value = v;
        }
        return v;
      },
    },
  });
  const entry = /** @type {any} */ (WebAssembly).promising(inst.exports.f);
  return (/** @type {unknown[]} */ ...args) => {
    const outer = slot;
    const mine = { done: false, value: undefined };
    slot = mine;
    let p;
    try {
      p = entry(...args);
    } finally {
      slot = outer;
    }
    if (mine.done) {
      p.catch(() => {});
      return mine.value;
    }
    return p;
  };
}
