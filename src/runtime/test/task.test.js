// Tasks and subtasks (task.js): `canon lift` in its three modes, task.return and
// task.cancel, the exclusive lock of stackless tasks, backpressure, subtask events and
// cancellation (host AbortSignal and guest subtask.cancel), thread.yield and context
// slots. Calls go through hostInvoke, canonLowerAsync/Sync and hostFunc, as in
// generated code.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { contextGet, contextSet, hostInvoke } from '../task.js';
import { sched } from '../scheduler.js';
import {
  Guest,
  EV,
  SUB,
  BLOCKED,
  YIELD,
  WAIT,
  LIFT_SYNC,
  UNIT,
  assertTrap,
  assertRejectsTrap,
  assertSchedulerIdle,
  deferred,
  settle,
  sleep,
} from './async-helpers.js';

afterEach(assertSchedulerIdle);

/** A synchronous export that sets (1) or clears (0) backpressure in `g`. */
function backpressureSwitch(/** @type {Guest} */ g) {
  // A synchronous export that lowers the backpressure: what codegen flags as
  // LOWERS_BACKPRESSURE, so calls held back are not a deadlock.
  g.inst.lowersBackpressure = true;
  return g.lift({
    mode: LIFT_SYNC,
    isAsync: false,
    core: (/** @type {number} */ on) => {
      if (on) g.backpressureInc();
      else g.backpressureDec();
    },
  });
}

/** The subtask index and state of `canon lower async`'s packed result. */
const unpack = (/** @type {number} */ packed) => [packed >> 4, packed & 0xf];

// Lifting and returning.

test('a sync-lifted function returns its core result; post-return runs after it with the same results', () => {
  const g = new Guest();
  /** @type {unknown[]} */
  const log = [];
  const lift = g.lift({
    mode: LIFT_SYNC,
    isAsync: false,
    core: (/** @type {number} */ a, /** @type {number} */ b) => {
      log.push(['core', a, b]);
      return a + b;
    },
    post: (/** @type {number} */ r) => log.push(['post', r]),
  });
  assert.equal(hostInvoke(lift, () => [2, 3], (flat) => (log.push(['lift', flat[0]]), flat[0]), null), 5);
  assert.deepEqual(log, [['core', 2, 3], ['lift', 5], ['post', 5]]);
});

test('post-return runs while the instance may not leave: built-ins trap', () => {
  const g = new Guest();
  const lift = g.lift({ mode: LIFT_SYNC, isAsync: false, core: () => 1, post: () => g.setNew() });
  assertTrap(() => g.invoke(lift), 'cannot leave component instance');
  assert.ok(g.poisoned);
  assert.equal(g.inst.mayLeave, true);
  const yielding = g.lift({ mode: LIFT_SYNC, isAsync: false, core: () => 1, post: () => g.yield() });
  assertTrap(() => g.invoke(yielding), 'cannot leave component instance');
});

test('a callback task that calls task.return and exits resolves the host call with the result', async () => {
  const g = new Guest();
  const lift = g.callbackLift(function* (/** @type {number} */ x) {
    g.taskReturn(x + 1);
  });
  assert.equal(await g.invoke(lift, [41]), 42);
  assert.equal(g.inst.exclusive, null);
});

test('the caller gets the result at task.return while the task goes on running', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  const exited = deferred();
  const lift = g.callbackLift(function* () {
    g.taskReturn(1);
    log.push('returned');
    const [i] = unpack(g.callHostAsync(() => sleep(1)));
    const s = g.setNew();
    g.join(i, s);
    assert.deepEqual(yield WAIT(s), [EV.SUBTASK, i, SUB.RETURNED]);
    log.push('exits');
    g.subtaskDrop(i);
    g.setDrop(s);
    exited.resolve();
  });
  log.push(`host got ${await g.invoke(lift)}`);
  await exited.promise;
  assert.deepEqual(log, ['returned', 'host got 1', 'exits']);
});

test('a task that exits without task.return traps, whether it exits at once or after waiting', async () => {
  const message = 'the task returned without a result: `task.return` was not called';
  const a = new Guest();
  await assertRejectsTrap(a.invoke(a.callbackLift(function* () {})), message);
  const b = new Guest();
  const later = b.callbackLift(function* () {
    yield YIELD;
  });
  await assertRejectsTrap(b.invoke(later), message);
  const c = new Guest();
  await assertRejectsTrap(c.invoke(c.stackfulLift(() => {})), message);
});

