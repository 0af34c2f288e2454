// `splitPath`: a guest path relative to a descriptor as segments, for every filesystem
// backend of WASI 0.2 and 0.3 (node, in-memory, OPFS).
import { fail } from './fs-errors.js';

/**
 * Splits a guest path relative to a directory into segments (without `''` and `.`):
 * absolute paths are `not-permitted`, empty ones `no-entry`. `..` stays; each backend
 * refuses it above the preopen.
 * @param {string} path @returns {string[]}
 */
export function splitPath(path) {
  if (path === '') fail('no-entry');
  if (path.startsWith('/')) fail('not-permitted');
  if (path.includes('\0')) fail('invalid');
  return path.split('/').filter((seg) => seg !== '' && seg !== '.');
}
