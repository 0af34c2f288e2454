import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/core-exceptions.js`);

const isTrap = (e) =>
  e instanceof WebAssembly.RuntimeError && e.name === 'Trap' && /core wasm exception/.test(e.message) && e.cause instanceof WebAssembly.Exception;

test('a core exception out of a sync export is a trap and poisons the instance', async () => {
  const inst = await instantiate(undefined, {});
  assert.throws(() => inst.sync(), isTrap);
  assert.throws(() => inst.fine(), /cannot enter component instance/);
});

test('a core exception out of an async export is a trap and poisons the instance', async () => {
  const inst = await instantiate(undefined, {});
  await assert.rejects(inst.async(), isTrap);
  assert.throws(() => inst.fine(), /cannot enter component instance/);
});

test('a component that can throw but does not works normally', async () => {
  const inst = await instantiate(undefined, {});
  assert.equal(inst.fine(), 5);
  assert.equal(inst.fine(), 5);
});
