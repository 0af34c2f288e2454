// Tasks and subtasks (CanonicalABI.md "Tasks", `canon lift`, `canon lower` and the
// task built-ins). Generated code describes each lifted function once (`Lift`) and
// supplies, per call, `onStart` (returns the callee's flat arguments: lowered from JS
// values, or copied from the caller's memory by a fused adapter) and `onResolve`
// (receives the callee's flat results, or `null` when the call was cancelled).
import { trap, trapPoisoned, boundaryError, Trap } from './trap.js';
import { HandleTable } from './handles.js';
import { borrowsRemain, releaseLends } from './resources.js';
import { sched, Thread, asThread, waitUntil, waitYield, schedule, unwait, resume, blockOn, fail, report, hasJspi, setCurrent, release, jspiEntry, jspiFlag, afterRelease, inScope, endResolvedScopes, nextTurn } from './scheduler.js';
import { Waitable, WaitableSet } from './waitable.js';

/** The concurrency state of a component instance (`class ComponentInstance`). */
export class AsyncInstance {
  /**
   * @param {HandleTable | import('./handles.js').CoreHandleTable} handles the instance's handle table (shared with resources; a lowered module's, `--lowered`)
   * @param {() => void} poison marks the instance as trapped
   * @param {number} [flags] CANCELS_IN_SET (made by wit-bindgen-rust < 0.59: a
   *   synchronous cancel of an end in a waitable set takes it out of the set instead of
   *   trapping) | LOWERS_BACKPRESSURE (a call may lower its backpressure: its code
   *   has `backpressure.dec`, and a function whose type is not `async` can enter it)
   * @param {WebAssembly.Global | null} [mayLeaveFlag] a lowered module's `may-leave`
   *   global (`--lowered`), cleared with `mayLeave`: its `resource.new`/`.drop` check it
   */
  constructor(handles, poison, flags = 0, mayLeaveFlag = null) {
    this.handles = handles;
    /** It trapped: nothing of it runs again. */
    this.dead = false;
    // The instances of one component (one instantiation: they share its `poison`)
    // trap together.
    let group = componentOf.get(poison);
    if (group === undefined) {
      group = [];
      componentOf.set(poison, group);
    }
    group.push(this);
    /** The component's instances. @type {AsyncInstance[]} */
    this.component = group;
    /** Marks the component as trapped (its calls then fail to enter); once only. */
    this.poison = () => {
      if (this.dead) return;
      poison();
      const gone = new Trap('the component instance at the other end trapped');
      for (const inst of /** @type {AsyncInstance[]} */ (group)) inst.die(gone);
      // Its other pending calls can never finish: they fail, once the trapping call
      // has got its own error (on the next turn: a trap on a JSPI stack reaches its
      // call through promise reactions).
      nextTurn(() => failComponent(/** @type {AsyncInstance[]} */ (group)));
      schedule();
    };
    this.cancelsInSet = (flags & 1) !== 0;
    this.lowersBackpressure = (flags & 2) !== 0;
    this.threads = new HandleTable();
    this.mayLeave = true;
    this.mayLeaveFlag = mayLeaveFlag;
    /** The backpressure counter when the instance's table is JS's (`backpressure`). */
    this.ownBackpressure = 0;
    this.waitingToEnter = 0;
    /** @type {Thread | null} */
    this.exclusive = null;
  }

  /**
   * The backpressure counter (no task enters while it is above 0): a lowered module's,
   * which `backpressure.inc`/`.dec` move in wasm, when its table is the module's.
   * @returns {number}
   */
  get backpressure() {
    const handles = /** @type {any} */ (this.handles);
    return typeof handles.backpressure === 'function' ? handles.backpressure() : this.ownBackpressure;
  }

  /**
   * Its component trapped with `e` outside any caller's stack: the component's waiting
   * calls fail with `e` (it is reported when none waits), and it is poisoned. Other
   * instantiations sharing this runtime go on.
   * @param {unknown} e
   */
  trapped(e) {
    if (failComponent(this.component, e) === 0) report(e);
    this.poison();
  }

  /**
   * Its component trapped: what it held is let go. Calls waiting for its lock fail to
   * enter instead of waiting forever, and the other ends of its streams and futures
   * (a host's ReadableStream or Promise, another component's end) see it dropped.
   * @param {unknown} gone what the other ends are told
   */
  die(gone) {
    this.dead = true;
    this.exclusive = null;
    for (const e of this.handles.array) {
      if (e !== null && typeof (/** @type {any} */ (e).abandon) === 'function') /** @type {any} */ (e).abandon(gone);
    }
  }
}

