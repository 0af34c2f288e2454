import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liftChar, lowerChar } from '../char.js';
import { f32ToI32, i32ToF32, f64ToI64, i64ToF64 } from '../bits.js';
import { compileBase64 } from '../load.js';
import { importOf } from '../imports.js';
import { syncResult } from '../sync.js';

test('chars', () => {
  assert.equal(liftChar(0x41), 'A');
  assert.equal(liftChar(0x1f600), '😀');
  assert.throws(() => liftChar(0xd800), /invalid char/);
  assert.throws(() => liftChar(0x110000), /invalid char/);
  assert.equal(lowerChar('😀'), 0x1f600);
  assert.throws(() => lowerChar('ab'), TypeError);
  assert.throws(() => lowerChar(''), TypeError);
});

test('float bits', () => {
  assert.equal(f32ToI32(1), 0x3f800000);
  assert.equal(i32ToF32(0x3f800000), 1);
  assert.equal(f64ToI64(-0), -(2n ** 63n));
  assert.ok(Object.is(i64ToF64(-(2n ** 63n)), -0));
});

test('compileBase64 compiles an empty module', async () => {
  const m = await compileBase64('AGFzbQEAAAA=');
  assert.ok(m instanceof WebAssembly.Module);
});

test('importOf names a missing import', () => {
  assert.equal(importOf({ a: 1 }, 'a'), 1);
  assert.throws(() => importOf({}, 'wasi:cli/run'), /missing import `wasi:cli\/run`/);
});

test('syncResult refuses promises', () => {
  assert.equal(syncResult(5, 'f'), 5);
  assert.throws(() => syncResult(Promise.resolve(1), 'f'), /JSPI/);
});
