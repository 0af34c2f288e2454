// The scheduler (scheduler.js): waiting threads and the microtask tick that resumes
// them, blockOn (nested scheduling on a synchronous stack), deadlock detection, how a
// trap outside any caller's stack fails the calls still waiting, and how ticks
// interleave with host promises and timers.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { sched, Thread, waitUntil, schedule, unwait, blockOn, hasJspi } from '../scheduler.js';
import { canonLowerSync, hostFunc } from '../task.js';
import {
  Guest,
  U8,
  EV,
  SUB,
  COPY,
  BLOCKED,
  YIELD,
  WAIT,
  copied,
  assertTrap,
  assertRejectsTrap,
  assertSchedulerIdle,
  deferred,
  settle,
  sleep,
} from './async-helpers.js';

afterEach(assertSchedulerIdle);

const DEADLOCK = 'deadlock detected: event loop cannot make further progress';

/** A thread of no task, for the scheduler alone. */
const thread = () => new Thread(null);

test('schedule() queues one tick, in a microtask, however often it is called', async () => {
  let checks = 0;
  const t = thread();
  waitUntil(t, () => (checks++, false), () => assert.fail('never ready'));
  schedule();
  schedule();
  assert.equal(sched.queued, true);
  assert.equal(checks, 0);
  await settle();
  assert.equal(checks, 1);
  assert.equal(sched.queued, false);
  assert.equal(unwait(t), true);
});

test('ready threads resume oldest first, each as the current thread; then none is current', async () => {
  /** @type {string[]} */
  const log = [];
  const threads = ['a', 'b', 'c'].map((name) => {
    const t = thread();
    waitUntil(t, () => true, () => {
      assert.equal(sched.current, t);
      log.push(name);
    });
    return t;
  });
  assert.equal(sched.waiting.length, 3);
  await settle();
  assert.deepEqual(log, ['a', 'b', 'c']);
  assert.equal(sched.current, null);
  assert.ok(threads.every((t) => t.ready === null && t.wake === null));
});

test('a thread waits until its condition holds; the tick after that resumes it', async () => {
  let go = false;
  let woke = 0;
  waitUntil(thread(), () => go, () => woke++);
  await settle();
  assert.equal(woke, 0);
  go = true;
  schedule();
  await settle();
  assert.equal(woke, 1);
});

test('a tick goes on with threads that the threads it resumed made ready', async () => {
  /** @type {string[]} */
  const log = [];
  let flag = false;
  waitUntil(thread(), () => flag, () => log.push('second'));
  waitUntil(thread(), () => true, () => {
    log.push('first');
    flag = true;
  });
  void Promise.resolve().then(() => log.push('a promise callback queued after the tick'));
  await settle();
  assert.deepEqual(log, ['first', 'second', 'a promise callback queued after the tick']);
});

test('unwait takes a waiting thread out without running it', async () => {
  const t = thread();
  waitUntil(t, () => true, () => assert.fail('unwaited'));
  assert.equal(unwait(t), true);
  assert.equal(unwait(t), false);
  await settle();
});

test('ticks run after the code that scheduled them, before later promise callbacks and before timers', async () => {
  /** @type {string[]} */
  const log = [];
  setTimeout(() => log.push('timer'), 0);
  waitUntil(thread(), () => true, () => log.push('tick'));
  void Promise.resolve().then(() => log.push('promise'));
  log.push('sync');
  await sleep(5);
  assert.deepEqual(log, ['sync', 'tick', 'promise', 'timer']);
});

test('a task waiting on a host call resumes in the microtasks that follow the settlement, before timers', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  const host = deferred();
  const lift = g.callbackLift(function* () {
    const i = g.callHostAsync(() => host.promise) >> 4;
    const s = g.setNew();
    g.join(i, s);
    assert.deepEqual(yield WAIT(s), [EV.SUBTASK, i, SUB.RETURNED]);
    log.push('task resumed');
    g.subtaskDrop(i);
    g.setDrop(s);
    g.taskReturn(0);
  });
  const call = g.invoke(lift);
  await sleep(1);
  setTimeout(() => log.push('timer'), 0);
  host.resolve();
  await call;
  await sleep(1);
  assert.deepEqual(log, ['task resumed', 'timer']);
});

test('a task that yields while a host call is pending still gets the result when it waits', async () => {
  const g = new Guest();
  const lift = g.callbackLift(function* () {
    const i = g.callHostAsync(() => Promise.resolve(5), [], (r) => r[0]) >> 4;
    for (let n = 0; n < 3; n++) yield YIELD;
    const s = g.setNew();
    g.join(i, s);
    assert.deepEqual(yield WAIT(s), [EV.SUBTASK, i, SUB.RETURNED]);
    g.subtaskDrop(i);
    g.setDrop(s);
    g.taskReturn(1);
  });
  assert.equal(await g.invoke(lift), 1);
});

test('a top-level call whose task waits for an event nothing can deliver rejects: deadlock', async () => {
  const g = new Guest();
  const lift = g.callbackLift(function* () {
    yield WAIT(g.setNew());
  });
  await assertRejectsTrap(g.invoke(lift), DEADLOCK);
  assert.equal(sched.waiting.length, 0);
});

test('a pending host call is not a deadlock: the waiting task resumes when it settles', async () => {
  const g = new Guest();
  const lift = g.callbackLift(function* () {
    const i = g.callHostAsync(() => sleep(5).then(() => 7), [], (r) => r[0]) >> 4;
    const s = g.setNew();
    g.join(i, s);
    assert.deepEqual(yield WAIT(s), [EV.SUBTASK, i, SUB.RETURNED]);
    g.subtaskDrop(i);
    g.setDrop(s);
    g.taskReturn(2);
  });
  assert.equal(await g.invoke(lift), 2);
});

