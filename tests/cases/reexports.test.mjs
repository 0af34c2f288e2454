import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

class Thing {
  constructor(n) {
    this.n = n;
  }
  get() {
    return this.n;
  }
}
const api = { Thing, add: (a, b) => a + b };

for (const [mode, key] of [['inst', 'test:host/api'], ['jco-inst', 'test:host/api']]) {
  test(`an imported instance re-exported is the host's object (${mode})`, async () => {
    const { instantiate } = await import(`${dir}/${mode}/reexports.js`);
    const e = await instantiate(() => {
      throw new Error('no core modules');
    }, { [key]: api });
    assert.equal(e['test:host/api'], api);
    assert.equal(e['test:host/api'].Thing, Thing);
    assert.equal(e.plus, api.add);
    assert.equal(e.plus(2, 3), 5);
  });
}

test('two instances re-export their own hosts', async () => {
  const { instantiate } = await import(`${dir}/inst/reexports.js`);
  const other = { Thing: class {}, add: () => 0 };
  const a = await instantiate(() => {}, { 'test:host/api': api });
  const b = await instantiate(() => {}, { 'test:host/api': other });
  assert.equal(a.plus, api.add);
  assert.equal(b.plus, other.add);
});
