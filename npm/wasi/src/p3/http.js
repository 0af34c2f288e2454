// wasi:http@0.3 over the Fetch API (node and browsers): `types` (fields, requests,
// responses, request options), `client.send` through `fetch`, and `toFetchHandler`,
// which turns a component's exported `handler` into a `(Request) => Promise<Response>`
// function (for `Deno.serve`, `Bun.serve`, a Service Worker's `fetch` event, or node
// through a small adapter).
//
// Bodies are `stream<u8>`s: the guest's body arrives as a ReadableStream and a body
// for the guest is any (async) iterable of Uint8Array chunks. Fetch has no trailers:
// received trailers are always `none`, and a request whose trailers future yields
// fields fails with `internal-error`. Request bodies stream when `streamingUploads` is
// set (node: `duplex: 'half'`), else they are read into one buffer before `fetch`; a
// `content-length` header bounds them (`HTTP-request-body-size` otherwise). Error codes
// follow wasmtime's host: an unsupported scheme and a connection that ends before the
// response are `HTTP-protocol-error`. Methods fetch refuses (CONNECT, TRACE, TRACK) go
// through `opts.request` where the platform has one (node:http), else they are
// `HTTP-request-method-invalid`.
//
// Values follow weft's JS surface: variants `{ tag, value }`, options `null`, top-level
// `result` errors thrown with a `payload`, `list<u8>` as `Uint8Array`, u64 as bigint.
import { OK, chunksOf, err } from './streams.js';
import { FORBIDDEN_HEADERS, FieldsBase, TOKEN, fail, latin1 } from '../shared/http-fields.js';
import { fetchErrorCode as sharedFetchErrorCode } from '../shared/http-errors.js';
import { METHODS, methodName, schemeName, validAuthority } from '../shared/http-variants.js';
import { InstancePool, isPoisoned } from '../shared/instance-pool.js';

export { InstancePool };

/**
 * The body of a Fetch `Request`: its `body` stream (null when it has none). Firefox has no
 * `Request.prototype.body`; there the body is read whole (`arrayBuffer()`) when the guest
 * first reads it, and given as a stream of that one chunk (GET and HEAD have none).
 * @param {globalThis.Request} r @returns {ReadableStream<Uint8Array> | null}
 */
