import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

// `(module (memory i64 1))`: engines without memory64 (node 20) reject it.
const memory64 = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 4, 1]));

const load = async () => (await import(`${dir}/inst/memory64-adapters.js`)).instantiate(undefined, {});

const records = [
  { s: '', xs: [], v: { tag: 'b', value: 0n }, n: 0 },
  { s: 'plain ascii', xs: ['one', 'two', 'three'], v: { tag: 'a', value: 'case a' }, n: 7 },
  { s: 'latin-1: café ñ', xs: ['é', '', 'ü'], v: { tag: 'b', value: (1n << 64n) - 1n }, n: 255 },
  { s: 'wide: 😀 ✓ 中文', xs: ['😀', 'x'.repeat(300), '中'], v: { tag: 'a', value: '😀é' }, n: 1 },
];

if (!memory64) {
  test('an engine without memory64 gets an error naming it', async () => {
    await assert.rejects(load(), (e) => e instanceof WebAssembly.CompileError && /memory64/.test(e.message));
  });
} else {
  for (const [side, what] of [['a', '32-bit caller into a 64-bit callee'], ['b', '64-bit caller into a 32-bit callee']]) {
    test(`records move between memories of two address types: ${what}`, async () => {
      const m = await load();
      for (const r of records) assert.deepEqual(m[side].run(r), r);
    });
  }

  test('the callees echo JS values directly', async () => {
    const m = await load();
    for (const r of records) {
      assert.deepEqual(m.c64.echo(r), r);
      assert.deepEqual(m.c32.echo(r), r);
    }
  });
}
