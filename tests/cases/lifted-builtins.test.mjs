import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

for (const sub of ['esm', 'jco']) {
  test(`${sub}: lifted resource built-ins make, read and drop handles`, async () => {
    const m = await import(`${dir}/${sub}/lifted-builtins.js`);
    const a = m.make(5);
    assert.ok(a instanceof m.R);
    // `rep-of` takes the handle (own): the component's table gets it, the object is spent.
    assert.equal(m.repOf(a), 5);
    assert.throws(() => m.repOf(a), { name: 'TypeError' });
    assert.equal(m.dropped(), 0);
    m.drop(m.make(6));
    assert.equal(m.dropped(), 6);
    const b = m.make(7);
    b[Symbol.dispose]();
    assert.equal(m.dropped(), 7);
  });
}
