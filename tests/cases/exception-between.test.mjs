import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/exception-between.js`);

// `(module (func (try_table)))`: node 20 has only the legacy exception instructions.
const tryTable = WebAssembly.validate(
  Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 0x1f, 0x40, 0, 0x0b, 0x0b),
);

test('a core exception between components is a trap that poisons the component', async () => {
  if (!tryTable) {
    // The component's caller catches with try_table, which this engine cannot compile.
    await assert.rejects(instantiate(undefined, {}), WebAssembly.CompileError);
    return;
  }
  const m = await instantiate(undefined, {});
  // The caller's catch_all catches the trap (a JS exception in core code)...
  assert.equal(m.g(), 1);
  // ...but the component is poisoned.
  assert.throws(() => m.g(), (e) => e.name === 'Trap' && e.poisoned === true);
});

const skip = tryTable ? false : 'the component uses try_table, which this engine cannot compile (the test above checks the CompileError)';

test('uncaught, a core exception between components leaves the component as that trap', { skip }, async () => {
  const m = await instantiate(undefined, {});
  assert.throws(
    () => m.h(),
    (e) => e instanceof WebAssembly.RuntimeError && e.name === 'Trap' && /^a core wasm exception was not caught inside the component$/.test(e.message),
  );
  assert.throws(() => m.g(), (e) => e.name === 'Trap' && e.poisoned === true);
});
