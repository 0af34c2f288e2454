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
  const units = str.length;
  if (units > utf8MaxLength) trap('string is too long for the canonical ABI');
  let ptr = realloc(0, 0, 1, units) >>> 0;
  if (ptr + units > memory.buffer.byteLength) trap('realloc return value is out of bounds of linear memory');
  // Like the spec, write the ASCII prefix, then grow to the worst case at the first
  // non-ASCII code unit (so even the abandoned first block holds the same bytes).
  const ascii = str.search(utf8NonAscii);
  if (ascii === -1) {
    utf8Encoder.encodeInto(str, new Uint8Array(memory.buffer, ptr, units));
    lowered.len = units;
    return ptr;
  }
  utf8Encoder.encodeInto(str.slice(0, ascii), new Uint8Array(memory.buffer, ptr, ascii));
  const worst = units * 3;
  if (worst > utf8MaxLength) trap('string is too long for the canonical ABI');
  ptr = realloc(ptr, units, 1, worst) >>> 0;
  if (ptr + worst > memory.buffer.byteLength) trap('realloc return value is out of bounds of linear memory');
  const r = utf8Encoder.encodeInto(str, new Uint8Array(memory.buffer, ptr, worst));
  const len = r.written;
  if (worst > len) {
    ptr = realloc(ptr, worst, 1, len) >>> 0;
    if (ptr + len > memory.buffer.byteLength) trap('realloc return value is out of bounds of linear memory');
  }
  lowered.len = len;
  return ptr;
}
