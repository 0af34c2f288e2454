// Host-side string lifting and lowering: round trips, the host's one exact allocation,
// every trap, memory growth during realloc, and bad JS input. (The spec's
// grow-and-shrink sequences between components are checked in spec-vectors.test.js.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trap } from '../trap.js';
import { lowered, stringMaxBytes, stringUtf16Tag, stringWellFormed } from '../strings.js';
import { liftUtf8, lowerUtf8, checkUtf8 } from '../utf8.js';
import { liftUtf16, lowerUtf16, checkUtf16 } from '../utf16.js';
import { liftCompactUtf16, lowerCompactUtf16 } from '../latin1.js';
import { guest, bytes, FUN_STRINGS } from './helpers.js';

const TAG = 2 ** 31;
const LOWER = { utf8: lowerUtf8, utf16: lowerUtf16, 'latin1+utf16': lowerCompactUtf16 };
const LIFT = { utf8: liftUtf8, utf16: liftUtf16, 'latin1+utf16': liftCompactUtf16 };

test('constants are the spec values', () => {
  assert.equal(stringMaxBytes, (1 << 28) - 1);
  assert.equal(stringUtf16Tag, TAG);
});

test('round trips through every encoding, memory growing during realloc', () => {
  for (const [enc, lower] of Object.entries(LOWER)) {
    for (const s of FUN_STRINGS) {
      const g = guest(1);
      const p = lower(g.memory, g.realloc, s);
      const expectedLen = {
        utf8: Buffer.byteLength(s),
        utf16: s.length,
        'latin1+utf16': /[^\0-\xff]/.test(s) ? s.length + TAG : s.length,
      }[enc];
      assert.equal(lowered.len, expectedLen, `${enc} ${s.slice(0, 20)}`);
      assert.equal(LIFT[enc](g.memory, p, lowered.len), s, `${enc} ${s.slice(0, 20)}`);
      // Signed i32 arguments, as core wasm passes them.
      assert.equal(LIFT[enc](g.memory, p | 0, lowered.len | 0), s);
    }
  }
  // The long strings needed more than the initial page.
  const g = guest(1);
  lowerUtf8(g.memory, g.realloc, '\u00e9'.repeat(40000));
  assert.ok(g.memory.buffer.byteLength > 65536);
});

test('UTF-8 lowering: one realloc(0,0,1,len) of the exact UTF-8 length', () => {
  for (const [s, len] of [['abc', 3], ['a\u00e9', 3], ['\uf123\uf123', 6], ['', 0], ['\u{1f600}', 4], ['x'.repeat(100) + '\u00e9', 102], ['\u00e9'.repeat(70), 140], ['y'.repeat(100), 100]]) {
    const g = guest();
    const p = lowerUtf8(g.memory, g.realloc, s);
    assert.deepEqual(g.calls, [[0, 0, 1, len, 16]], JSON.stringify(s.slice(0, 8)));
    assert.deepEqual([p, lowered.len], [16, len]);
    assert.deepEqual(bytes(g.memory, p, len), [...new TextEncoder().encode(s)]);
  }
});

test('a bump allocator that cannot grow a block serves every host string', () => {
  // The WASI preview1 adapter's allocator asserts that it is asked once per string.
  const g = guest();
  const once = (oldPtr, oldSize, align, size) => {
    assert.equal(oldPtr, 0, 'a host string is allocated once, never grown or shrunk');
    return g.realloc(oldPtr, oldSize, align, size);
  };
  for (const lower of Object.values(LOWER)) {
    for (const s of FUN_STRINGS) lower(g.memory, once, s);
  }
});

test('UTF-16 lowering: one realloc(0,0,2,2n), code units in lowered.len', () => {
  const g = guest();
  const p = lowerUtf16(g.memory, g.realloc, 'a\u{1f600}');
  assert.deepEqual(g.calls, [[0, 0, 2, 6, 16]]);
  assert.equal(lowered.len, 3);
  assert.deepEqual(bytes(g.memory, p, 6), [0x61, 0, 0x3d, 0xd8, 0x00, 0xde]);
});

