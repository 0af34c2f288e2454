import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/dtor-traps.js`);
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

test('a destructor that runs fine leaves the instance usable', async () => {
  const inst = await instantiate();
  inst.make(3)[Symbol.dispose]();
  assert.equal(inst.fine(), 5);
});

test('a trap in a destructor run by [Symbol.dispose] poisons the instance', async () => {
  const inst = await instantiate();
  assert.throws(() => inst.make(1)[Symbol.dispose](), { name: 'RuntimeError', message: 'unreachable' });
  assert.throws(() => inst.fine(), poisoned);
});

test('a core exception from a destructor reaches JS as a trap', async () => {
  const inst = await instantiate();
  assert.throws(
    () => inst.make(2)[Symbol.dispose](),
    (e) => e.name === 'Trap' && e.cause instanceof WebAssembly.Exception,
  );
  assert.throws(() => inst.fine(), poisoned);
});
