// wasi:http@0.2 types shared by node and browsers: fields, requests, responses,
// bodies over wasi:io streams, futures, the response outparam and error codes.
//
// The resource classes are module-level, so `serve.js` makes incoming requests that
// any instance accepts. What differs per platform is the *backend* behind
// `outgoing-handler.handle` (node: fetch in a worker thread, waited for with
// `Atomics.wait`; browsers: fetch on this thread), reached through the `Exchange`
// each outgoing request creates.
//
// Values follow weft's JS surface: variants `{ tag, value }`, options `null`, top-level
// `result` errors thrown with a `payload`, `list<u8>` as `Uint8Array`, u64 as bigint.
import { BlockingError, InputStream, IoError, OutputStream, Pollable, TimerPollable } from './io.js';
import { FieldsBase, TOKEN, fail, fromLatin1, latin1 } from '../shared/http-fields.js';
import { fetchErrorCode } from '../shared/http-errors.js';
import { METHODS, methodName, schemeName } from '../shared/http-variants.js';

export { FORBIDDEN_HEADERS, fail, latin1, fromLatin1 } from '../shared/http-fields.js';

/** `wasi:http/types.fields` of WASI 0.2 (see ../shared/http-fields.js). */
export class Fields extends FieldsBase {
  entries() {
    return this.list.map(([n, v]) => /** @type {[string, Uint8Array]} */ ([n, v.slice()]));
  }

  /** Host side: `[name, latin1 value]` pairs. */
  pairs() {
    return this.list.map(([n, v]) => /** @type {[string, string]} */ ([n, latin1(v)]));
  }

  frozenCopy() {
    return Fields.fromHost(this.list, true);
  }
}

/** `'GET'` → `method` variant. @param {string} name */
export function methodVariant(name) {
  const lower = name.toLowerCase();
  return METHODS.includes(lower) && name === name.toUpperCase() ? { tag: lower } : { tag: 'other', value: name };
}

/** `'http'` → `scheme` variant. @param {string} name */
export function schemeVariant(name) {
  const n = name.replace(/:$/, '').toLowerCase();
  return n === 'http' ? { tag: 'HTTP' } : n === 'https' ? { tag: 'HTTPS' } : { tag: 'other', value: n };
}

/**
 * The state of one exchange with a server (an outgoing request's response, or an
 * incoming request's body): the platform backend fills it in.
 * @typedef {object} Backend
 * @property {() => void} sync takes in what the platform has delivered (node: messages
 *   from the fetch worker); no-op where state changes on the event loop
 * @property {(isReady: () => boolean, what: string, timeoutNs?: bigint) => boolean | Promise<boolean>} wait
 *   waits until `isReady()` (or the timeout): blocks (node), throws `BlockingError`, or
 *   returns a Promise (browsers with `jspi`)
 * @property {(x: Exchange) => void} pull asks for the next body chunk
 * @property {(x: Exchange, bytes: Uint8Array) => void} [send] a request body chunk
 * @property {(x: Exchange) => void} [finish] the request body is complete
 * @property {(x: Exchange, reason: string) => void} [abort]
 */

export class Exchange {
  /** @param {Backend | null} backend */
  constructor(backend) {
    this.backend = backend;
    /** @type {{ status: number, headers: [string, string][] } | null} */
    this.response = null;
    /** An `error-code` before the response arrived. @type {object | null} */
    this.error = null;
    /** @type {Uint8Array[]} */
    this.chunks = [];
    this.ended = false;
    /** An `error-code` while reading the body. @type {object | null} */
    this.bodyError = null;
    this.pulling = false;
    /** The guest finished the body early: drop what arrives. */
    this.discard = false;
    /** @type {[string, string][] | null} */
    this.trailers = null;
    /** Listeners run on every change (browser backends resolve JSPI waits with them). @type {Set<() => void>} */
    this.listeners = new Set();
  }

  /** An exchange that already holds its whole body (incoming requests). @param {Uint8Array} body */
  static complete(body) {
    const x = new Exchange(null);
    x.response = { status: 0, headers: [] };
    if (body.length > 0) x.chunks.push(body);
    x.ended = true;
    return x;
  }

