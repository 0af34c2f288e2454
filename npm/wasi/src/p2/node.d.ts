// Declarations of `@weft/wasi/p2` in node (also `@weft/wasi/p2/node`): p2/node.js.
import type { CommonOptions, Source, WasiImports } from './types.js';

export { WasiExit } from '../shared/types.js';
export { BlockingError } from './types.js';
export type { CommonOptions, Interfaces, Overrides, Source, WasiImports } from './types.js';

/** Options of the node shim's `wasiImports`. */
export interface Options extends CommonOptions {
  /** Stdin: a source `{ read(max) }`, the whole input as a `Uint8Array` or string; default fd 0 with `readSync`. */
  stdin?: Source | Uint8Array | string;
  /** Guest path → host directory, e.g. `{ '/data': './data' }` (`node:fs` synchronous calls). */
  preopens?: Record<string, string>;
  /** `true`: `wasi:sockets` uses node's network (TCP, UDP, DNS in a worker thread); default: denied, as in browsers. */
  network?: boolean;
}

/**
 * WASI 0.2 for node: an imports object for `instantiate()` that answers every
 * `wasi:<package>/<interface>@0.2.x` import name (any 0.2 patch version). Blocking calls
 * are synchronous: stdio uses fds 0-2 with `readSync`/`writeSync`, sleeping uses
 * `Atomics.wait`, files use `node:fs` sync calls, HTTP requests run with fetch in a
 * worker thread.
 */
export declare function wasiImports(options?: Options): WasiImports;
