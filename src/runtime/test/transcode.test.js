// Memory-to-memory string copies: all 9 encoding pairs, the realloc sequences of each
// store path, validation before allocation, and memory growth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trap } from '../trap.js';
import { lowered } from '../strings.js';
import { transcode } from '../transcode.js';
import { lowerUtf8, liftUtf8 } from '../utf8.js';
import { lowerUtf16, liftUtf16 } from '../utf16.js';
import { lowerCompactUtf16, liftCompactUtf16 } from '../latin1.js';
import { guest, bytes, FUN_STRINGS } from './helpers.js';

const TAG = 2 ** 31;
const ENCODINGS = {
  utf8: [lowerUtf8, liftUtf8],
  utf16: [lowerUtf16, liftUtf16],
  'latin1+utf16': [lowerCompactUtf16, liftCompactUtf16],
};

/** Stores `s` in a source guest with `srcEnc`, transcodes; returns the destination. */
function run(srcEnc, dstEnc, s, opts = {}) {
  const src = guest(1, { base: 64 });
  const sp = ENCODINGS[srcEnc][0](src.memory, src.realloc, s);
  const dst = guest(opts.pages ?? 1, opts);
  const p = transcode(src.memory, srcEnc, sp, lowered.len, dst.memory, dst.realloc, dstEnc);
  return { p, len: lowered.len, calls: dst.calls, memory: dst.memory };
}

test('all nine encoding pairs copy every string intact, the destination memory growing', () => {
  for (const [srcEnc] of Object.entries(ENCODINGS)) {
    for (const [dstEnc, [, lift]] of Object.entries(ENCODINGS)) {
      for (const s of FUN_STRINGS) {
        const { p, len, memory } = run(srcEnc, dstEnc, s);
        assert.equal(lift(memory, p, len), s, `${srcEnc} -> ${dstEnc}: ${JSON.stringify(s.slice(0, 20))}`);
      }
    }
  }
});

test('realloc sequences of every store path (store_string_into_range)', () => {
  const calls = (srcEnc, dstEnc, s) => run(srcEnc, dstEnc, s).calls.map((c) => c.slice(0, 4));
  // store_string_copy
  assert.deepEqual(calls('utf8', 'utf8', 'a\u00e9'), [[0, 0, 1, 3]]);
  assert.deepEqual(calls('utf16', 'utf16', 'a\u00e9'), [[0, 0, 2, 4]]);
  assert.deepEqual(calls('latin1+utf16', 'utf16', 'a\u00e9'), [[0, 0, 2, 4]]);
  assert.deepEqual(calls('latin1+utf16', 'latin1+utf16', 'a\u00e9'), [[0, 0, 2, 2]]);
  // store_utf16_to_utf8 (worst 3n) and store_latin1_to_utf8 (worst 2n)
  assert.deepEqual(calls('utf16', 'utf8', 'a\u00e9'), [[0, 0, 1, 2], [16, 2, 1, 6], [18, 6, 1, 3]]);
  assert.deepEqual(calls('latin1+utf16', 'utf8', 'a\u00e9'), [[0, 0, 1, 2], [16, 2, 1, 4], [18, 4, 1, 3]]);
  assert.deepEqual(calls('latin1+utf16', 'utf8', '\u00e9\u00e9'), [[0, 0, 1, 2], [16, 2, 1, 4]]);
  assert.deepEqual(calls('latin1+utf16', 'utf8', 'ab'), [[0, 0, 1, 2]]);
  assert.deepEqual(calls('latin1+utf16', 'utf8', '\u03a9'), [[0, 0, 1, 1], [16, 1, 1, 3], [17, 3, 1, 2]]); // tagged: UTF-16
  // store_utf8_to_utf16: 2n bytes for n UTF-8 bytes, shrunk to the code units
  assert.deepEqual(calls('utf8', 'utf16', 'a\u00e9'), [[0, 0, 2, 6], [16, 6, 2, 4]]);
  assert.deepEqual(calls('utf8', 'utf16', 'ab'), [[0, 0, 2, 4]]);
  // store_string_to_latin1_or_utf16 from UTF-8: n bytes, shrunk to the Latin-1 length...
  assert.deepEqual(calls('utf8', 'latin1+utf16', 'a\u00e9'), [[0, 0, 2, 3], [16, 3, 2, 2]]);
  assert.deepEqual(calls('utf8', 'latin1+utf16', 'ab'), [[0, 0, 2, 2]]);
  // ...or grown to 2n and shrunk to the UTF-16 size
  assert.deepEqual(calls('utf8', 'latin1+utf16', 'a\u03a9'), [[0, 0, 2, 3], [16, 3, 2, 6], [20, 6, 2, 4]]);
  assert.deepEqual(calls('utf8', 'latin1+utf16', '\u{1f600}'), [[0, 0, 2, 4], [16, 4, 2, 8], [20, 8, 2, 4]]);
  // ...from UTF-16: n then 2n, never shrunk
  assert.deepEqual(calls('utf16', 'latin1+utf16', 'a\u03a9'), [[0, 0, 2, 2], [16, 2, 2, 4]]);
  assert.deepEqual(calls('utf16', 'latin1+utf16', 'a\u00e9'), [[0, 0, 2, 2]]);
  // store_probably_utf16_to_latin1_or_utf16: 2n, kept if wide, else compacted to n (align 1)
  assert.deepEqual(calls('latin1+utf16', 'latin1+utf16', 'a\u03a9'), [[0, 0, 2, 4]]);
  assert.deepEqual(calls('utf16', 'utf16', ''), [[0, 0, 2, 0]]);
});

