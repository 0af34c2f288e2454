import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
// (module (func (block (try_table (catch_all 0)))))
const tryTable = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 13, 1, 11, 0, 2, 64, 31, 64, 1, 2, 0, 11, 11, 11]);
const skip = WebAssembly.validate(tryTable) ? false : 'this engine has no try_table';
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

async function make() {
  const { instantiate } = await import(`${dir}/inst/trap-caught.js`);
  return instantiate();
}

test('a healthy instance answers', { skip }, async () => {
  const inst = await make();
  assert.equal(inst.fine(), 5);
  await inst.a();
});

for (const f of ['drop', 'subDrop']) {
  test(`${f}: a guest that catches a built-in's trap leaves its instance poisoned`, { skip }, async () => {
    const inst = await make();
    assert.equal(inst[f](), 1);
    assert.throws(() => inst.fine(), poisoned);
  });
}
