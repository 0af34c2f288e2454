import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

// `(module (memory i64 1))`: engines without memory64 (node 20) reject it.
const memory64 = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 4, 1]));

const greet = (name) => `hello, ${name}!`;

async function load() {
  const { instantiate } = await import(`${dir}/inst/memory64.js`);
  return instantiate(undefined, { greet: { default: greet } });
}

if (!memory64) {
  test('an engine without memory64 gets an error naming it', async () => {
    await assert.rejects(load(), /64-bit memories \(memory64\)/);
  });
} else {
  for (const mode of ['inst']) {
    test(`strings and lists cross a 64-bit memory (${mode})`, async () => {
      const m = await load();
      for (const s of ['', 'abc', 'naïve café', '😀 ok', 'x'.repeat(5000)]) {
        assert.equal(m.echo(s), s);
        assert.equal(m.echo16(s), s);
      }
      assert.deepEqual(m.echoStrings(['a', '', 'ünï', '😀']), ['a', '', 'ünï', '😀']);
      assert.equal(m.sum([1, 2, 3, 0xffffffff]), 6n + 0xffffffffn);
      assert.equal(m.sum(new Uint32Array(1000).fill(7)), 7000n);
    });

    test(`a latin1+utf16 length is tagged with 1 << 63 (${mode})`, async () => {
      const m = await load();
      assert.equal(m.rawLen16('café'), 4n);
      assert.equal(m.rawLen16('😀é'), (1n << 63n) | 3n);
    });

    test(`records with strings and lists use 8-byte pointers (${mode})`, async () => {
      const m = await load();
      const r = { a: 'first', b: ['x', 'yy', 'zzz'], c: 200 };
      assert.deepEqual(m.echoRec(r), r);
    });

    test(`spilled parameters are a tuple of 16-byte strings (${mode})`, async () => {
      const m = await load();
      const args = ['a', 'bb', 'ccc', 'dddd', '', 'é', '😀', 'x'.repeat(100), 'end'];
      const bytes = args.reduce((n, s) => n + new TextEncoder().encode(s).length, 0);
      assert.equal(m.lengths(...args), BigInt(bytes));
    });

    test(`a host import returns a string through a 64-bit out-pointer (${mode})`, async () => {
      const m = await load();
      assert.equal(m.callGreet('wasm'), 'hello, wasm!');
      assert.equal(m.callGreet('😀'), 'hello, 😀!');
    });

    test(`resources keep i64 reps (${mode})`, async () => {
      const m = await load();
      const big = (1n << 60n) + 5n;
      assert.equal(m.take(m.make(big)), big);
      assert.equal(m.dropped(), big);
    });

    test(`a bad value is a TypeError before the guest runs (${mode})`, async () => {
      const m = await load();
      assert.throws(() => m.echo(5), TypeError);
      assert.throws(() => m.echoRec({ a: 'x', b: [1], c: 0 }), TypeError);
      assert.equal(m.echo('still fine'), 'still fine');
    });
  }
}
