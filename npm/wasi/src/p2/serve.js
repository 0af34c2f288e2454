// Hosting a wasi:http/incoming-handler@0.2 component: `serve(instance, { port, host })`
// (node: a node:http server) and `handleRequest(instance, request)` (WHATWG Request →
// Response: a Service Worker's fetch event, a page, Deno, Bun, node).
//
// `instance` is what `instantiate()` resolved to (or an ESM module namespace): its
// `wasi:http/incoming-handler@0.2.x` export's `handle` is called synchronously with an
// `IncomingRequest` and a `ResponseOutparam`. The request body is read completely
// before the call, so the guest's reads never wait. The response is streamed out as
// the guest writes it (node) or collected (`handleRequest`). A handler that makes an
// outgoing request to a server on the same thread deadlocks in node (the thread is
// blocked while the guest waits), and cannot wait at all in browsers without JSPI.
//
// A request that traps poisons its instance. `instance` may instead be a function that
// makes a fresh instance (`serve` only) or an `InstancePool` of such instances: then a
// trapped instance is replaced by a fresh one for the next request (also after
// `maxInstanceReuseCount` requests: 1 is an instance per request, as `wasmtime serve`
// does for WASI 0.2). Each trap is reported with its request (`onTrap`, default
// `console.error`).
import { IncomingRequest, ResponseOutparam } from './http.js';
import { InstancePool, isPoisoned } from '../shared/instance-pool.js';

export { InstancePool };

/** The `handle` function of the instance's incoming-handler export. @param {any} instance */
function handlerOf(instance) {
  for (const [k, v] of Object.entries(instance)) {
    if (/^wasi:http\/incoming-handler@0\.2\.\d+$/.test(k) && typeof v?.handle === 'function') return v.handle.bind(v);
  }
  if (typeof instance?.incomingHandler?.handle === 'function') return instance.incomingHandler.handle.bind(instance.incomingHandler);
  throw new TypeError(`no wasi:http/incoming-handler@0.2.x export (exports: ${Object.keys(instance ?? {}).join(', ')})`);
}

/**
 * The pool behind `serve`'s or `handleRequest`'s first argument, and whether a trapped
 * instance can be replaced (not when it is one instance).
 * @param {any} x @param {import('../shared/instance-pool.js').PoolOptions} [options]
 */
function poolOf(x, options) {
  if (x instanceof InstancePool) return { pool: x, replaceable: true };
  if (typeof x === 'function') return { pool: new InstancePool(x, options), replaceable: true };
  handlerOf(x);
  return { pool: new InstancePool(() => x, options), replaceable: false };
}

/**
 * Runs `run(handle)` for one request on an instance of `pool`: returns what it returns,
 * or `{ trap }` when the guest trapped (the instance is then retired and the trap
 * reported). A call that finds its instance poisoned by an earlier trap (the guest did
 * not run) runs again on a fresh one when the pool can make one.
 * @template T
 * @param {{ pool: InstancePool, replaceable: boolean }} source
 * @param {import('../shared/instance-pool.js').RequestLabel} label
 * @param {(handle: (req: IncomingRequest, out: ResponseOutparam) => void) => T} run
 * @returns {Promise<T | { trap: unknown }>}
 */
async function onInstance({ pool, replaceable }, label, run) {
  for (let attempt = 0; ; attempt++) {
    const lease = pool.lease(label);
    try {
      let handle;
      try {
        handle = handlerOf(await lease.instance);
      } catch (e) {
        pool.retire(lease); // it failed to instantiate, or is no handler: not a trap
        throw e;
      }
      try {
        return run(handle);
      } catch (e) {
        if (isPoisoned(e) && attempt === 0 && replaceable) {
          pool.retire(lease);
          continue;
        }
        // One instance that cannot be replaced: its trap was reported once.
        if (!(isPoisoned(e) && !replaceable)) pool.trapped(lease, e, label);
        return { trap: e };
      }
    } finally {
      pool.done(lease, label);
    }
  }
}

/**
 * What the guest answered, delivered as it happens.
 * @typedef {object} ResponseSink
 * @property {(status: number, headers: [string, string][]) => void} head
 * @property {(bytes: Uint8Array) => void} write
 * @property {(trailers: [string, string][] | null) => void} end
 * @property {(reason: string) => void} abort the body was dropped without `finish`
 * @property {(code: { tag: string, value?: unknown }) => void} error the guest set an `error-code`
 */

/**
 * Runs the guest's `handle` on one request.
 * @param {(req: IncomingRequest, out: ResponseOutparam) => void} handle
 * @param {ConstructorParameters<typeof IncomingRequest>[0]} request
 * @param {ResponseSink} sink
 * @returns {'finished' | 'streaming' | 'unset'} whether the body was finished when
 *   `handle` returned, is still open, or no response was set
 */
function runHandler(handle, request, sink) {
  /** @type {import('./http.js').OutgoingBody | null} */
  let body = null;
  let ended = false;
  let set = false;
  const out = new ResponseOutparam((r) => {
    set = true;
    if (r.tag === 'err') {
      ended = true;
      sink.error(/** @type {any} */ (r.value));
      return;
    }
    const resp = r.value;
    sink.head(resp.code, resp.fields.pairs());
    body = resp.outBody;
    if (body === null) {
      // The guest never asked for a body: an empty one.
      ended = true;
      sink.end(null);
      return;
    }
    body.attach({
      write: (b) => sink.write(b),
      finish(trailers) {
        ended = true;
        sink.end(trailers && trailers.list.length > 0 ? trailers.pairs() : null);
      },
      abort(reason) {
        ended = true;
        sink.abort(reason);
      },
    });
  });
  handle(new IncomingRequest(request), out);
  if (!set) return 'unset';
  return ended ? 'finished' : 'streaming';
}

