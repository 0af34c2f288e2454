// `@weft/wasi/p3` in browsers (also `@weft/wasi/p3/browser`, and the default): the WASI
// 0.3 browser shim (p3/browser.js) answering the `@0.2.x` names through the WASI 0.2
// browser shim (p2/browser.js), since a component may import both versions; with both
// OPFS backends (`OpfsFs` for 0.3, `OpfsMirror` for 0.2 and 0.3).
import { wasiImports as wasiImports2 } from './p2/browser.js';
import { wasiImports as wasiImports3 } from './p3/browser.js';

export { InstancePool, MemFs, OpfsFs, WasiExit, toFetchHandler } from './p3/browser.js';
export { OpfsMirror } from './p2/opfs.js';

/**
 * @param {Parameters<typeof wasiImports3>[0]} [options] see p3/browser.js: `fs`: a
 *   `MemFs`, `OpfsFs` or tree preopened as `/`; `preopens`: more by guest path (default
 *   when neither is given: an empty tree as `/`). `OpfsFs` preopens (OPFS, asynchronous)
 *   are not offered to the `@0.2.x` filesystem names.
 */
export function wasiImports(options = {}) {
  return wasiImports3(options, wasiImports2);
}
