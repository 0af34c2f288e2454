// 🧵 Cooperative threads (CanonicalABI.md, the `thread.*` built-ins; Concurrency.md,
// "Threads"). A thread that `thread.new-indirect` makes belongs to the running task and
// starts suspended; it runs its start function (an element of a core table) on a stack
// of its own, entered through `WebAssembly.promising`. Suspending a thread suspends
// that stack through the built-in's JSPI switch (`jspiShim`); resuming it settles the
// promise the stack waits for, so it runs again from a microtask, before the scheduler
// resumes anything else (`wakeStack`). A thread that was never started starts at once,
// on a new stack nested on the switching one.
//
// Without JSPI, threads are made and run as long as none switches: a thread made
// ready by `thread.resume-later` runs to its end when the scheduler resumes it. The
// first built-in that would suspend a stack traps, naming JSPI.
import { addrNum } from './addr.js';
import { trap } from './trap.js';
import { sched, Thread, hasJspi, jspiFlag, jspiEntry, resume, unwait, waitYield, schedule, wakeStack, wakeDone, stackMoving } from './scheduler.js';
import { callAs, currentTask, settleRun, threadYield } from './task.js';

/**
 * The running thread, in a built-in of `inst`, which must be allowed to leave.
 * @param {import('./task.js').AsyncInstance} inst @returns {Thread}
 */
function runningThread(inst) {
  if (!inst.mayLeave) trap('cannot leave component instance');
  return /** @type {Thread} */ (sched.current ?? trap('no task is running'));
}

/**
 * Thread `i` of `inst`'s thread table (traps for an unknown index).
 * @param {import('./task.js').AsyncInstance} inst @param {number} i @returns {Thread}
 */
function threadAtIndex(inst, i) {
  const t = inst.threads.get(i);
  if (!(t instanceof Thread)) trap(`index ${i >>> 0} is not a thread`);
  return t;
}

/** `canon thread.index`. @param {import('./task.js').AsyncInstance} inst */
export function threadIndex(inst) {
  return runningThread(inst).index;
}

/**
 * `canon thread.new-indirect`: a suspended thread of the running task that will call
 * element `fi` of `table` with `c`. `b64` is the entry module (`jspi_entry` of
 * `(i32) -> ()`, or 🐘 `(i64) -> ()`), which also checks the element's type: importing it fails unless it
 * is a core function of exactly that type.
 * @param {import('./task.js').AsyncInstance} inst @param {string} b64
 * @param {WebAssembly.Table} table @param {number | bigint} fi @param {number | bigint} c
 */
export function threadNewIndirect(inst, b64, table, fi, c) {
  runningThread(inst);
  const task = currentTask();
  // A 64-bit table (🐘) takes and reports BigInt indices.
  const i = typeof fi === 'bigint' ? addrNum(fi) : fi >>> 0;
  const length = Number(table.length);
  /** @type {unknown} */
  let f = null;
  if (i < length) f = table.get(/** @type {any} */ (typeof fi === 'bigint' ? BigInt(i) : i));
  if (typeof f !== 'function') {
    trap(i < length ? `the thread start function at table index ${i} is null` : `thread start function index ${i} is out of bounds of the table (length ${length})`);
  }
  /** @type {(c: number) => unknown} */
  let entry;
  try {
    entry = /** @type {any} */ (jspiEntry(b64, /** @type {Function} */ (f)));
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) trap(`the thread start function at table index ${i} does not have the type (func (param ${typeof c === 'bigint' ? 'i64' : 'i32'}))`);
    throw e;
  }
  const t = new Thread(task);
  t.jspi = hasJspi;
  t.suspended = true;
  t.wake = () => threadStart(t, entry, c);
  task.register(t);
  return t.index;
}

/**
 * Runs a thread's start function; the thread exits when it returns.
 * @param {Thread} t @param {(c: number) => unknown} entry @param {number} c
 */
function threadStart(t, entry, c) {
  const task = t.task;
  const r = callAs(t, entry, [c]);
  if (!(r instanceof Promise)) {
    task.unregister(t);
    return;
  }
  // Its stack suspended: it exits when the promise of its entry settles.
  settleRun(t, r, () => task.unregister(t));
}

