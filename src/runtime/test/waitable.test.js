// Waitables and waitable sets (waitable.js): the set built-ins, joining, event delivery
// through wait and poll, and their traps (definitions.py `canon_waitable_*`).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { waitableSetPoll } from '../waitable.js';
import { Guest, U8, EV, COPY, BLOCKED, WAIT, YIELD, copied, assertTrap, assertRejectsTrap, assertSchedulerIdle } from './async-helpers.js';

afterEach(assertSchedulerIdle);

test('waitable-set.drop frees an empty set; dropping it again traps', () => {
  const g = new Guest();
  const s = g.setNew();
  g.setDrop(s);
  assertTrap(() => g.setDrop(s), `unknown handle index ${s}`);
  assertTrap(() => g.poll(s), `unknown handle index ${s}`);
});

test('a waitable set with members cannot be dropped; it can once they left', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  const s = g.setNew();
  g.join(r, s);
  g.join(w, s);
  assertTrap(() => g.setDrop(s), 'cannot drop a waitable set that still contains waitables');
  g.join(r, 0);
  assertTrap(() => g.setDrop(s), 'cannot drop a waitable set that still contains waitables');
  // Dropping a member takes it out of its set.
  g.dropWritable(U8, w);
  g.setDrop(s);
  g.dropReadable(U8, r);
});

test('a waitable set a task is waiting on cannot be dropped', async () => {
  const g = new Guest();
  let set = 0;
  const waiter = g.callbackLift(function* () {
    set = g.setNew();
    const ev = yield WAIT(set);
    assert.deepEqual(ev, [EV.TASK_CANCELLED, 0, 0]);
    g.setDrop(set);
    g.taskCancel();
  });
  const abort = new AbortController();
  const call = g.invoke(waiter, [], { signal: abort.signal });
  assertTrap(() => g.run(() => g.setDrop(set)), 'cannot drop a waitable set that a task is waiting on');
  abort.abort(new Error('stop'));
  await assert.rejects(call, /stop/);
});

test('waitable.join moves a waitable between sets; joining set 0 takes it out', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  const a = g.setNew();
  const b = g.setNew();
  g.join(r, a);
  g.join(r, b);
  assert.equal(g.read(U8, r, 0, 1), BLOCKED);
  assert.equal(g.write(U8, w, 100, 1), copied(COPY.COMPLETED, 1));
  assert.deepEqual(g.poll(a), [EV.NONE, 0, 0]);
  g.join(r, 0);
  assert.deepEqual(g.poll(b), [EV.NONE, 0, 0]);
  // The event waited for the end to join a set again.
  g.join(r, a);
  assert.deepEqual(g.poll(a), [EV.STREAM_READ, r, copied(COPY.COMPLETED, 1)]);
  g.setDrop(b);
});

test('waitable.join traps for an index that is not a waitable, or not a waitable set', () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  const s = g.setNew();
  assertTrap(() => g.join(s, s), `index ${s} is not a waitable`);
  assertTrap(() => g.join(r, r), `index ${r} is not a waitable set`);
  assertTrap(() => g.join(99, s), 'unknown handle index 99');
  assertTrap(() => g.join(r, 99), 'unknown handle index 99');
});

test('poll with no pending event returns NONE with a zero payload', () => {
  const g = new Guest();
  const s = g.setNew();
  new Uint8Array(g.memory.buffer).fill(0xaa, 0, 32);
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
});

test('poll delivers each pending event once, the earliest-joined waitable first', () => {
  const g = new Guest();
  const ends = [0, 1, 2].map(() => g.streamNew(U8));
  const s = g.setNew();
  // Join in the order 2, 0, 1; make the events pending in the order 0, 1, 2.
  for (const i of [2, 0, 1]) g.join(ends[i][0], s);
  for (const [r] of ends) assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  for (const [, w] of ends) assert.equal(g.write(U8, w, 100, 1), copied(COPY.COMPLETED, 1));
  // The spec lets any pending waitable go first; this runtime takes them in join order.
  const got = [g.poll(s), g.poll(s), g.poll(s), g.poll(s)];
  assert.deepEqual(got, [
    [EV.STREAM_READ, ends[2][0], copied(COPY.COMPLETED, 1)],
    [EV.STREAM_READ, ends[0][0], copied(COPY.COMPLETED, 1)],
    [EV.STREAM_READ, ends[1][0], copied(COPY.COMPLETED, 1)],
    [EV.NONE, 0, 0],
  ]);
});

