import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const dir = process.env.WEFT_OUT;

for (const mode of ['esm', 'jco']) {
  test(`--tla-compat (${mode}): exports are set once $init settles`, async () => {
    const mod = await import(`${dir}/${mode}/tla-compat.js`);
    // Importing did not wait for instantiation: there is no top-level await.
    assert.equal(mod.add, undefined);
    assert.ok(mod.$init instanceof Promise);
    await mod.$init;
    assert.equal(mod.add(40, 2), 42);
    const dts = await readFile(`${dir}/${mode}/tla-compat.d.ts`, 'utf8');
    assert.match(dts, /export declare const \$init: Promise<void>;/);
  });
}

test('--tla-compat leaves instantiation output alone', async () => {
  const { instantiate } = await import(`${dir}/inst/tla-compat.js`);
  assert.equal((await instantiate()).add(1, 2), 3);
});