test('task.return twice traps, and poisons the instance', () => {
  const a = new Guest();
  const b = new Guest();
  const callee = b.callbackLift(function* () {
    b.taskReturn(1);
    b.taskReturn(2);
  });
  // The trap reaches the caller, on whose stack the callee ran.
  assertTrap(() => a.run(() => a.callAsync(callee)), 'the task already returned a result or was cancelled');
  assert.ok(b.poisoned);
});

test('task.return with another result type or options traps', async () => {
  const g = new Guest();
  const lift = g.lift({ core: () => g.taskReturn(1), key: 'string|Utf8|mem0' });
  await assertRejectsTrap(
    g.invoke(lift),
    '`task.return` result type or options do not match the function being lifted (u32 vs string|Utf8|mem0)',
  );
});

test('task.return and task.cancel trap in a synchronously lifted function', () => {
  const g = new Guest();
  assertTrap(() => g.run(() => g.taskReturn(1)), '`task.return` called by a synchronously lifted function');
  assertTrap(() => g.run(() => g.taskCancel()), '`task.cancel` called by a synchronously lifted function');
  assert.ok(g.poisoned);
});

test('task.cancel without a cancellation request traps', async () => {
  const g = new Guest();
  const lift = g.callbackLift(function* () {
    g.taskCancel();
  });
  await assertRejectsTrap(g.invoke(lift), '`task.cancel` called but cancellation was not requested');
});

test('a callback code above WAIT traps; so does WAIT on something that is not a waitable set', async () => {
  const g0 = new Guest();
  await assertRejectsTrap(g0.invoke(g0.lift({ core: () => 0x13 })), 'the callback returned an unknown code 3');
  const g = new Guest();
  const [r] = g.streamNew(UNIT);
  const notSet = g.lift({ core: () => WAIT(r) });
  await assertRejectsTrap(g.invoke(notSet), `index ${r} is not a waitable set`);
});

test('a call whose arguments cannot be lowered fails with that error, without poisoning or keeping the lock', async () => {
  const g = new Guest();
  const lift = g.callbackLift(function* (/** @type {number} */ x) {
    g.taskReturn(x);
  });
  const bad = hostInvoke(lift, () => { throw new TypeError('not a u32'); }, (flat) => flat[0], null);
  await assert.rejects(bad, TypeError);
  assert.equal(g.poisoned, false);
  assert.equal(g.inst.exclusive, null);
  assert.equal(await g.invoke(lift, [3]), 3);
});

// The exclusive lock of stackless tasks.

test('a reentrant call waits for the exclusive lock of a stackless task until that task waits', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  /** @type {Promise<unknown> | null} */
  let inner = null;
  // `exp` calls the async import `imp`, which calls `exp` again (Concurrency.md, "Reentrance").
  const exp = g.callbackLift(function* (/** @type {number} */ n) {
    log.push(`exp ${n} starts`);
    if (n === 1) {
      const [i, state] = unpack(
        g.callHostAsync(() => {
          log.push('imp');
          inner = g.invoke(exp, [2]);
          return inner;
        }),
      );
      assert.equal(state, SUB.STARTED);
      const s = g.setNew();
      g.join(i, s);
      log.push('exp 1 waits');
      assert.deepEqual(yield WAIT(s), [EV.SUBTASK, i, SUB.RETURNED]);
      g.subtaskDrop(i);
      g.setDrop(s);
    }
    log.push(`exp ${n} returns`);
    g.taskReturn(n);
  });
  assert.equal(await g.invoke(exp, [1]), 1);
  assert.equal(await inner, 2);
  assert.deepEqual(log, ['exp 1 starts', 'imp', 'exp 1 waits', 'exp 2 starts', 'exp 2 returns', 'exp 1 returns']);
});

test('a stackful task ignores the exclusive lock: the reentrant call runs inside the import call', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  /** @type {Promise<unknown> | null} */
  let inner = null;
  const exp = g.stackfulLift((/** @type {number} */ n) => {
    log.push(`exp ${n} starts`);
    if (n === 1) {
      g.callHostAsync(() => {
        inner = g.invoke(exp, [2]);
        return inner;
      });
      log.push('exp 1 goes on');
    }
    g.taskReturn(n);
  });
  assert.equal(await g.invoke(exp, [1]), 1);
  assert.equal(await inner, 2);
  assert.deepEqual(log, ['exp 1 starts', 'exp 2 starts', 'exp 1 goes on']);
});