  changed() {
    for (const l of [...this.listeners]) l();
  }

  // Events from the backend.
  /** @param {number} status @param {[string, string][]} headers */
  onResponse(status, headers) {
    this.response = { status, headers };
    this.changed();
  }
  /** @param {Uint8Array} bytes */
  onChunk(bytes) {
    this.pulling = false;
    if (!this.discard && bytes.length > 0) this.chunks.push(bytes);
    if (this.discard) this.want();
    this.changed();
  }
  /** @param {[string, string][] | null} [trailers] */
  onEnd(trailers = null) {
    this.pulling = false;
    this.ended = true;
    this.trailers = trailers;
    this.changed();
  }
  /** @param {object} code */
  onError(code) {
    this.pulling = false;
    if (this.response === null) this.error = code;
    else this.bodyError = code;
    this.ended = true;
    this.changed();
  }

  sync() {
    this.backend?.sync();
  }

  /** Asks for more body when none is buffered. */
  want() {
    if (this.backend && this.response && !this.ended && !this.pulling && (this.chunks.length === 0 || this.discard)) {
      this.pulling = true;
      this.backend.pull(this);
    }
  }

  /** Body bytes (at most `max`) available now; empty if none yet; `null` at the end. */
  read(/** @type {number} */ max) {
    this.sync();
    if (this.chunks.length === 0) {
      this.want();
      this.sync();
    }
    if (this.chunks.length === 0) {
      if (this.bodyError) {
        const err = new IoError(`HTTP body: ${this.bodyError.tag}`);
        /** @type {any} */ (err).httpCode = this.bodyError;
        fail({ tag: 'last-operation-failed', value: err }, 'stream error');
      }
      return this.ended ? null : new Uint8Array(0);
    }
    const first = this.chunks[0];
    if (first.length <= max) {
      this.chunks.shift();
      return first;
    }
    this.chunks[0] = first.subarray(max);
    return first.slice(0, max);
  }

  bodyReadable() {
    this.sync();
    this.want();
    return this.chunks.length > 0 || this.ended;
  }
}

/** A pollable over an exchange's state; `block` waits through the backend. */
export class HttpPollable extends Pollable {
  /** @param {Exchange} x @param {() => boolean} isReady @param {string} what */
  constructor(x, isReady, what) {
    super();
    this.x = x;
    this.isReady = isReady;
    this.what = what;
  }
  ready() {
    this.x.sync();
    return this.isReady();
  }
  /** @returns {void | Promise<void>} */
  block() {
    if (this.ready()) return;
    if (!this.x.backend) throw new BlockingError(this.what);
    const r = this.x.backend.wait(this.isReady, this.what);
    if (r instanceof Promise) return r.then(() => {});
  }
}

/** `input-stream` of an HTTP body. `blocking-read` waits through the backend (and
 * returns a Promise where the backend does, for JSPI). */
export class BodyInputStream extends InputStream {
  /** @param {Exchange} x */
  constructor(x) {
    super({ read: (max) => x.read(max), ready: () => x.bodyReadable() });
    this.x = x;
  }
  /** @param {bigint} len */
  blockingRead(len) {
    const x = this.x;
    if (!x.bodyReadable() && x.backend) {
      const r = x.backend.wait(() => x.bodyReadable(), 'reading an HTTP body');
      if (r instanceof Promise) return r.then(() => this.read(len));
    }
    return this.read(len);
  }
  /** @param {bigint} len */
  blockingSkip(len) {
    const r = this.blockingRead(len);
    return r instanceof Promise ? r.then((b) => BigInt(b.length)) : BigInt(r.length);
  }
  subscribe() {
    return new HttpPollable(this.x, () => this.x.bodyReadable(), 'reading an HTTP body');
  }
}

/**
 * `outgoing-body`: buffers what the guest writes until a target is attached (the
 * backend's request stream, or the server's response), then forwards to it.
 * @typedef {{ write(bytes: Uint8Array): void, finish(trailers: Fields | null): void, abort(reason: string): void }} BodyTarget
 */
