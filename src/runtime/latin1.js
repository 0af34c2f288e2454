// `latin1+utf16` (compact UTF-16) strings: Latin-1 when every code point fits a byte,
// else UTF-16 with the top bit of the length set (UTF16_TAG).
import { trap } from './trap.js';
import { lowered } from './strings.js';
import { liftUtf16, writeUtf16 } from './utf16.js';

const latin1Tag = 2 ** 31;
const latin1MaxBytes = 2 ** 28 - 1;

/**
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} taggedLen
 * @returns {string}
 */
export function liftCompactUtf16(memory, ptr, taggedLen) {
  taggedLen >>>= 0;
  if (taggedLen >= latin1Tag) return liftUtf16(memory, ptr, taggedLen - latin1Tag);
  ptr >>>= 0;
  if (taggedLen > latin1MaxBytes) trap('string is too long for the canonical ABI');
  if ((ptr & 1) !== 0) trap('string pointer is not aligned to 2 bytes');
  if (ptr + taggedLen > memory.buffer.byteLength) trap('string is out of bounds of linear memory');
  return latin1Decode(new Uint8Array(memory.buffer, ptr, taggedLen));
}

/** Latin-1 bytes to a string (TextDecoder's 'latin1' is windows-1252, so decode by hand). */
function latin1Decode(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return s;
}

/**
 * Lowers a JS string (a UTF-16 source) per `store_string_to_latin1_or_utf16`;
 * returns the pointer, the tagged length is left in `lowered.len`.
 * @param {WebAssembly.Memory} memory @param {Function} realloc @param {string} str
 */
export function lowerCompactUtf16(memory, realloc, str) {
  if (typeof str !== 'string') throw new TypeError('expected a string');
  str = str.toWellFormed();
  const n = str.length;
  if (2 * n > latin1MaxBytes) trap('string is too long for the canonical ABI');
  let ptr = realloc(0, 0, 2, n) >>> 0;
  latin1Check(memory, ptr, n, 2);
  let bytes = new Uint8Array(memory.buffer);
  let len = 0;
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c < 256) {
      bytes[ptr + len++] = c;
      continue;
    }
    // Not Latin-1: inflate what was written and continue as UTF-16.
    const worst = 2 * n;
    ptr = realloc(ptr, n, 2, worst) >>> 0;
    latin1Check(memory, ptr, worst, 2);
    bytes = new Uint8Array(memory.buffer);
    for (let j = len - 1; j >= 0; j--) {
      bytes[ptr + 2 * j] = bytes[ptr + j];
      bytes[ptr + 2 * j + 1] = 0;
    }
    writeUtf16(memory.buffer, ptr + 2 * len, str.slice(len));
    lowered.len = (n | 0) + latin1Tag;
    return ptr;
  }
  if (len < n) {
    ptr = realloc(ptr, n, 2, len) >>> 0;
    latin1Check(memory, ptr, len, 2);
  }
  lowered.len = len;
  return ptr;
}

function latin1Check(memory, ptr, size, align) {
  if ((ptr & (align - 1)) !== 0) trap(`realloc return value is not aligned to ${align} bytes`);
  if (ptr + size > memory.buffer.byteLength) trap('realloc return value is out of bounds of linear memory');
}
