// Trap and ComponentError: classes, messages, and one class per realm across copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Trap, trap } from '../trap.js';
import { ComponentError } from '../component-error.js';

test('Trap is a WebAssembly.RuntimeError named Trap', () => {
  assert.throws(
    () => trap('boom'),
    (e) => e instanceof Trap && e instanceof WebAssembly.RuntimeError && e instanceof Error && e.name === 'Trap' && e.message === 'boom',
  );
  assert.equal(Trap.name, 'Trap');
  assert.ok(String(new Trap('x')).startsWith('Trap: x'));
});

test('two copies of the runtime in one realm share one Trap and ComponentError class', async () => {
  // Distinct module instances of the same files...
  const other = await import('../trap.js?copy');
  const otherErr = await import('../component-error.js?copy');
  assert.equal(other.Trap, Trap);
  assert.equal(otherErr.ComponentError, ComponentError);
  // ...and a copy inlined into another module (source text, exports stripped), as
  // generated modules carry it.
  const src = readFileSync(new URL('../trap.js', import.meta.url), 'utf8').replace(/^export /gm, '');
  const inlined = await import(`data:text/javascript,${encodeURIComponent(`${src}\nexport { Trap, trap };`)}`);
  assert.equal(inlined.Trap, Trap);
  assert.throws(() => inlined.trap('from the copy'), Trap);
  assert.equal(globalThis[Symbol.for('weft.Trap')], Trap);
});

test('ComponentError carries the payload', () => {
  const e = new ComponentError({ code: 7n });
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'ComponentError');
  assert.deepEqual(e.payload, { code: 7n });
  assert.match(e.message, /\{"code":"7n"\}/);
  assert.equal(new ComponentError('plain').message, 'plain');
  assert.equal(new ComponentError('').message, '');
  assert.match(new ComponentError({ tag: 'not-found', val: undefined }).message, /"tag":"not-found"/);
  assert.match(new ComponentError(undefined).message, /undefined/);
  assert.match(new ComponentError(42).message, /42/);
  const cyclic = {};
  cyclic.self = cyclic;
  assert.match(new ComponentError(cyclic).message, /\[object Object\]/);
  assert.equal(new ComponentError(cyclic).payload, cyclic);
});
