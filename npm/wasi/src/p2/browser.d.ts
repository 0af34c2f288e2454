// Declarations of `@weft/wasi/p2` in browsers (and `@weft/wasi/p2/browser`): p2/browser.js.
import type { MemFs, TreeInput } from '../shared/types.js';
import type { CommonOptions, Source, WasiImports } from './types.js';

export { MemFs, WasiExit } from '../shared/types.js';
export type { Tree, TreeInput } from '../shared/types.js';
export { BlockingError } from './types.js';
export type { CommonOptions, Interfaces, Overrides, Source, WasiImports } from './types.js';

/** Options of the browser shim's `wasiImports`. */
export interface Options extends CommonOptions {
  /**
   * Stdin: a source `{ read(max) }`, the whole input as a `Uint8Array` or string, or a
   * `ReadableStream` or async iterable of `Uint8Array` chunks; default: end of stream.
   */
  stdin?: Source | Uint8Array | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  /** A `MemFs` or tree preopened as `/`; when neither `fs` nor `preopens` is given, an empty tree is. */
  fs?: MemFs | TreeInput;
  /** More trees by guest path: `{ '/data': MemFs | tree }`. */
  preopens?: Record<string, MemFs | TreeInput>;
  /**
   * `true`: waits a window cannot do synchronously (HTTP, sleeps) return a `Promise`
   * instead of throwing `BlockingError`, for a component transpiled with
   * `--async-imports` for wasi:io (JSPI).
   */
  jspi?: boolean;
  /** The `fetch` outgoing HTTP requests use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/**
 * A stdin source over a ReadableStream or async iterable: chunks are buffered as they
 * arrive; `read` returns what is buffered (possibly nothing), `blockingRead` throws
 * `BlockingError` when nothing is buffered and the stream has not ended.
 */
export declare function streamSource(stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): Required<Source>;

/**
 * WASI 0.2 for browsers (and any JS engine with TextDecoder, crypto and performance):
 * an imports object that answers every `wasi:<package>/<interface>@0.2.x` import name.
 * Calls complete where the answer is available synchronously; a wait that cannot be
 * done synchronously throws `BlockingError` (or, with `jspi`, returns a promise).
 */
export declare function wasiImports(options?: Options): WasiImports;

/**
 * A `MemFs` loaded from an OPFS directory and written back to it by `flush()`: the
 * WASI 0.2 backend for OPFS (usable as a preopen or `fs` of both the 0.2 and the 0.3
 * browser shims, since it is a `MemFs`).
 *
 * ```js
 * const fs = await OpfsMirror.load('my-app/data');
 * const imports = wasiImports({ preopens: { '/data': fs } });
 * // ... run the guest ...
 * await fs.flush(); // now OPFS my-app/data holds what the guest left in /data
 * ```
 */
export declare class OpfsMirror extends MemFs {
  /**
   * Reads an OPFS directory into memory.
   * @param dir an OPFS path below the origin's root (made when missing; default: the root) or a directory handle
   */
  static load(dir?: string | FileSystemDirectoryHandle | Promise<FileSystemDirectoryHandle>): Promise<OpfsMirror>;
  /** Use `OpfsMirror.load`. */
  constructor(tree: TreeInput, handle: FileSystemDirectoryHandle);
  /** The OPFS directory this tree mirrors. */
  readonly handle: FileSystemDirectoryHandle;
  /**
   * Makes the OPFS directory equal to the tree: deletes entries the tree no longer has
   * (or that changed kind), makes new directories, writes files that are new or changed
   * since the last load/flush. Flushes run one after another.
   */
  flush(): Promise<{ written: number; removed: number }>;
}
