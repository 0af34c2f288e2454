import { test } from 'node:test';
import assert from 'node:assert/strict';

// The same test runs against the JS adapters and (in the `lowered` variant) the core
// wasm ones: both must do what `model` (the spec's store_string_into_range, transcribed
// from definitions.py) says, realloc call for realloc call and byte for byte.
const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/adapter-transcode.js`);

const TAG = 2 ** 31;
const SRC = 0x1000; // where the caller's source bytes go
const GIVE = 0x8000; // where the callee's result string lives
const MEMORY = 16 * 65536;
const ENCODINGS = ['utf8', 'utf16', 'latin1'];
const name = (e) => (e === 'latin1' ? 'latin1+utf16' : e);
const camel = (s) => s.replace(/-(\w)/g, (_, c) => c.toUpperCase());

const utf8 = (s) => new TextEncoder().encode(s);
function utf16(s) {
  const b = new Uint8Array(2 * s.length);
  for (let i = 0; i < s.length; i++) {
    b[2 * i] = s.charCodeAt(i) & 0xff;
    b[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return b;
}
const latin1 = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const fitsLatin1 = (s) => [...s].every((c) => c.codePointAt(0) < 256);

/** A string as a side of encoding `e` holds it: its bytes and its (tagged) length. */
function encode(s, e) {
  if (e === 'utf8') return [utf8(s), utf8(s).length];
  if (e === 'utf16' || !fitsLatin1(s)) return [utf16(s), s.length + (e === 'utf16' ? 0 : TAG)];
  return [latin1(s), s.length];
}

/** run_tests.py's Heap, which $T's realloc is. */
class Heap {
  constructor(base) {
    this.mem = new Uint8Array(MEMORY);
    this.base = base;
    this.last = base;
    this.calls = [];
  }
  realloc(o, os, al, ns) {
    let ret;
    if (o !== 0 && ns < os) {
      ret = Math.ceil(o / al) * al;
    } else {
      ret = Math.ceil(this.last / al) * al;
      this.last = ret + ns;
      this.mem.copyWithin(ret, o, o + os);
    }
    this.calls.push(o, os, al, ns, ret);
    return ret;
  }
}

// definitions.py's store_string_into_range and the functions it calls.
function model(h, s, srcEnc, srcTagged, dstEnc) {
  let simple = srcEnc;
  let n = srcTagged;
  if (srcEnc === 'latin1') {
    simple = srcTagged >= TAG ? 'utf16' : 'latin1';
    if (srcTagged >= TAG) n = srcTagged - TAG;
  }
  if (dstEnc === 'utf8') {
    if (simple === 'utf8') return copy(h, s, n, 1, 1, utf8);
    return toUtf8(h, s, n, simple === 'utf16' ? 3 * n : 2 * n);
  }
  if (dstEnc === 'utf16') return simple === 'utf8' ? utf8ToUtf16(h, s, n) : copy(h, s, n, 2, 2, utf16);
  if (srcEnc !== 'latin1') return latin1OrUtf16(h, s, n);
  return simple === 'latin1' ? copy(h, s, n, 1, 2, latin1) : probablyUtf16(h, s, n);
}
function copy(h, s, n, unit, align, enc) {
  const ptr = h.realloc(0, 0, align, unit * n);
  h.mem.set(enc(s), ptr);
  return [ptr, n];
}
function toUtf8(h, s, n, worst) {
  let ptr = h.realloc(0, 0, 1, n);
  const cps = [...s];
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i].codePointAt(0);
    if (c < 0x80) {
      h.mem[ptr + i] = c;
      continue;
    }
    ptr = h.realloc(ptr, n, 1, worst);
    const e = utf8(s);
    h.mem.set(e.subarray(i), ptr + i);
    if (worst > e.length) ptr = h.realloc(ptr, worst, 1, e.length);
    return [ptr, e.length];
  }
  return [ptr, n];
}
function utf8ToUtf16(h, s, n) {
  const worst = 2 * n;
  let ptr = h.realloc(0, 0, 2, worst);
  const e = utf16(s);
  h.mem.set(e, ptr);
  if (e.length < worst) ptr = h.realloc(ptr, worst, 2, e.length);
  return [ptr, e.length / 2];
}
function latin1OrUtf16(h, s, n) {
  let ptr = h.realloc(0, 0, 2, n);
  let len = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 256) {
      h.mem[ptr + len++] = c;
      continue;
    }
    const worst = 2 * n;
    ptr = h.realloc(ptr, n, 2, worst);
    for (let j = len - 1; j >= 0; j--) {
      h.mem[ptr + 2 * j] = h.mem[ptr + j];
      h.mem[ptr + 2 * j + 1] = 0;
    }
    const e = utf16(s);
    h.mem.set(e.subarray(2 * len), ptr + 2 * len);
    if (worst > e.length) ptr = h.realloc(ptr, worst, 2, e.length);
    return [ptr, e.length / 2 + TAG];
  }
  if (len < n) ptr = h.realloc(ptr, n, 2, len);
  return [ptr, len];
}
function probablyUtf16(h, s, n) {
  const size = 2 * n;
  let ptr = h.realloc(0, 0, 2, size);
  h.mem.set(utf16(s), ptr);
  if (!fitsLatin1(s)) return [ptr, n + TAG];
  for (let i = 0; i < n; i++) h.mem[ptr + i] = h.mem[ptr + 2 * i];
  ptr = h.realloc(ptr, size, 1, n);
  return [ptr, n];
}

// Empty, ASCII, Latin-1 (U+0080..U+00FF), the BMP past it, surrogate pairs, NUL, and
// mixes where the first non-ASCII or non-Latin-1 code point comes early, late or last.
const STRINGS = [
  '',
  'a',
  'hello, world',
  '\0',
  'ab\u0080',
  'é',
  'café',
  '\u00ff\u00fe',
  '\u0100',
  'Ǿ',
  '€100',
  '\u07ff\u0800',
  '\ud7ff',
  '\uf123',
  '\uffff',
  '😀',
  'a😀b',
  '\u{10ffff}',
  `${'x'.repeat(40)}é`,
  `${'é'.repeat(40)}€`,
  `${'y'.repeat(33)}😀`,
  'mixed: aé€😀\0 end',
  'ASCII '.repeat(200),
  'Grüße, 世界! 🍰 '.repeat(60),
];

const fresh = () => instantiate();

test('every string, every pair of encodings, caller → callee: the spec’s realloc calls and bytes', async () => {
  const m = await fresh();
  let checked = 0;
  for (const base of [0x1000, 0x1003]) {
    for (const from of ENCODINGS) {
      for (const to of ENCODINGS) {
        for (const s of STRINGS) {
          const what = `${name(from)} → ${name(to)}, base ${base}: ${JSON.stringify(s.slice(0, 24))}`;
          const [bytes, len] = encode(s, from);
          m.put(bytes, SRC);
          m.reset(base, 0);
          m[camel(`go-${from}-${to}`)](SRC, len);
          const h = new Heap(base);
          const [ptr, tagged] = model(h, s, from, len, to);
          assert.deepEqual([...m.calls()], h.calls, `${what}: realloc calls`);
          assert.deepEqual(m.got(), [ptr, tagged], `${what}: (ptr, len)`);
          assert.equal(m.used(), h.last, `${what}: heap used`);
          assert.deepEqual(m.bytes(base, h.last - base), h.mem.subarray(base, h.last), `${what}: bytes`);
          checked++;
        }
      }
    }
  }
  assert.equal(checked, 2 * 9 * STRINGS.length);
});

test('every pair of encodings, callee → caller (a result): the spec’s realloc calls and bytes', async () => {
  const m = await fresh();
  for (const from of ENCODINGS) {
    for (const to of ENCODINGS) {
      for (const s of STRINGS) {
        const what = `${name(from)} → ${name(to)}: ${JSON.stringify(s.slice(0, 24))}`;
        const [bytes, len] = encode(s, from);
        m.reset(0x1000, 0);
        m.putCallee(bytes, GIVE);
        m.setGive(GIVE, len);
        const [ptr, tagged] = m[camel(`back-${to}-${from}`)]();
        // The caller's realloc is a bump allocator: its pointers differ from the
        // model's, so the calls are compared by their arguments (an old pointer as
        // "the block before") and the bytes at the pointer each returns.
        const h = new Heap(0x1000);
        const [, want] = model(h, s, from, len, to);
        const args = (calls) => {
          const out = [];
          for (let i = 0; i < calls.length; i += 5) out.push([calls[i] === 0 ? 0 : 'old', ...calls.slice(i + 1, i + 4)]);
          return out;
        };
        assert.deepEqual(args([...m.log()]), args(h.calls), `${what}: realloc calls`);
        assert.equal(tagged, want, `${what}: length`);
        const size = to === 'utf8' ? tagged : to === 'utf16' || tagged >= TAG ? 2 * (tagged % TAG) : tagged;
        assert.deepEqual(m.peek(ptr, size), encode(s, to)[0], `${what}: bytes`);
      }
    }
  }
});

/** Each call on a fresh instance (a trap poisons it), expecting `Trap: message`. */
async function traps(call, message) {
  const m = await fresh();
  assert.throws(() => call(m), (e) => e.name === 'Trap' && e.message.includes(message), message);
}

test('a bad source traps before the callee’s realloc is called, as the spec’s load_string does', async () => {
  const put = (m, bytes, at = SRC) => {
    m.put(Uint8Array.from(bytes), at);
    m.reset(0x1000, 0);
  };
  const bad = [
    ['utf8', [0xc0, 0x80], 2, 'invalid UTF-8 string'],
    ['utf8', [0xed, 0xa0, 0x80], 3, 'invalid UTF-8 string'],
    ['utf16', [0x00, 0xd8], 1, 'invalid UTF-16 string'],
    ['utf16', [0x00, 0xdc, 0x41, 0x00], 2, 'invalid UTF-16 string'],
    ['utf16', [0x3d, 0xd8, 0x41, 0x00], 2, 'invalid UTF-16 string'],
    ['latin1', [0x00, 0xd8], 1 + TAG, 'invalid UTF-16 string'],
  ];
  for (const [from, bytes, len, message] of bad) {
    for (const to of ENCODINGS) {
      await traps((m) => {
        put(m, bytes);
        m[camel(`go-${from}-${to}`)](SRC, len);
      }, message);
    }
  }
  // Alignment: UTF-16 and latin1+utf16 (either form) need 2.
  for (const [from, len] of [['utf16', 1], ['latin1', 1], ['latin1', 1 + TAG]]) {
    await traps((m) => m[camel(`go-${from}-utf8`)](SRC + 1, len), `string pointer ${SRC + 1} is not aligned to 2 bytes`);
  }
  // Length: the byte length (2 × a UTF-16 count, past 2^32 too) against 2^28 - 1.
  await traps((m) => m.goUtf8Utf16(SRC, 2 ** 28), 'string of 268435456 bytes is too long');
  await traps((m) => m.goUtf16Utf8(SRC, 2 ** 27), 'string of 268435456 bytes is too long');
  await traps((m) => m.goUtf16Utf8(SRC, 2 ** 31), 'string of 4294967296 bytes is too long');
  await traps((m) => m.goUtf16Utf8(SRC, 2 ** 32 - 1), 'string of 8589934590 bytes is too long');
  await traps((m) => m.goLatin1Utf8(SRC, 2 ** 31 + 2 ** 30), 'string of 2147483648 bytes is too long');
  // Bounds.
  await traps((m) => m.goUtf16Latin1(MEMORY - 2, 2), 'string is out of bounds of linear memory');
  await traps((m) => m.goLatin1Utf16(MEMORY - 2, 3), 'string is out of bounds of linear memory');
});

test('what realloc returns is checked: alignment, then bounds', async () => {
  const go = (from, to, s, evil) => (m) => {
    const [bytes, len] = encode(s, from);
    m.put(bytes, SRC);
    m.reset(0x1000, evil);
    m[camel(`go-${from}-${to}`)](SRC, len);
  };
  await traps(go('utf8', 'utf16', 'a', 0x1001), 'realloc return value 4097 is not aligned to 2 bytes');
  await traps(go('utf8', 'latin1', 'a', 0x1001), 'realloc return value 4097 is not aligned to 2 bytes');
  await traps(go('latin1', 'latin1', 'a', 0x1001), 'realloc return value 4097 is not aligned to 2 bytes');
  await traps(go('utf8', 'utf8', 'ab', MEMORY - 1), `realloc return value ${MEMORY - 1} + 2 bytes is out of bounds`);
  await traps(go('utf16', 'utf16', 'ab', MEMORY - 2), `realloc return value ${MEMORY - 2} + 4 bytes is out of bounds`);
  // The grow of a transcoding: the first block fits, the worst case does not.
  await traps(go('utf16', 'utf8', 'aé', MEMORY - 2), `realloc return value ${MEMORY - 2} + 6 bytes is out of bounds`);
  await traps(go('utf8', 'latin1', 'a€', MEMORY - 4), `realloc return value ${MEMORY - 4} + 8 bytes is out of bounds`);
});