export class OutgoingBody {
  constructor() {
    /** @type {Uint8Array[]} */
    this.buffered = [];
    /** @type {BodyTarget | null} */
    this.target = null;
    this.finished = false;
    this.dropped = false;
    /** @type {Fields | null} */
    this.trailers = null;
    this.streamTaken = false;
    /** Why writes fail (e.g. a GET request). @type {string | null} */
    this.refuse = null;
  }
  write() {
    if (this.streamTaken || this.finished) fail(undefined, 'outgoing-body.write: the stream was already taken');
    this.streamTaken = true;
    return new OutputStream((bytes) => {
      if (this.finished) throw Object.assign(new Error('body finished'), { wasiCode: 'io' });
      if (bytes.length === 0) return;
      if (this.refuse) throw Object.assign(new Error(this.refuse), { wasiCode: 'io' });
      if (this.target) this.target.write(bytes.slice());
      else this.buffered.push(bytes.slice());
    });
  }
  /** @param {OutgoingBody} body @param {Fields | null} trailers */
  static finish(body, trailers) {
    if (body.finished) fail({ tag: 'internal-error', value: 'outgoing-body finished twice' });
    body.finished = true;
    body.trailers = trailers;
    body.target?.finish(trailers);
  }
  /** @param {BodyTarget} target */
  attach(target) {
    this.target = target;
    for (const b of this.buffered) target.write(b);
    this.buffered = [];
    if (this.finished) target.finish(this.trailers);
    else if (this.dropped) target.abort('outgoing-body dropped without finish');
  }
  /** The whole body, once finished before any target was attached. */
  concat() {
    const len = this.buffered.reduce((n, b) => n + b.length, 0);
    const out = new Uint8Array(len);
    let off = 0;
    for (const b of this.buffered) {
      out.set(b, off);
      off += b.length;
    }
    this.buffered = [];
    return out;
  }
  [Symbol.dispose]() {
    if (this.finished || this.dropped) return;
    this.dropped = true;
    this.target?.abort('outgoing-body dropped without finish');
  }
}

