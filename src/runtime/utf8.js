// UTF-8 strings: lifting (`load_string_from_range` with 'utf8'), validating without
// decoding (for memory-to-memory copies), storing a UTF-16 source between components
// (`store_string_to_utf8`: realloc(0, 0, 1, n) optimistically, grow to the worst case
// at the first non-ASCII code unit, shrink to the encoded length at the end), and
// lowering a JS string, whose exact UTF-8 length the host knows: one realloc of it.
import { trap } from './trap.js';
import { lowered, stringMaxBytes, stringRealloc, stringCheckRange, scratchBytes } from './strings.js';

// ignoreBOM: a leading U+FEFF is content, as in Python's strict 'utf-8' codec.
// Lenient: a `fatal` decoder is ~3x slower in node 24. Valid UTF-8 decodes to a string
// without U+FFFD unless it encodes U+FFFD itself, so only a string holding one is
// validated again (strictly) before it is trusted.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * Lifts the UTF-8 string at [ptr, ptr + byteLen). Traps when too long, out of bounds
 * or not valid UTF-8 (overlong forms, surrogates and code points above U+10FFFF
 * included).
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} byteLen
 * @returns {string}
 */
export function liftUtf8(memory, ptr, byteLen) {
  ptr = ptr < 0 ? ptr + 2 ** 32 : ptr;
  byteLen = byteLen < 0 ? byteLen + 2 ** 32 : byteLen;
  const bytes = new Uint8Array(stringCheckRange(memory, ptr, byteLen, 1), ptr, byteLen);
  const str = utf8Decoder.decode(bytes);
  if (str.indexOf('\uFFFD') !== -1 && !utf8Valid(bytes)) trap('invalid UTF-8 string');
  return str;
}

/**
 * The traps of `liftUtf8` without creating a string.
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} byteLen
 */
export function checkUtf8(memory, ptr, byteLen) {
  ptr = ptr < 0 ? ptr + 2 ** 32 : ptr;
  byteLen = byteLen < 0 ? byteLen + 2 ** 32 : byteLen;
  const buffer = stringCheckRange(memory, ptr, byteLen, 1);
  if (!utf8Valid(new Uint8Array(buffer, ptr, byteLen))) trap('invalid UTF-8 string');
}