/** The instances of each component, by its `poison` function. @type {WeakMap<Function, AsyncInstance[]>} */
const componentOf = new WeakMap();

/**
 * Fails the pending calls of a component that trapped, and drops its waiting threads
 * (their stacks, if suspended, never resume). Other components (another
 * `instantiate()`, sharing this runtime) go on.
 * @param {AsyncInstance[]} component
 */
function failComponent(component, e = new Trap('the component trapped while this call was pending')) {
  let failed = 0;
  for (const root of [...sched.roots]) {
    if (/** @type {any} */ (root).component === component) {
      sched.roots.delete(root);
      root(e);
      failed++;
    }
  }
  const w = sched.waiting;
  for (let i = w.length - 1; i >= 0; i--) {
    const t = w[i];
    if (t.task?.inst?.component === component) {
      w.splice(i, 1);
      t.ready = null;
      t.wake = null;
      sched.inflight.delete(t);
    }
  }
  // Its synchronous calls in progress are over.
  sched.scopes = sched.scopes.filter((s) => s.inst.component !== component);
  schedule();
  return failed;
}

/** How a function is lifted. */
export const LIFT_SYNC = 0;
export const LIFT_CALLBACK = 1;
export const LIFT_STACKFUL = 2;

/** A lifted function: what every call of it shares. */
export class Lift {
  /**
   * @param {AsyncInstance} inst the callee instance
   * @param {boolean} isAsync the function type is `async`
   * @param {number} mode LIFT_SYNC, LIFT_CALLBACK or LIFT_STACKFUL
   * @param {Function} callee the core function
   * @param {Function | null} callback the `callback` option
   * @param {Function | null} post the `post-return` option
   * @param {string} key result type and lift options, compared by `task.return`
   * @param {[string, string | null] | null} entries JSPI entry modules (base64) for the
   *   callee and the callback, when the instance has built-ins that may block a stack
   */
  constructor(inst, isAsync, mode, callee, callback, post, key, entries) {
    this.inst = inst;
    this.isAsync = isAsync;
    this.mode = mode;
    this.key = key;
    this.jspi = entries !== null && hasJspi;
    this.callee = this.jspi ? jspiEntry(/** @type {any} */ (entries)[0], callee) : callee;
    this.callback =
      callback !== null && this.jspi ? jspiEntry(/** @type {any} */ (entries)[1], callback) : callback;
    this.post = post;
  }
}

const INITIAL = 1;
const STARTED = 2;
const PENDING_CANCEL = 3;
const CANCEL_DELIVERED = 4;
const RESOLVED = 5;

/** A call of a lifted function (`class Task`). */
export class Task {
  /**
   * @param {Lift} lift @param {() => unknown[]} onStart
   * @param {(flat: unknown[] | null) => void} onResolve
   * @param {import('./resources.js').CallContext | null} cx borrow scope of the call
   */
  constructor(lift, onStart, onResolve, cx) {
    this.lift = lift;
    this.inst = lift.inst;
    this.onStart = onStart;
    this.onResolve = onResolve;
    this.cx = cx;
    this.state = INITIAL;
    this.thread = new Thread(this);
    this.thread.jspi = lift.jspi;
    /** Its threads that have not exited: the implicit one and those it made (🧵). */
    this.live = 0;
  }

  resolved() {
    return this.state === RESOLVED;
  }

  needsExclusive() {
    return this.lift.mode !== LIFT_STACKFUL;
  }

  hasPendingCancel() {
    return this.state === PENDING_CANCEL;
  }

  deliverPendingCancel() {
    if (this.state === PENDING_CANCEL) {
      this.state = CANCEL_DELIVERED;
      return true;
    }
    return false;
  }

  /** `Task.return_`: delivers the callee's flat results. @param {unknown[]} flat */
  return_(flat) {
    if (this.state === RESOLVED) trap('the task already returned a result or was cancelled');
    if (this.cx !== null && borrowsRemain(this.cx)) trap('borrow handles still remain at the end of the call');
    this.state = RESOLVED;
    this.onResolve(flat);
  }

  /** `Task.cancel`. */
  cancel() {
    if (this.state !== CANCEL_DELIVERED) trap('`task.cancel` called but cancellation was not requested');
    if (this.cx !== null && borrowsRemain(this.cx)) trap('borrow handles still remain at the end of the call');
    this.state = RESOLVED;
    this.onResolve(null);
  }

