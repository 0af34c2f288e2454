import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
// (module (func (block (try_table (catch_all 0)))))
const tryTable = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 13, 1, 11, 0, 2, 64, 31, 64, 1, 2, 0, 11, 11, 11]);
const skip = WebAssembly.validate(tryTable) ? false : 'this engine has no try_table';
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

/** An instance whose `fail` runs `fail` and whose `h` objects' [Symbol.dispose] runs `dispose`. */
async function make(fail, dispose) {
  const { instantiate } = await import(`${dir}/inst/host-throw-caught.js`);
  return instantiate(undefined, {
    h: { default: class {} },
    fail: { default: fail },
    'make-h': { default: () => ({ [Symbol.dispose]: dispose }) },
  });
}

test('host calls that return leave the instance usable', { skip }, async () => {
  const inst = await make(() => {}, () => {});
  assert.equal(inst.catchFail(), 0);
  assert.equal(inst.catchDrop(), 0);
  assert.equal(inst.fine(), 5);
});

for (const [what, error] of [
  ['a TypeError', new TypeError('host says no')],
  ['an Error', new Error('host says no')],
]) {
  const thrower = () => { throw error; };
  test(`a guest that catches ${what} a host import threw leaves its instance poisoned`, { skip }, async () => {
    const inst = await make(thrower, () => {});
    assert.equal(inst.catchFail(), 1);
    assert.throws(() => inst.fine(), poisoned);
  });

  test(`a guest that catches ${what} a host [Symbol.dispose] threw leaves its instance poisoned`, { skip }, async () => {
    const inst = await make(() => {}, thrower);
    assert.equal(inst.catchDrop(), 1);
    assert.throws(() => inst.fine(), poisoned);
  });
}
