// wasi:http handler components hosted in the page, the way a Service Worker's fetch
// event would: the WASI 0.2 `http-proxy` (tests/wasi-programs) through `handleRequest`
// of npm/wasi/src/p2/serve.js, and the WASI 0.3 `http-service` (tests/wasi-p3-programs)
// through `toFetchHandler` of the 0.3 browser shim. Each request of the programs'
// expected.json must get the same status, headers and body as in node.
import { assert } from '../lib/assert.js';
import { config, params, test } from '../lib/test.js';

const set = params.get('set');
const expected = await (await fetch(`/tests/${set}/expected.json`)).json();
const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));
const enc = new TextEncoder();
/** A header value as a Latin-1 string of the UTF-8 bytes of `v` (what node sends). */
const latin1 = (v) => String.fromCharCode(...enc.encode(v));
/** The UTF-8 text of a header value that arrived as Latin-1 bytes. */
const utf8 = (h) => new TextDecoder().decode(Uint8Array.from(h ?? '', (c) => c.charCodeAt(0)));

if (set === 'wasi-programs') {
  const { wasiImports } = await import('/npm/wasi/src/p2/browser.js');
  const { handleRequest } = await import('/npm/wasi/src/p2/serve.js');
  const { instantiate } = await import(new URL('http-proxy.js', config.out));
  const instance = await instantiate(getCoreModule, wasiImports({}));
  for (const rq of expected.http['http-proxy'].requests) {
    test(`http-proxy (0.2, handleRequest): ${rq.method} ${rq.path}`, async () => {
      const init = {
        method: rq.method,
        headers: Object.fromEntries(Object.entries(rq.requestHeaders ?? {}).map(([n, v]) => [n, latin1(v)])),
        body: rq.requestBody === undefined ? undefined : enc.encode(rq.requestBody),
      };
      const r = await handleRequest(instance, new Request(`http://proxy.test${rq.path}`, init));
      assert.equal(r.status, rq.status, 'status');
      for (const [n, v] of Object.entries(rq.headers ?? {})) assert.equal(utf8(r.headers.get(n)), v, n);
      assert.equal(await r.text(), rq.body, 'body');
    });
  }
} else {
  const { wasiImports, toFetchHandler } = await import('/npm/wasi/src/p3-browser.js');
  const { instantiate } = await import(new URL('http-service.js', config.out));
  const instance = await instantiate(getCoreModule, wasiImports({}));
  const key = Object.keys(instance).find((k) => /^wasi:http\/handler@0\.3\./.test(k));
  const handle = toFetchHandler(instance[key]);
  for (const rq of expected.programs['http-service'].requests) {
    test(`http-service (0.3, toFetchHandler): ${rq.method} ${rq.url}`, async () => {
      const r = await handle(new Request(rq.url, { method: rq.method, body: rq.body }));
      const want = rq.response;
      assert.equal(r.status, want.status, 'status');
      for (const [n, v] of Object.entries(want.headers ?? {})) assert.equal(r.headers.get(n), v, n);
      const body = await r.text();
      if (want.body !== undefined) assert.equal(body, want.body, 'body');
      if (want.bodyIncludes !== undefined) assert.ok(body.includes(want.bodyIncludes), `body includes ${want.bodyIncludes}`);
    });
  }
}
