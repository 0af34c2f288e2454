// `--compat jco` for components that use async: the forms jco 1.35 gives streams,
// futures and async exports (docs/js-api.md, "`--compat jco`"), on the `async-basics`
// guest transpiled with `--compat jco --instantiation`.
//
//   WEFT_JCO_OUT=<dir holding async-basics/> node --test tests/compat/jco-async.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = join(process.env.WEFT_JCO_OUT, 'async-basics');
const { instantiate } = await import(pathToFileURL(join(dir, 'async-basics.js')).href);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const host = {
  hostUpper: async (s) => s.toUpperCase(),
  hostSleep: (ms) => sleep(ms),
};
const fresh = async () => {
  const inst = await instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), { 'weft:test/async-host': host });
  return inst['weft:test/async-api'] ?? inst.asyncApi;
};
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

test('async exports pass `instanceof AsyncFunction`; sync ones do not', async () => {
  const api = await fresh();
  assert.ok(api.echo instanceof AsyncFunction);
  assert.ok(api.makeFuture instanceof AsyncFunction);
  assert.ok(!(api.syncAdd instanceof AsyncFunction));
  assert.equal(await api.echo('hi'), 'hi');
});

test('a stream result is a reader: next() reads one item, read(n) up to n of one write', async () => {
  const api = await fresh();
  const s = await api.produce(10, 4);
  assert.equal(typeof s.next, 'function');
  assert.equal(s[Symbol.asyncIterator](), s);
  const first = await s.next();
  assert.equal(first.done, false);
  assert.deepEqual(first.value, new Uint8Array([0]));
  // The rest of the guest's first write (3 bytes), then its next writes.
  assert.deepEqual((await s.read(100)).value, new Uint8Array([1, 2, 3]));
  assert.deepEqual((await s.read({ count: 100 })).value, new Uint8Array([4, 5, 6, 7]));
  const rest = [];
  for await (const v of s) rest.push(...v);
  assert.deepEqual(rest, [8, 9]);
  assert.deepEqual(await s.next(), { value: undefined, done: true });
  await assert.rejects(s.read(0), TypeError);
});

test('disposing a stream result drops its end: the next read is done', async () => {
  const api = await fresh();
  const s = await api.produce(1000, 10);
  s[Symbol.dispose]();
  assert.deepEqual(await s.next(), { value: undefined, done: true });
  // The instance goes on: the guest's writer saw its reader dropped.
  assert.equal(await api.echo('after'), 'after');
});

test('stream sources yield one element per item (stream<u8> too); a value given with done: true is the last', async () => {
  const api = await fresh();
  assert.equal(await api.sumBytes([1, 2, 3]), 6n);
  let n = 0;
  const last = {
    [Symbol.asyncIterator]: () => ({
      next: async () => (++n < 3 ? { value: 'x', done: false } : { value: 'last', done: true }),
    }),
  };
  const out = [];
  for await (const v of await api.upperStream(last)) out.push(v);
  assert.deepEqual(out, ['X', 'X', 'LAST']);
});

test('a future result is a thenable the export resolves with, not its value', async () => {
  const api = await fresh();
  const f = await api.makeFuture('later');
  assert.equal(typeof f.then, 'function');
  assert.equal(await f, 'later');
  assert.equal(await f, 'later');
  assert.equal(await api.echoFuture(Promise.resolve('in')), 'in');
});

test('integers are checked against their range in a component that uses async', async () => {
  const api = await fresh();
  assert.throws(() => api.syncAdd(2 ** 32, 1), /arg 0: invalid u32 value/);
  assert.throws(() => api.syncAdd(1.5, 1), TypeError);
  assert.equal(api.syncAdd(2, 3), 5);
  await assert.rejects(api.sumBytes([1, 256]), /invalid u8 value/);
});
