// Stream and future ends (stream.js) driven through their built-ins as generated code
// calls them: rendezvous copies, partial progress, unit streams, futures, cancellation,
// drops, and the traps of definitions.py's `copy`, `cancel_copy` and `drop`.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { liftEnd, lowerEnd, streamToJs, endForward } from '../stream.js';
import {
  Guest,
  U8,
  U32,
  UNIT,
  CHAR,
  EV,
  SUB,
  COPY,
  BLOCKED,
  WAIT,
  copied,
  assertTrap,
  assertRejectsTrap,
  assertSchedulerIdle,
  YIELD,
} from './async-helpers.js';

afterEach(assertSchedulerIdle);

test('stream.new packs the readable index in the low 32 bits and the writable index in the high 32 bits', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.deepEqual([r, w], [1, 2]);
  const [fr, fw] = g.futureNew(U8);
  assert.deepEqual([fr, fw], [3, 4]);
  assertTrap(() => g.read(U8, w, 0, 1), `index ${w} is not a stream readable end`);
  assertTrap(() => g.write(U8, r, 0, 1), `index ${r} is not a stream writable end`);
  assertTrap(() => g.read(U8, fr, 0, 1), `index ${fr} is not a stream readable end`);
  assertTrap(() => g.futureRead(U8, r, 0), `index ${r} is not a future readable end`);
  assertTrap(() => g.read(U32, r, 0, 1), `the stream readable end at index ${r} has another element type`);
});

test('a write with no reader blocks; the read that meets it completes both sides', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  g.store(100, [1, 2, 3, 4, 5]);
  assert.equal(g.write(U8, w, 100, 5), BLOCKED);
  assert.equal(g.read(U8, r, 200, 5), copied(COPY.COMPLETED, 5));
  assert.deepEqual(g.bytes(200, 5), [1, 2, 3, 4, 5]);
  // The writer learns of it through its pending event.
  const s = g.setNew();
  g.join(w, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w, copied(COPY.COMPLETED, 5)]);
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
});

test("a writer's event counts the progress of every read its buffer served; delivering it ends the write", () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  g.store(100, [1, 2, 3, 4, 5]);
  assert.equal(g.write(U8, w, 100, 5), BLOCKED);
  assert.equal(g.read(U8, r, 200, 2), copied(COPY.COMPLETED, 2));
  assert.equal(g.read(U8, r, 202, 2), copied(COPY.COMPLETED, 2));
  assert.deepEqual(g.bytes(200, 4), [1, 2, 3, 4]);
  const s = g.setNew();
  g.join(w, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w, copied(COPY.COMPLETED, 4)]);
  // The fifth element was not written: the next read waits for a new write.
  assert.equal(g.read(U8, r, 204, 2), BLOCKED);
  g.store(100, [9]);
  assert.equal(g.write(U8, w, 100, 1), copied(COPY.COMPLETED, 1));
  g.join(r, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_READ, r, copied(COPY.COMPLETED, 1)]);
  assert.deepEqual(g.bytes(204, 1), [9]);
});

test('a read larger than the write that meets it completes with what was written', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U32);
  assert.equal(g.read(U32, r, 64, 10), BLOCKED);
  new Uint32Array(g.memory.buffer, 16, 3).set([7, 0xffffffff, 0x12345678]);
  assert.equal(g.write(U32, w, 16, 3), copied(COPY.COMPLETED, 3));
  const s = g.setNew();
  g.join(r, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_READ, r, copied(COPY.COMPLETED, 3)]);
  assert.deepEqual(Array.from(new Uint32Array(g.memory.buffer, 64, 4)), [7, 0xffffffff, 0x12345678, 0]);
});

test('a zero-length write with a reader waiting completes at once and leaves the reader waiting', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  assert.equal(g.write(U8, w, 0, 0), copied(COPY.COMPLETED, 0));
  const s = g.setNew();
  g.join(r, s);
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
  g.store(100, [42]);
  assert.equal(g.write(U8, w, 100, 1), copied(COPY.COMPLETED, 1));
  assert.deepEqual(g.poll(s), [EV.STREAM_READ, r, copied(COPY.COMPLETED, 1)]);
});