function validPath(/** @type {string | null} */ p) {
  return p === null || /^[\x21-\x7e]*$/.test(p);
}
function validAuthority(/** @type {string | null} */ a) {
  return a === null || /^[\x21-\x7e]*$/.test(a) && !/[/?#]/.test(a);
}

/** `outgoing-request`. */
export class OutgoingRequest {
  /** @param {Fields} headers */
  constructor(headers) {
    this.fields = headers.frozenCopy();
    /** @type {{ tag: string, value?: string }} */
    this.m = { tag: 'get' };
    /** @type {string | null} */
    this.path = null;
    /** @type {{ tag: string, value?: string } | null} */
    this.sch = null;
    /** @type {string | null} */
    this.auth = null;
    /** @type {OutgoingBody | null} */
    this.outBody = null;
  }
  body() {
    if (this.outBody) fail(undefined, 'outgoing-request.body: already taken');
    this.outBody = new OutgoingBody();
    return this.outBody;
  }
  method() {
    return this.m;
  }
  setMethod(/** @type {{ tag: string, value?: string }} */ m) {
    if (m.tag === 'other' && !TOKEN.test(/** @type {string} */ (m.value))) fail(undefined, 'invalid method');
    this.m = m;
  }
  pathWithQuery() {
    return this.path;
  }
  setPathWithQuery(/** @type {string | null} */ p) {
    if (!validPath(p)) fail(undefined, 'invalid path-with-query');
    this.path = p;
  }
  scheme() {
    return this.sch;
  }
  setScheme(/** @type {{ tag: string, value?: string } | null} */ s) {
    if (s !== null && s.tag === 'other' && !/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(/** @type {string} */ (s.value))) fail(undefined, 'invalid scheme');
    this.sch = s;
  }
  authority() {
    return this.auth;
  }
  setAuthority(/** @type {string | null} */ a) {
    if (!validAuthority(a)) fail(undefined, 'invalid authority');
    this.auth = a;
  }
  headers() {
    return this.fields.frozenCopy();
  }
}

/** `request-options`: timeouts in nanoseconds (`null`: none). */
export class RequestOptions {
  constructor() {
    /** @type {bigint | null} */
    this.connect = null;
    /** @type {bigint | null} */
    this.firstByte = null;
    /** @type {bigint | null} */
    this.betweenBytes = null;
  }
  connectTimeout() {
    return this.connect;
  }
  setConnectTimeout(/** @type {bigint | null} */ d) {
    this.connect = d;
  }
  firstByteTimeout() {
    return this.firstByte;
  }
  setFirstByteTimeout(/** @type {bigint | null} */ d) {
    this.firstByte = d;
  }
  betweenBytesTimeout() {
    return this.betweenBytes;
  }
  setBetweenBytesTimeout(/** @type {bigint | null} */ d) {
    this.betweenBytes = d;
  }
}

/** `incoming-body`: a stream over the exchange, then the trailers. */
export class IncomingBody {
  /** @param {Exchange} x */
  constructor(x) {
    this.x = x;
    this.streamTaken = false;
    this.finished = false;
  }
  /** Dropped without `finish`: the rest of the body is not wanted. */
  [Symbol.dispose]() {
    if (!this.finished && !this.x.ended) this.x.backend?.abort?.(this.x, 'incoming-body dropped');
  }
  stream() {
    if (this.streamTaken) fail(undefined, 'incoming-body.stream: already taken');
    this.streamTaken = true;
    return new BodyInputStream(this.x);
  }
  /** @param {IncomingBody} body */
  static finish(body) {
    const x = body.x;
    body.finished = true;
    x.discard = true;
    x.chunks = [];
    x.want();
    return new FutureTrailers(x);
  }
}

/** `future-trailers`: ready at the end of the body (fetch has no trailers: none). */
export class FutureTrailers {
  /** @param {Exchange} x */
  constructor(x) {
    this.x = x;
    this.taken = false;
  }
  subscribe() {
    return new HttpPollable(this.x, () => (this.x.want(), this.x.ended), 'waiting for HTTP trailers');
  }
  get() {
    const x = this.x;
    x.sync();
    x.want();
    if (!x.ended) return null;
    if (this.taken) return { tag: 'err', value: undefined };
    this.taken = true;
    if (x.bodyError) return { tag: 'ok', value: { tag: 'err', value: x.bodyError } };
    const t = x.trailers && x.trailers.length > 0 ? Fields.fromHost(x.trailers) : null;
    return { tag: 'ok', value: { tag: 'ok', value: t } };
  }
}

/** `incoming-response`. */
export class IncomingResponse {
  /** @param {Exchange} x */
  constructor(x) {
    this.x = x;
    const r = /** @type {{ status: number, headers: [string, string][] }} */ (x.response);
    this.code = r.status;
    this.fields = Fields.fromHost(r.headers);
    this.consumed = false;
  }
  status() {
    return this.code;
  }
  headers() {
    return this.fields.frozenCopy();
  }
  consume() {
    if (this.consumed) fail(undefined, 'incoming-response.consume: already consumed');
    this.consumed = true;
    return new IncomingBody(this.x);
  }
  /** Dropped without `consume`: the body is not wanted. */
  [Symbol.dispose]() {
    if (!this.consumed && !this.x.ended) this.x.backend?.abort?.(this.x, 'incoming-response dropped');
  }
}

/** `future-incoming-response`. */
export class FutureIncomingResponse {
  /** @param {Exchange} x */
  constructor(x) {
    this.x = x;
    this.taken = false;
  }
  subscribe() {
    return new HttpPollable(this.x, () => this.x.response !== null || this.x.error !== null, 'waiting for an HTTP response');
  }
  /** Dropped before the response was taken: cancel the request. */
  [Symbol.dispose]() {
    if (!this.taken && !this.x.ended) this.x.backend?.abort?.(this.x, 'future-incoming-response dropped');
  }
  get() {
    const x = this.x;
    x.sync();
    if (x.response === null && x.error === null) return null;
    if (this.taken) return { tag: 'err', value: undefined };
    this.taken = true;
    if (x.error) return { tag: 'ok', value: { tag: 'err', value: x.error } };
    return { tag: 'ok', value: { tag: 'ok', value: new IncomingResponse(x) } };
  }
}

/** `incoming-request` (made by the host: `serve.js`). */
export class IncomingRequest {
  /**
   * @param {{ method: string, pathWithQuery: string | null, scheme: string | null,
   *   authority: string | null, headers: Iterable<[string, string | Uint8Array]>, body: Uint8Array }} r
   */
  constructor(r) {
    this.m = methodVariant(r.method);
    this.path = r.pathWithQuery;
    this.sch = r.scheme === null ? null : schemeVariant(r.scheme);
    this.auth = r.authority;
    this.fields = Fields.fromHost(r.headers);
    this.x = Exchange.complete(r.body);
    this.consumed = false;
  }
  method() {
    return this.m;
  }
  pathWithQuery() {
    return this.path;
  }
  scheme() {
    return this.sch;
  }
  authority() {
    return this.auth;
  }
  headers() {
    return this.fields.frozenCopy();
  }
  consume() {
    if (this.consumed) fail(undefined, 'incoming-request.consume: already consumed');
    this.consumed = true;
    return new IncomingBody(this.x);
  }
}

/** `outgoing-response`. */
export class OutgoingResponse {
  /** @param {Fields} headers */
  constructor(headers) {
    this.fields = headers.frozenCopy();
    this.code = 200;
    /** @type {OutgoingBody | null} */
    this.outBody = null;
  }
  statusCode() {
    return this.code;
  }
  setStatusCode(/** @type {number} */ c) {
    if (c < 100 || c > 599) fail(undefined, 'invalid status code');
    this.code = c;
  }
  headers() {
    return this.fields.frozenCopy();
  }
  body() {
    if (this.outBody) fail(undefined, 'outgoing-response.body: already taken');
    this.outBody = new OutgoingBody();
    return this.outBody;
  }
}

/** `response-outparam`: the host passes a callback that receives the guest's
 * `result<outgoing-response, error-code>`. */
export class ResponseOutparam {
  /** @param {(r: { tag: 'ok', value: OutgoingResponse } | { tag: 'err', value: object }) => void} onSet */
  constructor(onSet) {
    this.onSet = onSet;
    this.done = false;
  }
  /** @param {ResponseOutparam} param @param {{ tag: 'ok', value: OutgoingResponse } | { tag: 'err', value: object }} response */
  static set(param, response) {
    if (param.done) return;
    param.done = true;
    param.onSet(response);
  }
}

/** `http-error-code(err)`: the error code behind an `io/error.error` of an HTTP body. */
export function httpErrorCode(/** @type {IoError} */ err) {
  return /** @type {any} */ (err).httpCode ?? null;
}

/** Content codings fetch decodes: the guest gets the decoded body, so these headers go. */
const DECODED = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'zstd']);

