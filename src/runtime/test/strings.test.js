import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trap } from '../trap.js';
import { lowered } from '../strings.js';
import { liftUtf8, lowerUtf8 } from '../utf8.js';
import { liftUtf16, lowerUtf16 } from '../utf16.js';
import { liftCompactUtf16, lowerCompactUtf16 } from '../latin1.js';
import { guest, bytes, FUN_STRINGS } from './helpers.js';

const TAG = 2 ** 31;

test('UTF-8 round trips', () => {
  for (const s of FUN_STRINGS) {
    const g = guest();
    const p = lowerUtf8(g.memory, g.realloc, s);
    assert.equal(lowered.len, Buffer.byteLength(s));
    assert.equal(liftUtf8(g.memory, p, lowered.len), s);
  }
});

test('UTF-8 lowering calls realloc as store_string_to_utf8 does', () => {
  let g = guest();
  lowerUtf8(g.memory, g.realloc, 'abc');
  assert.deepEqual(g.calls, [[0, 0, 1, 3]]);
  g = guest();
  const p = lowerUtf8(g.memory, g.realloc, 'aé');
  // optimistic 2 bytes, grow to the worst case 3 * 2, shrink to the 3 bytes written
  assert.deepEqual(g.calls, [[0, 0, 1, 2], [8, 2, 1, 6], [10, 6, 1, 3]]);
  assert.deepEqual(bytes(g.memory, p, 3), [0x61, 0xc3, 0xa9]);
});

test('UTF-8 lifting traps on invalid bytes and bounds', () => {
  const g = guest();
  new Uint8Array(g.memory.buffer).set([0xff, 0xfe], 100);
  assert.throws(() => liftUtf8(g.memory, 100, 2), Trap);
  assert.throws(() => liftUtf8(g.memory, 65535, 2), /out of bounds/);
  assert.throws(() => lowerUtf8(g.memory, g.realloc, 5), TypeError);
});

test('UTF-16 round trips, alignment and validation', () => {
  for (const s of FUN_STRINGS) {
    const g = guest();
    const p = lowerUtf16(g.memory, g.realloc, s);
    assert.equal(lowered.len, s.length);
    assert.equal(p % 2, 0);
    assert.equal(liftUtf16(g.memory, p, lowered.len), s);
  }
  const g = guest();
  assert.throws(() => liftUtf16(g.memory, 1, 1), /aligned/);
  new Uint16Array(g.memory.buffer, 200, 1)[0] = 0xd800; // unpaired surrogate
  assert.throws(() => liftUtf16(g.memory, 200, 1), /invalid UTF-16/);
  const p = lowerUtf16(g.memory, g.realloc, 'a\ud800');
  assert.equal(liftUtf16(g.memory, p, 2), 'a\ufffd');
});

test('latin1+utf16 picks Latin-1 when it can, with the spec realloc sequence', () => {
  for (const s of FUN_STRINGS) {
    const g = guest();
    const p = lowerCompactUtf16(g.memory, g.realloc, s);
    const wide = [...s].some((c) => c.codePointAt(0) > 255);
    assert.equal(lowered.len >= TAG, wide, s);
    assert.equal(liftCompactUtf16(g.memory, p, lowered.len), s);
  }
  let g = guest();
  lowerCompactUtf16(g.memory, g.realloc, 'ab');
  assert.deepEqual(g.calls, [[0, 0, 2, 2]]);
  g = guest();
  const p = lowerCompactUtf16(g.memory, g.realloc, 'aΩ');
  assert.deepEqual(g.calls, [[0, 0, 2, 2], [8, 2, 2, 4]]);
  assert.deepEqual(bytes(g.memory, p, 4), [0x61, 0, 0xa9, 0x03]);
  assert.equal(lowered.len, 2 + TAG);
});
