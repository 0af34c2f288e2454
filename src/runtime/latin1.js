// `latin1+utf16` (compact UTF-16) strings: Latin-1 bytes when every code point fits a
// byte, else UTF-16 with UTF16_TAG (1 << 31) set in the length. Lifting, lowering a JS
// string (one allocation of its exact size), and `store_string_to_latin1_or_utf16`
// (used by transcode.js between components, for 'utf8' and 'utf16' sources).
import { lowered, stringUtf16Tag, stringRealloc, stringCheckRange, stringFromHost } from './strings.js';
import { liftUtf16, writeUtf16 } from './utf16.js';

/**
 * Lifts a compact UTF-16 string: `taggedLen` is a Latin-1 byte count, or a UTF-16
 * code-unit count with UTF16_TAG set. Both forms need 2-byte alignment.
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} taggedLen
 * @returns {string}
 */
export function liftCompactUtf16(memory, ptr, taggedLen) {
  taggedLen = taggedLen < 0 ? taggedLen + 2 ** 32 : taggedLen;
  if (taggedLen >= stringUtf16Tag) return liftUtf16(memory, ptr, taggedLen - stringUtf16Tag);
  ptr = ptr < 0 ? ptr + 2 ** 32 : ptr;
  stringCheckRange(memory, ptr, taggedLen, 2);
  return latin1Decode(new Uint8Array(memory.buffer, ptr, taggedLen));
}

/**
 * Latin-1 bytes to a string. (TextDecoder's 'latin1' label is windows-1252, which
 * differs at 0x80-0x9f, so this decodes by hand, in chunks to bound `apply`.)
 * @param {Uint8Array} bytes @returns {string}
 */
export function latin1Decode(bytes) {
  const n = bytes.length;
  if (n <= 8192) return String.fromCharCode.apply(null, bytes);
  let s = '';
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return s;
}

/**
 * `store_string_to_latin1_or_utf16`: realloc(0, 0, 2, n); Latin-1 bytes while the code
 * points fit; at the first one that does not, realloc(ptr, n, 2, 2n), widen the bytes
 * written so far in place and write the rest as UTF-16, then shrink to the encoded
 * size if smaller; if all fit and fewer than n bytes were written, shrink to them.
 * Returns the pointer; the tagged length is left in `lowered.len`.
 * @param {WebAssembly.Memory} memory
 * @param {(oldPtr: number, oldSize: number, align: number, newSize: number) => number} realloc
 * @param {string} str a well-formed string
 * @param {number} srcCodeUnits the source's code units (UTF-8 bytes for a 'utf8' source)
 * @returns {number}
 */
export function storeStringToLatin1OrUtf16(memory, realloc, str, srcCodeUnits) {
  const n = srcCodeUnits;
  const m = str.length;
  let ptr = stringRealloc(memory, realloc, 0, 0, 2, n);
  let bytes = new Uint8Array(memory.buffer);
  // Code units below 256 are whole code points, so `len` counts both.
  let len = 0;
  for (; len < m; len++) {
    const c = str.charCodeAt(len);
    if (c > 0xff) break;
    bytes[ptr + len] = c;
  }
  if (len < m) {
    const worst = 2 * n;
    ptr = stringRealloc(memory, realloc, ptr, n, 2, worst);
    bytes = new Uint8Array(memory.buffer);
    for (let j = len - 1; j >= 0; j--) {
      bytes[ptr + 2 * j] = bytes[ptr + j];
      bytes[ptr + 2 * j + 1] = 0;
    }
    writeUtf16(memory.buffer, ptr + 2 * len, str, len);
    const encoded = 2 * m;
    if (worst > encoded) ptr = stringRealloc(memory, realloc, ptr, worst, 2, encoded);
    lowered.len = m + stringUtf16Tag;
    return ptr;
  }
  if (len < n) ptr = stringRealloc(memory, realloc, ptr, n, 2, len);
  lowered.len = len;
  return ptr;
}

/**
 * Lowers a JS string as compact UTF-16: Latin-1 when every code unit fits a byte, else
 * UTF-16 with UTF16_TAG in the length. Returns the pointer; the tagged length is left
 * in `lowered.len`. The host knows which form and how many bytes before it allocates,
 * so it asks `realloc(0, 0, 2, size)` once (not the grow-and-shrink sequence of
 * `store_string_to_latin1_or_utf16` between components). Lone surrogates become U+FFFD.
 * @param {WebAssembly.Memory} memory
 * @param {(oldPtr: number, oldSize: number, align: number, newSize: number) => number} realloc
 * @param {string} str
 * @returns {number}
 */
export function lowerCompactUtf16(memory, realloc, str) {
  str = stringFromHost(str);
  const m = str.length;
  let latin1 = true;
  for (let i = 0; i < m; i++) {
    if (str.charCodeAt(i) > 0xff) {
      latin1 = false;
      break;
    }
  }
  if (!latin1) {
    const ptr = stringRealloc(memory, realloc, 0, 0, 2, 2 * m);
    writeUtf16(lowered.buffer, ptr, str);
    lowered.len = m + stringUtf16Tag;
    return ptr;
  }
  const ptr = stringRealloc(memory, realloc, 0, 0, 2, m);
  const bytes = new Uint8Array(lowered.buffer, ptr, m);
  for (let i = 0; i < m; i++) bytes[i] = str.charCodeAt(i);
  lowered.len = m;
  return ptr;
}
