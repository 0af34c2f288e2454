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
import { IncomingRequest, ResponseOutparam } from './http.js';

/** The `handle` function of the instance's incoming-handler export. @param {any} instance */
function handlerOf(instance) {
  for (const [k, v] of Object.entries(instance)) {
    if (/^wasi:http\/incoming-handler@0\.2\.\d+$/.test(k) && typeof v?.handle === 'function') return v.handle.bind(v);
  }
  if (typeof instance?.incomingHandler?.handle === 'function') return instance.incomingHandler.handle.bind(instance.incomingHandler);
  throw new TypeError(`no wasi:http/incoming-handler@0.2.x export (exports: ${Object.keys(instance ?? {}).join(', ')})`);
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
 * gives 500; one that sets an `error-code` gives 500 with the code as text.
 * @param {any} instance @param {Request} request @returns {Promise<Response>}
 */
export async function handleRequest(instance, request) {
  const handle = handlerOf(instance);
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
  let state;
  try {
    state = runHandler(
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
  } catch (e) {
    problem = `the component trapped: ${/** @type {any} */ (e)?.message ?? e}`;
  }
  if (state === 'unset') problem = 'the component set no response';
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
 * for port 0; `server.close()` to stop).
 * @param {any} instance
 * @param {{ port?: number, host?: string }} [options] default port 0 (any free port), host `127.0.0.1`
 * @returns {Promise<import('node:http').Server>}
 */
export async function serve(instance, options = {}) {
  const handle = handlerOf(instance);
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
    let state;
    try {
      state = runHandler(
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
      );
    } catch (e) {
      fail500(`the component trapped: ${/** @type {any} */ (e)?.message ?? e}`);
      return;
    }
    if (state === 'unset') fail500('the component set no response');
    else if (state === 'streaming') res.end();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  return server;
}
