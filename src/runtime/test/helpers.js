// Test helpers: guest memories with the spec test suite's allocator (run_tests.py's
// Heap.realloc: shrink in place, else bump-allocate and copy `oldSize` bytes), which
// records every call as [oldPtr, oldSize, align, newSize, returned].

const alignTo = (p, a) => Math.ceil(p / a) * a;

/**
 * A guest whose memory starts at `pages` pages and grows when the allocator needs more
 * (so callers must re-read `memory.buffer` after realloc).
 * `bad` = { call: k, kind: 'misalign' | 'oob' } makes the k-th call misbehave.
 */
export function guest(pages = 1, { base = 16, bad = null, grow = true } = {}) {
  const memory = new WebAssembly.Memory({ initial: pages });
  const calls = [];
  let last = base;
  const realloc = (oldPtr, oldSize, align, newSize) => {
    let ret;
    const size = memory.buffer.byteLength;
    if (bad && calls.length === bad.call) {
      ret = bad.kind === 'misalign' ? alignTo(last, align) + 1 : alignTo(size - newSize + 1, align);
    } else if (oldPtr !== 0 && newSize < oldSize) {
      ret = alignTo(oldPtr, align);
    } else {
      ret = alignTo(last, align);
      last = ret + newSize;
      if (last > memory.buffer.byteLength) {
        if (!grow) throw new Error('test heap exhausted');
        memory.grow(Math.ceil((last - memory.buffer.byteLength) / 65536));
      }
      new Uint8Array(memory.buffer).copyWithin(ret, oldPtr, oldPtr + oldSize);
    }
    calls.push([oldPtr, oldSize, align, newSize, ret]);
    // Like a core function returning i32: pointers >= 2^31 arrive negative.
    return ret | 0;
  };
  return { memory, realloc, calls, base, used: () => digest(new Uint8Array(memory.buffer, base, last - base)) };
}

/** Bytes as hex, or `fnv:<length>:<FNV-1a 32>` beyond 256 bytes (as spec-vectors.py). */
export function digest(bytes) {
  if (bytes.length <= 256) return Buffer.from(bytes).toString('hex');
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return `fnv:${bytes.length}:${h.toString(16).padStart(8, '0')}`;
}

/** Bytes of `memory` at [ptr, ptr + len). */
export function bytes(memory, ptr, len) {
  return Array.from(new Uint8Array(memory.buffer, ptr, len));
}

/** A fresh memory of `pages` pages with `data` (hex) at `at`. */
export function image(pages, at, hex) {
  const memory = new WebAssembly.Memory({ initial: pages });
  new Uint8Array(memory.buffer).set(Buffer.from(hex, 'hex'), at);
  return memory;
}

/** Strings that exercise every encoding path. */
export const FUN_STRINGS = [
  '',
  'a',
  'hi',
  '\0',
  '\x7f',
  '\u0080',
  '\u00ff',
  '\u0100',
  '\u01ff',
  '\u07ff',
  '\u0800',
  '\ud7ff',
  '\ue000',
  '\uf123',
  '\ufeff',
  '\ufeffa',
  '\uffff',
  'abc\u00e9\u00ff',
  'x\u0100y',
  '\u{10000}',
  '\u{1f600}',
  '\u{10ffff}',
  'a\u{1f600}b',
  'mixed ascii, é, Ω and 😀',
  'long '.repeat(5000) + '\u{10ffff}',
  'long '.repeat(5000) + '\u00e9',
  '\u00e9'.repeat(40000),
];
