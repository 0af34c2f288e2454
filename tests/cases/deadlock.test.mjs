import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/deadlock.js`);
const deadlock = { name: 'Trap', message: 'deadlock detected: event loop cannot make further progress' };

test('a callback task waiting on its own stream end is a deadlock', async () => {
  const { held } = await instantiate();
  await assert.rejects(held.waitOnOwnStream(), deadlock);
});

test('a callback task waiting on an empty set is a deadlock', async () => {
  const { held } = await instantiate();
  await assert.rejects(held.waitOnEmptySet(), deadlock);
});

test('a call held back by backpressure nothing can lower is a deadlock', async () => {
  const { held } = await instantiate();
  await held.hold();
  await assert.rejects(held.noop(), deadlock);
});

test('a call held back by backpressure a synchronous export can lower waits for it', async () => {
  const { lowering } = await instantiate();
  await lowering.hold();
  let done = false;
  const call = lowering.noop().then(() => { done = true; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(done, false);
  lowering.release();
  await call;
  assert.equal(done, true);
});

// The counter is 16 bits (with --lowered, a global of the module that its
// backpressure.inc and .dec move).
test('the backpressure counter traps below 0 and at 2^16', async () => {
  const low = (await instantiate()).lowering;
  assert.throws(() => low.release(), (e) => e.name === 'Trap' && e.message === 'backpressure counter underflow');
  const high = (await instantiate()).lowering;
  high.raise(0xffff);
  assert.throws(() => high.raise(1), (e) => e.name === 'Trap' && e.message === 'backpressure counter overflow');
});

test('--compat jco: async exports are async functions (jco checks instanceof AsyncFunction); native ones return promises', async () => {
  const AsyncFunction = (async () => {}).constructor;
  const jco = await (await import(`${dir}/jco-inst/deadlock.js`)).instantiate();
  assert.ok(jco.held.noop instanceof AsyncFunction);
  assert.ok(!(jco.lowering.release instanceof AsyncFunction));
  const { held } = await instantiate();
  assert.ok(!(held.noop instanceof AsyncFunction));
  assert.ok(held.noop() instanceof Promise);
});