test('a zero-length write waits for a reader and completes with no progress when one arrives', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.equal(g.write(U8, w, 0, 0), BLOCKED);
  const s = g.setNew();
  g.join(w, s);
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
  // The reader now waits, and the writer knows it may write.
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w, copied(COPY.COMPLETED, 0)]);
  g.store(100, [5, 6]);
  assert.equal(g.write(U8, w, 100, 2), copied(COPY.COMPLETED, 2));
});

test('a zero-length read waits for a writer and completes with no progress when one arrives', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.equal(g.read(U8, r, 0, 0), BLOCKED);
  assert.equal(g.write(U8, w, 100, 3), BLOCKED);
  const s = g.setNew();
  g.join(r, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_READ, r, copied(COPY.COMPLETED, 0)]);
  // The write still waits, for a read with room.
  g.join(w, s);
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
  assert.equal(g.read(U8, r, 0, 8), copied(COPY.COMPLETED, 3));
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w, copied(COPY.COMPLETED, 3)]);
});

test('a unit stream moves counts of elements and never touches memory', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(UNIT);
  const before = g.bytes(16, 1024);
  // No memory is read or written, so no pointer is checked.
  assert.equal(g.write(UNIT, w, 0xfffffff0, 5), BLOCKED);
  assert.equal(g.read(UNIT, r, 0xffff, 3), copied(COPY.COMPLETED, 3));
  assert.equal(g.read(UNIT, r, 1, 10), copied(COPY.COMPLETED, 2));
  const s = g.setNew();
  g.join(w, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w, copied(COPY.COMPLETED, 5)]);
  assert.equal(g.read(UNIT, r, 3, 1000), BLOCKED);
  assert.equal(g.write(UNIT, w, 7, 400), copied(COPY.COMPLETED, 400));
  g.join(r, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_READ, r, copied(COPY.COMPLETED, 400)]);
  assert.deepEqual(g.bytes(16, 1024), before);
});

test('a unit stream between two instances: the reader is told when the writer is dropped', () => {
  const a = new Guest();
  const b = new Guest();
  const [r, w] = a.streamNew(UNIT);
  // Pass the readable end to b, as a parameter of type stream<_> is.
  const rb = lowerEnd(b.inst, liftEnd(a.inst, r, UNIT.t, true));
  assert.equal(b.read(UNIT, rb, 0, 4), BLOCKED);
  assert.equal(a.write(UNIT, w, 0, 3), copied(COPY.COMPLETED, 3));
  // The read still has room for one: the next write fills it.
  assert.equal(a.write(UNIT, w, 0, 3), copied(COPY.COMPLETED, 1));
  assert.equal(a.write(UNIT, w, 0, 3), BLOCKED);
  assert.equal(a.cancelWrite(UNIT, w), copied(COPY.CANCELLED, 0));
  a.dropWritable(UNIT, w);
  const s = b.setNew();
  b.join(rb, s);
  // The read's event is made when it is delivered: it tells both the progress and the drop.
  assert.deepEqual(b.poll(s), [EV.STREAM_READ, rb, copied(COPY.DROPPED, 4)]);
  assertTrap(() => b.read(UNIT, rb, 0, 4), /no more copies are possible/);
  b.join(rb, 0);
  b.dropReadable(UNIT, rb);
  b.setDrop(s);
});

test('a future carries one value; a write with a reader waiting completes at once', () => {
  const g = new Guest();
  const [r, w] = g.futureNew(U32);
  assert.equal(g.futureRead(U32, r, 64), BLOCKED);
  new DataView(g.memory.buffer).setUint32(16, 0xdeadbeef, true);
  assert.equal(g.futureWrite(U32, w, 16), COPY.COMPLETED);
  const s = g.setNew();
  g.join(r, s);
  assert.deepEqual(g.poll(s), [EV.FUTURE_READ, r, COPY.COMPLETED]);
  assert.equal(new DataView(g.memory.buffer).getUint32(64, true), 0xdeadbeef);
  // Both ends are done: no second value, in either direction.
  assertTrap(() => g.futureWrite(U32, w, 16), 'the future already delivered its value: no more copies are possible');
  assertTrap(() => g.futureRead(U32, r, 64), 'the future already delivered its value: no more copies are possible');
  g.dropWritable(U32, w, false);
  g.join(r, 0);
  g.dropReadable(U32, r, false);
});

