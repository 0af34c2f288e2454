import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/traps.js`);

/** Asserts `f` throws weft's Trap with a message matching `re`, and poisons `inst`. */
async function traps(call, re) {
  const inst = await instantiate(undefined, {});
  assert.throws(() => call(inst), (e) => e instanceof WebAssembly.RuntimeError && e.name === 'Trap' && re.test(e.message));
  assert.throws(() => inst.enumOf(0), /cannot enter component instance/);
}

test('misaligned result pointer', () => traps((i) => i.retStringAt(2), /not aligned to 4 bytes/));
test('result pointer out of bounds', () => traps((i) => i.retStringAt(65532), /out of bounds/));
test('invalid UTF-8', () => traps((i) => i.badUtf8(), /invalid UTF-8/));
test('list out of bounds', () => traps((i) => i.oobList(), /out of bounds/));
test('enum discriminant out of range', () => traps((i) => i.enumOf(2), /invalid discriminant/));
test('option discriminant out of range', () => traps((i) => i.optionOf(2), /invalid discriminant/));

test('valid values lift normally', async () => {
  const inst = await instantiate(undefined, {});
  assert.equal(inst.enumOf(1), 'b');
  assert.equal(inst.optionOf(0), null);
});
