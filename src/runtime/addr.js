// Pointers and lengths of 32- and 64-bit memories (🐘 memory64). A core `i32` pointer
// arrives signed and is made unsigned; a core `i64` one arrives as a BigInt. Between the
// core values the runtime works with Numbers: every memory a JS engine can make is far
// below 2**53 bytes, so a 64-bit value above that (rounded by `Number`) is out of bounds
// wherever it is checked, as it is in the spec.

/**
 * A pointer or length the guest gave as an unsigned Number. The runtime's helpers take
 * an address as an `i32` (signed) or as such a Number (`if (p < 0) p += 2 ** 32`).
 * @param {number | bigint} x an `i64` core value, or an unsigned Number
 * @returns {number}
 */
export function addrNum(x) {
  return typeof x === 'bigint' ? Number(BigInt.asUintN(64, x)) : x;
}

/**
 * A string's length as a lowering left it in `lowered.len` (tagged with `1 << 31` for a
 * `latin1+utf16` string stored as UTF-16) as the `i64` a 64-bit memory's guest takes:
 * the tag moves to `1 << 63` (`UTF16_TAG` for `i64` pointers).
 * @param {number} len
 * @returns {bigint}
 */
export function compactLenWide(len) {
  return len >= 2 ** 31 ? BigInt(len - 2 ** 31) | (1n << 63n) : BigInt(len);
}

/**
 * A 64-bit memory's string length (an `i64`, for a `latin1+utf16` string stored as
 * UTF-16 tagged with `1 << 63`) in the form the string helpers read from 32-bit ones
 * (tagged with `1 << 31`). A length of `2**31` or more, which no string can have,
 * becomes `Infinity` (tagged or not), on which they trap as too long.
 * @param {bigint} x
 * @returns {number}
 */
export function taggedNum(x) {
  let v = BigInt.asUintN(64, x);
  let tag = 0;
  if (v >= 1n << 63n) {
    v -= 1n << 63n;
    tag = 2 ** 31;
  }
  return v < 1n << 31n ? tag + Number(v) : Infinity;
}

/**
 * Throws the `WebAssembly.CompileError` a component with 64-bit memories or tables
 * (🐘 memory64) gets from an engine without memory64 (node 20), naming what is missing,
 * before any of its core modules is compiled.
 */
export function needMemory64() {
  // `(module (memory i64 1))`
  if (!WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 4, 1]))) {
    throw new WebAssembly.CompileError(
      'this component uses 64-bit memories (memory64), which this JavaScript engine does not support (node 24, Chrome 133 and Firefox 134 do)',
    );
  }
}

/**
 * Throws the `WebAssembly.CompileError` a core module with more than one memory (a
 * component's instances linked into one by `--lowered`, or a module of its own) gets
 * from an engine without multi-memory (node 20), naming what is missing, before any
 * core module is compiled.
 */
export function needMultiMemory() {
  // `(module (memory 0) (memory 0))`
  if (!WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 5, 2, 0, 0, 0, 0]))) {
    throw new WebAssembly.CompileError(
      'this component needs multi-memory (one core module with several memories: `--lowered` links its instances into one), which this JavaScript engine does not support (node 24, Chrome 120 and Firefox 125 do; transpile without `--lowered` for node 20)',
    );
  }
}
