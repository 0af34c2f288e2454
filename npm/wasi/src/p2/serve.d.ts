// Declarations of `@weft/wasi/p2/serve`: p2/serve.js, hosting a
// wasi:http/incoming-handler@0.2 component.
import type { InstancePool, PoolOptions } from '../shared/types.js';

export { InstancePool } from '../shared/types.js';
export type { Lease, PoolOptions, RequestLabel } from '../shared/types.js';

/**
 * What `serve` and `handleRequest` run requests on: what `instantiate()` resolved to (or
 * an ES module namespace) with a `wasi:http/incoming-handler@0.2.x` export (or
 * `incomingHandler`) whose `handle` is called synchronously; a function that makes a
 * fresh instance (or a promise of one); or an `InstancePool` of such instances. With a
 * function or a pool, a trapped instance is replaced for the next request. Which export
 * it has is checked when a request comes (a `TypeError` names the exports).
 */
export type HandlerSource = InstancePool | (() => unknown) | object;

/**
 * What `serve` resolves to: the listening `node:http` `Server`. Declared by the members
 * used with it, so that these declarations need no `@types/node`; with it, the object is
 * a `import('node:http').Server`.
 */
export interface Server {
  /** The bound address (`.port` for port 0). */
  address(): { address: string; family: string; port: number } | string | null;
  /** Stops accepting connections; `callback` runs once the server is closed. */
  close(callback?: (err?: Error) => void): this;
  readonly listening: boolean;
}

/** Options of `serve`: where to listen, and the pool it makes from a function. */
export interface ServeOptions extends PoolOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/**
 * Answers a WHATWG `Request` with the component: `event.respondWith(handleRequest(instance, event.request))`.
 * The request body is read first; the response body is what the guest wrote during
 * `handle` (trailers are dropped: `Response` has none). A guest that sets no response
 * gives 500; one that sets an `error-code` gives 500 with the code as text, one that
 * traps a 500 saying so. `instance` may be an `InstancePool` (a trapped instance is
 * replaced for the next request) or a function making a fresh instance per call.
 */
export declare function handleRequest(instance: HandlerSource, request: Request): Promise<Response>;

/**
 * Serves the component over HTTP in node: each request becomes an `incoming-request`
 * (body read first) and the guest's response is written as it is produced: status,
 * headers, body chunks, trailers (sent with chunked encoding when the guest set no
 * `content-length`). Resolves to the listening `http.Server` (`server.address().port`
 * for port 0; `server.close()` to stop). A guest that traps gives a 500 (or, after the
 * head was sent, a destroyed connection). `instance` may be a function that makes a
 * fresh instance, or an `InstancePool`: a trapped instance is then replaced for the
 * next request; `maxInstanceReuseCount` and `onTrap` configure the pool `serve` makes
 * from a function.
 */
export declare function serve(instance: HandlerSource, options?: ServeOptions): Promise<Server>;