test('latin1+utf16 lowering: one realloc(0,0,2,size), Latin-1 when every unit fits a byte', () => {
  let g = guest();
  let p = lowerCompactUtf16(g.memory, g.realloc, 'a\u00ff');
  assert.deepEqual(g.calls, [[0, 0, 2, 2, 16]]);
  assert.equal(lowered.len, 2);
  assert.deepEqual(bytes(g.memory, p, 2), [0x61, 0xff]);

  // A unit above 0xff: UTF-16 from the start, tagged length.
  g = guest();
  p = lowerCompactUtf16(g.memory, g.realloc, '\u00e9a\u03a9b');
  assert.deepEqual(g.calls, [[0, 0, 2, 8, 16]]);
  assert.equal(lowered.len, 4 + TAG);
  assert.deepEqual(bytes(g.memory, p, 8), [0xe9, 0, 0x61, 0, 0xa9, 0x03, 0x62, 0]);

  g = guest();
  lowerCompactUtf16(g.memory, g.realloc, '');
  assert.deepEqual(g.calls, [[0, 0, 2, 0, 16]]);
  assert.equal(lowered.len, 0);
});

test('lone surrogates in JS strings are lowered as U+FFFD', () => {
  for (const [enc, lower] of Object.entries(LOWER)) {
    for (const [s, want] of [['a\ud800', 'a\ufffd'], ['\udc00b', '\ufffdb'], ['\udc00\ud800', '\ufffd\ufffd'], ['\ud83d\ude00', '\u{1f600}']]) {
      const g = guest();
      const p = lower(g.memory, g.realloc, s);
      assert.equal(LIFT[enc](g.memory, p, lowered.len), want, enc);
    }
  }
  // UTF-8: the replacement takes 3 bytes, counted before the one allocation.
  const g = guest();
  lowerUtf8(g.memory, g.realloc, 'a\ud800');
  assert.deepEqual(g.calls, [[0, 0, 1, 4, 16]]);
  assert.equal(stringWellFormed('x\ud800y'), 'x\ufffdy');
  assert.equal(stringWellFormed('\u{1f600}'), '\u{1f600}');
});

test('bad JS values are TypeErrors, before any realloc', () => {
  const huge = 'x'.repeat(2 ** 27); // 2^28 bytes as UTF-16: one more than the maximum
  for (const lower of Object.values(LOWER)) {
    const g = guest();
    assert.throws(() => lower(g.memory, g.realloc, 5), TypeError);
    assert.throws(() => lower(g.memory, g.realloc, null), TypeError);
    assert.throws(() => lower(g.memory, g.realloc, new String('a')), TypeError);
    assert.throws(() => lower(g.memory, g.realloc, huge), /too long/);
    assert.deepEqual(g.calls, []);
  }
});

test('misbehaving realloc: misaligned or out-of-bounds results trap', () => {
  for (const [enc, lower] of Object.entries(LOWER)) {
    for (const kind of ['misalign', 'oob']) {
      if (kind === 'misalign' && enc === 'utf8') continue;
      const g = guest(1, { bad: { call: 0, kind }, grow: false });
      assert.throws(() => lower(g.memory, g.realloc, 'abc'), kind === 'oob' ? /out of bounds/ : /not aligned to 2/, `${enc} ${kind}`);
    }
  }
  // A pointer >= 2^31 comes back from core wasm as a negative i32.
  const memory = new WebAssembly.Memory({ initial: 1 });
  assert.throws(() => lowerUtf16(memory, () => -2, 'a'), /4294967294 \+ 2 bytes is out of bounds/);
  // The one allocation of a non-ASCII UTF-8 string is checked too.
  const g = guest(1, { bad: { call: 0, kind: 'oob' }, grow: false });
  assert.throws(() => lowerUtf8(g.memory, g.realloc, 'a\u00e9'), Trap);
  assert.equal(g.calls.length, 1);
});

