// Declarations of what the WASI 0.2 and 0.3 entries of @weft/wasi share (shared/exit.js,
// shared/memfs.js, shared/instance-pool.js). Hand-written; the entries re-export them.

/**
 * Thrown by `wasi:cli/exit.exit` and `exit-with-code`; the embedder decides what
 * exiting means (the guest's stack unwinds and its instance is poisoned). One class for
 * WASI 0.2 and 0.3, so `instanceof` holds whichever version the guest imports.
 */
export declare class WasiExit extends Error {
  constructor(code: number);
  name: 'WasiExit';
  /** The exit code: 0 for `exit(ok)`, 1 for `exit(err)`, else `exit-with-code`'s. */
  code: number;
}

/**
 * A tree given as a plain object: a string or `Uint8Array` is a file, an object a
 * directory. E.g. `{ 'hello.txt': 'hi', data: { 'x.bin': new Uint8Array([1]) } }`.
 */
export type TreeInput = { [name: string]: string | Uint8Array | TreeInput };

/** A tree as `MemFs.toTree()` gives it: file contents as `Uint8Array`, objects for directories. */
export type Tree = { [name: string]: Uint8Array | Tree };

/** A file of a `MemFs` tree (internal: reached through `MemFs.root`). */
export interface MemFsNode {
  readonly type: 'directory' | 'regular-file';
  /** Access, modification and status-change times, in ns since the epoch. */
  atime: bigint;
  mtime: bigint;
  ctime: bigint;
}

/** A directory of a `MemFs` tree (internal: reached through `MemFs.root`). */
export interface MemFsDirectory extends MemFsNode {
  readonly type: 'directory';
  readonly entries: Map<string, MemFsNode>;
}

/**
 * An in-memory tree of regular files and directories (no links), the browsers'
 * filesystem (also usable in node); `toTree()`/`readFile(path)` let the embedder inspect
 * what a guest did.
 */
export declare class MemFs {
  /** @param tree the initial contents (default: empty) */
  constructor(tree?: TreeInput);
  /** The root directory (internal structure). */
  readonly root: MemFsDirectory;
  /** The tree as a plain object (file contents as `Uint8Array`). */
  toTree(): Tree;
  /** A file's bytes by `/`-separated path from the root, or undefined. */
  readFile(path: string): Uint8Array | undefined;
}

/** The request a trap is reported with. */
export interface RequestLabel {
  method: string;
  path: string;
}

/** Options of an `InstancePool` (and of `serve` and `toFetchHandler`, which make one). */
export interface PoolOptions {
  /**
   * How many requests an instance serves before a fresh one replaces it (default: no
   * limit; 1: an instance per request, as `wasmtime serve` does for WASI 0.2).
   */
  maxInstanceReuseCount?: number;
  /**
   * Told of each trap with the request that caused it (null: none was in flight);
   * default: `console.error`.
   */
  onTrap?: (error: unknown, request: RequestLabel | null) => void;
}

/** An instance of an `InstancePool`. */
export interface Lease {
  /** What `make` gave (rejected when it failed). */
  instance: Promise<unknown>;
  /** Requests handed this instance so far. */
  served: number;
  /** It trapped (or failed to instantiate): never handed out again. */
  dead: boolean;
  /** The requests it is serving now. */
  active: Set<RequestLabel>;
  /** Aborted (with the trap) when it is retired for a trap. */
  signal: AbortSignal;
  abort(reason: unknown): void;
}

/**
 * The instances a wasi:http handler component serves requests with (0.2 `serve` and
 * `handleRequest`, 0.3 `toFetchHandler`). A request that traps poisons its instance, so
 * the pool makes a fresh instance for the next request, and also once the current one
 * has served `maxInstanceReuseCount` requests, and reports each trap with the request
 * that caused it.
 */
export declare class InstancePool {
  /**
   * @param make a fresh instance (or a promise of one): what `instantiate()` resolves to
   * @throws RangeError when `maxInstanceReuseCount` is not a whole number of at least 1
   */
  constructor(make: () => unknown, options?: PoolOptions);
  readonly make: () => unknown;
  readonly max: number;
  readonly onTrap: (error: unknown, request: RequestLabel | null) => void;
  /** The instance the next request gets, unless it is retired. */
  current: Lease | null;
  /** Leases serving requests now. */
  busy: Set<Lease>;
  /** The instance for the next request, `request`: the current one, or a fresh one. Call `done` when the request is over. */
  lease(request: RequestLabel): Lease;
  /** `request`, which `lease` served, is over. */
  done(lease: Lease, request: RequestLabel): void;
  /** `lease`'s instance is not handed out again. */
  retire(lease: Lease): void;
  /** `request` trapped `lease`'s instance: retire it, fail what still waits for it, and report the trap. */
  trapped(lease: Lease, error: unknown, request: RequestLabel | null): void;
  /**
   * A trap no call was waiting for (a task that ran on after its call returned, such as
   * one streaming a response body): the instances serving requests now are suspect,
   * and retired with each request reported; with none, the current instance is.
   */
  trappedOutside(error: unknown): void;
}