/** Response headers as the guest should see them after fetch decoded the body. @param {Headers} h */
export function responseHeaders(h) {
  /** @type {[string, string][]} */
  const pairs = [];
  h.forEach((v, n) => {
    if (n === 'set-cookie' && typeof h.getSetCookie === 'function') return;
    pairs.push([n, v]);
  });
  if (typeof h.getSetCookie === 'function') for (const c of h.getSetCookie()) pairs.push(['set-cookie', c]);
  const enc = h.get('content-encoding');
  if (enc && enc.split(',').every((c) => DECODED.has(c.trim().toLowerCase()))) {
    return pairs.filter(([n]) => n !== 'content-encoding' && n !== 'content-length');
  }
  return pairs;
}

/**
 * What `handle` gives a backend: the request as fetch arguments.
 * @typedef {object} FetchSpec
 * @property {string} url
 * @property {string} method
 * @property {[string, string][]} headers Latin-1 values
 * @property {Uint8Array | null | 'stream'} body `'stream'`: chunks follow through `send`
 * @property {number | null} connectTimeoutMs
 * @property {number | null} firstByteTimeoutMs
 * @property {number | null} betweenBytesTimeoutMs
 */

/**
 * Runs one fetch and reports through `events`; the body is read one chunk per `pull()`.
 * Used by the node worker and by the browser backend.
 * @param {FetchSpec} spec
 * @param {{ response(status: number, headers: [string, string][]): void, chunk(b: Uint8Array): void,
 *   end(): void, error(code: object): void }} events
 * @param {{ redirect?: RequestRedirect, fetch?: typeof fetch }} [opts]
 */