  /**
   * `Task.request_cancellation`. Returns a JSPI thread it resumed (which runs later,
   * from a microtask), or null.
   * @returns {Thread | null}
   */
  requestCancellation() {
    if (this.state === INITIAL) {
      this.state = PENDING_CANCEL;
      // Still waiting to enter the instance: resume it, to find the cancellation.
      if (unwait(this.thread)) resume(this.thread);
    } else if (this.state === STARTED) {
      this.state = PENDING_CANCEL;
      // Give the callee's instance one chance to run now (the spec resumes one ready
      // thread of the instance before returning), so a task that is waiting can see
      // the cancellation and resolve eagerly.
      const inst = this.inst;
      const t = sched.waiting.find((w) => w.task.inst === inst && /** @type {() => boolean} */ (w.ready)());
      schedule();
      if (t !== undefined && unwait(t)) {
        resume(t);
        // A suspended JSPI stack resumes from a microtask: report it, so the caller
        // can wait for it to run.
        if (t.resumePending) return t;
      }
    }
    return null;
  }

  /** `exit_implicit_thread`. */
  exit() {
    const inst = this.inst;
    this.unregister(this.thread);
    if (this.lift.isAsync && this.needsExclusive() && inst.exclusive === this.thread) {
      inst.exclusive = null;
      schedule();
    }
  }

  /**
   * `register_thread`: `thread` (of this task) gets its index in the instance's table.
   * @param {Thread} thread
   */
  register(thread) {
    this.live++;
    thread.index = this.inst.threads.add(thread);
  }

  /**
   * `unregister_thread`: `thread` exited; the last of the task's threads to exit must
   * find the task resolved.
   * @param {Thread} thread
   */
  unregister(thread) {
    if (thread.index !== 0) this.inst.threads.remove(thread.index);
    thread.index = 0;
    if (--this.live === 0 && this.state !== RESOLVED) {
      trapIn(this.inst, 'the task returned without a result: `task.return` was not called');
    }
  }
}

/**
 * A trap the runtime raises for what an instance's code did outside a core call (its
 * return code, its task's exit): the instance is poisoned as by a trap in its code.
 * @param {AsyncInstance} inst @param {string} message @returns {never}
 */
export function trapIn(inst, message) {
  inst.poison();
  return trap(message);
}

/**
 * Calls core code as `thread`; a throw poisons the instance, and a core exception
 * becomes a Trap (`boundaryError`).
 * @param {Thread} thread @param {Function} f @param {unknown[]} args
 */
export function callAs(thread, f, args) {
  const prev = sched.current;
  setCurrent(thread);
  sched.depth++;
  thread.active++;
  let r;
  try {
    r = f(...args);
  } catch (e) {
    thread.deferred = null;
    thread.task.inst.poison();
    throw boundaryError(e);
  } finally {
    thread.active--;
    sched.depth--;
    setCurrent(prev);
  }
  // A JSPI entry's run goes on until its promise settles (`settleRun`).
  if (thread.active === 0 && !(r instanceof Promise)) runDeferred(thread);
  return r;
}

/**
 * Runs what waited for the end of `thread`'s core run (`deferToRunEnd`).
 * @param {Thread} thread
 */
function runDeferred(thread) {
  const d = thread.deferred;
  if (d !== null) {
    thread.deferred = null;
    d();
  }
}

/**
 * Runs `f` once the current thread's core run ends without a trap (at once outside
 * one). A host's call learns its result this way: a trap later in the same run (after
 * `task.return`) rejects the call instead of being lost after it resolved.
 * @param {() => void} f
 */
function deferToRunEnd(f) {
  const t = sched.current;
  if (t !== null && (t.active > 0 || sched.inflight.has(t))) {
    const before = t.deferred;
    t.deferred = before === null ? f : () => { before(); f(); };
  } else {
    f();
  }
}

/**
 * `canon lift`: starts a call of `lift`; returns the cancellation request function.
 * For a function whose type is not `async`, the call has resolved when this returns.
 * @param {Lift} lift @param {() => unknown[]} onStart
 * @param {(flat: unknown[] | null) => void} onResolve
 * @param {import('./resources.js').CallContext | null} cx
 * @returns {() => void}
 */
export function canonLift(lift, onStart, onResolve, cx) {
  const task = new Task(lift, onStart, onResolve, cx);
  if (lift.isAsync) {
    enter(task);
    return () => task.requestCancellation();
  }
  // A function whose type is not `async`: while the call is in progress, only its
  // instance's threads run (`sched.scopes`). Its stack may have suspended (JSPI: it
  // switched threads or waits for one): the scheduler then runs those threads until
  // it resolves, and traps if none can run.
  const scope = { inst: lift.inst, task };
  sched.scopes.push(scope);
  try {
    enter(task);
  } catch (e) {
    dropScope(scope);
    throw e;
  }
  if (task.state === RESOLVED) dropScope(scope);
  else schedule();
  return () => task.requestCancellation();
}