test('a unit future: the write completes a waiting read with no value', () => {
  const g = new Guest();
  const [r, w] = g.futureNew(UNIT);
  assert.equal(g.futureWrite(UNIT, w, 0), BLOCKED);
  assert.equal(g.futureRead(UNIT, r, 0xffffffff), COPY.COMPLETED);
  const s = g.setNew();
  g.join(w, s);
  assert.deepEqual(g.poll(s), [EV.FUTURE_WRITE, w, COPY.COMPLETED]);
  g.join(w, 0);
  g.dropWritable(UNIT, w, false);
  g.dropReadable(UNIT, r, false);
});

test('the writable end of a future cannot be dropped before it wrote a value, even with a read pending', () => {
  const g = new Guest();
  const [r, w] = g.futureNew(U32);
  assertTrap(() => g.dropWritable(U32, w, false), 'cannot drop the writable end of a future before writing a value');
  assert.equal(g.futureRead(U32, r, 64), BLOCKED);
  assertTrap(() => g.dropWritable(U32, w, false), 'cannot drop the writable end of a future before writing a value');
  // The failed drops left the end in place: it can still write, and then drop.
  assert.equal(g.futureWrite(U32, w, 0), COPY.COMPLETED);
  g.dropWritable(U32, w, false);
  const s = g.setNew();
  g.join(r, s);
  assert.deepEqual(g.poll(s), [EV.FUTURE_READ, r, COPY.COMPLETED]);
});

test('the writer of a future whose reader was dropped gets DROPPED, and may then drop its end', () => {
  const g = new Guest();
  const [r, w] = g.futureNew(U32);
  g.dropReadable(U32, r, false);
  assert.equal(g.futureWrite(U32, w, 0), COPY.DROPPED);
  g.dropWritable(U32, w, false);
});

test('a future write pending when the reader drops is told DROPPED through its waitable set', () => {
  const g = new Guest();
  const [r, w] = g.futureNew(U32);
  assert.equal(g.futureWrite(U32, w, 0), BLOCKED);
  const s = g.setNew();
  g.join(w, s);
  g.dropReadable(U32, r, false);
  assert.deepEqual(g.poll(s), [EV.FUTURE_WRITE, w, COPY.DROPPED]);
  g.dropWritable(U32, w, false);
  g.setDrop(s);
});

test('an async cancel of a read with nothing written returns CANCELLED; the end can read again', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  assert.equal(g.cancelRead(U8, r), copied(COPY.CANCELLED, 0));
  // The cancelled read's buffer is gone: a write now waits.
  assert.equal(g.write(U8, w, 100, 2), BLOCKED);
  assert.equal(g.read(U8, r, 0, 4), copied(COPY.COMPLETED, 2));
});

test('a synchronous cancel of an end outside any waitable set returns CANCELLED', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.equal(g.write(U8, w, 0, 4), BLOCKED);
  assert.equal(g.cancelWrite(U8, w, false), copied(COPY.CANCELLED, 0));
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
});

test('a synchronous cancel of an end that left its waitable set returns CANCELLED', () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  const s = g.setNew();
  g.join(r, s);
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  g.join(r, 0);
  assert.equal(g.cancelRead(U8, r, false), copied(COPY.CANCELLED, 0));
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
  g.setDrop(s);
});

test('cancelling a write that reads already served reports CANCELLED with their progress', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  g.store(100, [1, 2, 3, 4, 5]);
  assert.equal(g.write(U8, w, 100, 5), BLOCKED);
  assert.equal(g.read(U8, r, 200, 2), copied(COPY.COMPLETED, 2));
  assert.equal(g.cancelWrite(U8, w), copied(COPY.CANCELLED, 2));
  // The rest of the write was withdrawn.
  assert.equal(g.read(U8, r, 200, 2), BLOCKED);
});

