// What every string file shares: `lowered.len` (the second return value of a lowering:
// a byte length or a, possibly tagged, code-unit count), the spec's limits, the checked
// realloc call that follows every `cx.reallocate` of the spec, the range checks of
// `load_string_from_range`, and the checks on a JS string about to be lowered.
import { trap } from './trap.js';

/**
 * The out-registers of lowering: the caller reads `lowered.len` right after a lowering
 * (or `transcode`) returns the pointer; `stringRealloc` leaves the memory's buffer in
 * `lowered.buffer`.
 * @type {{ len: number, buffer: ArrayBuffer }}
 */
export const lowered = { len: 0, buffer: new ArrayBuffer(0) };

/** `MAX_STRING_BYTE_LENGTH` of the spec. */
export const stringMaxBytes = 2 ** 28 - 1;

/** `UTF16_TAG` of the spec for 32-bit memories (`1 << 31`), kept unsigned. */
export const stringUtf16Tag = 2 ** 31;

/**
 * `cx.reallocate(oldPtr, oldSize, align, newSize)` followed by the spec's
 * `trap_if(ptr != align_to(ptr, align))` and `trap_if(ptr + newSize > len(memory))`.
 * The memory is read after the call: realloc may have grown it. Its buffer is left in
 * `lowered.buffer` for the caller's writes (valid until the next call into wasm).
 * @param {WebAssembly.Memory} memory
 * @param {(oldPtr: number, oldSize: number, align: number, newSize: number) => number} realloc
 * @param {number} oldPtr @param {number} oldSize @param {number} align @param {number} newSize
 * @returns {number} the new pointer
 */
export function stringRealloc(memory, realloc, oldPtr, oldSize, align, newSize) {
  // An `i32` (signed), or a 64-bit memory's wrapper's Number (`realloc64_N`).
  let ptr = realloc(oldPtr, oldSize, align, newSize);
  if (ptr < 0) ptr += 2 ** 32;
  if ((ptr & (align - 1)) !== 0) trap(`realloc return value ${ptr} is not aligned to ${align} bytes`);
  const buffer = memory.buffer; // read once: the getter is not free
  if (ptr + newSize > buffer.byteLength) {
    trap(`realloc return value ${ptr} + ${newSize} bytes is out of bounds of linear memory`);
  }
  lowered.buffer = buffer;
  return ptr;
}

/**
 * The checks of `load_string_from_range` before decoding, in the spec's order: length,
 * alignment, bounds. `ptr` and `byteLen` are unsigned.
 * @param {WebAssembly.Memory} memory @param {number} ptr @param {number} byteLen
 * @param {number} align 1 or 2
 * @returns {ArrayBuffer} the memory's current buffer
 */
export function stringCheckRange(memory, ptr, byteLen, align) {
  if (byteLen > stringMaxBytes) trap(`string of ${byteLen} bytes is too long for the canonical ABI`);
  if ((ptr & (align - 1)) !== 0) trap(`string pointer ${ptr} is not aligned to ${align} bytes`);
  const buffer = memory.buffer; // read once: the getter is not free
  if (ptr + byteLen > buffer.byteLength) trap('string is out of bounds of linear memory');
  return buffer;
}

/**
 * A JS string to be lowered is a `utf16` source of `str.length` code units. Throws a
 * TypeError for a non-string or one whose UTF-16 form is longer than
 * MAX_STRING_BYTE_LENGTH (it could never have been lifted); lone surrogates become
 * U+FFFD (the spec's host strings are valid Unicode; this is what TextEncoder does).
 * @param {unknown} str @returns {string}
 */
export function stringFromHost(str) {
  if (typeof str !== 'string') throw new TypeError(`expected a string, got ${typeof str}`);
  if (2 * str.length > stringMaxBytes) throw new TypeError('string is too long for the canonical ABI');
  return stringWellFormed(str);
}

const stringLoneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `str` with every lone surrogate replaced by U+FFFD (same length). @param {string} str */
export function stringWellFormed(str) {
  if (typeof str.isWellFormed === 'function') return str.isWellFormed() ? str : str.toWellFormed();
  return str.replace(stringLoneSurrogate, '\ufffd');
}

/** A reused scratch buffer for small strings. @type {Uint8Array} */
let scratchBuf = new Uint8Array(1024);
/** A reused buffer for large strings, dropped after a second without use. @type {Uint8Array | undefined} */
let largeScratch;
let largeUsed = false;
let largeTimer = false;

/** Timer callback: keeps the large buffer one more second if it was used, else drops it. */
function dropIdleScratch() {
  if (largeUsed) {
    largeUsed = false;
    scheduleScratchDrop();
  } else {
    largeScratch = undefined;
    largeTimer = false;
  }
}

function scheduleScratchDrop() {
  const t = setTimeout(dropIdleScratch, 1000);
  t?.unref?.(); // node: the timer does not keep the process alive
}

/**
 * A scratch view of `n` bytes: the reused buffer up to 64 KiB; above, a large buffer
 * kept while it is in use (a fresh ArrayBuffer for every large string costs more in GC
 * pressure than its copy) and released after a second without use.
 * @param {number} n @returns {Uint8Array}
 */
export function scratchBytes(n) {
  if (n > 65536) {
    if (typeof setTimeout !== 'function') return new Uint8Array(n);
    largeUsed = true;
    if (largeScratch === undefined || largeScratch.length < n) largeScratch = new Uint8Array(n);
    if (!largeTimer) {
      largeTimer = true;
      scheduleScratchDrop();
    }
    return largeScratch.subarray(0, n);
  }
  if (scratchBuf.length < n) scratchBuf = new Uint8Array(Math.max(n, 2 * scratchBuf.length));
  return scratchBuf.subarray(0, n);
}
