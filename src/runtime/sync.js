// Synchronous calls of `async` functions: a host import typed `async` but lowered
// without the `async` option must produce its value before returning to the guest.
import { trap } from './trap.js';

/**
 * Returns `value`, trapping when it is a promise the caller cannot wait for.
 * @param {unknown} value @param {string} name the import, for the message
 */
export function syncResult(value, name) {
  if (value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function') {
    trap('the async import `' + name + '`' + ` returned a promise to a synchronous caller; waiting for it needs JSPI`);
  }
  return value;
}