test('an async cancel of a read whose end is in a waitable set returns the result and leaves no event', () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  const s = g.setNew();
  g.join(r, s);
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  assert.equal(g.cancelRead(U8, r), copied(COPY.CANCELLED, 0));
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
  // The end stays in the set, and its next copy reports there.
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
});

test('an async cancel of a future read in a waitable set returns CANCELLED; the value can still be read later', () => {
  const g = new Guest();
  const [r, w] = g.futureNew(U32);
  const s = g.setNew();
  g.join(r, s);
  assert.equal(g.futureRead(U32, r, 64), BLOCKED);
  assert.equal(g.cancelRead(U32, r, true, false), COPY.CANCELLED);
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
  new DataView(g.memory.buffer).setUint32(16, 77, true);
  assert.equal(g.futureWrite(U32, w, 16), BLOCKED);
  assert.equal(g.futureRead(U32, r, 64), COPY.COMPLETED);
  assert.equal(new DataView(g.memory.buffer).getUint32(64, true), 77);
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
});

test('an async cancel of a copy that already completed returns its pending event, marked CANCELLED', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  const s = g.setNew();
  g.join(r, s);
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  assert.equal(g.write(U8, w, 100, 3), copied(COPY.COMPLETED, 3));
  // The read's event is pending (not yet delivered) when the reader cancels.
  assert.equal(g.cancelRead(U8, r), copied(COPY.CANCELLED, 3));
  assert.deepEqual(g.poll(s), [EV.NONE, 0, 0]);
});

test('a callback task cancels its read when a timeout fires, through the same waitable set', async () => {
  const g = new Guest();
  const lift = g.callbackLift(function* () {
    const [r, w] = g.streamNew(U8);
    const s = g.setNew();
    assert.equal(g.read(U8, r, 0, 4), BLOCKED);
    g.join(r, s);
    // A host timer as the timeout.
    const t = g.callHostAsync(() => new Promise((res) => setTimeout(res, 1)));
    g.join(t >> 4, s);
    const ev = yield WAIT(s);
    assert.deepEqual(ev, [EV.SUBTASK, t >> 4, SUB.RETURNED]);
    g.subtaskDrop(t >> 4);
    assert.equal(g.cancelRead(U8, r), copied(COPY.CANCELLED, 0));
    g.join(r, 0);
    g.dropReadable(U8, r);
    g.dropWritable(U8, w);
    g.setDrop(s);
    g.taskReturn(1);
  });
  assert.equal(await g.invoke(lift), 1);
});

test('cancel traps without a copy in progress, and while a synchronous copy waits on the end', async () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  assertTrap(() => g.cancelRead(U8, r), 'no copy is in progress on this end');
  assert.equal(g.read(U8, r, 0, 1), BLOCKED);
  assert.equal(g.cancelRead(U8, r), copied(COPY.CANCELLED, 0));
  assertTrap(() => g.cancelRead(U8, r), 'no copy is in progress on this end');
  // A thread that is ready when the synchronous read blocks cancels that read.
  const other = g.callbackLift(function* () {
    yield YIELD;
    g.cancelRead(U8, r);
  });
  const pending = g.invoke(other);
  assertTrap(() => g.run(() => g.read(U8, r, 0, 1, false)), 'a synchronous copy is waiting on this end');
  // The other call trapped on the reader's stack; its own caller sees no progress.
  await assertRejectsTrap(pending, 'deadlock detected: event loop cannot make further progress');
});

test('dropping the readable end gives a waiting writer DROPPED; the writer can then only drop', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  const s = g.setNew();
  g.join(w, s);
  assert.equal(g.write(U8, w, 100, 5), BLOCKED);
  g.dropReadable(U8, r);
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w, copied(COPY.DROPPED, 0)]);
  assertTrap(() => g.write(U8, w, 100, 5), 'the other end was dropped: no more copies are possible');
  g.dropWritable(U8, w);
  // Dropping the end took it out of the set.
  g.setDrop(s);
});