/** Ends a synchronous call's scope (and any inside it). @param {import('./scheduler.js').SyncScope} scope */
function dropScope(scope) {
  const i = sched.scopes.lastIndexOf(scope);
  if (i >= 0) sched.scopes.length = i;
  endResolvedScopes();
}

/** `enter_implicit_thread`, then the body. @param {Task} task */
function enter(task) {
  const inst = task.inst;
  if (task.lift.isAsync) {
    const excl = task.needsExclusive();
    const blocked = () => inst.backpressure > 0 || (excl && inst.exclusive !== null);
    if (blocked() || inst.waitingToEnter > 0) {
      inst.waitingToEnter++;
      task.thread.entering = true;
      waitUntil(task.thread, () => !blocked() || inst.dead, () => {
        task.thread.entering = false;
        inst.waitingToEnter--;
        if (inst.dead) trapPoisoned();
        if (task.deliverPendingCancel()) {
          task.cancel();
          return;
        }
        body(task);
      });
      return;
    }
  }
  body(task);
}

/** The task's work from `task.start()` on. @param {Task} task */
function body(task) {
  const { inst, lift, thread } = task;
  if (lift.isAsync && task.needsExclusive()) inst.exclusive = thread;
  task.register(thread);
  task.state = STARTED;
  let flat;
  // The arguments are lowered in the new task (`realloc` may use its context slots).
  try {
    flat = asThread(thread, () => task.onStart());
  } catch (e) {
    // The caller's values could not be lowered (a TypeError from JS): the call never
    // ran; release what entering took.
    inst.threads.remove(thread.index);
    thread.index = 0;
    task.live = 0;
    if (inst.exclusive === thread) inst.exclusive = null;
    task.state = RESOLVED;
    schedule();
    throw e;
  }
  switch (lift.mode) {
    case LIFT_SYNC: {
      /** @param {unknown} r */
      const finish = (r) => {
        const results = r === undefined ? [] : [r];
        task.return_(results);
        if (lift.post !== null) {
          inst.mayLeave = false;
          if (inst.mayLeaveFlag !== null) inst.mayLeaveFlag.value = 0;
          try {
            callAs(thread, lift.post, results);
          } finally {
            inst.mayLeave = true;
            if (inst.mayLeaveFlag !== null) inst.mayLeaveFlag.value = 1;
          }
        }
        task.exit();
      };
      const r = callAs(thread, lift.callee, flat);
      if (r instanceof Promise) settleRun(thread, r, finish);
      else finish(r);
      return;
    }
    case LIFT_STACKFUL: {
      const r = callAs(thread, lift.callee, flat);
      if (r instanceof Promise) settleRun(thread, r, () => task.exit());
      else task.exit();
      return;
    }
    default:
      afterCallback(task, callAs(thread, lift.callee, flat));
  }
}

/**
 * Goes on with `then` when the promise `p` of a JSPI entry's call on `thread` settles
 * (its core code returned), or traps the thread's instance when it rejects.
 * @param {Thread} thread @param {Promise<unknown>} p @param {(v: unknown) => void} then
 */
export function settleRun(thread, p, then) {
  const task = thread.task;
  sched.inflight.add(thread);
  p.then(
    (v) => {
      sched.inflight.delete(thread);
      release(thread);
      try {
        runDeferred(thread);
        then(v);
      } catch (e) {
        task.inst.trapped(e);
      }
      schedule();
    },
    (e) => {
      sched.inflight.delete(thread);
      release(thread);
      thread.deferred = null;
      task.inst.trapped(boundaryError(e));
    },
  );
}

const EVENT_NONE = 0;
const EVENT_TASK_CANCELLED = 6;

/**
 * Continues the callback loop of `canon lift` after the core code returned `packed`
 * (or a promise of it, for JSPI entries).
 * @param {Task} task @param {unknown} packed
 */