test('a function that is not async ignores the lock: it runs while a stackless task holds it', async () => {
  const g = new Guest();
  const sync = g.lift({ mode: LIFT_SYNC, isAsync: false, core: (/** @type {number} */ x) => x * 2 });
  const exp = g.callbackLift(function* () {
    // The import calls the sync export and returns its result: no subtask.
    const status = g.callHostAsync(() => g.invoke(sync, [21]));
    assert.equal(status, SUB.RETURNED);
    g.taskReturn(0);
  });
  assert.equal(await g.invoke(exp), 0);
});

test('YIELD releases the lock: a call held back by it enters before the yielding task goes on', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  /** @type {Promise<unknown> | null} */
  let second = null;
  const exp = g.callbackLift(function* (/** @type {string} */ name) {
    log.push(`${name} starts`);
    if (name === 'first') {
      g.callHostAsync(() => (second = g.invoke(exp, ['second'])));
      log.push('first yields');
      assert.deepEqual(yield YIELD, [EV.NONE, 0, 0]);
      log.push('first goes on');
    }
    g.taskReturn(0);
  });
  await g.invoke(exp, ['first']);
  await second;
  assert.deepEqual(log, ['first starts', 'first yields', 'second starts', 'first goes on']);
});

// Backpressure.

test('backpressure holds new async calls back; once released they start in call order', async () => {
  const g = new Guest();
  const bp = backpressureSwitch(g);
  /** @type {number[]} */
  const log = [];
  const exp = g.callbackLift(function* (/** @type {number} */ n) {
    log.push(n);
    g.taskReturn(n);
  });
  g.invoke(bp, [1]);
  const calls = [1, 2, 3].map((n) => g.invoke(exp, [n]));
  // Ticks run, and calls held back by backpressure are not a deadlock.
  await settle();
  assert.deepEqual(log, []);
  assert.equal(g.inst.waitingToEnter, 3);
  g.invoke(bp, [0]);
  assert.deepEqual(await Promise.all(calls), [1, 2, 3]);
  assert.deepEqual(log, [1, 2, 3]);
  assert.equal(g.inst.waitingToEnter, 0);
});

test('a call arriving while others wait to enter queues behind them, even with backpressure gone', async () => {
  const g = new Guest();
  const bp = backpressureSwitch(g);
  /** @type {string[]} */
  const log = [];
  const exp = g.callbackLift(function* (/** @type {string} */ name) {
    log.push(name);
    g.taskReturn(0);
  });
  g.invoke(bp, [1]);
  const a = g.invoke(exp, ['a']);
  g.invoke(bp, [0]);
  // No tick has run yet: `a` still waits to enter, so `b` waits behind it.
  const b = g.invoke(exp, ['b']);
  assert.deepEqual(log, []);
  await Promise.all([a, b]);
  assert.deepEqual(log, ['a', 'b']);
});

test('the backpressure counter traps below 0 and at 2^16', () => {
  const g = new Guest();
  assertTrap(() => g.backpressureDec(), 'backpressure counter underflow');
  for (let i = 0; i < 0xffff; i++) g.backpressureInc();
  assertTrap(() => g.backpressureInc(), 'backpressure counter overflow');
  assert.equal(g.inst.backpressure, 0xffff);
  for (let i = 0; i < 0xffff; i++) g.backpressureDec();
  assert.equal(g.inst.backpressure, 0);
});

test('a guest caller held back by backpressure sees STARTING, then STARTED and RETURNED events', async () => {
  const a = new Guest();
  const b = new Guest();
  const bp = backpressureSwitch(b);
  /** @type {unknown[]} */
  const log = [];
  const callee = b.callbackLift(function* (/** @type {number} */ x) {
    log.push('callee starts');
    yield YIELD;
    b.taskReturn(x * 10);
  });
  const caller = a.callbackLift(function* () {
    a.callSync(bp, [1]);
    const [i, state] = unpack(a.callAsync(callee, [4], (flat) => log.push(`result ${flat[0]}`)));
    assert.equal(state, SUB.STARTING);
    const s = a.setNew();
    a.join(i, s);
    a.callSync(bp, [0]);
    log.push('caller waits');
    log.push(yield WAIT(s));
    log.push(yield WAIT(s));
    a.join(i, 0);
    a.subtaskDrop(i);
    a.setDrop(s);
    a.taskReturn(0);
  });
  await a.invoke(caller);
  assert.deepEqual(log, [
    'caller waits',
    'callee starts',
    [EV.SUBTASK, 1, SUB.STARTED],
    'result 40',
    [EV.SUBTASK, 1, SUB.RETURNED],
  ]);
});

