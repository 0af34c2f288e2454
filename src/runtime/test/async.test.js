// The async runtime without generated code: streams and futures between the host's
// JS values, waitable sets, and the scheduler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamFromJs, streamToJs, futureFromJs, futureToJs, newEnds, HostSource, HostSink } from '../stream.js';
import { Waitable, WaitableSet, waitableSetNew, waitableSetPoll, waitableJoin } from '../waitable.js';
import { AsyncInstance } from '../task.js';
import { HandleTable } from '../handles.js';
import { sched } from '../scheduler.js';

test('a stream<u8> from a ReadableStream reaches a ReadableStream in the same chunks', async () => {
  const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array(70000).fill(7), new Uint8Array([9])];
  const src = new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(x);
      c.close();
    },
  });
  const out = [];
  for await (const c of streamToJs(streamFromJs(src, 1, true, true), true)) out.push(c);
  assert.deepEqual(out.map((c) => c.length), [3, 70000, 1]);
  assert.deepEqual(out[0], chunks[0]);
  assert.equal(sched.hostPending, 0);
});

test('a stream<T> of values from an async iterable', async () => {
  async function* gen() {
    yield 'a';
    yield 'b';
  }
  const out = [];
  for await (const v of streamToJs(streamFromJs(gen(), 2, false, false), false)) out.push(v);
  assert.deepEqual(out, ['a', 'b']);
});

test('cancelling the reading ReadableStream drops the end and stops the source', async () => {
  let pulled = 0;
  const src = new ReadableStream({
    pull(c) {
      pulled++;
      c.enqueue(new Uint8Array([pulled]));
    },
  });
  const reader = streamToJs(streamFromJs(src, 1, true, true), true).getReader();
  assert.deepEqual((await reader.read()).value, new Uint8Array([1]));
  await reader.cancel();
  const before = pulled;
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(pulled - before <= 2);
});

test('a future from a promise settles the JS promise', async () => {
  assert.equal(await futureToJs(futureFromJs(Promise.resolve(42), 3, true)), 42);
  await assert.rejects(futureToJs(futureFromJs(Promise.reject(new Error('x')), 3, true)), /dropped/);
});

test('a host copy with nothing on the other side waits; dropping the writer reports DROPPED', async () => {
  const [r, w] = newEnds(4, true, null, true);
  const sink = new HostSink(10);
  const got = new Promise((resolve) => {
    r.onHostEvent = resolve;
  });
  r.copy(sink);
  w.drop();
  assert.equal((await got) & 0xf, 1);
  void HostSource;
});

test('waitable sets deliver pending events through poll', () => {
  const inst = new AsyncInstance(new HandleTable(), () => {});
  const si = waitableSetNew(inst);
  const w = new Waitable();
  const wi = inst.handles.add(w);
  waitableJoin(inst, wi, si);
  const mem = new WebAssembly.Memory({ initial: 1 });
  assert.equal(waitableSetPoll(inst, mem, si, 0), 0);
  w.setPendingEvent(() => [2, wi, 0x51]);
  assert.equal(waitableSetPoll(inst, mem, si, 8), 2);
  const dv = new DataView(mem.buffer);
  assert.equal(dv.getUint32(8, true), wi);
  assert.equal(dv.getUint32(12, true), 0x51);
  assert.ok(inst.handles.get(si) instanceof WaitableSet);
});

/** Lets the host side of a stream run (its source's promises and the copies). */
const turn = () => new Promise((r) => setTimeout(r, 0));
const COMPLETED = 0;
const DROPPED = 1;

test("a host source that ends while the guest's read holds the last write's event: that read is COMPLETED, DROPPED comes next", async () => {
  const r = streamFromJs([new Uint8Array([1, 2, 3])], 1, true, true);
  r.copy(new HostSink(10));
  await turn();
  // Dropped at once, the writer would have turned this event into DROPPED (with the data).
  assert.equal(r.getPendingEvent()[2], COMPLETED | (3 << 4));
  await turn();
  r.copy(new HostSink(10));
  assert.equal(r.getPendingEvent()[2], DROPPED);
  assert.equal(sched.hostPending, 0);
});

test('a zero-length read pending when a host source ends completes; DROPPED comes on the next read', async () => {
  /** @type {() => void} */
  let end = () => {};
  const ended = new Promise((resolve) => (end = () => resolve(undefined)));
  async function* src() {
    yield new Uint8Array([1]);
    await ended;
  }
  const r = streamFromJs(src(), 1, true, true);
  r.copy(new HostSink(10));
  await turn();
  assert.equal(r.getPendingEvent()[2], COMPLETED | (1 << 4));
  // A readiness check: nothing to read until the source says more.
  r.copy(new HostSink(0));
  await turn();
  assert.equal(r.hasPendingEvent(), false);
  end();
  await turn();
  assert.equal(r.getPendingEvent()[2], COMPLETED);
  await turn();
  r.copy(new HostSink(10));
  assert.equal(r.getPendingEvent()[2], DROPPED);
  assert.equal(sched.hostPending, 0);
});