function afterCallback(task, packed) {
  if (packed instanceof Promise) {
    settleRun(task.thread, packed, (p) => afterCallback(task, p));
    return;
  }
  const { inst, lift, thread } = task;
  let p = /** @type {number} */ (packed);
  for (;;) {
    const code = p & 0xf;
    const si = p >>> 4;
    if (code > 2) trapIn(inst, `the callback returned an unknown code ${code}`);
    if (code === 0) {
      task.exit();
      return;
    }
    /** @type {[number, number, number]} */
    let event;
    if (task.deliverPendingCancel()) {
      event = [EVENT_TASK_CANCELLED, 0, 0];
    } else {
      inst.exclusive = null;
      if (code === 1) {
        // YIELD: other threads, and the host's event loop, run first.
        waitYield(thread, () => inst.exclusive === null, () => {
          const ev = task.deliverPendingCancel() ? EVENT_TASK_CANCELLED : EVENT_NONE;
          inst.exclusive = thread;
          afterCallback(task, callAs(thread, /** @type {Function} */ (lift.callback), [ev, 0, 0]));
        });
        return;
      }
      // WAIT
      const wset = inst.handles.get(si);
      if (!(wset instanceof WaitableSet)) trapIn(inst, `index ${si} is not a waitable set`);
      wset.wait(1);
      waitUntil(
        thread,
        () => inst.exclusive === null && (wset.hasPendingEvent() || task.hasPendingCancel()),
        () => {
          wset.wait(-1);
          const ev = task.deliverPendingCancel() ? [EVENT_TASK_CANCELLED, 0, 0] : wset.getPendingEvent();
          inst.exclusive = thread;
          afterCallback(task, callAs(thread, /** @type {Function} */ (lift.callback), ev));
        },
      );
      return;
    }
    p = callAs(thread, /** @type {Function} */ (lift.callback), event);
    if (/** @type {unknown} */ (p) instanceof Promise) {
      afterCallback(task, p);
      return;
    }
  }
}

// Subtasks.

const STARTING = 0;
const SUB_STARTED = 1;
const RETURNED = 2;
const CANCELLED_BEFORE_STARTED = 3;
const CANCELLED_BEFORE_RETURNED = 4;
const EVENT_SUBTASK = 1;

/** A call made by a task (`class Subtask`). */
export class Subtask extends Waitable {
  constructor() {
    super();
    this.state = STARTING;
    /** @type {(() => void) | null} */
    this.onCancel = null;
    /** @type {import('./resources.js').CallContext | null} */
    this.cx = null;
    this.delivered = false;
    this.cancellationRequested = false;
    /** @type {unknown} */
    this.result = undefined;
    /** The waitable's index in its instance's table, once it has one. */
    this.index = 0;
  }

  resolved() {
    return this.state >= RETURNED;
  }

  /** `deliver_resolve`: releases the handles lent to the call. */
  deliverResolve() {
    this.delivered = true;
    if (this.cx !== null) releaseLends(this.cx);
  }
}

/**
 * A function instance of the spec: `(onStart, onResolve) => onCancel`.
 * @typedef {(onStart: () => unknown[], onResolve: (r: unknown[] | null) => void, caller?: AsyncInstance) => () => unknown} FuncInst
 */

/**
 * Shared by both lowers: makes the subtask and starts the call.
 * @param {AsyncInstance} inst @param {FuncInst} callee
 * @param {() => unknown[]} onStart @param {(r: unknown) => unknown} onResolve
 * @param {import('./resources.js').CallContext | null} cx
 */
function startSubtask(inst, callee, onStart, onResolve, cx) {
  if (!inst.mayLeave) trap('cannot leave component instance');
  const sub = new Subtask();
  sub.cx = cx;
  // The result is lowered into the caller, in the caller's task, whichever code the
  // callee resolves from.
  const caller = sched.current;
  /** @type {() => void} */
  let progress = () => {};
  sub.onCancel = callee(
    () => {
      progress();
      sub.state = SUB_STARTED;
      return onStart();
    },
    (r) => {
      progress();
      if (r === null) {
        sub.state = sub.state === STARTING ? CANCELLED_BEFORE_STARTED : CANCELLED_BEFORE_RETURNED;
      } else {
        sub.result = asThread(caller, () => onResolve(r));
        sub.state = RETURNED;
      }
    },
    inst,
  );
  return { sub, setProgress: (/** @type {() => void} */ f) => { progress = f; } };
}

/**
 * `canon lower` with the `async` option: returns the packed status.
 * @param {AsyncInstance} inst the caller @param {FuncInst} callee
 * @param {() => unknown[]} onStart @param {(r: unknown) => unknown} onResolve
 * @param {import('./resources.js').CallContext | null} cx
 * @returns {number}
 */