test('a host call that rejects fails every waiting top-level call and poisons the caller', async () => {
  const g = new Guest();
  const boom = new Error('host failure');
  const lift = g.callbackLift(function* () {
    const s = g.setNew();
    g.join(g.callHostAsync(() => Promise.reject(boom)) >> 4, s);
    yield WAIT(s);
    assert.fail('never resumed');
  });
  await assert.rejects(g.invoke(lift), (e) => e === boom);
  assert.ok(g.poisoned);
});

test("a trap in a thread the scheduler resumed fails its component's waiting calls; another component's go on", async () => {
  const a = new Guest();
  const b = new Guest();
  let resumed = false;
  const waiter = a.callbackLift(function* () {
    yield WAIT(a.setNew());
    resumed = true;
  });
  const trapper = b.callbackLift(function* () {
    yield YIELD;
    b.taskCancel();
  });
  const calls = [a.invoke(waiter), b.invoke(trapper)];
  const errors = await Promise.all(calls.map((p) => p.then(() => null, (e) => e)));
  assert.equal(errors[1].message, '`task.cancel` called but cancellation was not requested');
  assert.ok(b.poisoned);
  // `a`'s call still waited, on a set nothing can make ready: a deadlock, later.
  assert.equal(errors[0].message, 'deadlock detected: event loop cannot make further progress');
  assert.equal(sched.waiting.length, 0);
  assert.equal(resumed, false);
});

test('blockOn returns at once when its condition holds, running nothing', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  const other = g.callbackLift(function* () {
    yield YIELD;
    log.push('other');
    g.taskReturn(0);
  });
  const call = g.invoke(other);
  assert.equal(g.run(() => blockOn(() => true, 'test')), undefined);
  assert.deepEqual(log, []);
  await call;
  assert.deepEqual(log, ['other']);
});

test('blockOn runs ready threads on the current stack until its condition holds, and no further', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  const other = g.callbackLift(function* (/** @type {string} */ name) {
    yield YIELD;
    log.push(name);
    g.taskReturn(0);
  });
  const calls = [g.invoke(other, ['first']), g.invoke(other, ['second'])];
  g.run(() => {
    assert.equal(blockOn(() => log.length > 0, 'test'), undefined);
    log.push('unblocked');
  });
  await Promise.all(calls);
  assert.deepEqual(log, ['first', 'unblocked', 'second']);
});

test('a synchronous wait that only the host could end traps, naming async exports', async () => {
  const g = new Guest();
  const host = deferred();
  assertTrap(
    () =>
      g.run(() => {
        const s = g.setNew();
        g.join(g.callHostAsync(() => host.promise) >> 4, s);
        g.wait(s);
      }),
    'cannot block a synchronous task before returning: waitable-set.wait must wait for the host, and ' +
      'the function called is not `async` (an async export, or `--async-exports` with JSPI, may wait)',
  );
  host.resolve();
  await settle();
});

test('a synchronous call of an async host function that returns a promise traps, naming async exports', async () => {
  const g = new Guest();
  const host = deferred();
  assertTrap(
    () => g.run(() => canonLowerSync(g.inst, hostFunc(() => host.promise), () => [], (r) => r[0], null, 'fetch')),
    /^cannot block a synchronous task before returning: the synchronous call of `fetch` must wait for the host/,
  );
  host.resolve();
  await settle();
});

test("a thread that blocks while another thread's core code is below it on the stack traps", () => {
  const a = new Guest();
  const b = new Guest();
  const callee = b.stackfulLift(() => {
    b.wait(b.setNew());
  });
  // Without JSPI the runtime names the missing stack switching; with it (on a thread not
  // entered through JSPI) nothing can end the wait.
  const expected = hasJspi
    ? DEADLOCK
    : "waitable-set.wait blocks a stack while other threads' stacks are below it; letting them go on " +
      'needs JSPI (WebAssembly.Suspending and WebAssembly.promising), which this engine lacks';
  assertTrap(() => a.run(() => a.callSync(callee)), expected);
  assert.ok(a.poisoned && b.poisoned);
});

test('traps from the async built-ins are the one Trap class of the realm', async () => {
  const { Trap: Copy } = await import('../trap.js?scheduler-copy');
  const g = new Guest();
  const [r] = g.streamNew(U8);
  assert.equal(g.read(U8, r, 0, 1), BLOCKED);
  assert.throws(
    () => g.read(U8, r, 0, 1),
    (e) => e instanceof Copy && e instanceof WebAssembly.RuntimeError && /** @type {Error} */ (e).name === 'Trap',
  );
  assert.equal(g.cancelRead(U8, r), copied(COPY.CANCELLED, 0));
});

test('a thread that waits again replaces its first wait: it is resumed once', async () => {
  const t = thread();
  let first = 0;
  let second = 0;
  waitUntil(t, () => true, () => first++);
  waitUntil(t, () => true, () => second++);
  assert.equal(sched.waiting.filter((w) => w === t).length, 1);
  await settle();
  assert.deepEqual([first, second], [0, 1]);
});

test('a ready condition that throws fails the waiting calls, not the process', async () => {
  const t = thread();
  const rejected = deferred();
  sched.roots.add((e) => rejected.resolve(e));
  waitUntil(t, () => {
    throw new TypeError('a broken condition');
  }, () => assert.fail('never resumed'));
  const e = await rejected.promise;
  assert.ok(e instanceof TypeError && /broken condition/.test(e.message));
  assert.equal(sched.waiting.length, 0);
});
