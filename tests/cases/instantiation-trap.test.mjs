import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/instantiation-trap.js`);

test('an out-of-bounds data segment fails instantiation where it is', async () => {
  const logged = [];
  await assert.rejects(instantiate(undefined, { log: { default: (n) => logged.push(n) } }), WebAssembly.RuntimeError);
  assert.deepEqual(logged, [1]);
});
