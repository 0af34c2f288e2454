import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

for (const sub of ['esm', 'jco']) {
  test(`${sub}: lifted resource built-ins without core code`, async () => {
    const m = await import(`${dir}/${sub}/lifted-builtins-only.js`);
    const a = m.make(5);
    assert.ok(a instanceof m.R);
    m.drop(m.make(6));
    // A borrow of the component's own resource lowers to its rep: `resource.rep` of
    // rep 5 is handle 5, which the table does not have.
    assert.throws(() => m.repOf(a), /unknown handle index 5/);
  });
}
