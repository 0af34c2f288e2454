// UTF-16 strings: lifting with strict validation (unpaired surrogates trap, like the
// spec's strict 'utf-16-le' decode), validating without decoding, writing code units,
// and lowering a JS string (`store_string_copy` with 2-byte code units, alignment 2).
import { trap } from './trap.js';
import { lowered, stringRealloc, stringCheckRange, stringFromHost, scratchBytes } from './strings.js';

// ignoreBOM: a leading U+FEFF is content, as in Python's 'utf-16-le' codec.
const utf16Decoder = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
// Uint16Array views are only usable for wasm's little-endian memory on a
// little-endian host; elsewhere the DataView paths run.
const utf16LittleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const asciiEncoder = new TextEncoder();

/**
 * Lifts `codeUnits` UTF-16 code units at `ptr`. Traps when too long, misaligned, out
 * of bounds or holding an unpaired surrogate.
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} codeUnits
 * @returns {string}
 */
export function liftUtf16(memory, ptr, codeUnits) {
  ptr = ptr < 0 ? ptr + 2 ** 32 : ptr;
  const bytes = 2 * (codeUnits < 0 ? codeUnits + 2 ** 32 : codeUnits);
  const buffer = stringCheckRange(memory, ptr, bytes, 2);
  try {
    return utf16Decoder.decode(new Uint8Array(buffer, ptr, bytes));
  } catch {
    return trap('invalid UTF-16 string');
  }
}

/**
 * The traps of `liftUtf16` without creating a string.
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} codeUnits
 */
export function checkUtf16(memory, ptr, codeUnits) {
  ptr = ptr < 0 ? ptr + 2 ** 32 : ptr;
  codeUnits = codeUnits < 0 ? codeUnits + 2 ** 32 : codeUnits;
  const bytes = 2 * codeUnits;
  const buffer = stringCheckRange(memory, ptr, bytes, 2);
  if (!utf16Valid(buffer, ptr, codeUnits)) trap('invalid UTF-16 string');
}

/** Whether the `n` code units at (aligned) `ptr` pair every surrogate. */
function utf16Valid(buffer, ptr, n) {
  if (utf16LittleEndian) {
    const u = new Uint16Array(buffer, ptr, n);
    for (let i = 0; i < n; i++) {
      const c = u[i];
      if (c < 0xd800 || c > 0xdfff) continue;
      if (c > 0xdbff || i + 1 >= n) return false;
      const d = u[++i];
      if (d < 0xdc00 || d > 0xdfff) return false;
    }
    return true;
  }
  const dv = new DataView(buffer, ptr, 2 * n);
  for (let i = 0; i < n; i++) {
    const c = dv.getUint16(2 * i, true);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff || i + 1 >= n) return false;
    const d = dv.getUint16(2 * ++i, true);
    if (d < 0xdc00 || d > 0xdfff) return false;
  }
  return true;
}

/**
 * Writes the code units of `str` from index `start` on, little-endian, at the
 * 2-aligned byte offset `ptr`.
 * @param {ArrayBuffer} buffer @param {number} ptr @param {string} str @param {number} [start]
 */
export function writeUtf16(buffer, ptr, str, start = 0) {
  const n = str.length - start;
  if (utf16LittleEndian) {
    const u = new Uint16Array(buffer, ptr, n);
    if (start === 0 && n >= 32) {
      // Mostly ASCII in practice: UTF-8-encode into a scratch buffer (native speed); if
      // every unit took one byte, widening the bytes is the UTF-16 (a native copy too).
      const scratch = scratchBytes(n);
      const r = asciiEncoder.encodeInto(str, scratch);
      if (r.read === n && r.written === n) {
        u.set(scratch);
        return;
      }
    }
    for (let i = 0; i < n; i++) u[i] = str.charCodeAt(start + i);
  } else {
    const dv = new DataView(buffer, ptr, 2 * n);
    for (let i = 0; i < n; i++) dv.setUint16(2 * i, str.charCodeAt(start + i), true);
  }
}

/**
 * Widens the `n` Latin-1 bytes of `src` into UTF-16 at the 2-aligned `ptr` of `buffer`.
 * @param {Uint8Array} src @param {ArrayBuffer} buffer @param {number} ptr
 */
export function widenLatin1(src, buffer, ptr) {
  const n = src.length;
  if (utf16LittleEndian) {
    new Uint16Array(buffer, ptr, n).set(src);
  } else {
    const dv = new DataView(buffer, ptr, 2 * n);
    for (let i = 0; i < n; i++) dv.setUint16(2 * i, src[i], true);
  }
}

/**
 * Lowers a JS string as UTF-16 (`store_string_copy(cx, src, n, 2, 2, 'utf-16-le')`):
 * one realloc(0, 0, 2, 2n). Returns the pointer; the code-unit count is left in
 * `lowered.len`. Lone surrogates become U+FFFD.
 * @param {WebAssembly.Memory} memory
 * @param {(oldPtr: number, oldSize: number, align: number, newSize: number) => number} realloc
 * @param {string} str
 * @returns {number}
 */
export function lowerUtf16(memory, realloc, str) {
  str = stringFromHost(str);
  const n = str.length;
  const ptr = stringRealloc(memory, realloc, 0, 0, 2, 2 * n);
  writeUtf16(lowered.buffer, ptr, str);
  lowered.len = n;
  return ptr;
}
