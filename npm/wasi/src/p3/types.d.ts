// Declarations of what the WASI 0.3 entries (`@weft/wasi/p3`, `/p3/node`, `/p3/browser`)
// share: the options of `wasiImports`, the imports object it returns and
// `toFetchHandler`. Hand-written, from p3/common.js and p3/http.js; the interfaces'
// members are typed from ../iface/p3-wit.d.ts (the WIT in weft's JS value shapes).
import type { Interfaces } from '../iface/p3-wit.js';
import type { InstancePool, PoolOptions, Tree } from '../shared/types.js';
import type { WasiImports as WasiImports2 } from '../p2/types.js';

export type { Interfaces };

/** `wasi:http/types.request` of WASI 0.3, as the shims make and take it. */
export type HttpRequest = InstanceType<Interfaces['http/types']['Request']>;
/** `wasi:http/types.response` of WASI 0.3. */
export type HttpResponse = InstanceType<Interfaces['http/types']['Response']>;

/** A `wasi:http/handler` (0.3): what a component exports, or what the `httpHandler` option supplies. */
export interface HttpHandler {
  handle(request: HttpRequest): Promise<HttpResponse>;
}

/**
 * The imports object for `instantiate()`: a `Proxy` answering every
 * `wasi:<package>/<interface>@0.3.x` name (also the release candidates
 * `0.3.0-rc-2026-03-15` and later), the `@0.2.x` names through the WASI 0.2 shim, and
 * `flush()`.
 */
export type WasiImports = { readonly [K in keyof Interfaces as `wasi:${K}@0.3.0`]: Interfaces[K] } & {
  readonly [K in keyof Interfaces as `wasi:${K}@0.3.${number}`]: Interfaces[K];
} & {
  readonly [K in keyof Interfaces as `wasi:${K}@0.3.0-rc-${string}`]: Interfaces[K];
} & WasiImports2;

/**
 * Per-interface overrides, as in the 0.2 shims: `{ 'cli/stdout': { writeViaStream } }`
 * (also `wasi:cli/stdout` or with a version). They apply to the 0.3 interfaces, and are
 * passed on to the WASI 0.2 shim that answers the `@0.2.x` names.
 */
export type Overrides = { [K in keyof Interfaces]?: Partial<Interfaces[K]> } & { [name: `wasi:${string}`]: object };

/** A sink for stdout or stderr: a function (may return a promise, awaited before the next chunk) or a `WritableStream`. */
export type Sink = ((bytes: Uint8Array) => unknown) | WritableStream<Uint8Array>;

/** The options both WASI 0.3 shims take. */
export interface CommonOptions {
  /** `get-arguments` (the program name first, by convention); default `[]`. */
  args?: string[];
  /** `get-environment`; default `{}`. */
  env?: Record<string, string>;
  /** `get-initial-cwd` (default none). */
  cwd?: string | null;
  /** Stdout (default: fd 1 in node, `console.log` per line in browsers). */
  stdout?: Sink;
  /** Stderr (fd 2 / `console.error`). */
  stderr?: Sink;
  /**
   * Stdin: the whole input as a `Uint8Array` or string, a `ReadableStream` or any
   * (async) iterable of `Uint8Array` chunks (default: fd 0 in node, end of stream in
   * browsers). The `@0.2.x` names see a `Uint8Array` or string, else no input.
   */
  stdin?: Uint8Array | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** `wasi:http/client.send` (default: `globalThis.fetch`). */
  fetch?: typeof fetch;
  /**
   * Header names guest-made `wasi:http` fields reject with `forbidden`, besides the
   * hop-by-hop ones always forbidden (a host policy, as wasmtime's `is_forbidden_header`).
   */
  forbiddenHeaders?: Iterable<string>;
  /** The imported `wasi:http/handler` (middleware world; default: send through `fetch` like `client`). */
  httpHandler?: HttpHandler;
  /** Per-interface overrides (`{ 'cli/stdout': { writeViaStream } }`). */
  overrides?: Overrides;
}

/**
 * What `toFetchHandler` runs requests on: a component's `wasi:http/handler` export (or
 * the instance holding it under `'wasi:http/handler@0.3.x'`), a function that makes a
 * fresh instance (or its export; may return a promise), or an `InstancePool` of such
 * instances. Which export it has is checked when a request comes.
 */
export type FetchHandlerSource = HttpHandler | InstancePool | (() => unknown) | object;

/**
 * A Fetch-style handler over a component's exported `wasi:http/handler`, for
 * `Deno.serve`, `Bun.serve`, a Service Worker's `fetch` event, or node through a small
 * adapter: each Fetch `Request` becomes a wasi request; the guest's `err(error-code)`
 * becomes a 500 response naming the code, and a trap a 500 saying so (a trap while the
 * guest streams the response body fails that body). With a function or a pool, a
 * request that traps retires its instance and the next request gets a fresh one, as
 * does a request after `maxInstanceReuseCount` requests. With the export itself, a
 * trapped instance stays poisoned and every later request gets a 500.
 * `onTrap(error, { method, path })` is told of each trap (default: `console.error`).
 * @param options the pool's options (not with a pool)
 */
export declare function toFetchHandler(handler: FetchHandlerSource, options?: PoolOptions): (request: Request) => Promise<Response>;

/**
 * An OPFS directory as a WASI 0.3 preopen of the browser shim:
 * `wasiImports({ preopens: { '/data': await OpfsFs.open('my-app/data') } })`, or
 * `new OpfsFs('my-app/data')` (the directory is looked up, and made when missing, on
 * first use), or `new OpfsFs(directoryHandle)`. Every `wasi:filesystem@0.3` call is
 * answered from OPFS; without OPFS (node, an insecure origin) the first call rejects.
 */
export declare class OpfsFs {
  /** @param dir a `/`-separated path below the origin's OPFS root (`''`, the default: the root), or a handle */
  constructor(dir?: string | FileSystemDirectoryHandle | Promise<FileSystemDirectoryHandle>);
  /** An `OpfsFs` whose directory exists. */
  static open(dir?: string | FileSystemDirectoryHandle): Promise<OpfsFs>;
  /** The directory handle, once known. */
  readonly ready: Promise<FileSystemDirectoryHandle>;
  /** A file's bytes by `/`-separated path, or undefined when there is no such file. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Writes a file (and its missing parent directories). */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** The directory as a tree (as `MemFs` takes it: `Uint8Array` files, object directories). */
  toTree(): Promise<Tree>;
  /** Removes everything in the directory. */
  clear(): Promise<void>;
}
