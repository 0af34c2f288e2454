// Shared by the guests' test.mjs files: loading a transpiled guest from $WEFT_OUT and
// matching the errors it throws.
import { deepStrictEqual as assertDeepEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { wasiStubs } from './wasi-stub.mjs';

if (!process.env.WEFT_OUT) {
  throw new Error('WEFT_OUT must name the directory holding the transpiled guest');
}

/** The output directory, as a `file:` URL ending in `/`. */
export const outDir = pathToFileURL(process.env.WEFT_OUT.replace(/\/*$/, '/'));

export const getCoreModule = (p) => WebAssembly.compile(readFileSync(new URL(p, outDir)));

/**
 * Imports `<name>.js` (made with `weft transpile <name>.wasm --instantiation`) and
 * returns a function making a new instance from `imports`, plus stubs for the WASI
 * interfaces named in `wasi` (none of the guests here has any).
 */
export async function loader(name, { wasi = [] } = {}) {
  const { instantiate } = await import(new URL(`${name}.js`, outDir).href);
  return (imports = {}) => instantiate(getCoreModule, { ...wasiStubs(wasi), ...imports });
}

/** For `assert.throws`: a `ComponentError` whose `payload` deep-equals `payload`. */
export function componentError(payload) {
  return (e) => {
    if (!(e instanceof Error)) return false;
    if (e.name !== 'ComponentError' && e.constructor?.name !== 'ComponentError') return false;
    if (!('payload' in e)) return false;
    try {
      assertDeepEqual(e.payload, payload);
    } catch {
      return false;
    }
    return true;
  };
}

/** An error a JS import throws to return `err(payload)` from a top-level `result`. */
export function errResult(payload) {
  return Object.assign(new Error('err result'), { payload });
}
