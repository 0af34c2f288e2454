import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/async-borrows.js`);

test('a borrow lent to an async call between components ends when its result is delivered', async () => {
  const inst = await instantiate(undefined, {});
  assert.equal(await inst.run(0), 7);
  assert.equal(await inst.run(0), 7);
});

test('dropping a handle while an async call borrows it traps', async () => {
  const inst = await instantiate(undefined, {});
  await assert.rejects(inst.run(1), (e) => e.constructor.name === 'Trap' && /^cannot drop a handle that is lent out$/.test(e.message));
});
