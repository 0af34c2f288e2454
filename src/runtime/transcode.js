// Strings between two components' memories (fused adapters). The source is validated
// exactly as `load_string_from_range` does (same traps, before any realloc), then
// stored into the destination exactly as `store_string_into_range` does for that
// source encoding: same bytes, same realloc calls. Copies between equal encodings,
// Latin-1 widening/encoding and the UTF-16 -> latin1+utf16 path work on the bytes
// directly; the UTF-8 <-> UTF-16 transcodings go through one JS string (native codecs).
import { lowered, stringUtf16Tag, stringRealloc, stringCheckRange } from './strings.js';
import { liftUtf8, checkUtf8, storeStringToUtf8 } from './utf8.js';
import { liftUtf16, checkUtf16, writeUtf16, widenLatin1 } from './utf16.js';
import { storeStringToLatin1OrUtf16 } from './latin1.js';

/** Copies `n` bytes between (possibly the same) memories, reading both buffers now. */
function transcodeCopy(srcMemory, srcPtr, dstMemory, dstPtr, n) {
  new Uint8Array(dstMemory.buffer, dstPtr, n).set(new Uint8Array(srcMemory.buffer, srcPtr, n));
}

/** `store_latin1_to_utf8`: `n` Latin-1 bytes at `srcPtr`, worst case 2n. */
function transcodeLatin1ToUtf8(srcMemory, srcPtr, n, memory, realloc) {
  let ptr = stringRealloc(memory, realloc, 0, 0, 1, n);
  let src = new Uint8Array(srcMemory.buffer, srcPtr, n);
  let dst = new Uint8Array(memory.buffer);
  let i = 0;
  for (; i < n; i++) {
    const c = src[i];
    if (c >= 0x80) break;
    dst[ptr + i] = c;
  }
  if (i === n) {
    lowered.len = n;
    return ptr;
  }
  const worst = 2 * n;
  ptr = stringRealloc(memory, realloc, ptr, n, 1, worst);
  src = new Uint8Array(srcMemory.buffer, srcPtr, n);
  dst = new Uint8Array(memory.buffer);
  let o = ptr + i;
  for (; i < n; i++) {
    const c = src[i];
    if (c < 0x80) {
      dst[o++] = c;
    } else {
      dst[o++] = 0xc0 | (c >> 6);
      dst[o++] = 0x80 | (c & 0x3f);
    }
  }
  const len = o - ptr;
  if (worst > len) ptr = stringRealloc(memory, realloc, ptr, worst, 1, len);
  lowered.len = len;
  return ptr;
}

/** `store_utf8_to_utf16`: `str` was lifted from `n` UTF-8 bytes. */
function transcodeUtf8ToUtf16(str, n, memory, realloc) {
  const worst = 2 * n;
  let ptr = stringRealloc(memory, realloc, 0, 0, 2, worst);
  writeUtf16(memory.buffer, ptr, str);
  const encoded = 2 * str.length;
  if (encoded < worst) ptr = stringRealloc(memory, realloc, ptr, worst, 2, encoded);
  lowered.len = str.length;
  return ptr;
}

/** `store_probably_utf16_to_latin1_or_utf16`: `n` validated UTF-16 code units. */
function transcodeProbablyUtf16(srcMemory, srcPtr, n, memory, realloc) {
  const size = 2 * n;
  let ptr = stringRealloc(memory, realloc, 0, 0, 2, size);
  transcodeCopy(srcMemory, srcPtr, memory, ptr, size);
  const b = new Uint8Array(memory.buffer);
  for (let i = 1; i < size; i += 2) {
    if (b[ptr + i] !== 0) {
      lowered.len = n + stringUtf16Tag;
      return ptr;
    }
  }
  for (let i = 0; i < n; i++) b[ptr + i] = b[ptr + 2 * i];
  ptr = stringRealloc(memory, realloc, ptr, size, 1, n);
  lowered.len = n;
  return ptr;
}

