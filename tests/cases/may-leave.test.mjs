import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/may-leave.js`);
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

async function make() {
  const log = [];
  const inst = await instantiate(undefined, { log: { default: (v) => log.push(v) } });
  return { inst, log };
}

test('a host import called during the call itself is fine', async () => {
  const { inst, log } = await make();
  assert.equal(inst.g(), 8);
  await inst.a();
  assert.deepEqual(log, [1]);
});

test('a host import called from post-return traps and poisons the instance', async () => {
  const { inst, log } = await make();
  assert.throws(() => inst.f(), { name: 'Trap', message: 'cannot leave component instance' });
  assert.deepEqual(log, []);
  assert.throws(() => inst.g(), poisoned);
});
