// The requests `fetch` refuses to make, over node:http(s), for the 0.3 node shim's
// `client.send` (http.js): the Fetch standard forbids the methods CONNECT, TRACE and
// TRACK, which a wasi:http guest may still send (wasmtime sends them with hyper).
// Called like `fetch(url, init)`; resolves to `{ status, headers, body }` once the
// response head is in. A CONNECT answered by the server is a tunnel: the request body
// goes into it and the response body is what comes back. Errors are node's (`code`:
// `ECONNRESET` for a server that hung up before answering, `HPE_*` for a response that
// is not HTTP, …), which http.js maps to error codes.

/**
 * @param {string} url
 * @param {{ method?: string, headers?: Headers, body?: any, signal?: AbortSignal | null }} init
 * @returns {Promise<{ status: number, headers: Headers, body: AsyncIterable<Uint8Array> | null }>}
 */
export function nodeRequest(url, init) {
  const u = new URL(url);
  const method = init.method ?? 'GET';
  /** @type {Record<string, string[]>} */
  const headers = {};
  init.headers?.forEach((v, k) => (headers[k] ??= []).push(v));
  // node:http(s) on the first request: a program that makes none does not pay for
  // them at start-up.
  /** @type {typeof import('node:http')} */
  const mod = process.getBuiltinModule(u.protocol === 'https:' ? 'node:https' : 'node:http');
  return new Promise((resolve, reject) => {
    const connect = method.toUpperCase() === 'CONNECT';
    // A CONNECT names its target by authority (`CONNECT host:port`), as hyper sends it.
    const path = connect ? u.host : u.pathname + u.search;
    const req = mod.request(u, { method, path, headers, signal: init.signal ?? undefined });
    req.once('error', reject);
    /** The response's headers. @param {import('node:http').IncomingMessage} res */
    const head = (res) => {
      const h = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      return h;
    };
    req.once('response', (res) => resolve({ status: /** @type {number} */ (res.statusCode), headers: head(res), body: res }));
    req.once('connect', (res, socket, rest) => {
      void pump(init.body, socket).then(() => socket.end(), (e) => socket.destroy(e));
      const body = (async function* () {
        if (rest.length > 0) yield new Uint8Array(rest);
        for await (const c of socket) yield new Uint8Array(c);
      })();
      resolve({ status: /** @type {number} */ (res.statusCode), headers: head(res), body });
    });
    if (connect) req.end();
    else pump(init.body, req).then(() => req.end(), (e) => req.destroy(e));
  });
}

/** Writes the chunks of `body` (an async iterable, bytes, or nothing) to `out`, waiting
 * for the drain. @param {any} body @param {import('node:stream').Writable} out */
async function pump(body, out) {
  if (body === undefined || body === null) return;
  if (body instanceof Uint8Array) {
    out.write(body);
    return;
  }
  for await (const c of body) {
    if (!out.write(c)) await new Promise((resolve) => out.once('drain', resolve));
  }
}
