// The node back end of testing.mjs, which loads it under `node --test`: tests are
// node:test tests, `assert` is node:assert/strict, and the guest is read from the
// directory WEFT_OUT names (tests/harness/guests.rs transpiles it there, in
// instantiation mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

if (!process.env.WEFT_OUT) {
  throw new Error('WEFT_OUT must name the directory holding the transpiled guest');
}

/** The output directory, as a `file:` URL ending in `/`. */
const outDir = pathToFileURL(process.env.WEFT_OUT.replace(/\/*$/, '/'));

export { assert };
export const mode = 'instantiation';
export const isDeepEqual = isDeepStrictEqual;
export const importGuest = (name) => import(new URL(`${name}.js`, outDir).href);
export const getCoreModule = (p) => WebAssembly.compile(readFileSync(new URL(p, outDir)));

/** A node:test test; `skip` is false or the reason. */
export function register(name, fn, { skip, timeout }) {
  test(name, { skip }, limited(fn, timeout));
}

/**
 * `fn` failing after `ms` if it has not finished. Unlike node:test's own `timeout` the
 * timer is not `unref`ed, so a call that never settles fails its test instead of ending
 * the whole run ("the event loop has already resolved").
 */
function limited(fn, ms) {
  return async () => {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the test did not finish within ${ms / 1000} s`)), ms);
    });
    try {
      return await Promise.race([fn(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