test("a drop after partial progress turns the writer's pending event into DROPPED with that progress", () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.equal(g.write(U8, w, 100, 5), BLOCKED);
  assert.equal(g.read(U8, r, 200, 2), copied(COPY.COMPLETED, 2));
  g.dropReadable(U8, r);
  const s = g.setNew();
  g.join(w, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w, copied(COPY.DROPPED, 2)]);
});

test('dropping the writable end gives a waiting reader DROPPED', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  const s = g.setNew();
  g.join(r, s);
  assert.equal(g.read(U8, r, 0, 8), BLOCKED);
  g.dropWritable(U8, w);
  assert.deepEqual(g.poll(s), [EV.STREAM_READ, r, copied(COPY.DROPPED, 0)]);
  g.dropReadable(U8, r);
  g.setDrop(s);
});

test('a callback task waiting on its write wakes with DROPPED when another task drops the reader', async () => {
  const g = new Guest();
  /** @type {string[]} */
  const log = [];
  let reader = 0;
  const writer = g.callbackLift(function* () {
    const [r, w] = g.streamNew(U8);
    reader = r;
    const s = g.setNew();
    assert.equal(g.write(U8, w, 100, 4), BLOCKED);
    g.join(w, s);
    log.push('writer waits');
    const ev = yield WAIT(s);
    log.push('writer woke');
    assert.deepEqual(ev, [EV.STREAM_WRITE, w, copied(COPY.DROPPED, 0)]);
    g.dropWritable(U8, w);
    g.setDrop(s);
    g.taskReturn(0);
  });
  const dropper = g.stackfulLift(() => {
    log.push('drop');
    g.dropReadable(U8, reader);
    g.taskReturn(1);
  });
  const done = g.invoke(writer);
  assert.equal(await g.invoke(dropper), 1);
  await done;
  assert.deepEqual(log, ['writer waits', 'drop', 'writer woke']);
});

test('an end cannot be dropped while its copy is in progress', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  assertTrap(() => g.dropReadable(U8, r), 'cannot drop an end while a copy is in progress');
  // Nor while its event is pending: the copy is still in progress until delivered.
  assert.equal(g.write(U8, w, 100, 4), copied(COPY.COMPLETED, 4));
  assertTrap(() => g.dropReadable(U8, r), 'cannot drop an end while a copy is in progress');
  const [fr] = g.futureNew(U32);
  assert.equal(g.futureRead(U32, fr, 0), BLOCKED);
  assertTrap(() => g.dropReadable(U32, fr, false), 'cannot drop an end while a copy is in progress');
});

test('dropping a stream or future end twice traps', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  g.dropReadable(U8, r);
  assertTrap(() => g.dropReadable(U8, r), `unknown handle index ${r}`);
  g.dropWritable(U8, w);
  assertTrap(() => g.dropWritable(U8, w), `unknown handle index ${w}`);
  const [fr, fw] = g.futureNew(UNIT);
  g.dropReadable(UNIT, fr, false);
  assert.equal(g.futureWrite(UNIT, fw, 0), COPY.DROPPED);
  g.dropWritable(UNIT, fw, false);
  assertTrap(() => g.dropWritable(UNIT, fw, false), `unknown handle index ${fw}`);
  assertTrap(() => g.dropReadable(UNIT, fr, false), `unknown handle index ${fr}`);
});

test('a second copy on an end with one in progress traps', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  assert.equal(g.read(U8, r, 0, 4), BLOCKED);
  assertTrap(() => g.read(U8, r, 0, 4), 'a copy is already in progress on this end');
  assert.equal(g.cancelRead(U8, r), copied(COPY.CANCELLED, 0));
  assert.equal(g.write(U8, w, 0, 4), BLOCKED);
  assertTrap(() => g.write(U8, w, 0, 4), 'a copy is already in progress on this end');
});

test('copy buffers are checked: alignment and bounds of the element type', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U32);
  assertTrap(() => g.read(U32, r, 2, 1), 'stream buffer pointer is not aligned');
  assertTrap(() => g.write(U32, w, 65536 - 8, 3), 'stream buffer out of bounds');
  // A zero-length buffer is not checked.
  assert.equal(g.read(U32, r, 3, 0), BLOCKED);
  assert.equal(g.write(U32, w, 65536, 0), copied(COPY.COMPLETED, 0));
});

