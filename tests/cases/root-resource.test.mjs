import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

for (const sub of ['esm', 'jco']) {
  test(`${sub}: a root-level resource is a class with its constructor, methods and statics`, async () => {
    const m = await import(`${dir}/${sub}/root-resource.js`);
    assert.equal(m.R, m.r);
    assert.deepEqual(Object.keys(m).sort(), ['R', 'plain', 'r']);
    const a = new m.R(7);
    assert.ok(a instanceof m.R);
    assert.equal(a.get(), 7);
    assert.equal(m.R.twice(4).get(), 8);
    assert.equal(m.plain(5).get(), 10);
    a[Symbol.dispose]();
    assert.throws(() => a.get(), { name: 'TypeError', message: /not a valid r resource/ });
  });
}

test('instantiate: the same class', async () => {
  const { instantiate } = await import(`${dir}/inst/root-resource.js`);
  const inst = await instantiate();
  assert.equal(new inst.R(3).get(), 3);
});