/**
 * Traps unless `t` runs on a stack that can suspend.
 * @param {Thread} t @param {string} what
 */
function needThreadStack(t, what) {
  if (t.jspi && jspiFlag.value === 1) return;
  trap(
    `${what} suspends the running thread, which needs JSPI (WebAssembly.Suspending and ` +
      `WebAssembly.promising)${hasJspi ? '; the thread was not entered through JSPI' : ', which this engine lacks'}`,
  );
}

/**
 * Suspends the running thread `t` (its stack suspends on the promise returned, which
 * `thread.resume-later` or a switch settles with 0), or, with `yielding`, leaves it
 * ready, to run again on a later turn of the event loop.
 * @param {Thread} t @param {boolean} yielding @returns {Promise<number>}
 */
function parkThread(t, yielding) {
  const p = new Promise((resolve) => {
    const wake = () => wakeStack(t, () => resolve(0));
    if (yielding) {
      waitYield(t, () => true, wake);
    } else {
      t.suspended = true;
      t.wake = wake;
    }
  });
  schedule();
  return /** @type {Promise<number>} */ (p);
}

/**
 * `canon thread.resume-later`: thread `i`, suspended, becomes ready.
 * @param {import('./task.js').AsyncInstance} inst @param {number} i
 */
export function threadResumeLater(inst, i) {
  runningThread(inst);
  const t = threadAtIndex(inst, i);
  if (!t.suspended) trap('cannot resume thread which is not suspended');
  t.suspended = false;
  // It runs on a later turn of the event loop, as a thread that yielded does: what the
  // running code does next (return to the host, which may call in again) comes first.
  waitYield(t, () => true, /** @type {() => void} */ (t.wake));
}

/** `canon thread.suspend`. @param {import('./task.js').AsyncInstance} inst */
export function threadSuspend(inst) {
  const t = runningThread(inst);
  needThreadStack(t, '`thread.suspend`');
  return parkThread(t, false);
}

/**
 * `canon thread.{suspend,yield}-then-{resume,promote}`: the running thread suspends
 * (or, `yielding`, stays ready) and thread `i` runs: it must be suspended (`resume`),
 * or, `promote`, it runs if it is ready and otherwise the running thread only
 * suspends or yields.
 * @param {import('./task.js').AsyncInstance} inst @param {boolean} yielding
 * @param {boolean} promote @param {number} i
 */
export function threadSwitch(inst, yielding, promote, i) {
  const t = runningThread(inst);
  const what = `\`thread.${yielding ? 'yield' : 'suspend'}-then-${promote ? 'promote' : 'resume'}\``;
  if (promote && i >>> 0 === t.index) trap('cannot resume thread which is not suspended');
  const other = threadAtIndex(inst, i);
  // `promote` of a thread that is not ready: the running thread only yields or suspends.
  const alone = promote && !(other.ready !== null && other.ready());
  if (alone && yielding) return threadYield(inst);
  if (!promote && !other.suspended) trap('cannot resume thread which is not suspended');
  needThreadStack(t, what);
  if (alone) return parkThread(t, false);
  // A ready thread that is promoted stops waiting: it is resumed as a suspended one.
  if (promote) unwait(other);
  const p = parkThread(t, yielding);
  resume(other);
  return goesOnAtOnce(t) ? 0 : p;
}

/**
 * Whether the running thread `t`, which has just switched to a thread that ran to where
 * it stopped without leaving this stack (it was started here, or is a callback task's),
 * goes on at once instead of suspending: one of the schedules the spec allows, and the
 * one that lets a synchronous call return its value directly. It does when that thread
 * switched back to it (its wake already ran), or when it only yielded, no stack is on
 * its way to run, and a synchronous call of its instance is in progress (which runs
 * only its instance's ready threads: this one may be the one it runs).
 * @param {Thread} t
 */
function goesOnAtOnce(t) {
  if (wakeDone(t)) return true;
  const scope = sched.scopes[sched.scopes.length - 1];
  if (t.ready === null || scope?.inst !== t.task.inst || stackMoving() || !t.ready() || !unwait(t)) return false;
  t.ready = null;
  t.wake = null;
  return true;
}
