// Strings between two components: the source is validated exactly as `load_string`
// does, then stored into the destination exactly as `store_string` does for that
// source encoding — same bytes, same realloc calls. Same-encoding copies move bytes.
import { trap } from './trap.js';
import { lowered } from './strings.js';
import { liftUtf8, storeUtf8 } from './utf8.js';
import { liftUtf16, writeUtf16 } from './utf16.js';
import { liftCompactUtf16 } from './latin1.js';

const transcodeTag = 2 ** 31;

function transcodeAlloc(memory, realloc, oldPtr, oldSize, align, size) {
  const ptr = realloc(oldPtr, oldSize, align, size) >>> 0;
  if ((ptr & (align - 1)) !== 0) trap(`realloc return value is not aligned to ${align} bytes`);
  if (ptr + size > memory.buffer.byteLength) trap('realloc return value is out of bounds of linear memory');
  return ptr;
}

function transcodeCopy(srcMemory, srcPtr, dstMemory, dstPtr, bytes) {
  new Uint8Array(dstMemory.buffer, dstPtr, bytes).set(new Uint8Array(srcMemory.buffer, srcPtr, bytes));
}


/** `store_string_to_latin1_or_utf16` for a source of `units` code units. */
function transcodeToLatin1OrUtf16(s, units, memory, realloc) {
  let ptr = transcodeAlloc(memory, realloc, 0, 0, 2, units);
  let bytes = new Uint8Array(memory.buffer);
  let len = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 256) {
      bytes[ptr + len++] = c;
      continue;
    }
    const worst = 2 * units;
    ptr = transcodeAlloc(memory, realloc, ptr, units, 2, worst);
    bytes = new Uint8Array(memory.buffer);
    for (let j = len - 1; j >= 0; j--) {
      bytes[ptr + 2 * j] = bytes[ptr + j];
      bytes[ptr + 2 * j + 1] = 0;
    }
    writeUtf16(memory.buffer, ptr + 2 * len, s.slice(len));
    const encoded = 2 * s.length;
    if (worst > encoded) ptr = transcodeAlloc(memory, realloc, ptr, worst, 2, encoded);
    lowered.len = s.length + transcodeTag;
    return ptr;
  }
  if (len < units) ptr = transcodeAlloc(memory, realloc, ptr, units, 2, len);
  lowered.len = len;
  return ptr;
}

/**
 * Copies a string from one component's memory into another's, transcoding as needed.
 * Returns the destination pointer; the destination's (tagged) length is left in
 * `lowered.len`.
 * @param {WebAssembly.Memory} srcMemory @param {'utf8'|'utf16'|'latin1+utf16'} srcEncoding
 * @param {number} srcPtr @param {number} srcLen tagged code units
 * @param {WebAssembly.Memory} dstMemory @param {Function} dstRealloc
 * @param {'utf8'|'utf16'|'latin1+utf16'} dstEncoding
 */
export function transcode(srcMemory, srcEncoding, srcPtr, srcLen, dstMemory, dstRealloc, dstEncoding) {
  srcPtr >>>= 0;
  srcLen >>>= 0;
  // Validate (and decode) the source as load_string does.
  let s;
  let simple = srcEncoding;
  let units = srcLen;
  if (srcEncoding === 'utf8') {
    s = liftUtf8(srcMemory, srcPtr, srcLen);
  } else if (srcEncoding === 'utf16') {
    s = liftUtf16(srcMemory, srcPtr, srcLen);
  } else {
    s = liftCompactUtf16(srcMemory, srcPtr, srcLen);
    if (srcLen >= transcodeTag) {
      simple = 'utf16';
      units = srcLen - transcodeTag;
    } else {
      simple = 'latin1';
    }
  }
  const m = dstMemory;
  const r = dstRealloc;
  if (dstEncoding === 'utf8') {
    if (simple === 'utf8') {
      const ptr = transcodeAlloc(m, r, 0, 0, 1, units);
      transcodeCopy(srcMemory, srcPtr, m, ptr, units);
      lowered.len = units;
      return ptr;
    }
    return storeUtf8(m, r, s, units, simple === 'utf16' ? 3 * units : 2 * units);
  }
  if (dstEncoding === 'utf16') {
    if (simple === 'utf8') {
      const worst = 2 * units;
      let ptr = transcodeAlloc(m, r, 0, 0, 2, worst);
      writeUtf16(m.buffer, ptr, s);
      const encoded = 2 * s.length;
      if (encoded < worst) ptr = transcodeAlloc(m, r, ptr, worst, 2, encoded);
      lowered.len = s.length;
      return ptr;
    }
    const ptr = transcodeAlloc(m, r, 0, 0, 2, 2 * units);
    if (simple === 'utf16') transcodeCopy(srcMemory, srcPtr, m, ptr, 2 * units);
    else writeUtf16(m.buffer, ptr, s);
    lowered.len = units;
    return ptr;
  }
  // latin1+utf16 destination.
  if (srcEncoding !== 'latin1+utf16') return transcodeToLatin1OrUtf16(s, units, m, r);
  if (simple === 'latin1') {
    const ptr = transcodeAlloc(m, r, 0, 0, 2, units);
    transcodeCopy(srcMemory, srcPtr, m, ptr, units);
    lowered.len = units;
    return ptr;
  }
  // store_probably_utf16_to_latin1_or_utf16
  const bytes = 2 * units;
  let ptr = transcodeAlloc(m, r, 0, 0, 2, bytes);
  transcodeCopy(srcMemory, srcPtr, m, ptr, bytes);
  let wide = false;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 256) {
      wide = true;
      break;
    }
  }
  if (wide) {
    lowered.len = units + transcodeTag;
    return ptr;
  }
  const b = new Uint8Array(m.buffer);
  for (let i = 0; i < units; i++) b[ptr + i] = b[ptr + 2 * i];
  ptr = transcodeAlloc(m, r, ptr, bytes, 1, units);
  lowered.len = units;
  return ptr;
}