test('lifting traps: length, alignment, bounds, encoding', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const u8 = new Uint8Array(memory.buffer);
  // Length is checked first, even out of bounds.
  assert.throws(() => liftUtf8(memory, 0, 2 ** 28), /too long/);
  assert.throws(() => liftUtf8(memory, 0, -1), /too long/);
  assert.throws(() => liftUtf8(memory, 0, 2 ** 28 - 1), /out of bounds/);
  assert.throws(() => liftUtf16(memory, 0, 2 ** 27), /too long/);
  assert.throws(() => liftUtf16(memory, 1, 2 ** 27), /too long/);
  assert.throws(() => liftCompactUtf16(memory, 0, 2 ** 28), /too long/);
  assert.throws(() => liftCompactUtf16(memory, 0, TAG + 2 ** 27), /too long/);
  // Alignment before bounds.
  assert.throws(() => liftUtf16(memory, 1, 0), /not aligned to 2/);
  assert.throws(() => liftUtf16(memory, 65537, 1), /not aligned to 2/);
  assert.throws(() => liftCompactUtf16(memory, 3, 1), /not aligned to 2/);
  assert.throws(() => liftCompactUtf16(memory, 3, TAG + 1), /not aligned to 2/);
  // Bounds, including the empty string just past the end.
  assert.equal(liftUtf8(memory, 65536, 0), '');
  assert.throws(() => liftUtf8(memory, 65537, 0), /out of bounds/);
  assert.throws(() => liftUtf8(memory, 65535, 2), /out of bounds/);
  assert.throws(() => liftUtf8(memory, -1, 1), /out of bounds/);
  assert.throws(() => liftUtf16(memory, 65534, 2), /out of bounds/);
  assert.throws(() => liftCompactUtf16(memory, 65534, 3), /out of bounds/);
  // Encoding errors.
  for (const bad of [[0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff]]) {
    u8.set(bad, 100);
    assert.throws(() => liftUtf8(memory, 100, bad.length), /invalid UTF-8/, String(bad));
    assert.throws(() => checkUtf8(memory, 100, bad.length), /invalid UTF-8/, String(bad));
  }
  const u16 = new Uint16Array(memory.buffer);
  for (const bad of [[0xd800], [0xdc00], [0xd800, 0x41], [0xdc00, 0xd800], [0xdbff]]) {
    u16.set(bad, 100);
    assert.throws(() => liftUtf16(memory, 200, bad.length), /invalid UTF-16/, String(bad));
    assert.throws(() => checkUtf16(memory, 200, bad.length), /invalid UTF-16/, String(bad));
    assert.throws(() => liftCompactUtf16(memory, 200, TAG + bad.length), /invalid UTF-16/, String(bad));
  }
  // Latin-1 is never invalid, and 0x80-0x9f are U+0080-U+009F (not windows-1252).
  u8.set([0x41, 0x80, 0x9f, 0xff], 300);
  assert.equal(liftCompactUtf16(memory, 300, 4), 'A\u0080\u009f\u00ff');
});

test('a leading U+FEFF is content, not a byte-order mark', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  new Uint8Array(memory.buffer).set([0xef, 0xbb, 0xbf, 0x41], 0);
  assert.equal(liftUtf8(memory, 0, 4), '\ufeffA');
  new Uint16Array(memory.buffer).set([0xfeff, 0x41], 8);
  assert.equal(liftUtf16(memory, 16, 2), '\ufeffA');
  assert.equal(liftCompactUtf16(memory, 16, TAG + 2), '\ufeffA');
  new Uint16Array(memory.buffer).set([0xfffe], 16);
  assert.equal(liftUtf16(memory, 32, 1), '\ufffe');
});

test('the UTF-8 validator agrees with the fatal TextDecoder on random bytes', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const u8 = new Uint8Array(memory.buffer);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const interesting = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
  let seed = 12345;
  const rand = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  let valid = 0;
  for (let k = 0; k < 20000; k++) {
    const len = rand(7);
    for (let i = 0; i < len; i++) u8[i] = interesting[rand(interesting.length)];
    let ok = true;
    try {
      decoder.decode(u8.subarray(0, len));
    } catch {
      ok = false;
    }
    valid += ok;
    const mine = (() => {
      try {
        checkUtf8(memory, 0, len);
        return true;
      } catch (e) {
        assert.ok(e instanceof Trap);
        return false;
      }
    })();
    assert.equal(mine, ok, Array.from(u8.subarray(0, len), (b) => b.toString(16)).join(' '));
  }
  assert.ok(valid > 1000 && valid < 19000, `${valid} valid sequences`);
});

test('the UTF-16 validator agrees with the fatal TextDecoder on random code units', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const u16 = new Uint16Array(memory.buffer);
  const decoder = new TextDecoder('utf-16le', { fatal: true });
  const interesting = [0x41, 0xff, 0x100, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfeff, 0xffff];
  let seed = 999;
  const rand = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  for (let k = 0; k < 20000; k++) {
    const len = rand(6);
    for (let i = 0; i < len; i++) u16[i] = interesting[rand(interesting.length)];
    let ok = true;
    try {
      decoder.decode(new Uint8Array(memory.buffer, 0, 2 * len));
    } catch {
      ok = false;
    }
    let mine = true;
    try {
      checkUtf16(memory, 0, len);
    } catch {
      mine = false;
    }
    assert.equal(mine, ok, Array.from(u16.subarray(0, len), (u) => u.toString(16)).join(' '));
  }
});
