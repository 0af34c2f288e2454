// The `memory64` guest (memory64.wat): components whose memories and tables are 64-bit
// (🐘 memory64). Where the engine has memory64 (node 24, Chromium): strings, lists,
// records and spilled parameters through 8-byte pointers, `latin1+utf16` lengths tagged
// with 1 << 63, a host import's out-pointer, i64 resource reps, fused adapters between
// 32- and 64-bit memories both ways, the async built-ins, and threads of a 64-bit table.
// Without it (node 20), instantiating is a WebAssembly.CompileError naming memory64.
// Runs in node and in the page (see ../testing.mjs).
import { assert, loadGuest, test } from '../testing.mjs';

const imports = () => ({
  greet: { default: (name) => `hello, ${name}!` },
  upper: {
    default: async (s) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return s.toUpperCase();
    },
  },
});
const { instantiate } = await loadGuest('memory64');
const needs = ['memory64', 'instances'];

test('an engine without memory64 gets a CompileError naming it', { needs: ['no-memory64', 'instances'] }, async () => {
  await assert.rejects(instantiate(imports()), (e) => e instanceof WebAssembly.CompileError && /memory64/.test(e.message));
});

test('strings and lists cross a 64-bit memory', { needs }, async () => {
  const { basic } = await instantiate(imports());
  for (const s of ['', 'abc', 'naïve café', '😀 ok', 'x'.repeat(5000)]) {
    assert.equal(basic.echo(s), s);
    assert.equal(basic.echo16(s), s);
  }
  assert.deepEqual(basic.echoStrings(['a', '', 'ünï', '😀']), ['a', '', 'ünï', '😀']);
  assert.equal(basic.sum([1, 2, 3, 0xffffffff]), 6n + 0xffffffffn);
  assert.equal(basic.sum(new Uint32Array(1000).fill(7)), 7000n);
});

test('a latin1+utf16 length is tagged with 1 << 63', { needs }, async () => {
  const { basic } = await instantiate(imports());
  assert.equal(basic.rawLen16('café'), 4n);
  assert.equal(basic.rawLen16('😀é'), (1n << 63n) | 3n);
});

test('records with strings and lists use 8-byte pointers', { needs }, async () => {
  const { basic } = await instantiate(imports());
  const r = { a: 'first', b: ['x', 'yy', 'zzz'], c: 200 };
  assert.deepEqual(basic.echoRec(r), r);
});

test('spilled parameters are a tuple of 16-byte strings', { needs }, async () => {
  const { basic } = await instantiate(imports());
  const args = ['a', 'bb', 'ccc', 'dddd', '', 'é', '😀', 'x'.repeat(100), 'end'];
  const bytes = args.reduce((n, s) => n + new TextEncoder().encode(s).length, 0);
  assert.equal(basic.lengths(...args), BigInt(bytes));
});

test('a host import returns a string through a 64-bit out-pointer', { needs }, async () => {
  const { basic } = await instantiate(imports());
  assert.equal(basic.callGreet('wasm'), 'hello, wasm!');
  assert.equal(basic.callGreet('😀'), 'hello, 😀!');
});

test('resources keep i64 reps', { needs }, async () => {
  const { basic } = await instantiate(imports());
  const big = (1n << 60n) + 5n;
  assert.equal(basic.take(basic.make(big)), big);
  assert.equal(basic.dropped(), big);
});

test('a bad value is a TypeError before the guest runs', { needs }, async () => {
  const { basic } = await instantiate(imports());
  assert.throws(() => basic.echo(5), TypeError);
  assert.throws(() => basic.echoRec({ a: 'x', b: [1], c: 0 }), TypeError);
  assert.equal(basic.echo('still fine'), 'still fine');
});

const records = [
  { s: '', xs: [], v: { tag: 'b', value: 0n }, n: 0 },
  { s: 'plain ascii', xs: ['one', 'two', 'three'], v: { tag: 'a', value: 'case a' }, n: 7 },
  { s: 'latin-1: café ñ', xs: ['é', '', 'ü'], v: { tag: 'b', value: (1n << 64n) - 1n }, n: 255 },
  { s: 'wide: 😀 ✓ 中文', xs: ['😀', 'x'.repeat(300), '中'], v: { tag: 'a', value: '😀é' }, n: 1 },
];

for (const [side, what] of [['a', '32-bit caller into a 64-bit callee'], ['b', '64-bit caller into a 32-bit callee']]) {
  test(`records move between memories of two address types: ${what}`, { needs }, async () => {
    const m = await instantiate(imports());
    for (const r of records) assert.deepEqual(m[side].run(r), r);
  });
}

test('the adapters\' callees echo JS values directly', { needs }, async () => {
  const m = await instantiate(imports());
  for (const r of records) {
    assert.deepEqual(m.c64.echo(r), r);
    assert.deepEqual(m.c32.echo(r), r);
  }
});

test('an async lower and task.return pass strings through i64 pointers', { needs }, async () => {
  const m = await instantiate(imports());
  assert.equal(await m.async.shout('hello, 64 bits'), 'HELLO, 64 BITS');
  assert.deepEqual(await Promise.all(['a', 'é', '😀x'].map((s) => m.async.shout(s))), ['A', 'É', '😀X']);
});

test('a stream copy and waitable-set.poll with a 64-bit memory', { needs }, async () => {
  const m = await instantiate(imports());
  const r = m.async.pipe('stream me');
  // The write blocked (BLOCKED, as an i64); the read took its 9 bytes (COMPLETED);
  // the poll saw the write's event (STREAM_WRITE = 3) with its 9 bytes written.
  assert.deepEqual(r, { written: 0xffffffffn, read: 9n << 4n, event: 3, handle: r.handle, result: 9 << 4, data: 'stream me' });
});

test('an error context stores its message through a 64-bit out-pointer', { needs }, async () => {
  const m = await instantiate(imports());
  assert.equal(m.async.message('what went wrong: ñ'), 'what went wrong: ñ');
});

test('threads of a 64-bit table get i64 closures and i64 context slots', { needs: [...needs, 'jspi'] }, async () => {
  const m = await instantiate(imports());
  for (const n of [0, 1, 5]) {
    const want = BigInt(n) * (1n << 40n) + BigInt((n * (n - 1)) / 2);
    assert.equal(await m.threads.run(n), want);
  }
});