test('store_probably_utf16_to_latin1_or_utf16 compacts a tagged source that fits Latin-1', () => {
  // A tagged (UTF-16) compact string whose code points all fit a byte: legal, and the
  // spec compacts it.
  const src = guest();
  new Uint16Array(src.memory.buffer).set([0x61, 0xe9], 32);
  const dst = guest();
  const p = transcode(src.memory, 'latin1+utf16', 64, TAG + 2, dst.memory, dst.realloc, 'latin1+utf16');
  assert.deepEqual(dst.calls, [[0, 0, 2, 4, 16], [16, 4, 1, 2, 16]]);
  assert.deepEqual([p, lowered.len], [16, 2]);
  assert.deepEqual(bytes(dst.memory, p, 2), [0x61, 0xe9]);
  // Tagged empty string: allocate(2, 0), then realloc(ptr, 0, 1, 0).
  const d2 = guest();
  transcode(src.memory, 'latin1+utf16', 64, TAG, d2.memory, d2.realloc, 'latin1+utf16');
  assert.deepEqual(d2.calls, [[0, 0, 2, 0, 16], [16, 0, 1, 0, 16]]);
  assert.equal(lowered.len, 0);
  // Wide: stays UTF-16, tagged.
  new Uint16Array(src.memory.buffer).set([0x61, 0x3a9], 32);
  const d3 = guest();
  transcode(src.memory, 'latin1+utf16', 64, TAG + 2, d3.memory, d3.realloc, 'latin1+utf16');
  assert.deepEqual(d3.calls, [[0, 0, 2, 4, 16]]);
  assert.equal(lowered.len, TAG + 2);
});

test('invalid sources trap before anything is allocated', () => {
  const src = guest();
  const u8 = new Uint8Array(src.memory.buffer);
  u8.set([0xc3], 64);
  new Uint16Array(src.memory.buffer).set([0xd800], 64);
  for (const dstEnc of Object.keys(ENCODINGS)) {
    const dst = guest();
    u8.set([0xc3], 200);
    assert.throws(() => transcode(src.memory, 'utf8', 200, 1, dst.memory, dst.realloc, dstEnc), /invalid UTF-8/);
    assert.throws(() => transcode(src.memory, 'utf16', 128, 1, dst.memory, dst.realloc, dstEnc), /invalid UTF-16/);
    assert.throws(() => transcode(src.memory, 'latin1+utf16', 128, TAG + 1, dst.memory, dst.realloc, dstEnc), /invalid UTF-16/);
    assert.throws(() => transcode(src.memory, 'utf16', 129, 1, dst.memory, dst.realloc, dstEnc), /not aligned/);
    assert.throws(() => transcode(src.memory, 'latin1+utf16', 129, 1, dst.memory, dst.realloc, dstEnc), /not aligned/);
    assert.throws(() => transcode(src.memory, 'utf8', 65535, 2, dst.memory, dst.realloc, dstEnc), /out of bounds/);
    assert.throws(() => transcode(src.memory, 'utf8', 0, 2 ** 28, dst.memory, dst.realloc, dstEnc), /too long/);
    assert.throws(() => transcode(src.memory, 'utf16', 0, 2 ** 27, dst.memory, dst.realloc, dstEnc), /too long/);
    assert.throws(() => transcode(src.memory, 'latin1+utf16', 0, -1, dst.memory, dst.realloc, dstEnc), /too long/);
    assert.deepEqual(dst.calls, []);
  }
});

test('a misbehaving destination realloc traps at every call of every path', () => {
  const strings = ['ab', 'a\u00e9', 'a\u03a9', '\u{1f600}'];
  let traps = 0;
  for (const srcEnc of Object.keys(ENCODINGS)) {
    for (const dstEnc of Object.keys(ENCODINGS)) {
      for (const s of strings) {
        const n = run(srcEnc, dstEnc, s).calls.length;
        for (let call = 0; call < n; call++) {
          assert.throws(() => run(srcEnc, dstEnc, s, { bad: { call, kind: 'oob' }, grow: false }), /out of bounds/);
          traps++;
        }
      }
    }
  }
  assert.equal(traps, 58); // the realloc calls of all these runs
});

test('copies between equal encodings move bytes without decoding', () => {
  const src = guest();
  // Valid UTF-8 with a BOM and a NUL: copied verbatim.
  new Uint8Array(src.memory.buffer).set([0xef, 0xbb, 0xbf, 0, 0x41], 100);
  const dst = guest();
  const p = transcode(src.memory, 'utf8', 100, 5, dst.memory, dst.realloc, 'utf8');
  assert.deepEqual(bytes(dst.memory, p, 5), [0xef, 0xbb, 0xbf, 0, 0x41]);
  assert.equal(lowered.len, 5);
});

test('source and destination may be the same memory', () => {
  const g = guest();
  for (const [srcEnc, [lower]] of Object.entries(ENCODINGS)) {
    for (const [dstEnc, [, lift]] of Object.entries(ENCODINGS)) {
      const s = 'same \u00e9 \u03a9 \u{1f600}'.repeat(20);
      const sp = lower(g.memory, g.realloc, s);
      const dp = transcode(g.memory, srcEnc, sp, lowered.len, g.memory, g.realloc, dstEnc);
      assert.equal(lift(g.memory, dp, lowered.len), s, `${srcEnc} -> ${dstEnc}`);
    }
  }
});

test('unknown encodings are a TypeError (a generator bug, not a trap)', () => {
  const g = guest();
  assert.throws(() => transcode(g.memory, 'utf8', 0, 0, g.memory, g.realloc, 'utf32'), (e) => e instanceof TypeError && !(e instanceof Trap));
  assert.throws(() => transcode(g.memory, 'ascii', 0, 0, g.memory, g.realloc, 'utf8'), TypeError);
});
