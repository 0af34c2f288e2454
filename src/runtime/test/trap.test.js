import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trap, trap } from '../trap.js';
import { ComponentError } from '../component-error.js';

test('Trap is a WebAssembly.RuntimeError named Trap', () => {
  assert.throws(() => trap('boom'), (e) => e instanceof Trap && e instanceof WebAssembly.RuntimeError && e.name === 'Trap' && e.message === 'boom');
});

test('two copies of the runtime share one Trap and ComponentError class', async () => {
  const other = await import('../trap.js?copy');
  const otherErr = await import('../component-error.js?copy');
  assert.equal(other.Trap, Trap);
  assert.equal(otherErr.ComponentError, ComponentError);
});

test('ComponentError carries the payload', () => {
  const e = new ComponentError({ code: 7n });
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'ComponentError');
  assert.deepEqual(e.payload, { code: 7n });
  assert.match(e.message, /7n/);
  assert.equal(new ComponentError('plain').message, 'plain');
});
