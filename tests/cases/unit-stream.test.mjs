import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/unit-stream.js`);
const MAX = 2 ** 28 - 1;

test('a unit stream copies 2^28 - 1 values as a count', async () => {
  const inst = await instantiate(undefined, {});
  assert.equal(await inst.copy(3), (3 * 16) >>> 0);
  assert.equal(await inst.copy(MAX), (MAX * 16) >>> 0);
});

test('a buffer of 2^28 values is the spec trap', async () => {
  const inst = await instantiate(undefined, {});
  await assert.rejects(async () => inst.copy(MAX + 1), /stream buffer length exceeds 2\^28 - 1/);
});