test('a call that returns before blocking gives RETURNED and no subtask', () => {
  const a = new Guest();
  const b = new Guest();
  const callee = b.callbackLift(function* (/** @type {number} */ x) {
    b.taskReturn(x);
  });
  /** @type {unknown[]} */
  const got = [];
  a.run(() => {
    assert.equal(a.callAsync(callee, [5], (flat) => got.push(flat[0])), SUB.RETURNED);
    // The next handle is the first one: the call took none.
    assert.equal(a.setNew(), 1);
  });
  assert.deepEqual(got, [5]);
});

// Cancellation.

test('cancelling a call held back by backpressure resolves it CANCELLED_BEFORE_STARTED without running it', () => {
  const a = new Guest();
  const b = new Guest();
  const bp = backpressureSwitch(b);
  let ran = false;
  const callee = b.callbackLift(function* () {
    ran = true;
    b.taskReturn(0);
  });
  a.run(() => {
    a.callSync(bp, [1]);
    const [i, state] = unpack(a.callAsync(callee, [], () => assert.fail('no result')));
    assert.equal(state, SUB.STARTING);
    assert.equal(a.subtaskCancel(i), SUB.CANCELLED_BEFORE_STARTED);
    a.subtaskDrop(i);
    a.callSync(bp, [0]);
  });
  assert.equal(b.inst.waitingToEnter, 0);
  assert.equal(ran, false);
});

test('cancelling a waiting callee delivers TASK_CANCELLED; its task.cancel resolves the subtask at once', async () => {
  const a = new Guest();
  const b = new Guest();
  /** @type {unknown[]} */
  const log = [];
  const callee = b.callbackLift(function* () {
    const s = b.setNew();
    log.push(yield WAIT(s));
    b.setDrop(s);
    b.taskCancel();
    log.push('callee cancelled');
  });
  const caller = a.callbackLift(function* () {
    const [i, state] = unpack(a.callAsync(callee));
    assert.equal(state, SUB.STARTED);
    log.push('cancel');
    assert.equal(a.subtaskCancel(i), SUB.CANCELLED_BEFORE_RETURNED);
    a.subtaskDrop(i);
    a.taskReturn(0);
  });
  await a.invoke(caller);
  assert.deepEqual(log, ['cancel', [EV.TASK_CANCELLED, 0, 0], 'callee cancelled']);
});

test('a callee may answer cancellation with task.return: the subtask resolves RETURNED with the result', () => {
  const a = new Guest();
  const b = new Guest();
  const callee = b.callbackLift(function* () {
    assert.deepEqual(yield YIELD, [EV.TASK_CANCELLED, 0, 0]);
    b.taskReturn(7);
  });
  /** @type {unknown[]} */
  const got = [];
  a.run(() => {
    const [i] = unpack(a.callAsync(callee, [], (flat) => got.push(flat[0])));
    assert.equal(a.subtaskCancel(i), SUB.RETURNED);
    a.subtaskDrop(i);
  });
  assert.deepEqual(got, [7]);
});

test('an async subtask.cancel returns BLOCKED when the callee does not resolve at once; the resolution comes as an event', async () => {
  const a = new Guest();
  const b = new Guest();
  /** @type {unknown[]} */
  const log = [];
  const callee = b.callbackLift(function* () {
    log.push(yield YIELD);
    // Clean up first, then confirm.
    log.push(yield YIELD);
    b.taskCancel();
  });
  const caller = a.callbackLift(function* () {
    const [i] = unpack(a.callAsync(callee));
    assert.equal(a.subtaskCancel(i), BLOCKED);
    assertTrap(() => a.subtaskCancel(i), 'cancellation of this subtask was already requested');
    const s = a.setNew();
    a.join(i, s);
    log.push(yield WAIT(s));
    a.join(i, 0);
    a.subtaskDrop(i);
    a.setDrop(s);
    a.taskReturn(0);
  });
  await a.invoke(caller);
  assert.deepEqual(log, [
    [EV.TASK_CANCELLED, 0, 0],
    [EV.NONE, 0, 0],
    [EV.SUBTASK, 1, SUB.CANCELLED_BEFORE_RETURNED],
  ]);
});

