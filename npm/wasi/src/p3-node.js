// `@weft/wasi/p3` in node (also `@weft/wasi/p3/node`): the WASI 0.3 node shim
// (p3/node.js) answering the `@0.2.x` names through the WASI 0.2 node shim
// (p2/node.js), since a component may import both versions.
import { wasiImports as wasiImports2 } from './p2/node.js';
import { wasiImports as wasiImports3 } from './p3/node.js';

export { InstancePool, WasiExit, toFetchHandler } from './p3/node.js';

/**
 * @param {Parameters<typeof wasiImports3>[0]} [options] see p3/node.js: `preopens` maps
 *   guest paths to host directories, e.g. `{ '/data': './data' }`; `network: true` lets
 *   the guest use node's network through `wasi:sockets` (default: denied, like browsers)
 */
export function wasiImports(options = {}) {
  return wasiImports3(options, wasiImports2);
}
