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
  /**
   * JSPI stacks woken (`wakeStack`) that have not started to run again: until they
   * have, the scheduler resumes nothing else, as a stack switch runs the thread
   * switched to next.
   */
  waking: 0,
  /**
   * Calls of functions whose type is not `async` that are in progress, innermost last
   * (CanonicalABI.md, `canon lift`): while one is, only the threads of its callee's
   * instance run, and when none of them can, the call traps.
   * @type {SyncScope[]}
   */
  scopes: [],
};

/**
 * A call of a function whose type is not `async`, in progress.
 * @typedef {{ inst: any, task: any }} SyncScope
 */

/** Whether thread `t` may run now: while a synchronous call is in progress, only the threads of its callee's instance may. @param {Thread} t */
export function inScope(t) {
  const s = sched.scopes;
  return s.length === 0 || t.task?.inst === s[s.length - 1].inst;
}

/**
 * Ends the synchronous calls that have resolved (their callers go on), innermost
 * first.
 */
export function endResolvedScopes() {
  const s = sched.scopes;
  while (s.length > 0 && s[s.length - 1].task.resolved()) s.pop();
}

/**
 * Wakes the suspended JSPI stack of `t` by settling the promise it suspended on: it
 * runs again from a microtask, before the scheduler resumes anything else.
 * @param {Thread} t @param {() => void} settle
 */
export function wakeStack(t, settle) {
  if (!t.resumePending) {
    t.resumePending = true;
    sched.waking++;
  }
  settle();
}

/**
 * The woken stack of `t` runs again, or will not (its call failed, or it goes on without
 * having suspended): it is no longer on its way. @param {Thread} t
 * @returns {boolean} whether it was
 */
export function wakeDone(t) {
  if (!t.resumePending) return false;
  t.resumePending = false;
  if (sched.waking > 0) sched.waking--;
  return true;
}

/** Resumes the next suspended JSPI stack, unless one is resuming. */
function pumpResumes() {
  if (sched.resuming !== null) return;
  if (sched.resumeQueue.length === 0) {
    // Every woken stack ran: the scheduler goes on.
    if (sched.waking === 0) schedule();
    return;
  }
  const [t, go] = /** @type {[Thread, () => void]} */ (sched.resumeQueue.shift());
  wakeDone(t);
  sched.resuming = t;
  setCurrent(t);
  go();
}

/**
 * The JSPI stack of `t` suspended again or its call settled: let the next resume.
 * @param {Thread} t
 */
export function release(t) {
  // (Settled without running again, its call failed: no longer on its way.)
  wakeDone(t);
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

/**
 * A thread (`class Thread`): the implicit thread of a task, or one that a 🧵
 * `thread.new-indirect` made (thread.js). It is *running* (its code is on a stack that
 * runs or is suspended below one that runs), *waiting* (`ready` is set: it is in
 * `sched.waiting`), or *suspended* (`suspended`: only a thread built-in resumes it).
 */
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
    /** While waiting or suspended: what resuming does. @type {(() => void) | null} */
    this.wake = null;
    /** Suspended (🧵): not waiting, resumed only by `thread.resume-later` or a switch. */
    this.suspended = false;
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
export const nextTurn = (() => {
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
    if ((filter === null || filter(t)) && inScope(t) && t.ready()) {
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
  t.suspended = false;
  asThread(t, wake);
}

/** Whether a JSPI stack is about to run or runs: the scheduler waits for it to stop. */
export const stackMoving = () => sched.waking > 0 || sched.resuming !== null;

/**
 * Resumes ready threads until none is ready (those that yielded on this turn wait for
 * the next) or the budget is spent; then checks for a deadlock.
 */
function tick() {
  sched.queued = false;
  // A woken stack runs next; when it stops, `release` lets the scheduler go on.
  if (stackMoving()) return;
  endResolvedScopes();
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
      endResolvedScopes();
      if (stackMoving()) return;
      if ((n & 63) === 0 && now() > deadline) {
        scheduleTurn();
        return;
      }
    }
    if (sched.waiting.some((t) => yieldedNow(t) && inScope(t) && /** @type {() => boolean} */ (t.ready)())) {
      scheduleTurn();
      return;
    }
    const scope = sched.scopes[sched.scopes.length - 1];
    if (scope !== undefined && !sched.turnQueued) {
      // A synchronous call cannot wait for anything but its own instance's threads
      // (not for the host, nor for other instances): none of them can run, so it traps,
      // and so do the synchronous calls it was made from.
      const e = new Trap('cannot block a synchronous task before returning');
      const scopes = sched.scopes.splice(0);
      for (let i = scopes.length - 1; i >= 0; i--) scopes[i].inst.trapped(i === scopes.length - 1 ? e : new Trap(e.message));
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
    // (A suspended one resumes only if a thread resumes it, and none can run.)
    for (const t of sched.inflight) if (!sched.waiting.includes(t) && !t.suspended) return;
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
      (yielding ? waitYield : waitUntil)(t, ready, () => wakeStack(t, () => resolve(undefined)));
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
  const scope = sched.scopes[sched.scopes.length - 1];
  if (scope !== undefined && t.task?.inst === scope.inst) {
    // The thread of a synchronous call's instance can wait only for the instance's
    // other threads, and none is ready.
    trap(
      'cannot block a synchronous task before returning: ' +
        (sched.hostPending > 0
          ? `${what} must wait for the host, and the function called is not \`async\` ` +
            '(an async export, or `--async-exports` with JSPI, may wait)'
          : `no thread of the instance can end the wait of ${what}`),
    );
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
    // The thread's run ends here for now: a call it resolved learns its result (a
    // task that returned and goes on running must not keep its caller waiting).
    const deferred = t.deferred;
    if (deferred !== null) {
      t.deferred = null;
      deferred();
    }
    return new Promise((resolve, reject) => {
      p.then(
        (v) => {
          sched.resumeQueue.push([t, () => resolve(v)]);
          pumpResumes();
        },
        // What the built-in failed with (a trap) is thrown where the stack suspended.
        (e) => {
          sched.resumeQueue.push([t, () => reject(e)]);
          pumpResumes();
        },
      );
    });
  };
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    '': { pending: jspiPending, plain, susp: new W.Suspending(susp) },
  });
  return inst.exports.f;
}

/** The tiny core modules (base64) compiled so far. @type {Map<string, WebAssembly.Module>} */
const tinyModules = new Map();

/**
 * The core module of base64 `b64`, compiled once.
 * @param {string} b64 @returns {WebAssembly.Module}
 */
function tinyModule(b64) {
  let m = tinyModules.get(b64);
  if (m === undefined) {
    m = new WebAssembly.Module(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    tinyModules.set(b64, m);
  }
  return m;
}

/**
 * `fn` entered through `WebAssembly.promising`, via a tiny core module (base64) whose
 * `done` import sees the result: a call that finishes without suspending returns its
 * result synchronously, one that suspends returns a promise of it. Importing `fn`
 * checks its type (a `LinkError` if it is a core function of another). Without JSPI,
 * `fn` called through that module, synchronously.
 * @param {string} b64 @param {Function} fn
 */
export function jspiEntry(b64, fn) {
  /** The call running synchronously now: `{ done, value }`. @type {{ done: boolean, value: unknown } | null} */
  let slot = null;
  const inst = new WebAssembly.Instance(tinyModule(b64), {
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
  // Without JSPI, the module's `f` itself (its `done` passes the result through).
  if (!hasJspi) return /** @type {Function} */ (inst.exports.f);
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