test('a callback task waiting on a set gets one event per callback, until none is pending', async () => {
  const g = new Guest();
  /** @type {[number, number, number][]} */
  const events = [];
  /** @type {number[][]} */
  let pairs = [];
  const lift = g.callbackLift(function* () {
    const s = g.setNew();
    pairs = [g.streamNew(U8), g.streamNew(U8)];
    for (const [r] of pairs) {
      g.join(r, s);
      assert.equal(g.read(U8, r, 0, 4), BLOCKED);
    }
    // Both reads complete before the task waits.
    for (const [, w] of pairs) assert.equal(g.write(U8, w, 100, 2), copied(COPY.COMPLETED, 2));
    events.push(yield WAIT(s));
    events.push(yield WAIT(s));
    events.push(g.poll(s));
    for (const [r, w] of pairs) {
      g.dropReadable(U8, r);
      g.dropWritable(U8, w);
    }
    g.setDrop(s);
    g.taskReturn(0);
  });
  await g.invoke(lift);
  assert.deepEqual(events, [
    [EV.STREAM_READ, pairs[0][0], copied(COPY.COMPLETED, 2)],
    [EV.STREAM_READ, pairs[1][0], copied(COPY.COMPLETED, 2)],
    [EV.NONE, 0, 0],
  ]);
});

test('wait and poll store the payload as two little-endian u32s; an out-of-bounds pointer traps', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  const s = g.setNew();
  g.join(w, s);
  assert.equal(g.write(U8, w, 100, 3), BLOCKED);
  assert.equal(g.read(U8, r, 200, 2), copied(COPY.COMPLETED, 2));
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w, 0x20]);
  assert.deepEqual(g.bytes(8, 8), [w, 0, 0, 0, 0x20, 0, 0, 0]);
  assertTrap(() => waitableSetPoll(g.inst, g.memory, s, 65536 - 4), 'event pointer out of bounds');
});

test('waitable-set.wait on a synchronous stack runs other ready threads until an event arrives', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  /** @type {string[]} */
  const log = [];
  const writer = g.callbackLift(function* () {
    yield YIELD;
    log.push('write');
    assert.equal(g.write(U8, w, 100, 1), copied(COPY.COMPLETED, 1));
    g.taskReturn(0);
  });
  const done = g.invoke(writer);
  const ev = g.run(() => {
    const s = g.setNew();
    g.join(r, s);
    assert.equal(g.read(U8, r, 0, 4), BLOCKED);
    log.push('wait');
    const e = g.wait(s);
    log.push('woke');
    g.join(r, 0);
    g.setDrop(s);
    return e;
  });
  assert.deepEqual(ev, [EV.STREAM_READ, r, copied(COPY.COMPLETED, 1)]);
  assert.deepEqual(log, ['wait', 'write', 'woke']);
  return done;
});

test('waitable-set.wait in a synchronous call, with no thread or host work that could deliver an event, traps', () => {
  const g = new Guest();
  const s = g.setNew();
  assertTrap(
    () => g.run(() => g.wait(s)),
    'cannot block a synchronous task before returning: no thread of the instance can end the wait of waitable-set.wait',
  );
  assert.ok(g.poisoned);
});

test('wait and poll trap on an index that is not a waitable set', () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  assertTrap(() => g.poll(r), `index ${r} is not a waitable set`);
  assertTrap(() => g.run(() => g.wait(r)), `index ${r} is not a waitable set`);
  assertTrap(() => g.setDrop(r), `index ${r} is not a waitable set`);
});

test('a waitable that a synchronous copy waits on cannot join a set', async () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  const joiner = g.callbackLift(function* () {
    yield YIELD;
    g.join(r, g.setNew());
  });
  const pending = g.invoke(joiner);
  assertTrap(() => g.run(() => g.read(U8, r, 0, 1, false)), 'cannot join a waitable that a synchronous call is waiting on');
  await assertRejectsTrap(pending, 'deadlock detected: event loop cannot make further progress');
});

test('waitable-set built-ins trap while the instance may not leave', () => {
  const g = new Guest();
  const s = g.setNew();
  const [r] = g.streamNew(U8);
  g.inst.mayLeave = false;
  assertTrap(() => g.setNew(), 'cannot leave component instance');
  assertTrap(() => g.poll(s), 'cannot leave component instance');
  assertTrap(() => g.join(r, s), 'cannot leave component instance');
  assertTrap(() => g.setDrop(s), 'cannot leave component instance');
  g.inst.mayLeave = true;
});
