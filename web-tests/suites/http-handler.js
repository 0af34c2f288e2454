// wasi:http handler components hosted in the page, the way a Service Worker's fetch
// event would: the WASI 0.2 `http-proxy` (tests/wasi-programs) through `handleRequest`
// of npm/wasi/src/p2/serve.js, and the WASI 0.3 `http-service` (tests/wasi-p3-programs)
// through `toFetchHandler` of the 0.3 browser shim. Each request of the programs'
// expected.json must get the same status, headers and body as in node (compared by
// tests/wasi-programs/expected.mjs, as the node runners compare theirs). The requests
// include ones that trap: both take their instances from an `InstancePool`, which
// replaces a trapped instance for the next request (a trap outside any call, in a task
// streaming a body, reaches the pool through `reportError`, as under weft serve).
import { config, params, test } from '../lib/test.js';
import { compareResponse, handlerRequests, readExpected, readResponse } from '../../tests/wasi-programs/expected.mjs';

const set = params.get('set');
const expected = await readExpected(set);
const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));
const enc = new TextEncoder();
/** A header value as a Latin-1 string of the UTF-8 bytes of `v` (what node sends). */
const latin1 = (v) => String.fromCharCode(...enc.encode(v));
/** The UTF-8 text of a header value that arrived as Latin-1 bytes. */
const utf8 = (h) => new TextDecoder().decode(Uint8Array.from(h ?? '', (c) => c.charCodeAt(0)));

/** Fails unless `response` is what `want` (an entry's response) says. */
async function check(response, want, headers = response.headers) {
  const bad = compareResponse(want, { ...(await readResponse(response)), headers });
  if (bad.length) throw new Error(`differs from expected.json:\n  ${bad.join('\n  ')}`);
}

/** An instance pool over `instantiate` with fresh WASI imports, and the page's
 * `reportError` passing traps outside any call to it. */
function poolOf(InstancePool, instantiate, wasiImports) {
  const pool = new InstancePool(() => instantiate(getCoreModule, wasiImports({})), { onTrap: () => {} });
  globalThis.reportError = (e) => pool.trappedOutside(e);
  return pool;
}

if (set === 'wasi-programs') {
  const { wasiImports } = await import('/npm/wasi/src/p2/browser.js');
  const { handleRequest, InstancePool } = await import('/npm/wasi/src/p2/serve.js');
  const { instantiate } = await import(new URL('http-proxy.js', config.out));
  const pool = poolOf(InstancePool, instantiate, wasiImports);
  for (const rq of handlerRequests(expected.http['http-proxy'])) {
    test(`http-proxy (0.2, handleRequest): ${rq.method} ${rq.path}`, async () => {
      const init = {
        method: rq.method,
        headers: Object.fromEntries(Object.entries(rq.headers).map(([n, v]) => [n, latin1(v)])),
        body: rq.body === undefined ? undefined : enc.encode(rq.body),
      };
      const r = await handleRequest(pool, new Request(`http://proxy.test${rq.path}`, init));
      await check(r, rq.response, Object.fromEntries([...r.headers].map(([n, v]) => [n, utf8(v)])));
    });
  }
} else {
  const { wasiImports, toFetchHandler, InstancePool } = await import('/npm/wasi/src/p3-browser.js');
  const { instantiate } = await import(new URL('http-service.js', config.out));
  const handle = toFetchHandler(poolOf(InstancePool, instantiate, wasiImports));
  for (const rq of handlerRequests(expected.programs['http-service'])) {
    test(`http-service (0.3, toFetchHandler): ${rq.method} ${rq.url}`, async () => {
      await check(await handle(new Request(rq.url, { method: rq.method, body: rq.body })), rq.response);
    });
  }
}
