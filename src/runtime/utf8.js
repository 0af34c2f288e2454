// UTF-8 strings: lifting (`load_string_from_range`) and lowering a JS string
// (`store_string_to_utf8` with a UTF-16 source), with the spec's realloc sequence.
import { trap } from './trap.js';
import { lowered } from './strings.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();
const utf8MaxLength = 2 ** 28 - 1;
const utf8NonAscii = /[^\0-\x7f]/;

/**
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} byteLen
 * @returns {string}
 */
export function liftUtf8(memory, ptr, byteLen) {
  ptr >>>= 0;
  byteLen >>>= 0;
  if (ptr + byteLen > memory.buffer.byteLength) trap('string is out of bounds of linear memory');
  try {
    return utf8Decoder.decode(new Uint8Array(memory.buffer, ptr, byteLen));
  } catch {
    return trap('invalid UTF-8 string');
  }
}

/**
 * Lowers `str`, returning the pointer; the byte length is left in `lowered.len`.
 * @param {WebAssembly.Memory} memory @param {Function} realloc @param {string} str
 * @returns {number}
 */
export function lowerUtf8(memory, realloc, str) {
  if (typeof str !== 'string') throw new TypeError('expected a string');
  return storeUtf8(memory, realloc, str, str.length, 3 * str.length);
}

/**
 * `store_string_to_utf8`: `str` has `units` code units in its source encoding (UTF-16
 * for a JS string, Latin-1 or UTF-16 for another component's string) and encodes to at
 * most `worst` bytes. Like the spec it writes the ASCII prefix, then grows to the
 * worst case at the first non-ASCII character and shrinks at the end, so even the
 * block it abandons holds the same bytes. Returns the pointer; `lowered.len` is set.
 * @param {WebAssembly.Memory} memory @param {Function} realloc @param {string} str
 * @param {number} units @param {number} worst
 */
export function storeUtf8(memory, realloc, str, units, worst) {
  if (units > utf8MaxLength) trap('string is too long for the canonical ABI');
  let ptr = utf8Alloc(memory, realloc, 0, 0, units);
  const ascii = str.search(utf8NonAscii);
  if (ascii === -1) {
    utf8Encoder.encodeInto(str, new Uint8Array(memory.buffer, ptr, units));
    lowered.len = units;
    return ptr;
  }
  utf8Encoder.encodeInto(str.slice(0, ascii), new Uint8Array(memory.buffer, ptr, ascii));
  if (worst > utf8MaxLength) trap('string is too long for the canonical ABI');
  ptr = utf8Alloc(memory, realloc, ptr, units, worst);
  const len = utf8Encoder.encodeInto(str, new Uint8Array(memory.buffer, ptr, worst)).written;
  if (worst > len) ptr = utf8Alloc(memory, realloc, ptr, worst, len);
  lowered.len = len;
  return ptr;
}

function utf8Alloc(memory, realloc, oldPtr, oldSize, size) {
  const ptr = realloc(oldPtr, oldSize, 1, size) >>> 0;
  if (ptr + size > memory.buffer.byteLength) trap('realloc return value is out of bounds of linear memory');
  return ptr;
}