export function canonLowerAsync(inst, callee, onStart, onResolve, cx) {
  const { sub, setProgress } = startSubtask(inst, callee, onStart, onResolve, cx);
  if (sub.resolved()) {
    sub.deliverResolve();
    return RETURNED;
  }
  const i = inst.handles.add(sub);
  sub.index = i;
  setProgress(() => {
    sub.setPendingEvent(() => {
      if (sub.resolved()) sub.deliverResolve();
      return [EVENT_SUBTASK, i, sub.state];
    });
  });
  return sub.state | (i << 4);
}

/**
 * `canon lower` without `async`: waits for the result (blocking this thread) and
 * returns what `onResolve` produced (the core result, if any).
 * @param {AsyncInstance} inst @param {FuncInst} callee
 * @param {() => unknown[]} onStart @param {(r: unknown) => unknown} onResolve
 * @param {import('./resources.js').CallContext | null} cx
 * @param {string} name the callee, for messages
 */
export function canonLowerSync(inst, callee, onStart, onResolve, cx, name) {
  const { sub } = startSubtask(inst, callee, onStart, onResolve, cx);
  const finish = () => {
    sub.deliverResolve();
    return sub.result;
  };
  if (sub.resolved()) return finish();
  const r = blockOn(() => sub.resolved(), `the synchronous call of \`${name}\``);
  if (r === undefined) return finish();
  return r.then(finish);
}

/**
 * A host function as a FuncInst: `call(args)` returns the result or a promise of it.
 * With `resultKey` (the function returns a `result`), a value becomes `ok` and what it
 * throws or rejects with becomes `err` through `errPayloadOf` (`errPayload`, or jco's
 * rule), which rethrows what is not an error payload; `okOf` (jco's `jcoResult`) may
 * take a returned value for the whole result instead.
 * @param {(args: unknown[]) => unknown} call @param {string} [resultKey]
 * @param {(e: unknown) => unknown} [errPayloadOf] @param {(v: unknown) => unknown} [okOf]
 * @returns {FuncInst}
 */
export function hostFunc(call, resultKey, errPayloadOf, okOf) {
  /** @param {unknown} v */
  const ok = (v) => (resultKey === undefined ? v : okOf !== undefined ? okOf(v) : { tag: 'ok', [resultKey]: v });
  /** @param {unknown} e */
  const err = (e) => {
    if (resultKey === undefined || errPayloadOf === undefined) throw e;
    return { tag: 'err', [resultKey]: errPayloadOf(e) };
  };
  return (onStart, onResolve, caller) => {
    let r;
    try {
      r = call(onStart());
    } catch (e) {
      onResolve([err(e)]);
      return () => {};
    }
    if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof (/** @type {any} */ (r).then) === 'function') {
      sched.hostPending++;
      let settled = false;
      Promise.resolve(r).then(ok, err).then(
        (v) => {
          if (settled) return;
          settled = true;
          sched.hostPending--;
          try {
            onResolve([v]);
          } catch (e) {
            // Lowering the result failed (a value of the wrong type, a trap in
            // realloc): the calling instance stopped mid-call.
            if (caller) caller.trapped(e);
            else fail(e);
          }
          schedule();
        },
        (e) => {
          if (settled) return;
          settled = true;
          sched.hostPending--;
          // The host failed the call without a result the guest can see: a trap
          // in the calling instance.
          if (caller) caller.trapped(e);
          else fail(e);
        },
      );
      // Cancelling a host call resolves it at once (CANCELLED_BEFORE_RETURNED); the
      // promise's eventual outcome is ignored.
      return () => {
        if (settled) return;
        settled = true;
        sched.hostPending--;
        onResolve(null);
        schedule();
      };
    }
    onResolve([ok(r)]);
    return () => {};
  };
}

/**
 * Calls a lifted function from the host: resolves with what `onResolve` makes of the
 * callee's flat results. A function whose type is `async` returns a promise; any other
 * returns its value. `options.signal` (an `AbortSignal`) requests cancellation of an
 * async call; a call cancelled before it returned rejects with the signal's reason.
 * @param {Lift} lift @param {() => unknown[]} onStart
 * @param {(flat: unknown[]) => unknown} onResolve
 * @param {import('./resources.js').CallContext | null} cx
 * @param {{ signal?: AbortSignal } | undefined} [options]
 */
