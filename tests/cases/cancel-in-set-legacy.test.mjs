import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/cancel-in-set-legacy.js`);

test('wit-bindgen-rust < 0.59: a sync cancel takes the end out of its waitable set', async () => {
  const inst = await instantiate(undefined, {});
  assert.equal(await inst.run(), 2); // CANCELLED, nothing copied
});
