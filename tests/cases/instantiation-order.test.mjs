import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/instantiation-order.js`);

test('segments, then the start function, instance by instance', async () => {
  const logged = [];
  const m = await instantiate(undefined, { log: { default: (n) => logged.push(n) } });
  // $A: its data (1); $B: its data (2) + 10 * $A's global (7) + 100 * $A's table slot
  // 1 (7); the second $A: its own memory's data (1).
  assert.deepEqual(logged, [1, 2 + 70 + 700, 1]);
  assert.equal(m.read(), 2);
  assert.equal(m.get(), 7);
  assert.equal(m.get2(), 7);
  // The shared table: slot 1 from $A, slot 2 from $B; slot 0 was never filled.
  assert.equal(m.slot(1), 7);
  assert.equal(m.slot(2), 9);
  assert.throws(() => m.slot(0), WebAssembly.RuntimeError);
});

test('a passive segment: copied by memory.init, then dropped', async () => {
  const m = await instantiate(undefined, { log: { default() {} } });
  assert.equal(m.initLater(), 42);
  assert.throws(() => m.initLater(), WebAssembly.RuntimeError);
});