test('a synchronous copy runs other ready threads until one completes it', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  /** @type {string[]} */
  const log = [];
  // A task that is ready to run (it yielded) when the synchronous read blocks.
  const producer = g.callbackLift(function* () {
    log.push('producer starts');
    yield YIELD;
    log.push('producer writes');
    g.store(300, [8, 9]);
    assert.equal(g.write(U8, w, 300, 2), copied(COPY.COMPLETED, 2));
    g.taskReturn(0);
  });
  const done = g.invoke(producer);
  const result = g.run(() => {
    log.push('read');
    const n = g.read(U8, r, 0, 4, false);
    log.push('read done');
    return n;
  });
  assert.equal(result, copied(COPY.COMPLETED, 2));
  assert.deepEqual(g.bytes(0, 2), [8, 9]);
  assert.deepEqual(log, ['producer starts', 'read', 'producer writes', 'read done']);
  return done;
});

test('a synchronous copy that nothing can complete, in a synchronous call, traps', () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  assertTrap(() => g.run(() => g.read(U8, r, 0, 4, false)), /^cannot block a synchronous task before returning: no thread of the instance can end the wait of /);
  assert.ok(g.poisoned);
});

test('a synchronous copy cannot use an end that is in a waitable set', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  const s = g.setNew();
  g.join(w, s);
  assertTrap(() => g.write(U8, w, 0, 1, false), 'a synchronous copy cannot use an end that is in a waitable set');
  g.join(w, 0);
  assert.equal(g.read(U8, r, 0, 1), BLOCKED);
  assert.equal(g.write(U8, w, 0, 1, false), copied(COPY.COMPLETED, 1));
});

test('values other than numbers cannot move between two ends held by one instance', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(CHAR);
  assert.equal(g.read(CHAR, r, 0, 1), BLOCKED);
  assertTrap(() => g.write(CHAR, w, 16, 1), 'cannot copy values other than numbers between the two ends of a stream held by one instance');
});

test('a stream<char> between two instances moves values through load and store', () => {
  const a = new Guest();
  const b = new Guest();
  const [r, w] = a.streamNew(CHAR);
  const rb = lowerEnd(b.inst, liftEnd(a.inst, r, CHAR.t, true));
  const dv = new DataView(a.memory.buffer);
  [0x61, 0x1f600, 0xe9].forEach((c, i) => dv.setUint32(32 + 4 * i, c, true));
  assert.equal(a.write(CHAR, w, 32, 3), BLOCKED);
  assert.equal(b.read(CHAR, rb, 8, 2), copied(COPY.COMPLETED, 2));
  assert.equal(b.read(CHAR, rb, 16, 2), copied(COPY.COMPLETED, 1));
  const out = new DataView(b.memory.buffer);
  assert.deepEqual([out.getUint32(8, true), out.getUint32(12, true), out.getUint32(16, true)], [0x61, 0x1f600, 0xe9]);
});

test('an end in a waitable set, or copying, cannot be passed to another instance', () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  const s = g.setNew();
  g.join(r, s);
  assertTrap(() => liftEnd(g.inst, r, U8.t, true), 'cannot pass a stream end that is in a waitable set');
  const [fr] = g.futureNew(U8);
  assert.equal(g.futureRead(U8, fr, 0), BLOCKED);
  assertTrap(() => liftEnd(g.inst, fr, U8.t, false), 'cannot pass a future end that is copying or done');
});