/**
 * Copies a string from one component's memory into another's, transcoding as needed.
 * Returns the destination pointer; the destination's (tagged) length is left in
 * `lowered.len`. Traps as the spec does for an invalid source or a misbehaving
 * destination realloc.
 * @param {WebAssembly.Memory} srcMemory
 * @param {'utf8'|'utf16'|'latin1+utf16'} srcEncoding
 * @param {number} srcPtr
 * @param {number} srcTaggedLen bytes, code units, or tagged code units
 * @param {WebAssembly.Memory} dstMemory
 * @param {(oldPtr: number, oldSize: number, align: number, newSize: number) => number} dstRealloc
 * @param {'utf8'|'utf16'|'latin1+utf16'} dstEncoding
 * @returns {number}
 */
export function transcode(srcMemory, srcEncoding, srcPtr, srcTaggedLen, dstMemory, dstRealloc, dstEncoding) {
  srcPtr = srcPtr < 0 ? srcPtr + 2 ** 32 : srcPtr;
  srcTaggedLen = srcTaggedLen < 0 ? srcTaggedLen + 2 ** 32 : srcTaggedLen;
  const m = dstMemory;
  const r = dstRealloc;
  if (srcEncoding === 'utf8') {
    const n = srcTaggedLen;
    if (dstEncoding === 'utf8') {
      checkUtf8(srcMemory, srcPtr, n);
      const ptr = stringRealloc(m, r, 0, 0, 1, n);
      transcodeCopy(srcMemory, srcPtr, m, ptr, n);
      lowered.len = n;
      return ptr;
    }
    const str = liftUtf8(srcMemory, srcPtr, n);
    if (dstEncoding === 'utf16') return transcodeUtf8ToUtf16(str, n, m, r);
    if (dstEncoding === 'latin1+utf16') return storeStringToLatin1OrUtf16(m, r, str, n);
  } else if (srcEncoding === 'utf16' || (srcEncoding === 'latin1+utf16' && srcTaggedLen >= stringUtf16Tag)) {
    const n = srcEncoding === 'utf16' ? srcTaggedLen : srcTaggedLen - stringUtf16Tag;
    if (dstEncoding === 'utf8') return storeStringToUtf8(m, r, liftUtf16(srcMemory, srcPtr, n), 3 * n);
    if (dstEncoding === 'utf16') {
      checkUtf16(srcMemory, srcPtr, n);
      const ptr = stringRealloc(m, r, 0, 0, 2, 2 * n);
      transcodeCopy(srcMemory, srcPtr, m, ptr, 2 * n);
      lowered.len = n;
      return ptr;
    }
    if (dstEncoding === 'latin1+utf16') {
      if (srcEncoding === 'utf16') return storeStringToLatin1OrUtf16(m, r, liftUtf16(srcMemory, srcPtr, n), n);
      checkUtf16(srcMemory, srcPtr, n);
      return transcodeProbablyUtf16(srcMemory, srcPtr, n, m, r);
    }
  } else if (srcEncoding === 'latin1+utf16') {
    // Latin-1: every byte sequence is valid.
    const n = srcTaggedLen;
    stringCheckRange(srcMemory, srcPtr, n, 2);
    if (dstEncoding === 'utf8') return transcodeLatin1ToUtf8(srcMemory, srcPtr, n, m, r);
    if (dstEncoding === 'utf16') {
      const ptr = stringRealloc(m, r, 0, 0, 2, 2 * n);
      widenLatin1(new Uint8Array(srcMemory.buffer, srcPtr, n), m.buffer, ptr);
      lowered.len = n;
      return ptr;
    }
    if (dstEncoding === 'latin1+utf16') {
      const ptr = stringRealloc(m, r, 0, 0, 2, n);
      transcodeCopy(srcMemory, srcPtr, m, ptr, n);
      lowered.len = n;
      return ptr;
    }
  }
  throw new TypeError(`unknown string encodings ${srcEncoding} -> ${dstEncoding}`);
}