/** @param {string} text */
const utf8 = (text) => new TextEncoder().encode(text);

/**
 * Answers a WHATWG `Request` with the component: `event.respondWith(handleRequest(instance, event.request))`.
 * The request body is read first; the response body is what the guest wrote during
 * `handle` (trailers are dropped: `Response` has none). A guest that sets no response
 * gives 500; one that sets an `error-code` gives 500 with the code as text, one that
 * traps a 500 saying so. `instance` may be an `InstancePool` (a trapped instance is
 * replaced for the next request) or a function making a fresh instance per call.
 * @param {any} instance @param {Request} request @returns {Promise<Response>}
 */
export async function handleRequest(instance, request) {
  const source = poolOf(instance);
  const url = new URL(request.url);
  const body = new Uint8Array(await request.arrayBuffer());
  /** @type {[string, string][]} */
  const headers = [];
  request.headers.forEach((v, n) => headers.push([n, v]));
  if (!request.headers.has('host')) headers.push(['host', url.host]);
  let status = 500;
  /** @type {[string, string][]} */
  let head = [];
  /** @type {Uint8Array[]} */
  const chunks = [];
  /** @type {string | null} */
  let problem = null;
  const label = { method: request.method, path: url.pathname + url.search };
  const r = await onInstance(source, label, (handle) => {
    // A run that meets a poisoned instance runs again: start from nothing.
    [status, head, chunks.length, problem] = [500, [], 0, null];
    return runHandler(
      handle,
      { method: request.method, pathWithQuery: url.pathname + url.search, scheme: url.protocol.slice(0, -1), authority: url.host, headers, body },
      {
        head(s, h) {
          status = s;
          head = h;
        },
        write: (b) => chunks.push(b),
        end() {},
        abort(reason) {
          problem = reason;
        },
        error(code) {
          problem = `the component answered with error-code ${code.tag}${code.value != null ? `: ${String(code.value)}` : ''}`;
        },
      },
    );
  });
  if (typeof r === 'object') problem = `the component trapped: ${/** @type {any} */ (r.trap)?.message ?? r.trap}`;
  else if (r === 'unset') problem = 'the component set no response';
  if (problem !== null) return new Response(utf8(problem + '\n'), { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const h = new Headers();
  for (const [n, v] of head) h.append(n, v);
  const nullBody = [101, 103, 204, 205, 304].includes(status) || request.method === 'HEAD';
  const len = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Uint8Array(len);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return new Response(nullBody ? null : all, { status, headers: h });
}

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
 * @param {any} instance
 * @param {{ port?: number, host?: string } & import('../shared/instance-pool.js').PoolOptions} [options]
 *   default port 0 (any free port), host `127.0.0.1`
 * @returns {Promise<import('node:http').Server>}
 */
export async function serve(instance, options = {}) {
  const source = poolOf(instance, options);
  const { createServer } = await import('node:http');
  const server = createServer(async (req, res) => {
    /** @type {Buffer[]} */
    const parts = [];
    try {
      for await (const c of req) parts.push(c);
    } catch {
      res.destroy();
      return;
    }
    const body = new Uint8Array(Buffer.concat(parts));
    /** @type {[string, string][]} */
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const fail500 = (/** @type {string} */ text) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(Buffer.from(text + '\n'));
    };
    const label = { method: req.method ?? 'GET', path: req.url ?? '/' };
    let r;
    try {
      r = await onInstance(source, label, (handle) =>
        runHandler(
        handle,
        { method: req.method ?? 'GET', pathWithQuery: req.url ?? '/', scheme: 'http', authority: req.headers.host ?? null, headers, body },
        {
          head(status, pairs) {
            res.statusCode = status;
            /** @type {Map<string, string[]>} */
            const grouped = new Map();
            for (const [n, v] of pairs) grouped.set(n, [...(grouped.get(n) ?? []), v]);
            for (const [n, vs] of grouped) res.setHeader(n, vs.length === 1 ? vs[0] : vs);
          },
          // Buffers, not strings: node encodes the head as Latin-1 only when the
          // first body chunk is not a string.
          write: (b) => void res.write(Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
          end(trailers) {
            if (trailers) res.addTrailers(trailers);
            res.end();
          },
          abort: () => res.destroy(),
          error: (code) => fail500(`the component answered with error-code ${code.tag}${code.value != null ? `: ${String(code.value)}` : ''}`),
        },
        ),
      );
    } catch (e) {
      // No instance to serve with (instantiation failed): not the guest's doing.
      console.error(`${label.method} ${label.path}: no instance of the component:`, e);
      fail500(`cannot instantiate the component: ${/** @type {any} */ (e)?.message ?? e}`);
      return;
    }
    if (typeof r === 'object') fail500(`the component trapped: ${/** @type {any} */ (r.trap)?.message ?? r.trap}`);
    else if (r === 'unset') fail500('the component set no response');
    else if (r === 'streaming') res.end();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  return server;
}