test('a synchronous subtask.cancel runs the callee until it resolves', async () => {
  const a = new Guest();
  const b = new Guest();
  /** @type {string[]} */
  const log = [];
  const callee = b.callbackLift(function* () {
    yield YIELD;
    log.push('callee sees the request');
    yield YIELD;
    log.push('callee cancels');
    b.taskCancel();
  });
  await a.runAsync(() => {
    const [i] = unpack(a.callAsync(callee));
    log.push('cancel');
    assert.equal(a.subtaskCancel(i, false), SUB.CANCELLED_BEFORE_RETURNED);
    log.push('cancelled');
    a.subtaskDrop(i);
  });
  assert.deepEqual(log, ['cancel', 'callee sees the request', 'callee cancels', 'cancelled']);
});

test('cancelling a host call resolves it CANCELLED_BEFORE_RETURNED at once and ignores its later result', async () => {
  const g = new Guest();
  const host = deferred();
  let resolved = false;
  g.run(() => {
    const [i, state] = unpack(g.callHostAsync(() => host.promise, [], () => (resolved = true)));
    assert.equal(state, SUB.STARTED);
    assert.equal(sched.hostPending, 1);
    assert.equal(g.subtaskCancel(i), SUB.CANCELLED_BEFORE_RETURNED);
    assert.equal(sched.hostPending, 0);
    g.subtaskDrop(i);
  });
  host.resolve(5);
  await settle();
  assert.equal(resolved, false);
});

test('subtask.cancel of a subtask that resolved but whose event is undelivered returns its state', async () => {
  const a = new Guest();
  const b = new Guest();
  const callee = b.callbackLift(function* () {
    yield YIELD;
    b.taskReturn(9);
  });
  const caller = a.callbackLift(function* () {
    const [i] = unpack(a.callAsync(callee));
    // The callee runs (and returns) while the caller yields.
    yield YIELD;
    assertTrap(() => a.subtaskDrop(i), 'cannot drop a subtask that has not resolved');
    assert.equal(a.subtaskCancel(i), SUB.RETURNED);
    a.subtaskDrop(i);
    a.taskReturn(0);
  });
  await a.invoke(caller);
});

test('subtask.cancel traps for a non-subtask, a subtask in a waitable set, or one already delivered', () => {
  const a = new Guest();
  const b = new Guest();
  const callee = b.callbackLift(function* () {
    assert.deepEqual(yield YIELD, [EV.TASK_CANCELLED, 0, 0]);
    b.taskCancel();
  });
  a.run(() => {
    const s = a.setNew();
    assertTrap(() => a.subtaskCancel(s), `index ${s} is not a subtask`);
    const [i] = unpack(a.callAsync(callee));
    a.join(i, s);
    assertTrap(() => a.subtaskCancel(i), 'cannot cancel a subtask that is in a waitable set');
    a.join(i, 0);
    assert.equal(a.subtaskCancel(i), SUB.CANCELLED_BEFORE_RETURNED);
    assertTrap(() => a.subtaskCancel(i), 'the subtask has already resolved and delivered its result');
    a.subtaskDrop(i);
    a.setDrop(s);
  });
});

test('subtask.drop traps before the subtask resolved, and on a second drop', async () => {
  const a = new Guest();
  const b = new Guest();
  const callee = b.callbackLift(function* () {
    yield YIELD;
    b.taskCancel();
  });
  await a.runAsync(() => {
    const [i] = unpack(a.callAsync(callee));
    assertTrap(() => a.subtaskDrop(i), 'cannot drop a subtask that has not resolved');
    assert.equal(a.subtaskCancel(i, false), SUB.CANCELLED_BEFORE_RETURNED);
    a.subtaskDrop(i);
    assertTrap(() => a.subtaskDrop(i), `unknown handle index ${i}`);
    const s = a.setNew();
    assertTrap(() => a.subtaskDrop(s), `index ${s} is not a subtask`);
  });
});

test('an AbortSignal cancels a waiting host call: the callee sees TASK_CANCELLED and the call rejects with the reason', async () => {
  const g = new Guest();
  /** @type {unknown[]} */
  const log = [];
  const exp = g.callbackLift(function* () {
    const s = g.setNew();
    log.push(yield WAIT(s));
    g.setDrop(s);
    g.taskCancel();
  });
  const abort = new AbortController();
  const call = g.invoke(exp, [], { signal: abort.signal });
  const reason = new Error('no longer needed');
  abort.abort(reason);
  await assert.rejects(call, (e) => e === reason);
  assert.deepEqual(log, [[EV.TASK_CANCELLED, 0, 0]]);
});