/** Whether `b` is well-formed UTF-8 (Unicode table 3-7, as Python and TextDecoder). */
function utf8Valid(b) {
  const n = b.length;
  const base = b.byteOffset;
  // Runs of ASCII are skipped a 4-byte word at a time (most strings are mostly ASCII).
  const words = new Uint32Array(b.buffer, 0, b.buffer.byteLength >>> 2);
  const wordsEnd = Math.floor((base + n) / 4);
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      if (((base + i) & 3) === 0) {
        let w = (base + i) / 4;
        while (w + 4 <= wordsEnd && ((words[w] | words[w + 1] | words[w + 2] | words[w + 3]) & 0x80808080) === 0) w += 4;
        while (w < wordsEnd && (words[w] & 0x80808080) === 0) w++;
        i = w * 4 - base;
      }
      continue;
    }
    if (c < 0xc2) return false;
    if (c < 0xe0) {
      if (i + 1 >= n || (b[i + 1] & 0xc0) !== 0x80) return false;
      i += 2;
      continue;
    }
    if (c < 0xf0) {
      if (i + 2 >= n) return false;
      const c1 = b[i + 1];
      if ((c1 & 0xc0) !== 0x80 || (c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return false;
      if ((b[i + 2] & 0xc0) !== 0x80) return false;
      i += 3;
      continue;
    }
    if (c < 0xf5) {
      if (i + 3 >= n) return false;
      const c1 = b[i + 1];
      if ((c1 & 0xc0) !== 0x80 || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return false;
      if ((b[i + 2] & 0xc0) !== 0x80 || (b[i + 3] & 0xc0) !== 0x80) return false;
      i += 4;
      continue;
    }
    return false;
  }
  return true;
}

/**
 * `store_string_to_utf8` for a source of `str.length` UTF-16 code units (a JS string,
 * or a lifted 'utf16' / tagged 'latin1+utf16' string). Returns the pointer; the byte
 * length is left in `lowered.len`. Lone surrogates are encoded as U+FFFD (3 bytes, so
 * the worst case still holds).
 * @param {WebAssembly.Memory} memory
 * @param {(oldPtr: number, oldSize: number, align: number, newSize: number) => number} realloc
 * @param {string} str @param {number} worstCaseSize `3 * str.length` for UTF-16 sources
 * @returns {number}
 */
export function storeStringToUtf8(memory, realloc, str, worstCaseSize) {
  const units = str.length;
  let ptr = stringRealloc(memory, realloc, 0, 0, 1, units);
  const block = new Uint8Array(lowered.buffer, ptr, units);
  // `i` becomes the length of the ASCII prefix, which the block holds (the spec stores
  // it byte by byte until the first code unit >= 0x80).
  let i = 0;
  if (units <= 64) {
    // Short: the same byte loop, cheaper than any codec call at this size.
    for (; i < units; i++) {
      const c = str.charCodeAt(i);
      if (c >= 0x80) break;
      block[i] = c;
    }
    if (i === units) {
      lowered.len = units;
      return ptr;
    }
  } else {
    // Encode optimistically into a scratch buffer of `units` bytes: an all-ASCII string
    // fills it exactly and is copied into the block, with no scan of its own.
    const scratch = scratchBytes(units);
    const first = utf8Encoder.encodeInto(str, scratch);
    if (first.read === units && first.written === units) {
      block.set(scratch);
      lowered.len = units;
      return ptr;
    }
    while (i < first.written && scratch[i] < 0x80) i++;
    block.set(scratch.subarray(0, i));
  }
  // Not ASCII: realloc to the worst case and write the rest after the prefix, as the
  // spec's encoded[i:].
  ptr = stringRealloc(memory, realloc, ptr, units, 1, worstCaseSize);
  const rest = utf8Encoder.encodeInto(i > 0 ? str.slice(i) : str, new Uint8Array(memory.buffer, ptr + i, worstCaseSize - i));
  const len = i + rest.written;
  if (worstCaseSize > len) ptr = stringRealloc(memory, realloc, ptr, worstCaseSize, 1, len);
  lowered.len = len;
  return ptr;
}

/**
 * Lowers a JS string as UTF-8. Returns the pointer; the byte length is left in
 * `lowered.len`. A host knows the exact UTF-8 length of its string, so it asks
 * `realloc(0, 0, 1, len)` once, as wasmtime does, instead of the grow-and-shrink
 * sequence of `store_utf16_to_utf8` between components (which bump allocators, such as
 * the WASI preview1 adapter's, cannot serve). Lone surrogates become U+FFFD. A
 * non-string, or a string longer than MAX_STRING_BYTE_LENGTH in UTF-16, is a TypeError.
 * @param {WebAssembly.Memory} memory
 * @param {(oldPtr: number, oldSize: number, align: number, newSize: number) => number} realloc
 * @param {string} str
 * @returns {number}
 */
export function lowerUtf8(memory, realloc, str) {
  if (typeof str !== 'string') throw new TypeError(`expected a string, got ${typeof str}`);
  if (2 * str.length > stringMaxBytes) throw new TypeError('string is too long for the canonical ABI');
  const units = str.length;
  if (units <= 64) {
    // Short: the byte loop copies an ASCII string into a small scratch while it looks
    // for the first non-ASCII unit; then one allocation of the exact length.
    let i = 0;
    for (; i < units; i++) {
      const c = str.charCodeAt(i);
      if (c >= 0x80) break;
      small[i] = c;
    }
    if (i === units) {
      const ptr = stringRealloc(memory, realloc, 0, 0, 1, units);
      const block = new Uint8Array(lowered.buffer, ptr, units);
      // A loop beats a `subarray` + `set` below about 32 bytes.
      if (units <= 32) for (let j = 0; j < units; j++) block[j] = small[j];
      else block.set(small.subarray(0, units));
      lowered.len = units;
      return ptr;
    }
    const len = utf8Length(str, i);
    const ptr = stringRealloc(memory, realloc, 0, 0, 1, len);
    utf8Encoder.encodeInto(str, new Uint8Array(lowered.buffer, ptr, len));
    lowered.len = len;
    return ptr;
  }
  // Long: encode optimistically into a scratch buffer of `units` bytes; an all-ASCII
  // string fills it exactly. Otherwise encode it again at its exact size.
  const scratch = scratchBytes(units);
  const first = utf8Encoder.encodeInto(str, scratch);
  const ascii = first.read === units && first.written === units;
  const bytes = ascii ? scratch.subarray(0, units) : utf8Encoder.encode(str);
  const len = bytes.length;
  const ptr = stringRealloc(memory, realloc, 0, 0, 1, len);
  new Uint8Array(lowered.buffer, ptr, len).set(bytes);
  lowered.len = len;
  return ptr;
}

/** The ASCII prefix of a short string, while `lowerUtf8` looks for its end. */
const small = new Uint8Array(64);

/**
 * The UTF-8 length of `str`, lone surrogates counted as U+FFFD (3 bytes); the units
 * before `from` are known to be ASCII.
 * @param {string} str @param {number} [from] @returns {number}
 */
export function utf8Length(str, from = 0) {
  const n = str.length;
  let len = n;
  for (let i = from; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      len += 1;
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      len += 2; // a pair: 4 bytes for 2 code units
      i++;
    } else {
      len += 2; // 3 bytes, a lone surrogate included (U+FFFD)
    }
  }
  return len;
}
