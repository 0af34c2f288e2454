// The page back end of testing.mjs, which loads it in a web-tests page
// (web-tests/suites/guest.js): tests are web-tests/lib/test.js tests, `assert` is
// web-tests/lib/assert.js, and the guest is the one the runner transpiled into the page's
// `out` directory, in the page's `mode` (`instantiation` or `esm`).
import { assert, isDeepEqual } from '../../web-tests/lib/assert.js';
import { config, test } from '../../web-tests/lib/test.js';

export { assert, isDeepEqual };
export const mode = config.mode;
export const importGuest = (name) => import(new URL(`${name}.js`, config.out).href);
export const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));

/** A web-tests/lib/test.js test; `skip` is false or the reason. */
export function register(name, fn, { skip, timeout }) {
  test(name, fn, { skip, timeout });
}