test('a callee may ignore the AbortSignal and return a value: the host call resolves with it', async () => {
  const g = new Guest();
  const exp = g.callbackLift(function* () {
    assert.deepEqual(yield YIELD, [EV.TASK_CANCELLED, 0, 0]);
    g.taskReturn(8);
  });
  const abort = new AbortController();
  const call = g.invoke(exp, [], { signal: abort.signal });
  abort.abort();
  assert.equal(await call, 8);
});

test('an aborted signal cancels a call held back by backpressure before it starts', async () => {
  const g = new Guest();
  const bp = backpressureSwitch(g);
  let ran = false;
  const exp = g.callbackLift(function* () {
    ran = true;
    g.taskReturn(0);
  });
  g.invoke(bp, [1]);
  const reason = new Error('too late');
  await assert.rejects(g.invoke(exp, [], { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  const abort = new AbortController();
  const call = g.invoke(exp, [], { signal: abort.signal });
  await settle();
  abort.abort();
  await assert.rejects(call, /aborted/);
  g.invoke(bp, [0]);
  assert.equal(ran, false);
  assert.equal(g.inst.waitingToEnter, 0);
});

test('a call held back by backpressure no call can lower is a deadlock', async () => {
  const g = new Guest();
  const exp = g.callbackLift(function* () {
    g.taskReturn(0);
  });
  g.inst.ownBackpressure = 1;
  await assert.rejects(g.invoke(exp, []), { name: 'Trap', message: /deadlock detected/ });
});

// Yielding.

test('callback tasks that yield take turns: each YIELD lets every other ready thread run first', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  const exp = g.callbackLift(function* (/** @type {string} */ name) {
    for (let i = 0; i < 3; i++) {
      log.push(`${name}${i}`);
      assert.deepEqual(yield YIELD, [EV.NONE, 0, 0]);
    }
    g.taskReturn(0);
  });
  await Promise.all([g.invoke(exp, ['a']), g.invoke(exp, ['b'])]);
  assert.deepEqual(log, ['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
});

test('thread.yield in a stackful task runs each ready thread once and returns 0', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  const yielder = g.callbackLift(function* () {
    for (let i = 0; i < 3; i++) {
      log.push(`callback ${i}`);
      yield YIELD;
    }
    g.taskReturn(0);
  });
  const stackful = g.stackfulLift(() => {
    for (let i = 0; i < 3; i++) {
      log.push(`stackful ${i}`);
      assert.equal(g.yield(), 0);
    }
    g.taskReturn(1);
  });
  const a = g.invoke(yielder);
  assert.equal(await g.invoke(stackful), 1);
  await a;
  assert.deepEqual(log, ['callback 0', 'stackful 0', 'callback 1', 'stackful 1', 'callback 2', 'stackful 2']);
});

test('thread.yield with no other ready thread returns 0 at once', () => {
  const g = new Guest();
  assert.equal(g.run(() => g.yield()), 0);
});

test('a synchronous call of an async function runs the callee until it returns', async () => {
  const a = new Guest();
  const b = new Guest();
  /** @type {string[]} */
  const log = [];
  const callee = b.callbackLift(function* (/** @type {number} */ x) {
    log.push('callee yields');
    yield YIELD;
    log.push('callee returns');
    b.taskReturn(x * 2);
  });
  const r = await a.runAsync(() => {
    const v = a.callSync(callee, [4]);
    log.push('caller goes on');
    return v;
  });
  assert.equal(r, 8);
  assert.deepEqual(log, ['callee yields', 'callee returns', 'caller goes on']);
});

// Thread-local storage.

test('context.get/set are per thread and start at 0; outside a task they trap', async () => {
  const g = new Guest();
  const exp = g.callbackLift(function* (/** @type {number} */ v) {
    assert.equal(contextGet(1), 0);
    contextSet(1, v);
    yield YIELD;
    g.taskReturn(contextGet(1));
  });
  assert.deepEqual(await Promise.all([g.invoke(exp, [10]), g.invoke(exp, [20])]), [10, 20]);
  assertTrap(() => contextGet(1), 'no task is running');
  assertTrap(() => contextSet(1, 5), 'no task is running');
});
