import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

test('exported core modules are WebAssembly.Modules (ESM)', async () => {
  const c = await import(`${dir}/esm/export-modules.js`);
  assert.ok(c.m instanceof WebAssembly.Module);
  assert.ok(c.n instanceof WebAssembly.Module);
  assert.equal(c.bag.m2, c.m);
  assert.deepEqual(WebAssembly.Module.exports(c.m), [{ name: 'answer', kind: 'function' }]);
  const { exports } = await WebAssembly.instantiate(c.m, {});
  assert.equal(exports.answer(), 42);
  // The module the component instantiated is the one exported: a fresh instance of it.
  const n = await WebAssembly.instantiate(c.n, {});
  assert.equal(n.exports.seven(), 7);
  assert.equal(c.seven(), 7);
});

test('each instantiate() hands out the compiled modules', async () => {
  const { instantiate } = await import(`${dir}/inst/export-modules.js`);
  const compile = (p) => {
    throw new Error(`no core files expected (${p})`);
  };
  const a = await instantiate(compile, {});
  assert.ok(a.m instanceof WebAssembly.Module);
  assert.equal((await WebAssembly.instantiate(a.m, {})).exports.answer(), 42);
});
