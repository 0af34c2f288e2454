import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/error-context.js`);

test('the debug message is stored at an in-bounds pointer', async () => {
  const inst = await instantiate(undefined, {});
  assert.equal(inst.messageLength(8), 4);
  assert.equal(inst.messageLength(65528), 4);
});

test('a debug-message pointer out of bounds traps and poisons the instance', async () => {
  const inst = await instantiate(undefined, {});
  for (const p of [65532, 0xffffffff]) {
    const fresh = await instantiate(undefined, {});
    assert.throws(
      () => fresh.messageLength(p),
      (e) => e instanceof WebAssembly.RuntimeError && e.name === 'Trap' && /debug message pointer is out of bounds/.test(e.message),
    );
    assert.throws(() => fresh.messageLength(8), /cannot enter component instance/);
  }
  assert.equal(inst.messageLength(16), 4);
});
