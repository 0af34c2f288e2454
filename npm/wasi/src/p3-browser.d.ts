// Declarations of `@weft/wasi/p3` in browsers (also `@weft/wasi/p3/browser`, and the
// default): p3-browser.js, the WASI 0.3 browser shim answering the `@0.2.x` names through
// the WASI 0.2 browser shim; with both OPFS backends (`OpfsFs` for 0.3, `OpfsMirror` for
// 0.2 and 0.3).
import type { MemFs, TreeInput } from './shared/types.js';
import type { CommonOptions, OpfsFs, WasiImports } from './p3/types.js';

export { InstancePool, MemFs, WasiExit } from './shared/types.js';
export type { Lease, PoolOptions, RequestLabel, Tree, TreeInput } from './shared/types.js';
export { OpfsFs, toFetchHandler } from './p3/types.js';
export type { CommonOptions, FetchHandlerSource, HttpHandler, HttpRequest, HttpResponse, Interfaces, Overrides, Sink, WasiImports } from './p3/types.js';
export { OpfsMirror } from './p2/browser.js';

/** Options of the browser shim's `wasiImports`. */
export interface Options extends CommonOptions {
  /** A `MemFs`, `OpfsFs` or tree preopened as `/`; when neither `fs` nor `preopens` is given, an empty tree is. */
  fs?: MemFs | OpfsFs | TreeInput;
  /**
   * More by guest path: `{ '/data': MemFs | OpfsFs | tree }`. `OpfsFs` preopens (OPFS,
   * asynchronous) are not offered to the `@0.2.x` filesystem names.
   */
  preopens?: Record<string, MemFs | OpfsFs | TreeInput>;
  /** For the `@0.2.x` names (the WASI 0.2 shim): waits return a `Promise` instead of throwing `BlockingError` (JSPI). */
  jspi?: boolean;
}

/**
 * WASI 0.3 for browsers (and any JS engine with TextDecoder, crypto, performance and
 * setTimeout): an imports object that answers every `wasi:<package>/<interface>@0.3.x`
 * import name, and the `@0.2.x` names through the WASI 0.2 browser shim (sharing the
 * console sinks and trees). WASI 0.3 calls are asynchronous, so nothing here needs JSPI.
 */
export declare function wasiImports(options?: Options): WasiImports;
