// Replays vectors computed by the spec's definitions.py (spec-vectors.py, run here:
// the vectors are derived from third-party code, so they are made at test time, never
// committed): results, realloc call sequences, heap bytes and traps must be identical.
// Needs python3 and the spec copy in the cargo registry (scripts/setup fetches it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Trap } from '../trap.js';
import { lowered } from '../strings.js';
import { liftUtf8, storeStringToUtf8 } from '../utf8.js';
import { liftUtf16, lowerUtf16 } from '../utf16.js';
import { liftCompactUtf16, storeStringToLatin1OrUtf16 } from '../latin1.js';
import { transcode } from '../transcode.js';
import { guest, image } from './helpers.js';

const generator = new URL('./spec-vectors.py', import.meta.url);
const V = JSON.parse(
  execFileSync('python3', [generator.pathname], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] }),
);
// `store_string_into_range` of a 'utf16' source (a JS string), the spec's algorithms
// between components. (A host's own strings are lowered with one exact allocation
// instead: strings.test.js.)
const LOWER = {
  utf8: (m, r, s) => storeStringToUtf8(m, r, s, 3 * s.length),
  utf16: lowerUtf16,
  'latin1+utf16': (m, r, s) => storeStringToLatin1OrUtf16(m, r, s, s.length),
};
const LIFT = { utf8: liftUtf8, utf16: liftUtf16, 'latin1+utf16': liftCompactUtf16 };

const show = (s) => JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…(${s.length})` : s);
const heap = (bad = null) => guest(V.pages, { base: V.heapBase, bad, grow: false });

/** The source memory of a lift/transcode case. */
function source(enc, c) {
  if (c.image !== undefined) return image(V.pages, V.imageAt, c.image);
  const g = guest(V.pages, { base: V.imageAt, grow: false });
  const p = LOWER[enc](g.memory, g.realloc, V.strings[c.stored]);
  assert.deepEqual([p, lowered.len], [c.ptr, c.len], 'the source image is stored as the spec stores it');
  return g.memory;
}

test(`storing UTF-16 strings = store_string_into_range (${V.lower.length} cases)`, () => {
  for (const c of V.lower) {
    const s = V.strings[c.s];
    const what = `${c.enc} ${show(s)} bad=${JSON.stringify(c.bad)}`;
    const h = heap(c.bad);
    if (c.result === null) {
      assert.throws(() => LOWER[c.enc](h.memory, h.realloc, s), Trap, what);
    } else {
      const p = LOWER[c.enc](h.memory, h.realloc, s);
      assert.deepEqual([p, lowered.len], c.result, what);
      assert.equal(h.used(), c.heap, what);
    }
    assert.deepEqual(h.calls, c.calls, what);
  }
});

test(`lifting = load_string_from_range (${V.lift.length} cases)`, () => {
  for (const c of V.lift) {
    const what = `${c.enc} ptr=${c.ptr} len=${c.len} ${c.image ?? V.strings[c.stored]}`;
    const memory = source(c.enc, c);
    // Both the unsigned and the signed (as core wasm passes i32) forms of the arguments.
    for (const [p, n] of [[c.ptr, c.len], [c.ptr | 0, c.len | 0]]) {
      if (c.result === null) assert.throws(() => LIFT[c.enc](memory, p, n), Trap, what);
      else assert.equal(LIFT[c.enc](memory, p, n), c.result, what);
    }
  }
});

test(`transcoding = load_string_from_range + store_string_into_range (${V.transcode.length} cases, 9 pairs)`, () => {
  const pairs = new Set();
  for (const c of V.transcode) {
    pairs.add(`${c.src}->${c.dst}`);
    const what = `${c.src}->${c.dst} ptr=${c.ptr} len=${c.len} ${c.image ?? show(V.strings[c.stored])} bad=${JSON.stringify(c.bad)}`;
    const src = source(c.src, c);
    const h = heap(c.bad);
    if (c.result === null) {
      assert.throws(() => transcode(src, c.src, c.ptr | 0, c.len | 0, h.memory, h.realloc, c.dst), Trap, what);
    } else {
      const p = transcode(src, c.src, c.ptr | 0, c.len | 0, h.memory, h.realloc, c.dst);
      assert.deepEqual([p, lowered.len], c.result, what);
      assert.equal(h.used(), c.heap, what);
    }
    assert.deepEqual(h.calls, c.calls, what);
  }
  assert.equal(pairs.size, 9);
});