export function startFetch(spec, events, opts = {}) {
  const ac = new AbortController();
  /** @type {object | null} */
  let timeoutCode = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const arm = (/** @type {number | null} */ ms, /** @type {object} */ code) => {
    clearTimeout(timer);
    if (ms !== null) {
      timer = setTimeout(() => {
        timeoutCode = code;
        ac.abort();
      }, ms);
    }
  };
  /** @type {ReadableStreamDefaultController<Uint8Array> | undefined} */
  let bodyCtl;
  /** @type {ReadableStreamDefaultReader<Uint8Array> | undefined} */
  let reader;
  let reading = false;
  let done = false;
  const error = (/** @type {any} */ e) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    events.error(timeoutCode ?? (e && typeof e === 'object' && 'wasiHttp' in e ? e.wasiHttp : fetchErrorCode(e)));
  };
  const body = spec.body === 'stream' ? new ReadableStream({ start: (c) => void (bodyCtl = c) }) : spec.body;
  const first = spec.connectTimeoutMs === null && spec.firstByteTimeoutMs === null ? null : (spec.connectTimeoutMs ?? 0) + (spec.firstByteTimeoutMs ?? 0) || null;
  arm(first, spec.firstByteTimeoutMs !== null ? { tag: 'HTTP-response-timeout' } : { tag: 'connection-timeout' });
  /** @type {RequestInit & { duplex?: string }} */
  const init = { method: spec.method, headers: spec.headers, body, signal: ac.signal, redirect: opts.redirect ?? 'manual' };
  if (spec.body === 'stream') init.duplex = 'half';
  let started;
  try {
    started = (opts.fetch ?? fetch)(spec.url, init);
  } catch (e) {
    started = Promise.reject(e);
  }
  started.then(
    (res) => {
      clearTimeout(timer);
      if (done) return;
      reader = res.body?.getReader();
      events.response(res.status, responseHeaders(res.headers));
      if (!reader) {
        done = true;
        events.end();
      }
    },
    error,
  );
  const pull = () => {
    if (reading || done || !reader) return;
    reading = true;
    arm(spec.betweenBytesTimeoutMs, { tag: 'connection-read-timeout' });
    const r = reader;
    r.read().then(
      ({ done: end, value }) => {
        reading = false;
        clearTimeout(timer);
        if (done) return;
        if (end) {
          done = true;
          events.end();
        } else if (value.length === 0) pull();
        else events.chunk(value);
      },
      (e) => {
        reading = false;
        error(e);
      },
    );
  };
  return {
    pull,
    send(/** @type {Uint8Array} */ bytes) {
      bodyCtl?.enqueue(bytes);
    },
    finish() {
      bodyCtl?.close();
    },
    abort(/** @type {string} */ reason) {
      const e = Object.assign(new Error(reason), { wasiHttp: { tag: 'internal-error', value: reason } });
      try {
        bodyCtl?.error(e);
      } catch {
        // already closed
      }
      error(e);
      ac.abort();
    },
  };
}

/**
 * The URL and fetch arguments of an outgoing request, or an `error-code`.
 * @param {OutgoingRequest} req @param {RequestOptions | null} options @param {'stream' | 'buffer'} bodyMode
 * @returns {{ spec: FetchSpec, body: OutgoingBody | null } | { error: object }}
 */