export function hostInvoke(lift, onStart, onResolve, cx, options) {
  if (!lift.isAsync) return hostInvokeSync(lift, onStart, onResolve, cx);
  const signal = /** @type {AbortSignal | undefined} */ (options?.signal);
  return new Promise((resolve, reject) => {
    /** @param {unknown} e */
    const root = (e) => reject(e);
    /** @type {any} */ (root).component = lift.inst.component;
    sched.roots.add(root);
    try {
      const cancel = canonLift(
        lift,
        onStart,
        (flat) => {
          if (cx !== null) releaseLends(cx);
          if (flat === null) {
            // Cancelled before it returned a value.
            sched.roots.delete(root);
            reject(signal?.reason ?? new Error('the call was cancelled'));
            return;
          }
          // The values are lifted now, while the callee's memory holds them; the call
          // resolves once the callee's run ends: a trap after `task.return` in that
          // run rejects it instead (through the root, registered till then).
          /** @type {() => void} */
          let deliver;
          try {
            const value = onResolve(flat);
            // A future an `async` function returns is its value; a function entered
            // through JSPI whose type is not `async` gives one promise for all
            // (jco's rule: its future is awaited as part of it).
            deliver = lift.mode === LIFT_SYNC ? () => resolve(value) : () => resolveAsValue(resolve, value);
          } catch (e) {
            deliver = () => reject(e);
          }
          deferToRunEnd(() => {
            sched.roots.delete(root);
            deliver();
          });
        },
        cx,
      );
      if (signal !== undefined) {
        if (signal.aborted) cancel();
        // The callee may run (and trap) when it learns of the cancellation: a trap
        // there fails the waiting calls instead of escaping from the event listener.
        else signal.addEventListener('abort', () => {
          try {
            cancel();
          } catch (e) {
            lift.inst.trapped(e);
          }
        }, { once: true });
      }
    } catch (e) {
      sched.roots.delete(root);
      reject(e);
    }
    schedule();
  });
}

/**
 * `hostInvoke` of a function whose type is not `async`: its value, or, when its
 * stack suspended (🧵 it switched threads, with JSPI), a promise of it.
 * @param {Lift} lift @param {() => unknown[]} onStart
 * @param {(flat: unknown[]) => unknown} onResolve
 * @param {import('./resources.js').CallContext | null} cx
 */
function hostInvokeSync(lift, onStart, onResolve, cx) {
  /** @type {{ value: unknown, error: unknown, failed: boolean } | null} */
  let done = null;
  /** @type {((r: { value: unknown, error: unknown, failed: boolean }) => void) | null} */
  let later = null;
  canonLift(lift, onStart, (flat) => {
    if (cx !== null) releaseLends(cx);
    // Lifted now, while the callee's memory holds the values (before `post-return`).
    /** @type {{ value: unknown, error: unknown, failed: boolean }} */
    let r;
    try {
      r = { value: onResolve(/** @type {unknown[]} */ (flat)), error: undefined, failed: false };
    } catch (e) {
      if (later === null) throw e;
      r = { value: undefined, error: e, failed: true };
    }
    if (later === null) done = r;
    else {
      const deliver = later;
      deferToRunEnd(() => deliver(r));
    }
  }, cx);
  if (done !== null) return /** @type {{ value: unknown }} */ (done).value;
  return new Promise((resolve, reject) => {
    /** @param {unknown} e */
    const root = (e) => reject(e);
    /** @type {any} */ (root).component = lift.inst.component;
    sched.roots.add(root);
    later = (r) => {
      sched.roots.delete(root);
      if (r.failed) reject(r.error);
      else resolve(r.value);
    };
  });
}

/** The running task. */
export function currentTask() {
  const t = sched.current;
  if (t === null) trap('no task is running');
  return t.task;
}

/**
 * The method by which a thenable weft made for a value (`--compat jco`'s futures,
 * `jco.js`) resolves a promise with itself: it hides its `then` meanwhile, which a
 * plain `resolve(v)` would call, awaiting the future instead of handing it over.
 */
export const AS_VALUE = Symbol('weft.asValue');

/**
 * Resolves a promise with `value` itself, even when it is such a thenable.
 * @param {(v: unknown) => void} resolve @param {unknown} value
 */
function resolveAsValue(resolve, value) {
  const asValue = /** @type {any} */ (value)?.[AS_VALUE];
  if (typeof asValue === 'function') asValue.call(value, resolve);
  else resolve(value);
}

/**
 * `canon task.return`.
 * @param {AsyncInstance} inst @param {string} key result type and options
 * @param {unknown[]} flat
 */
export function taskReturn(inst, key, flat) {
  const task = currentTask();
  if (!inst.mayLeave) trap('cannot leave component instance');
  if (task.lift.mode === LIFT_SYNC) trap('`task.return` called by a synchronously lifted function');
  if (task.lift.key !== key) trap(`\`task.return\` result type or options do not match the function being lifted (${key} vs ${task.lift.key})`);
  task.return_(flat);
}

