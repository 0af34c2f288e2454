import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/adapter-moves.js`);
const fresh = (hostCb = () => {}) => instantiate(undefined, { 'host-cb': { default: () => hostCb() } });

/** Whether `bytes` are UTF-8, as the platform's strict decoder says. */
function isUtf8(bytes) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A seeded PRNG (mulberry32). */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Bytes near UTF-8's edges: leads, continuations, the overlong and surrogate ranges,
// the end of Unicode, cut-short sequences, and ASCII runs of 7 to 17 bytes around them
// (the core validator reads eight ASCII bytes at a time).
const EDGES = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90];
function cases() {
  const out = [
    [],
    [0x61],
    [0xc3, 0xa9],
    [0xe2, 0x82, 0xac],
    [0xf0, 0x9f, 0x98, 0x80],
    [0xc0, 0x80],
    [0xe0, 0x80, 0x80],
    [0xe0, 0x9f, 0xbf],
    [0xed, 0xa0, 0x80],
    [0xed, 0x9f, 0xbf],
    [0xf0, 0x8f, 0xbf, 0xbf],
    [0xf4, 0x8f, 0xbf, 0xbf],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98],
  ];
  for (const n of [7, 8, 9, 15, 16, 17]) {
    const ascii = Array(n).fill(0x61);
    out.push(ascii, [...ascii, 0xc3, 0xa9], [...ascii, 0xc3], [...ascii, 0x80, ...ascii]);
  }
  // Random strings of random code points (1 to 4 bytes each), encoded, then one time
  // in two one byte changed to a byte near an edge.
  const r = rng(2026);
  const enc = new TextEncoder();
  const point = () => {
    const top = [0x80, 0x800, 0x10000, 0x110000][Math.floor(r() * 4)];
    const c = Math.floor(r() * top);
    return c >= 0xd800 && c < 0xe000 ? 0x41 : c;
  };
  for (let k = 0; k < 400; k++) {
    const bytes = [...enc.encode(String.fromCodePoint(...Array.from({ length: Math.floor(r() * 12) }, point)))];
    if (bytes.length && r() < 0.5) bytes[Math.floor(r() * bytes.length)] = EDGES[Math.floor(r() * EDGES.length)];
    out.push(bytes);
  }
  return out.map((b) => Uint8Array.from(b));
}

test('strings: UTF-8 validated both ways, the bytes kept', async () => {
  let m = await fresh();
  let valid = 0;
  let invalid = 0;
  for (const bytes of cases()) {
    if (isUtf8(bytes)) {
      assert.deepEqual(m.probe(bytes), bytes);
      valid++;
    } else {
      assert.throws(() => m.probe(bytes), (e) => e.name === 'Trap' && /invalid UTF-8/.test(e.message), `${[...bytes]}`);
      invalid++;
      m = await fresh(); // a trap poisons the instance
    }
  }
  assert.ok(valid > 50 && invalid > 50, `${valid} valid, ${invalid} invalid`);
});

test('scalars: normalised as lifting requires', async () => {
  const m = await fresh();
  assert.deepEqual(m.seeRaw(0x1ff, 0x180, 0x1ffff, 0x18000, 2), [255, -128, 65535, -32768, 1]);
  assert.deepEqual(m.seeRaw(0, 0x7f, 0, 0x7fff, 0), [0, 127, 0, 32767, 0]);
  assert.deepEqual(m.seeRaw(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), [255, -1, 65535, -1, 1]);
});

test('char: a code point passes, a surrogate or one past U+10FFFF traps', async () => {
  const m = await fresh();
  for (const c of [0, 0x41, 0xd7ff, 0xe000, 0x10ffff]) assert.equal(m.charRaw(c), c);
  for (const c of [0xd800, 0xdfff, 0x110000, 0xffffffff]) {
    const n = await fresh();
    assert.throws(() => n.charRaw(c), (e) => e.name === 'Trap' && /invalid char/.test(e.message), `${c}`);
  }
});

test('lists: tuples walked, bools normalised', async () => {
  const m = await fresh();
  assert.equal(m.sumRaw([[1, 2], [255, 3], [0, 4000]]), 1000 + 2 + 255000 + 3 + 4000);
  assert.equal(m.sumRaw([]), 0);
  assert.deepEqual(m.boolsRaw(Uint8Array.of(0, 1, 2, 255, 0)), Uint8Array.of(0, 1, 1, 1, 0));
});

test('options and results: the discriminant checked, the payload of its case moved', async () => {
  const m = await fresh();
  // probe's list is the first block of B's allocator (at 4096): a string to point at.
  assert.deepEqual(m.probe(new TextEncoder().encode('héllo')), new TextEncoder().encode('héllo'));
  assert.equal(m.optRaw(0, 0, 0), null);
  assert.equal(m.optRaw(1, 4096, 6), 'héllo');
  assert.equal(m.resRaw(0, 0x1ff, 0), 255);
  assert.throws(() => m.resRaw(1, 4096, 6), (e) => e.payload === 'héllo');
  for (const d of [2, 0xffffffff]) {
    const n = await fresh();
    assert.throws(() => n.optRaw(d, 0, 0), (e) => e.name === 'Trap' && /invalid variant discriminant/.test(e.message));
  }
});

test('17 parameters: a tuple in memory on both sides', async () => {
  const m = await fresh();
  assert.equal(m.many(...Array.from({ length: 17 }, (_, i) => i + 1)), 153);
  assert.equal(m.many(...Array(17).fill(0xffffffff)), (17 * 0xffffffff) >>> 0);
});

test('a component poisoned while the host ran traps at the next adapter call', async () => {
  let m;
  m = await fresh(() => {
    // Re-entering the component from the host traps (invalid UTF-8, or the reentrance
    // itself); the host swallows it and returns.
    try {
      m.probe(Uint8Array.of(0xff));
    } catch {}
  });
  assert.throws(() => m.afterHost(Uint8Array.of(0x61)), (e) => e.name === 'Trap' && e.poisoned === true);
});
