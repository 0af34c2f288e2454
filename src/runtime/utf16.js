// UTF-16 strings: lifting with strict validation (unpaired surrogates trap, like the
// spec's strict 'utf-16-le' decode) and lowering a JS string (`store_string_copy`).
import { trap } from './trap.js';
import { lowered } from './strings.js';

const utf16Decoder = new TextDecoder('utf-16le', { fatal: true });
const utf16MaxBytes = 2 ** 28 - 1;

/**
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} codeUnits
 * @returns {string}
 */
export function liftUtf16(memory, ptr, codeUnits) {
  ptr >>>= 0;
  const bytes = 2 * (codeUnits >>> 0);
  if (bytes > utf16MaxBytes) trap('string is too long for the canonical ABI');
  if ((ptr & 1) !== 0) trap('string pointer is not aligned to 2 bytes');
  if (ptr + bytes > memory.buffer.byteLength) trap('string is out of bounds of linear memory');
  try {
    return utf16Decoder.decode(new Uint8Array(memory.buffer, ptr, bytes));
  } catch {
    return trap('invalid UTF-16 string');
  }
}

/**
 * Writes the UTF-16 code units of `str` at byte offset `ptr` (little-endian).
 * @param {ArrayBuffer} buffer @param {number} ptr @param {string} str
 */
export function writeUtf16(buffer, ptr, str) {
  const n = str.length;
  if ((ptr & 1) === 0) {
    const u16 = new Uint16Array(buffer, ptr, n);
    for (let i = 0; i < n; i++) u16[i] = str.charCodeAt(i);
  } else {
    const dv = new DataView(buffer);
    for (let i = 0; i < n; i++) dv.setUint16(ptr + 2 * i, str.charCodeAt(i), true);
  }
}

/**
 * Lowers `str` as UTF-16, returning the pointer; code units are left in `lowered.len`.
 * Unpaired surrogates become U+FFFD.
 * @param {WebAssembly.Memory} memory @param {Function} realloc @param {string} str
 */
export function lowerUtf16(memory, realloc, str) {
  if (typeof str !== 'string') throw new TypeError('expected a string');
  str = str.toWellFormed();
  const n = str.length;
  const bytes = 2 * n;
  if (bytes > utf16MaxBytes) trap('string is too long for the canonical ABI');
  const ptr = realloc(0, 0, 2, bytes) >>> 0;
  if ((ptr & 1) !== 0) trap('realloc return value is not aligned to 2 bytes');
  if (ptr + bytes > memory.buffer.byteLength) trap('realloc return value is out of bounds of linear memory');
  writeUtf16(memory.buffer, ptr, str);
  lowered.len = n;
  return ptr;
}
