// The test API of the guests' test.mjs files, the same in node and in a browser page, so
// that each guest has one test module: `node --test <guest>/test.mjs` runs it (driven by
// tests/harness/guests.rs, with WEFT_OUT naming the transpiled guest), and so does a
// web-tests page (web-tests/suites/guest.js imports it). The back end is chosen by how
// this file was loaded: from a `file:` URL, testing-node.mjs (node:test and
// node:assert/strict); over http, testing-page.mjs (web-tests/lib/test.js and assert.js).
//
//   test(name, { needs, timeout }, fn)  registers a test; `needs` declares what it cannot
//                                       run without (see `NEEDS`): where that is missing,
//                                       the test is reported as skipped, with the reason
//   assert                              node:assert/strict's ok, equal, notEqual,
//                                       deepEqual, match, throws, rejects
//   loadGuest(name, imports)            the transpiled guest: a shared instance, and
//                                       `instantiate` for tests that make their own
//   componentError, errResult           the errors of a top-level `result`
import { wasiStubs } from './wasi-stub.mjs';

const backend = await import(import.meta.url.startsWith('file:') ? './testing-node.mjs' : './testing-page.mjs');

export const { assert } = backend;

/**
 * What a test may need, each a function returning why it is missing (or nothing):
 * - `instances`: new instances of the guest (`instantiate`). A guest transpiled as an ES
 *   module (the ESM pages) is one module instance that all tests share; a test that
 *   makes its own, or poisons the one it has, cannot run there.
 * - `using`: `using` declarations (explicit resource management) in the engine.
 * - `jspi`: JSPI (`WebAssembly.Suspending` and `.promising`), which stack switching needs;
 *   `no-jspi`: an engine without it (a test of what happens there).
 * - `memory64`: 64-bit memories (node 24, Chromium); `no-memory64`: an engine without
 *   them (node 20).
 */
const hasJspi = () => typeof (/** @type {any} */ (WebAssembly).Suspending) === 'function';
// `(module (memory i64 1))`
const hasMemory64 = () => WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 4, 1]));
const NEEDS = {
  memory64: () => (hasMemory64() ? undefined : 'needs 64-bit memories (memory64), which this engine lacks'),
  'no-memory64': () => (hasMemory64() ? 'tests an engine without memory64, and this one has it' : undefined),
  jspi: () => (hasJspi() ? undefined : 'needs JSPI (WebAssembly.Suspending and .promising), which this engine lacks'),
  'no-jspi': () => (hasJspi() ? 'tests an engine without JSPI, and this one has it' : undefined),
  instances: () =>
    backend.mode === 'esm' ? 'needs its own instances: in ESM mode every test shares the one module instance' : undefined,
  using: () => {
    try {
      new Function('{ using x = null; }');
      return undefined;
    } catch {
      return 'needs `using` declarations, which this engine does not parse';
    }
  },
};

/**
 * Registers a test, as node:test's `test(name, [options], fn)`. `fn` may be async; it
 * fails if it throws or has not finished within `timeout` ms. `needs` lists entries of
 * `NEEDS`.
 */
export function test(name, options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  const { needs = [], timeout = 15000 } = options;
  const missing = needs.map((n) => {
    if (!(n in NEEDS)) throw new Error(`test ${JSON.stringify(name)}: unknown need ${JSON.stringify(n)}`);
    return NEEDS[n]();
  });
  backend.register(name, fn, { skip: missing.filter(Boolean).join('; ') || false, timeout });
}

/**
 * The transpiled guest `<name>.js`: `{ instance, instantiate }`.
 * - Instantiation mode (node, and pages made with `--instantiation`): `instantiate(i)`
 *   makes a new instance from the import object `i` (default `imports()`), with stubs for
 *   the WASI interfaces named in `wasi` (wasi-stub.mjs); `instance` is one made from
 *   `imports()`, when `imports` is given.
 * - ESM mode (pages only): `instance` is the module itself, whose imports `--map` sent to
 *   the host modules next to the test; `instantiate` throws (see `NEEDS.instances`).
 */
export async function loadGuest(name, imports, { wasi = [] } = {}) {
  const mod = await backend.importGuest(name);
  if (backend.mode === 'esm') {
    const instantiate = () => {
      throw new Error(`${name} is an ES module here: a test that makes instances declares needs: ['instances']`);
    };
    return { instance: mod, instantiate };
  }
  const instantiate = (given = imports?.() ?? {}) =>
    mod.instantiate(backend.getCoreModule, { ...wasiStubs(wasi), ...given });
  return { instance: imports ? await instantiate() : undefined, instantiate };
}

/** For `assert.throws`/`rejects`: a `ComponentError` whose `payload` deep-equals `payload`. */
export function componentError(payload) {
  return (e) =>
    e instanceof Error &&
    (e.name === 'ComponentError' || e.constructor?.name === 'ComponentError') &&
    'payload' in e &&
    backend.isDeepEqual(e.payload, payload);
}

/** An error a JS import throws to return `err(payload)` from a top-level `result`. */
export function errResult(payload) {
  return Object.assign(new Error('err result'), { payload });
}
