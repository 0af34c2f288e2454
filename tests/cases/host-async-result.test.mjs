import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/host-async-result.js`);
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

const make = (get) => instantiate(undefined, { get: { default: get } });

test('an async host import resolving to a string', async () => {
  const inst = await make(() => Promise.resolve('abc'));
  assert.equal(await inst.run(), 3);
  assert.equal(inst.fine(), 5);
});

test('an async host import resolving to a value of the wrong type poisons the caller', async () => {
  const inst = await make(() => Promise.resolve(42));
  await assert.rejects(inst.run(), TypeError);
  assert.throws(() => inst.fine(), poisoned);
});

test('an async host import rejecting poisons the caller', async () => {
  const inst = await make(() => Promise.reject(new Error('host says no')));
  await assert.rejects(inst.run(), { message: 'host says no' });
  assert.throws(() => inst.fine(), poisoned);
});
