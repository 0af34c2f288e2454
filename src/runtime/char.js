// `char` values: a Unicode scalar value in core wasm, a one-code-point string in JS.
// Lifting traps like `convert_i32_to_char`; lowering a bad JS value is a TypeError.
import { trap } from './trap.js';

/**
 * @param {number} i the core i32 (read as unsigned)
 * @returns {string}
 */
export function liftChar(i) {
  i >>>= 0;
  if (i >= 0x110000 || (i >= 0xd800 && i <= 0xdfff)) trap(`invalid char code point ${i}`);
  return String.fromCodePoint(i);
}

/**
 * @param {string} s a string of exactly one Unicode scalar value
 * @returns {number} its code point
 */
export function lowerChar(s) {
  if (typeof s !== 'string') throw new TypeError(`expected a string of one code point for a char, got ${typeof s}`);
  const c = s.codePointAt(0);
  if (c === undefined || s.length !== (c > 0xffff ? 2 : 1)) {
    throw new TypeError('expected a string of exactly one code point for a char');
  }
  if (c >= 0xd800 && c <= 0xdfff) throw new TypeError('a lone surrogate is not a char');
  return c;
}
