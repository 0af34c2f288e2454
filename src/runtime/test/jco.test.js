// `--compat jco`'s JS forms of streams, futures and results (`jco.js`), host to host:
// the ends a JS source or promise writes, read back in jco's forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamFromJs, futureFromJs } from '../stream.js';
import { JcoStream, JcoFuture, jcoResult, jcoRejectedAs, asyncFunction } from '../jco.js';
import { jcoErrPayloadString } from '../imports.js';
import { sched } from '../scheduler.js';

/** A `stream<string>` end written from `values` (jco's sources: one item each). */
const strings = (values) => streamFromJs(values, 2, false, false, null, true);

test('next() reads one item; read(n) up to n; then done, and the end is dropped', async () => {
  const s = new JcoStream(strings(['a', 'b', 'c']));
  assert.deepEqual(await s.next(), { value: 'a', done: false });
  // A host read takes what one write offers: the source wrote one item per write.
  assert.deepEqual(await s.read({ count: 5 }), { value: ['b'], done: false });
  assert.deepEqual(await s.read(1), { value: 'c', done: false });
  assert.deepEqual(await s.next(), { value: undefined, done: true });
  assert.deepEqual(await s.next(), { value: undefined, done: true });
  assert.equal(sched.hostPending, 0);
});

test('reads queue in order, and for await reads to the end', async () => {
  const s = new JcoStream(strings(['x', 'y', 'z']));
  const [a, b] = await Promise.all([s.next(), s.next()]);
  assert.deepEqual([a.value, b.value], ['x', 'y']);
  const rest = [];
  for await (const v of s) rest.push(v);
  assert.deepEqual(rest, ['z']);
});

test('a typed array a source yields is several numbers; read back by the host, each item is what was written', async () => {
  const end = streamFromJs([new Uint32Array([1, 2]), 3], 5, true, false, null, true);
  const s = new JcoStream(end);
  assert.deepEqual((await s.read(10)).value, new Uint32Array([1, 2]));
  assert.deepEqual((await s.next()).value, 3);
  assert.equal((await s.next()).done, true);
});

test('a value given with done: true is the last item', async () => {
  let n = 0;
  const src = { [Symbol.iterator]: () => ({ next: () => (++n < 2 ? { value: 'a', done: false } : { value: 'end', done: true }) }) };
  const out = [];
  for await (const v of new JcoStream(strings(src))) out.push(v);
  assert.deepEqual(out, ['a', 'end']);
});

test('disposing drops the end and stops the source; later reads are done', async () => {
  let pulled = 0;
  async function* src() {
    for (;;) yield String(++pulled);
  }
  const s = new JcoStream(strings(src()));
  assert.equal((await s.next()).value, '1');
  s[Symbol.dispose]();
  assert.deepEqual(await s.next(), { value: undefined, done: true });
  const before = pulled;
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(pulled - before <= 1);
  assert.equal(sched.hostPending, 0);
});

test('a future of a future keeps both layers', async () => {
  const inner = futureFromJs(Promise.resolve('deep'), 3, false);
  const outer = new JcoFuture(futureFromJs(Promise.resolve(inner), 4, false));
  assert.equal(typeof outer.then, 'function');
  const [a, b] = await Promise.all([outer, outer]);
  assert.equal(a, b);
  assert.ok(a instanceof JcoFuture);
  assert.equal(await a, 'deep');
});

test('a future whose writer is dropped rejects', async () => {
  const f = new JcoFuture(futureFromJs(Promise.reject(new Error('gone')), 3, false));
  await assert.rejects(Promise.resolve(f), /dropped/);
});

test('a rejected promise for a future<result> is its err, with the payload of jco rule', async () => {
  const end = futureFromJs(Promise.reject(new Error('nope')), 3, false, null, jcoRejectedAs(jcoErrPayloadString));
  assert.deepEqual(await new JcoFuture(end), { tag: 'err', val: 'nope' });
});

test('jcoResult: a tagged object is the result, anything else its ok payload', () => {
  assert.deepEqual(jcoResult({ tag: 'err', val: 1 }), { tag: 'err', val: 1 });
  assert.deepEqual(jcoResult({ tag: 'ok' }), { tag: 'ok' });
  assert.deepEqual(jcoResult('bare'), { tag: 'ok', val: 'bare' });
  assert.deepEqual(jcoResult({ tag: 'other' }), { tag: 'ok', val: { tag: 'other' } });
  assert.deepEqual(jcoResult(null), { tag: 'ok', val: null });
});

test('asyncFunction: instanceof AsyncFunction, and the promise returned is its own', async () => {
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const p = Promise.resolve(1);
  const f = asyncFunction(function f() {
    return p;
  });
  assert.ok(f instanceof AsyncFunction);
  assert.equal(f(), p);
});
