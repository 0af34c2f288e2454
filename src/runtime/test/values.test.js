// Small helpers: char, float bits, imports, sync results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trap } from '../trap.js';
import { liftChar, lowerChar } from '../char.js';
import { f32ToI32, i32ToF32, f64ToI64, i64ToF64 } from '../bits.js';
import { importOf } from '../imports.js';
import { syncResult } from '../sync.js';

test('liftChar: scalar values only (convert_i32_to_char)', () => {
  assert.equal(liftChar(0), '\0');
  assert.equal(liftChar(0x41), 'A');
  assert.equal(liftChar(0xd7ff), '\ud7ff');
  assert.equal(liftChar(0xe000), '\ue000');
  assert.equal(liftChar(0x1f600), '😀');
  assert.equal(liftChar(0x10ffff), '\u{10ffff}');
  for (const bad of [0xd800, 0xdbff, 0xdc00, 0xdfff, 0x110000, 0x7fffffff]) {
    assert.throws(() => liftChar(bad), (e) => e instanceof Trap && e.message === `invalid char code point ${bad}`);
  }
  // A negative i32 is a huge unsigned value.
  assert.throws(() => liftChar(-1), /invalid char code point 4294967295/);
});

test('lowerChar: exactly one code point, else a TypeError', () => {
  assert.equal(lowerChar('A'), 0x41);
  assert.equal(lowerChar('\0'), 0);
  assert.equal(lowerChar('😀'), 0x1f600);
  assert.equal(lowerChar('\u{10ffff}'), 0x10ffff);
  for (const bad of ['', 'ab', '😀x', 'x😀', '\ud800', '\udc00', 65, null, undefined, ['a'], new String('a')]) {
    assert.throws(() => lowerChar(bad), (e) => e instanceof TypeError && !(e instanceof Trap), String(bad));
  }
});

test('float bits', () => {
  assert.equal(f32ToI32(1), 0x3f800000);
  assert.equal(i32ToF32(0x3f800000), 1);
  assert.equal(f64ToI64(-0), -(2n ** 63n));
  assert.ok(Object.is(i64ToF64(-(2n ** 63n)), -0));
});

test('importOf names a missing import', () => {
  assert.equal(importOf({ a: 1 }, 'a'), 1);
  assert.throws(() => importOf({}, 'wasi:cli/run'), /missing import `wasi:cli\/run`/);
  assert.throws(() => importOf(undefined, 'x'), TypeError);
});

test('syncResult refuses promises', () => {
  assert.equal(syncResult(5, 'f'), 5);
  assert.throws(() => syncResult(Promise.resolve(1), 'f'), /JSPI/);
});
