// `char` values: a Unicode scalar value in core wasm, a one-code-point string in JS.
import { trap } from './trap.js';

/** @param {number} i @returns {string} */
export function liftChar(i) {
  i >>>= 0;
  if (i >= 0x110000 || (i >= 0xd800 && i <= 0xdfff)) trap(`invalid char code point ${i}`);
  return String.fromCodePoint(i);
}

/** @param {string} s @returns {number} */
export function lowerChar(s) {
  if (typeof s !== 'string') throw new TypeError('expected a string of one code point for a char');
  const c = s.codePointAt(0);
  if (c === undefined || s.length !== (c > 0xffff ? 2 : 1)) {
    throw new TypeError('expected a string of exactly one code point for a char');
  }
  return c;
}