/** `canon task.cancel`. @param {AsyncInstance} inst */
export function taskCancel(inst) {
  const task = currentTask();
  if (!inst.mayLeave) trap('cannot leave component instance');
  if (task.lift.mode === LIFT_SYNC) trap('`task.cancel` called by a synchronously lifted function');
  task.cancel();
}

/** `canon context.get`. @param {number} i */
export function contextGet(i) {
  return /** @type {import('./scheduler.js').Thread} */ (sched.current ?? trap('no task is running')).storage[i];
}

/**
 * `canon context.get i64` (🐘): the slot as a BigInt (a slot never set holds the Number
 * 0; the component's slots are all `i64` or all `i32`).
 * @param {number} i @returns {bigint}
 */
export function contextGetWide(i) {
  return BigInt(contextGet(i));
}

/** `canon context.set`. @param {number} i @param {number | bigint} v */
export function contextSet(i, v) {
  /** @type {import('./scheduler.js').Thread} */ (sched.current ?? trap('no task is running')).storage[i] = v;
}

/** `canon backpressure.inc`. @param {AsyncInstance} inst */
export function backpressureInc(inst) {
  if (inst.ownBackpressure === 0xffff) trap('backpressure counter overflow');
  inst.ownBackpressure++;
}

/** `canon backpressure.dec`. @param {AsyncInstance} inst */
export function backpressureDec(inst) {
  if (inst.ownBackpressure === 0) trap('backpressure counter underflow');
  inst.ownBackpressure--;
  if (inst.ownBackpressure === 0) schedule();
}

/** `canon thread.yield`: lets other ready threads run. @param {AsyncInstance} inst */
export function threadYield(inst) {
  if (!inst.mayLeave) trap('cannot leave component instance');
  const t = /** @type {Thread} */ (sched.current);
  if (t.jspi && jspiFlag.value === 1) {
    let yielded = false;
    const r = blockOn(() => yielded, 'thread.yield', true);
    yielded = true;
    schedule();
    return r === undefined ? 0 : r.then(() => 0);
  }
  // Run the threads that are ready now, once each, on this stack.
  const ready = sched.waiting.filter((o) => o !== t && inScope(o) && /** @type {() => boolean} */ (o.ready)());
  for (const o of ready) {
    if (unwait(o)) resume(o);
  }
  return 0;
}

/**
 * `canon subtask.cancel`.
 * @param {AsyncInstance} inst @param {boolean} isAsync @param {number} i
 */
export function subtaskCancel(inst, isAsync, i) {
  if (!inst.mayLeave) trap('cannot leave component instance');
  const sub = inst.handles.get(i);
  if (!(sub instanceof Subtask)) trap(`index ${i} is not a subtask`);
  if (sub.delivered) trap('the subtask has already resolved and delivered its result');
  if (sub.cancellationRequested) trap('cancellation of this subtask was already requested');
  if (sub.inSet()) trap('cannot cancel a subtask that is in a waitable set');
  const finish = () => {
    sub.setSyncWaiter(false);
    if (!sub.resolved()) return 0xffffffff | 0;
    sub.getPendingEvent();
    return sub.state;
  };
  if (!sub.resolved()) {
    sub.cancellationRequested = true;
    sub.setSyncWaiter(true);
    const resumed = /** @type {() => Thread | null | void} */ (sub.onCancel)();
    const me = /** @type {Thread} */ (sched.current);
    if (resumed && me.jspi && jspiFlag.value === 1 && !sub.resolved()) {
      // The callee's instance resumed a suspended stack: let it run before answering,
      // as the spec runs it before `subtask.cancel` returns.
      return afterRelease(resumed).then(() => {
        if (!isAsync && !sub.resolved()) {
          const r = blockOn(() => sub.resolved(), 'subtask.cancel');
          if (r !== undefined) return r.then(finish);
        }
        return finish();
      });
    }
    if (!isAsync && !sub.resolved()) {
      const r = blockOn(() => sub.resolved(), 'subtask.cancel');
      if (r !== undefined) return r.then(finish);
    }
  }
  return finish();
}

/** `canon subtask.drop`. @param {AsyncInstance} inst @param {number} i */
export function subtaskDrop(inst, i) {
  if (!inst.mayLeave) trap('cannot leave component instance');
  const sub = inst.handles.get(i);
  if (!(sub instanceof Subtask)) trap(`index ${i} is not a subtask`);
  if (!sub.delivered) trap('cannot drop a subtask that has not resolved');
  inst.handles.remove(i);
  sub.drop();
}
