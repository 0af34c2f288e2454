import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/dtor-throws-between.js`);

test("a core exception from another component's destructor is a trap that poisons the component", async () => {
  const m = await instantiate(undefined, {});
  assert.equal(m.fine(), 5);
  assert.throws(
    () => m.run(),
    (e) => e instanceof WebAssembly.RuntimeError && e.name === 'Trap' && /^a core wasm exception was not caught inside the component$/.test(e.message),
  );
  assert.throws(() => m.fine(), (e) => e.name === 'Trap' && e.poisoned === true);
});