export function fetchSpec(req, options, bodyMode) {
  if (req.auth === null || req.auth === '') return { error: { tag: 'HTTP-request-URI-invalid' } };
  const scheme = req.sch === null ? 'https' : schemeName(req.sch);
  if (scheme !== 'http' && scheme !== 'https') return { error: { tag: 'HTTP-protocol-error' } };
  const path = req.path ?? '/';
  const url = `${scheme}://${req.auth}${path.startsWith('/') || path.startsWith('?') ? '' : '/'}${path}`;
  try {
    new URL(url);
  } catch {
    return { error: { tag: 'HTTP-request-URI-invalid' } };
  }
  const method = methodName(req.m);
  const ms = (/** @type {bigint | null} */ ns) => (ns === null ? null : Number(ns / 1_000_000n));
  const ob = req.outBody;
  const noBody = method === 'GET' || method === 'HEAD';
  /** @type {Uint8Array | null | 'stream'} */
  let body = null;
  if (ob && !noBody) {
    if (ob.finished) body = ob.concat();
    else if (ob.dropped) return { error: { tag: 'internal-error', value: 'outgoing-body dropped without finish' } };
    else body = bodyMode === 'stream' ? 'stream' : null;
  } else if (ob && noBody) {
    ob.refuse = `a ${method} request has no body`;
    if (ob.buffered.some((b) => b.length > 0)) return { error: { tag: 'HTTP-request-method-invalid' } };
  }
  return {
    spec: {
      url,
      method,
      headers: req.fields.pairs(),
      body,
      connectTimeoutMs: ms(options?.connect ?? null),
      firstByteTimeoutMs: ms(options?.firstByte ?? null),
      betweenBytesTimeoutMs: ms(options?.betweenBytes ?? null),
    },
    body: ob && !noBody && !ob.finished ? ob : null,
  };
}

/**
 * `wasi:io/poll.poll` that knows HTTP pollables: with none of them, `fallback` (io.js's
 * poll); otherwise waits through the backend for any pollable, until the earliest
 * timer. Returns a Promise where the backend's wait does (JSPI).
 * @param {Backend} backend @param {(ps: Pollable[]) => Uint32Array} fallback
 */
export function httpPoll(backend, fallback) {
  /** @param {Pollable[]} pollables @returns {Uint32Array | Promise<Uint32Array>} */
  const poll = (pollables) => {
    if (!pollables.some((p) => p instanceof HttpPollable)) return fallback(pollables);
    if (pollables.length === 0) throw new TypeError('poll: empty list');
    for (;;) {
      backend.sync();
      const ready = [];
      pollables.forEach((p, i) => p.ready() && ready.push(i));
      if (ready.length > 0) return Uint32Array.from(ready);
      /** @type {TimerPollable | null} */
      let timer = null;
      for (const p of pollables) if (p instanceof TimerPollable && (timer === null || p.deadline < timer.deadline)) timer = p;
      const t = timer;
      const any = () => pollables.some((p) => p.ready());
      const r = backend.wait(any, 'polling HTTP pollables', t ? t.deadline - t.clock.now() : undefined);
      if (r instanceof Promise) return r.then(() => poll(pollables));
    }
  };
  return poll;
}

/**
 * The `wasi:http/*` interfaces over a backend that starts fetches.
 * @param {Backend & { start(spec: FetchSpec, x: Exchange): void, bodyMode: 'stream' | 'buffer' }} backend
 * @param {(ps: Pollable[]) => Uint32Array} fallbackPoll io.js's poll
 */
export function httpInterfaces(backend, fallbackPoll) {
  const handle = (/** @type {OutgoingRequest} */ req, /** @type {RequestOptions | null} */ options) => {
    const r = fetchSpec(req, options, backend.bodyMode);
    if ('error' in r) fail(r.error, 'outgoing-handler.handle');
    const x = new Exchange(backend);
    const { spec, body } = r;
    if (body && backend.bodyMode === 'buffer') {
      // Start once the guest finishes the body (browsers cannot stream request bodies).
      const chunks = new OutgoingBody();
      body.attach({
        write: (b) => chunks.buffered.push(b),
        finish: () => backend.start({ ...spec, body: chunks.concat() }, x),
        abort: (reason) => x.onError({ tag: 'internal-error', value: reason }),
      });
      return new FutureIncomingResponse(x);
    }
    backend.start(spec, x);
    body?.attach({
      write: (b) => backend.send?.(x, b),
      finish: () => backend.finish?.(x),
      abort: (reason) => backend.abort?.(x, reason),
    });
    return new FutureIncomingResponse(x);
  };
  return {
    'http/types': {
      Fields, OutgoingRequest, RequestOptions, OutgoingBody, IncomingRequest, IncomingResponse, IncomingBody,
      FutureIncomingResponse, FutureTrailers, OutgoingResponse, ResponseOutparam, httpErrorCode,
    },
    'http/outgoing-handler': { handle },
    'io/poll': { Pollable, poll: httpPoll(backend, fallbackPoll) },
  };
}
