import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const m = await import(`${dir}/esm/linking.js`);

test('each instance of a nested component has its own state', () => {
  assert.equal(m.aNext(), 1);
  assert.equal(m.aNext(), 2);
  assert.equal(m.bNext(), 1);
  assert.equal(m.aNext(), 3);
});

test('resource types are generative per component instance', () => {
  const x = m.one.make(41);
  assert.ok(x instanceof m.one.R);
  assert.equal(m.one.get(x), 41);
  assert.throws(() => m.two.get(x), TypeError);
  assert.notEqual(m.one.R, m.two.R);
});
