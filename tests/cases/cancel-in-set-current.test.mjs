import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/cancel-in-set-current.js`);

test('a sync cancel of an end in a waitable set traps, as the spec says', async () => {
  const inst = await instantiate(undefined, {});
  await assert.rejects(
    async () => inst.run(),
    (e) => e instanceof WebAssembly.RuntimeError && /synchronous cancel cannot use an end that is in a waitable set/.test(e.message),
  );
});
