// Declarations of `@weft/wasi/p3` in node (also `@weft/wasi/p3/node`): p3-node.js, the
// WASI 0.3 node shim answering the `@0.2.x` names through the WASI 0.2 node shim.
import type { CommonOptions, WasiImports } from './p3/types.js';

export { InstancePool, WasiExit } from './shared/types.js';
export type { Lease, PoolOptions, RequestLabel } from './shared/types.js';
export { toFetchHandler } from './p3/types.js';
export type { CommonOptions, FetchHandlerSource, HttpHandler, HttpRequest, HttpResponse, Interfaces, Overrides, Sink, WasiImports } from './p3/types.js';

/** Options of the node shim's `wasiImports`. */
export interface Options extends CommonOptions {
  /** Guest path → host directory, e.g. `{ '/data': './data' }` (`node:fs/promises`). */
  preopens?: Record<string, string>;
  /** `true`: the guest uses node's network through `wasi:sockets` (0.3 and 0.2); default: denied, like browsers. */
  network?: boolean;
}

/**
 * WASI 0.3 for node: an imports object for `instantiate()` that answers every
 * `wasi:<package>/<interface>@0.3.x` import name, and the `@0.2.x` names through the
 * WASI 0.2 node shim (sharing stdout, stderr and options). Nothing blocks: files use
 * `node:fs/promises`, sleeps `setTimeout`, stdin is read from `process.stdin` only when
 * the guest asks for it.
 */
export declare function wasiImports(options?: Options): WasiImports;
