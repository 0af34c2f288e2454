import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const m = await import(`${dir}/esm/compose.js`);

test('a UTF-16 component calls a UTF-8 component through an adapter', () => {
  assert.equal(m.run('hello, world'), 'HELLO, WORLD');
  assert.equal(m.run(''), '');
  assert.equal(m.run('é ü 😀 abc'), 'é ü 😀 ABC');
  assert.equal(m.run2('second instance'), 'SECOND INSTANCE');
});

test('lists cross components', () => {
  assert.equal(m.count([1, 2, 3]), 3);
  assert.equal(m.count(new Uint32Array(1000)), 1000);
});