test('guest writes reach a host ReadableStream; a write waits until the host pulls', async () => {
  const g = new Guest();
  /** @type {ReadableStream<Uint8Array> | null} */
  let stream = null;
  /** @type {string[]} */
  const log = [];
  const lift = g.callbackLift(function* () {
    const [r, w] = g.streamNew(U8);
    stream = streamToJs(liftEnd(g.inst, r, U8.t, true), true);
    const s = g.setNew();
    g.join(w, s);
    for (const chunk of [[1, 2, 3], [4]]) {
      g.store(100, chunk);
      const n = g.write(U8, w, 100, chunk.length);
      log.push(n === BLOCKED ? 'write waits' : 'write done');
      if (n === BLOCKED) {
        const ev = yield WAIT(s);
        assert.deepEqual(ev, [EV.STREAM_WRITE, w, copied(COPY.COMPLETED, chunk.length)]);
        log.push('write done');
      }
    }
    g.join(w, 0);
    g.dropWritable(U8, w);
    g.setDrop(s);
    g.taskReturn(0);
  });
  const done = g.invoke(lift);
  assert.ok(stream);
  /** @type {number[][]} */
  const got = [];
  for await (const c of /** @type {ReadableStream<Uint8Array>} */ (stream)) {
    log.push('host read');
    got.push(Array.from(c));
  }
  await done;
  assert.deepEqual(got, [[1, 2, 3], [4]]);
  // The host stream pulls once on its own; the second write waits for the host to read.
  assert.equal(log[0], 'write waits');
  assert.ok(log.indexOf('host read') < log.lastIndexOf('write done'), log.join(', '));
});

test('an instance that may not leave cannot use stream built-ins', () => {
  const g = new Guest();
  const [r] = g.streamNew(U8);
  g.inst.mayLeave = false;
  assertTrap(() => g.read(U8, r, 0, 1), 'cannot leave component instance');
  assertTrap(() => g.streamNew(U8), 'cannot leave component instance');
  assertTrap(() => g.dropReadable(U8, r), 'cannot leave component instance');
  g.inst.mayLeave = true;
});

test('stream.forward splices the writer of one stream to the reader of another, completing copies waiting on both', () => {
  const g = new Guest();
  const [r1, w1] = g.streamNew(U8);
  const [r2, w2] = g.streamNew(U8);
  g.store(100, [1, 2, 3]);
  assert.equal(g.write(U8, w1, 100, 3), BLOCKED);
  assert.equal(g.read(U8, r2, 200, 5), BLOCKED);
  endForward(g.inst, U8.t, true, r1, w2);
  // Forwarding consumed both handles.
  assertTrap(() => g.dropReadable(U8, r1), `unknown handle index ${r1}`);
  assertTrap(() => g.dropWritable(U8, w2), `unknown handle index ${w2}`);
  assert.deepEqual(g.bytes(200, 3), [1, 2, 3]);
  const s = g.setNew();
  g.join(w1, s);
  g.join(r2, s);
  assert.deepEqual(g.poll(s), [EV.STREAM_WRITE, w1, copied(COPY.COMPLETED, 3)]);
  assert.deepEqual(g.poll(s), [EV.STREAM_READ, r2, copied(COPY.COMPLETED, 3)]);
  // Dropping the first stream's writer now reaches the second stream's reader.
  assert.equal(g.read(U8, r2, 200, 5), BLOCKED);
  g.join(w1, 0);
  g.dropWritable(U8, w1);
  assert.deepEqual(g.poll(s), [EV.STREAM_READ, r2, copied(COPY.DROPPED, 0)]);
});

test('stream.forward of the two ends of one stream drops both', () => {
  const g = new Guest();
  const [r, w] = g.streamNew(U8);
  endForward(g.inst, U8.t, true, r, w);
  assertTrap(() => g.dropReadable(U8, r), `unknown handle index ${r}`);
  assertTrap(() => g.dropWritable(U8, w), `unknown handle index ${w}`);
});

test('stream.forward traps for an end that is copying or in a waitable set', () => {
  const g = new Guest();
  const [r1] = g.streamNew(U8);
  const [, w2] = g.streamNew(U8);
  assert.equal(g.read(U8, r1, 0, 1), BLOCKED);
  assertTrap(() => endForward(g.inst, U8.t, true, r1, w2), 'cannot forward a readable end that is not idle');
  const [r3] = g.streamNew(U8);
  const s = g.setNew();
  g.join(w2, s);
  assertTrap(() => endForward(g.inst, U8.t, true, r3, w2), 'cannot forward a writable end that is in a waitable set');
});