function fetchRequestBody(r) {
  if (r.body !== undefined) return r.body;
  if (r.method === 'GET' || r.method === 'HEAD') return null;
  return new ReadableStream({
    async pull(controller) {
      const bytes = new Uint8Array(await r.arrayBuffer());
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** `wasi:http/types.fields` of WASI 0.3 (see ../shared/http-fields.js). */
export class Fields extends FieldsBase {
  copyAll() {
    return this.list.map(([n, v]) => /** @type {[string, Uint8Array]} */ ([n, v.slice()]));
  }
  /** Host side: a Fetch `Headers`. */
  toHeaders() {
    const h = new Headers();
    for (const [n, v] of this.list) h.append(n, latin1(v));
    return h;
  }
}

/** `wasi:http/types.request-options`: timeouts in ns (applied with an `AbortSignal`). */
export class RequestOptions {
  constructor() {
    /** @type {bigint | null} */ this.connect = null;
    /** @type {bigint | null} */ this.firstByte = null;
    /** @type {bigint | null} */ this.betweenBytes = null;
    this.immutable = false;
  }
  getConnectTimeout() { return this.connect; }
  getFirstByteTimeout() { return this.firstByte; }
  getBetweenBytesTimeout() { return this.betweenBytes; }
  /** @param {bigint | null} d */
  setConnectTimeout(d) { this.mutate(); this.connect = d; }
  /** @param {bigint | null} d */
  setFirstByteTimeout(d) { this.mutate(); this.firstByte = d; }
  /** @param {bigint | null} d */
  setBetweenBytesTimeout(d) { this.mutate(); this.betweenBytes = d; }
  mutate() {
    if (this.immutable) fail({ tag: 'immutable' }, 'request-options error');
  }
  clone() {
    const o = new RequestOptions();
    Object.assign(o, { connect: this.connect, firstByte: this.firstByte, betweenBytes: this.betweenBytes });
    return o;
  }
}

/**
 * A message body: the contents stream (a guest's ReadableStream, or a host iterable),
 * the trailers promise, and the transmission future handed back by `new`.
 */
class Body {
  /** @param {any} contents @param {Promise<any> | any} trailers */
  constructor(contents, trailers) {
    this.contents = contents;
    this.trailers = trailers;
    // Its failure is read when the body is consumed (`consume`'s `finish`), maybe a task
    // or more after it rejects (a guest that traps writing its body rejects both at once):
    // handled here, it is no unhandled rejection meanwhile.
    if (trailers instanceof Promise) trailers.catch(() => {});
    this.consumed = false;
    /** @type {(r: any) => void} */
    this.settle = () => {};
    /** The transmission result (`future<result<_, error-code>>` of `new`). */
    this.sent = new Promise((resolve) => (this.settle = resolve));
  }
  /** The message was dropped without its body being taken: the guest's stream is
   * dropped too (its writes fail), and the transmission future says ok, as in
   * wasmtime (nothing was sent, nothing failed). */
  discard() {
    if (this.consumed) return;
    this.consumed = true;
    if (this.contents !== null) void chunksOf(this.contents).cancel();
    this.settle(OK);
  }

  /** Takes the body for `consume-body`: `[stream<u8>, future<result<option<trailers>, error-code>>]`;
   * the `res` future the consumer passes is ignored (there is nobody to report to).
   * The end of the stream settles the transmission future unless `settles` is false.
   * A failure of the contents ends the stream (and fails the trailers future), or with
   * `rethrow` (the host's own reading) also rejects the read. */
  consume(settles = true, rethrow = false) {
    if (this.consumed) fail(undefined, 'the body was already consumed');
    this.consumed = true;
    const it = this.contents === null ? null : chunksOf(this.contents);
    /** @type {(r: any) => void} */
    let done = () => {};
    const trailers = new Promise((resolve) => (done = resolve));
    const finish = (/** @type {any} */ r) => {
      if (settles) this.settle(r.tag === 'ok' ? OK : r);
      Promise.resolve(this.trailers).then((t) => done(r.tag === 'ok' ? t ?? { tag: 'ok', value: null } : r), () => done(r));
    };
    const stream = {
      async next() {
        if (it === null) {
          finish(OK);
          return { done: true, value: undefined };
        }
        try {
          const step = await it.next();
          if (step.done) finish(OK);
          return step;
        } catch (e) {
          finish(err(internal(e)));
          if (rethrow) throw e;
          return { done: true, value: undefined };
        }
      },
      async return() {
        await it?.cancel();
        finish(OK);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return [stream, trailers];
  }
}

/** @param {unknown} e */
function internal(e) {
  return { tag: 'internal-error', value: String(/** @type {any} */ (e)?.message ?? e) };
}

/** `wasi:http/types.request`. */
export class Request {
  /** @param {Fields} headers @param {Body} body @param {RequestOptions | null} options */
  constructor(headers, body, options) {
    headers.immutable = true;
    if (options) options.immutable = true;
    this.headers = headers;
    this.body = body;
    this.options = options;
    /** @type {{ tag: string, value?: string }} */ this.method = { tag: 'get' };
    /** @type {string | null} */ this.pathWithQuery = null;
    /** @type {{ tag: string, value?: string } | null} */ this.scheme = null;
    /** @type {string | null} */ this.authority = null;
  }
  /** @param {Fields} headers @param {any} contents @param {any} trailers @param {RequestOptions | null} options */
  static new(headers, contents, trailers, options) {
    const body = new Body(contents, trailers);
    return [new Request(headers, body, options), body.sent];
  }
  getMethod() { return this.method; }
  /** @param {{ tag: string, value?: string }} m */
  setMethod(m) {
    if (m.tag === 'other' && !TOKEN.test(m.value ?? '')) fail(undefined, 'invalid method');
    this.method = m;
  }
  getPathWithQuery() { return this.pathWithQuery; }
  /** @param {string | null} p */
  setPathWithQuery(p) {
    if (p !== null && /[\s#]/.test(p)) fail(undefined, 'invalid path');
    this.pathWithQuery = p;
  }
  getScheme() { return this.scheme; }
  /** @param {{ tag: string, value?: string } | null} s */
  setScheme(s) {
    if (s?.tag === 'other' && !/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(s.value ?? '')) fail(undefined, 'invalid scheme');
    this.scheme = s;
  }
  getAuthority() { return this.authority; }
  /** @param {string | null} a */
  setAuthority(a) {
    if (a !== null && (/@/.test(a) || !validAuthority(a))) fail(undefined, 'invalid authority');
    this.authority = a;
  }
  getOptions() { return this.options; }
  getHeaders() { return this.headers; }
  /** @param {Request} request @param {unknown} _res */
  static consumeBody(request, _res) {
    return request.body.consume();
  }

  /** Dropped by the guest: a body nobody took is dropped with it. */
  [Symbol.dispose]() {
    this.body.discard();
  }

  /** Host side: a wasi request from a Fetch `Request` (for a component's handler). @param {globalThis.Request} r */
  static fromFetch(r) {
    const url = new URL(r.url);
    const [req] = Request.new(Fields.fromHost(r.headers), fetchRequestBody(r), Promise.resolve({ tag: 'ok', value: null }), null);
    const m = r.method.toLowerCase();
    req.method = METHODS.includes(m) ? { tag: m } : { tag: 'other', value: r.method };
    req.scheme = url.protocol === 'https:' ? { tag: 'HTTPS' } : url.protocol === 'http:' ? { tag: 'HTTP' } : { tag: 'other', value: url.protocol.slice(0, -1) };
    req.authority = url.host;
    req.pathWithQuery = url.pathname + url.search;
    return req;
  }
}

/** `wasi:http/types.response`. */
export class Response {
  /** @param {Fields} headers @param {Body} body */
  constructor(headers, body) {
    headers.immutable = true;
    this.headers = headers;
    this.body = body;
    this.status = 200;
  }
  /** @param {Fields} headers @param {any} contents @param {any} trailers */
  static new(headers, contents, trailers) {
    const body = new Body(contents, trailers);
    return [new Response(headers, body), body.sent];
  }
  getStatusCode() { return this.status; }
  /** @param {number} s */
  setStatusCode(s) {
    if (s < 100 || s > 999) fail(undefined, 'invalid status code');
    this.status = s;
  }
  getHeaders() { return this.headers; }
  /** @param {Response} response @param {unknown} _res */
  static consumeBody(response, _res) {
    return response.body.consume();
  }

  /** Dropped by the guest: a body nobody took is dropped with it. */
  [Symbol.dispose]() {
    this.body.discard();
  }

  /**
   * Host side: a Fetch `Response` for a wasi response (its body streams; trailers are
   * dropped). A failure of the body (the guest trapped while writing it) errors the
   * body stream and goes to `onError`; so does `signal`'s abort (its instance trapped
   * elsewhere) while the body waits. `onEnd` runs once the body ended, failed or was
   * cancelled (or at once when there is none).
   * @param {{ onError?: (e: unknown) => void, onEnd?: () => void, signal?: AbortSignal }} [hooks]
   */
  toFetch({ onError = () => {}, onEnd = () => {}, signal } = {}) {
    const [chunks] = this.body.consume(true, true);
    const it = chunks[Symbol.asyncIterator]();
    const nullBody = this.status === 204 || this.status === 304 || this.body.contents === null;
    let ended = false;
    const end = () => {
      if (!ended) [ended] = [true, onEnd()];
    };
    if (nullBody) {
      void it.return();
      end();
    }
    /** The next chunk, or the abort of `signal`. */
    const next = () => {
      if (signal === undefined) return it.next();
      if (signal.aborted) return Promise.reject(signal.reason);
      /** @type {() => void} */
      let off = () => {};
      const aborted = new Promise((_, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        off = () => signal.removeEventListener('abort', onAbort);
      });
      return Promise.race([it.next(), aborted]).finally(off);
    };
    const body = nullBody
      ? null
      : new ReadableStream({
          async pull(c) {
            let step;
            try {
              step = await next();
            } catch (e) {
              end();
              onError(e);
              throw e;
            }
            if (step.done) {
              end();
              c.close();
            } else c.enqueue(step.value);
          },
          cancel: () => {
            end();
            void it.return();
          },
        });
    return new globalThis.Response(body, { status: this.status, headers: this.headers.toHeaders() });
  }
}

/**
 * The `error-code` for a failed `fetch` (or `opts.request`): the shared mapping
 * (../shared/http-errors.js), except that a connection that ended or was reset before
 * the response is `HTTP-protocol-error`, as wasmtime (hyper) reports it, and an abort
 * (a timeout of `request-options`) is `connection-timeout`.
 * @param {unknown} e
 */
export function fetchErrorCode(e) {
  const x = /** @type {any} */ (e);
  if (x?.name === 'TimeoutError' || x?.name === 'AbortError') return { tag: 'connection-timeout' };
  const code = sharedFetchErrorCode(e);
  return code.tag === 'connection-terminated' ? { tag: 'HTTP-protocol-error' } : code;
}

/** Reads a whole body into one buffer. @param {AsyncIterable<Uint8Array>} chunks */
async function buffer(chunks) {
  const parts = [];
  let n = 0;
  for await (const c of chunks) {
    parts.push(c);
    n += c.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Methods the Fetch standard forbids (`fetch` throws for them). */
const FETCH_FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * The request's `content-length`, or null without one; values that are not one
 * decimal number (or disagree) are `internal-error`, as in wasmtime.
 * @param {Fields} headers @returns {bigint | null}
 */
function contentLength(headers) {
  const values = headers.get('content-length').map(latin1);
  if (values.length === 0) return null;
  if (!values.every((v) => /^[0-9]+$/.test(v) && BigInt(v) === BigInt(values[0]))) fail(internal('invalid content-length'));
  return BigInt(values[0]);
}

/**
 * The chunks of `it`, checked against `limit` bytes: a chunk that goes past it, or an
 * end short of it, calls `onError` with `HTTP-request-body-size(bytes sent so far,
 * with that chunk)` and fails the iteration with it (the guest's stream is dropped).
 * @param {AsyncIterator<Uint8Array>} it @param {bigint} limit @param {(code: object) => void} onError
 * @returns {AsyncIterator<Uint8Array> & AsyncIterable<Uint8Array>}
 */
function limited(it, limit, onError) {
  let sent = 0n;
  const failed = (/** @type {bigint} */ n) => {
    const code = { tag: 'HTTP-request-body-size', value: n };
    onError(code);
    return Object.assign(new Error(`the request body is ${n < limit ? 'shorter' : 'longer'} than its content-length (${limit})`), { payload: code });
  };
  return {
    async next() {
      const step = await it.next();
      if (step.done) {
        if (sent !== limit) throw failed(sent);
        return step;
      }
      sent += BigInt(step.value.length);
      if (sent > limit) {
        void it.return?.();
        throw failed(sent);
      }
      return step;
    },
    async return() {
      return (await it.return?.()) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * What a platform gives `send` besides `fetch`: `request(url, init)`, a `fetch`-like
 * function for the methods fetch refuses (node:http in node), resolving to
 * `{ status, headers: Headers, body: AsyncIterable<Uint8Array> | null }`.
 * @typedef {{ fetch?: typeof fetch, streamingUploads?: boolean,
 *   request?: (url: string, init: RequestInit & { duplex?: string }) => Promise<{ status: number, headers: Headers, body: any }> }} SendOptions
 */

/**
 * `client.send`: the request through `fetch`. Redirects are not followed (the guest
 * sees 3xx responses). The transmission future (of `request.new`) settles once the
 * body was sent: ok, or the error that ended the request (also when it failed before
 * anything was sent, so a guest waiting for it is not left hanging).
 * @param {Request} request @param {SendOptions} opts
 */
export async function send(request, opts) {
  try {
    return await transmit(request, opts);
  } catch (e) {
    const payload = /** @type {any} */ (e)?.payload;
    request.body.settle(err(payload ?? internal(e)));
    // A body the request never read is dropped (the guest's writes then fail).
    request.body.discard();
    throw e;
  }
}

/** @param {Request} request @param {SendOptions} opts */
async function transmit(request, opts) {
  const proto = schemeName(request.scheme ?? { tag: 'HTTPS' }).toLowerCase();
  // wasmtime's host speaks http and https only; other schemes are a protocol error.
  if (proto !== 'http' && proto !== 'https') fail({ tag: 'HTTP-protocol-error' });
  if (request.authority === null) fail({ tag: 'HTTP-request-URI-invalid' });
  let url;
  try {
    url = new URL(`${proto}://${request.authority}${request.pathWithQuery ?? '/'}`);
  } catch {
    fail({ tag: 'HTTP-request-URI-invalid' });
  }
  const method = methodName(request.method);
  const viaFetch = !FETCH_FORBIDDEN_METHODS.has(method.toUpperCase());
  const doFetch = viaFetch ? opts.fetch ?? globalThis.fetch : opts.request;
  if (typeof doFetch !== 'function') fail(viaFetch ? internal('no fetch in this JS engine') : { tag: 'HTTP-request-method-invalid' });
  const limit = contentLength(request.headers);
  const [chunks, trailers] = request.body.consume(false);
  const hasBody = request.body.contents !== null && method !== 'GET' && method !== 'HEAD';
  /** @type {RequestInit & { duplex?: string }} */
  const init = { method, headers: request.headers.toHeaders(), redirect: 'manual' };
  /** The error that ended the body (its length against `content-length`). @type {object | null} */
  let bodyError = null;
  const raw = chunks[Symbol.asyncIterator]();
  const it = limit === null || !hasBody ? raw : limited(raw, limit, (code) => {
    bodyError = code;
    request.body.settle(err(code));
  });
  /** Settles when the whole body was read (fetch took it). */
  let bodySent = Promise.resolve();
  if (hasBody) {
    if (opts.streamingUploads) {
      /** @type {() => void} */
      let sent = () => {};
      bodySent = new Promise((resolve) => (sent = () => resolve(undefined)));
      init.body = new ReadableStream({
        async pull(c) {
          const { done, value } = await it.next();
          if (done) {
            sent();
            c.close();
          } else c.enqueue(value);
        },
        cancel: () => void it.return?.(),
      });
      init.duplex = 'half';
    } else {
      init.body = await buffer({ [Symbol.asyncIterator]: () => it });
    }
  } else {
    void raw.return?.();
  }
  const o = request.options;
  const first = o?.firstByte ?? o?.connect ?? null;
  if (first !== null && typeof AbortSignal.timeout === 'function') init.signal = AbortSignal.timeout(Math.max(1, Number(first / 1_000_000n)));
  // Trailers cannot travel through fetch: fields in them fail the request.
  void trailers.then((t) => {
    if (t?.tag === 'ok' && t.value instanceof Fields && t.value.list.length > 0) request.body.settle(err(internal('fetch cannot send request trailers')));
  });
  let res;
  try {
    res = await doFetch(url.href, init);
  } catch (e) {
    fail(bodyError ?? fetchErrorCode(e));
  }
  void bodySent.then(() => request.body.settle(OK));
  const pairs = [];
  res.headers.forEach((/** @type {string} */ v, /** @type {string} */ k) => pairs.push([k, v]));
  const [response] = Response.new(Fields.fromHost(pairs), res.body ?? null, Promise.resolve({ tag: 'ok', value: null }));
  response.status = res.status;
  return response;
}

/** The `wasi:http/handler@0.3.x` export of an instance, or `x` itself when it is one. @param {any} x */
function handlerOf(x) {
  if (typeof x?.handle === 'function') return x;
  for (const [k, v] of Object.entries(x ?? {})) {
    if (/^wasi:http\/handler@0\.3\./.test(k) && typeof v?.handle === 'function') return v;
  }
  throw new TypeError(`no wasi:http/handler@0.3.x export (exports: ${Object.keys(x ?? {}).join(', ')})`);
}

/** A plain-text response. @param {number} status @param {string} text */
const textResponse = (status, text) => new globalThis.Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * A Fetch-style handler over a component's exported `wasi:http/handler`: each Fetch
 * `Request` becomes a wasi request; the guest's `err(error-code)` becomes a 500
 * response naming the code, and a trap a 500 saying so (a trap while the guest streams
 * the response body fails that body).
 *
 * `handler` is the export (the object the instance has under
 * `'wasi:http/handler@0.3.x'`), or a function that makes a fresh instance (or its
 * export; may return a promise), or an `InstancePool` of such instances. With a
 * function or a pool, a request that traps retires its instance and the next request
 * gets a fresh one, as does a request after `maxInstanceReuseCount` requests, and a
 * request that finds its instance poisoned by a trap outside any request runs on a
 * fresh one. With the export itself, a trapped instance stays poisoned and every later
 * request gets a 500. `onTrap(error, { method, path })` is told of each trap (default:
 * `console.error`).
 * @param {{ handle(r: Request): Promise<Response> } | (() => any) | InstancePool} handler
 * @param {import('../shared/instance-pool.js').PoolOptions} [options] (not with a pool)
 * @returns {(request: globalThis.Request) => Promise<globalThis.Response>}
 */
export function toFetchHandler(handler, options = {}) {
  const replaceable = typeof handler === 'function' || handler instanceof InstancePool;
  const pool =
    handler instanceof InstancePool
      ? handler
      : new InstancePool(typeof handler === 'function' ? () => handler() : () => handler, options);
  return async (request) => {
    const url = new URL(request.url);
    const label = { method: request.method, path: url.pathname + url.search };
    for (let attempt = 0; ; attempt++) {
      const lease = pool.lease(label);
      let guest;
      try {
        guest = handlerOf(await lease.instance);
      } catch (e) {
        // It failed to instantiate, or is no handler: not a trap.
        pool.done(lease, label);
        pool.retire(lease);
        throw e;
      }
      let response;
      try {
        response = await guest.handle(Request.fromFetch(request));
      } catch (e) {
        pool.done(lease, label);
        const payload = /** @type {any} */ (e)?.payload;
        if (payload !== undefined) return textResponse(500, `wasi:http handler error: ${payload.tag}${payload.value != null ? ` ${JSON.stringify(payload.value)}` : ''}`);
        // The guest did not run: its instance trapped before, outside any request seen.
        if (isPoisoned(e) && attempt === 0 && replaceable) {
          pool.retire(lease);
          continue;
        }
        // One instance that cannot be replaced: its trap was reported once.
        if (!(isPoisoned(e) && !replaceable)) pool.trapped(lease, e, label);
        return textResponse(500, `the component trapped: ${/** @type {any} */ (e)?.message ?? e}`);
      }
      return response.toFetch({
        onError: (e) => pool.trapped(lease, e, label),
        onEnd: () => pool.done(lease, label),
        signal: lease.signal,
      });
    }
  };
}

/**
 * The `http/*` interfaces (0.3). The `handler` import (the `middleware` world's next
 * hop) is `opts.handler`, by default the same as `client` (the network).
 * `forbiddenHeaders` names headers a guest may not set besides `FORBIDDEN_HEADERS`
 * (wasmtime's `is_forbidden_header` hook: its own tests forbid
 * `custom-forbidden-header`, say): the guest's `fields` are then a subclass with them.
 * @param {SendOptions & { handler?: { handle(r: Request): Promise<Response> }, forbiddenHeaders?: Iterable<string> }} opts
 */
export function httpInterfaces(opts = {}) {
  const client = { send: (/** @type {Request} */ r) => send(r, opts) };
  const extra = [...(opts.forbiddenHeaders ?? [])].map((n) => n.toLowerCase());
  const GuestFields =
    extra.length === 0
      ? Fields
      : class ConfiguredFields extends Fields {
          static forbidden = new Set([...FORBIDDEN_HEADERS, ...extra]);
        };
  return {
    'http/types': { Fields: GuestFields, Request, Response, RequestOptions },
    'http/client': client,
    'http/handler': opts.handler ?? { handle: client.send },
  };
}

