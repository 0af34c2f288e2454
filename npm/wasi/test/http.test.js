// wasi:http@0.2: the shims' http interfaces driven from JS (node backend against a
// node:http server on another thread; browser backend: BlockingError, and Promises
// with `jspi`), serve.js with a JS-made handler, and the Rust programs of
// tests/wasi-programs (http-client against the upstream server, http-proxy served with
// serve() and handleRequest()) when target/wasi-programs has them and weft is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as nodeShim from '../src/p2/node.js';
import * as browserShim from '../src/p2/browser.js';
import { InstancePool, handleRequest, serve } from '../src/p2/serve.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const enc = new TextEncoder();
const dec = new TextDecoder();
const V = '0.2.3';

/** The upstream server, run in a worker so a guest blocking the main thread does not
 * stop it. Bodies are Buffers: with a string first chunk node encodes the head as UTF-8. */
function upstream() {
  const { createServer } = require('node:http');
  const { parentPort } = require('node:worker_threads');
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const send = (text) => res.end(Buffer.from(text));
    if (req.url === '/get?x=1') {
      res.setHeader('x-server', 'node');
      send(`got ${req.method} x-test=${req.headers['x-test']}`);
    } else if (req.url === '/echo') {
      res.setHeader('content-type', req.headers['content-type'] ?? 'application/octet-stream');
      res.setHeader('x-chunked', String(req.headers['transfer-encoding'] === 'chunked'));
      res.end(body);
    } else if (req.url === '/latin1') {
      res.setHeader('x-echo', req.headers['x-echo']);
      send('ok');
    } else if (req.url === '/method') send(req.method);
    else if (req.url === '/big') {
      // 1 MiB in 64 KiB writes.
      const block = Buffer.alloc(65536, 0x61);
      for (let i = 0; i < 16; i++) res.write(block);
      res.end();
    } else if (req.url === '/slow') setTimeout(() => send('late'), 300);
    else {
      res.statusCode = 404;
      send('nope');
    }
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
}

let upstreamWorker;
/** @returns {Promise<string>} the upstream base URL */
async function startUpstream() {
  upstreamWorker ??= new Worker(`(${upstream})()`, { eval: true });
  const port = await new Promise((r) => upstreamWorker.once('message', r));
  return `http://127.0.0.1:${port}`;
}

/** A loopback URL whose port refuses connections (a server's port after it closed). */
async function refusedUrl() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}/`;
}

const base = await startUpstream();
test.after(() => upstreamWorker?.terminate());

/** Builds an outgoing request from a URL. */
function makeRequest(imports, method, url, headers = []) {
  const T = imports[`wasi:http/types@${V}`];
  const u = new URL(url);
  const fields = T.Fields.fromList(headers.map(([n, v]) => [n, typeof v === 'string' ? enc.encode(v) : v]));
  const req = new T.OutgoingRequest(fields);
  req.setMethod(['GET', 'POST', 'PUT', 'HEAD'].includes(method) ? { tag: method.toLowerCase() } : { tag: 'other', value: method });
  req.setScheme({ tag: 'HTTP' });
  req.setAuthority(u.host);
  req.setPathWithQuery(u.pathname + u.search);
  return req;
}

/** Sends a request through the node shim, blocking like a guest. */
function send(imports, method, url, { headers = [], body = null, options = null } = {}) {
  const T = imports[`wasi:http/types@${V}`];
  const req = makeRequest(imports, method, url, headers);
  const ob = req.body();
  const fut = imports[`wasi:http/outgoing-handler@${V}`].handle(req, options);
  if (body) {
    const s = ob.write();
    for (let i = 0; i < body.length; i += 10000) s.blockingWriteAndFlush(body.subarray(i, i + 10000));
  }
  T.OutgoingBody.finish(ob, null);
  fut.subscribe().block();
  const r = fut.get();
  assert.deepEqual(fut.get(), { tag: 'err', value: undefined }, 'a second get is err');
  if (r.value.tag === 'err') return { error: r.value.value };
  const resp = r.value.value;
  const ib = resp.consume();
  const stream = ib.stream();
  const parts = [];
  for (;;) {
    let chunk;
    try {
      chunk = stream.blockingRead(100000n);
    } catch (e) {
      if (e.payload?.tag === 'closed') break;
      throw e;
    }
    parts.push(chunk);
  }
  const trailers = T.IncomingBody.finish(ib);
  trailers.subscribe().block();
  assert.deepEqual(trailers.get(), { tag: 'ok', value: { tag: 'ok', value: null } });
  const all = Buffer.concat(parts);
  const hs = Object.fromEntries(resp.headers().entries().map(([n, v]) => [n, Buffer.from(v).toString('latin1')]));
  return { status: resp.status(), headers: hs, body: all, chunks: parts.length };
}

test('fields: case-insensitive names, byte values, errors', () => {
  const T = nodeShim.wasiImports()[`wasi:http/types@${V}`];
  const f = new T.Fields();
  f.append('X-A', enc.encode('1'));
  f.append('x-a', new Uint8Array([0xe9]));
  assert.deepEqual(f.get('x-A').map((v) => [...v]), [[0x31], [0xe9]]);
  assert.equal(f.has('X-a'), true);
  f.set('x-b', [enc.encode('b')]);
  assert.deepEqual(f.entries().map(([n, v]) => [n, dec.decode(v)]), [['x-a', '1'], ['x-a', '\ufffd'], ['x-b', 'b']]);
  f.delete('x-a');
  assert.deepEqual(f.entries().map(([n]) => n), ['x-b']);
  const err = (tag) => (e) => e.payload?.tag === tag;
  assert.throws(() => f.append('bad name', enc.encode('x')), err('invalid-syntax'));
  assert.throws(() => f.append('x-c', enc.encode('a\nb')), err('invalid-syntax'));
  for (const n of ['Connection', 'host', 'Transfer-Encoding', 'keep-alive', 'upgrade']) assert.throws(() => f.set(n, []), err('forbidden'), n);
  assert.throws(() => T.Fields.fromList([['connection', enc.encode('close')]]), err('forbidden'));
  const req = new T.OutgoingRequest(f);
  assert.throws(() => req.headers().append('x-d', enc.encode('1')), err('immutable'));
  assert.deepEqual(req.headers().entries().map(([n]) => n), ['x-b']);
  f.append('x-late', enc.encode('1'));
  assert.equal(req.headers().has('x-late'), false, 'the request took a copy');
  assert.equal(req.headers().clone().append('x-e', enc.encode('1')), undefined, 'clones are mutable');
  assert.throws(() => req.setMethod({ tag: 'other', value: 'BAD METHOD' }), (e) => 'payload' in e);
  assert.throws(() => req.setAuthority('a/b'), (e) => 'payload' in e);
  const resp = new T.OutgoingResponse(new T.Fields());
  assert.equal(resp.statusCode(), 200);
  assert.throws(() => resp.setStatusCode(99), (e) => 'payload' in e);
  const opts = new T.RequestOptions();
  opts.setConnectTimeout(5n);
  assert.equal(opts.connectTimeout(), 5n);
  assert.equal(opts.firstByteTimeout(), null);
});

test('node: GET, POST streamed in pieces, 1 MiB body in chunks, Latin-1 header, 404', () => {
  const imports = nodeShim.wasiImports();
  let r = send(imports, 'GET', `${base}/get?x=1`, { headers: [['x-test', 'js']] });
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-server'], 'node');
  assert.equal(r.body.toString(), 'got GET x-test=js');
  const body = enc.encode('x'.repeat(50000));
  r = send(imports, 'POST', `${base}/echo`, { headers: [['content-type', 'text/x-test']], body });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/x-test');
  assert.equal(r.headers['x-chunked'], 'true', 'a body written after handle streams');
  assert.equal(r.body.length, 50000);
  r = send(imports, 'GET', `${base}/big`);
  assert.equal(r.body.length, 1 << 20);
  assert.ok(r.chunks > 1, `streamed in ${r.chunks} reads`);
  r = send(imports, 'GET', `${base}/latin1`, { headers: [['x-echo', new Uint8Array([0x63, 0xe9])]] });
  assert.equal(r.headers['x-echo'], 'c\xe9');
  r = send(imports, 'PURGE', `${base}/method`);
  assert.equal(r.body.toString(), 'PURGE');
  assert.equal(send(imports, 'GET', `${base}/nothing`).status, 404);
});

test('node: a body finished before handle goes with a content-length', () => {
  const imports = nodeShim.wasiImports();
  const T = imports[`wasi:http/types@${V}`];
  const req = makeRequest(imports, 'POST', `${base}/echo`);
  const ob = req.body();
  ob.write().blockingWriteAndFlush(enc.encode('early'));
  T.OutgoingBody.finish(ob, null);
  const fut = imports[`wasi:http/outgoing-handler@${V}`].handle(req, null);
  fut.subscribe().block();
  const resp = fut.get().value.value;
  assert.equal(dec.decode(resp.headers().get('x-chunked')[0]), 'false');
  assert.deepEqual(dec.decode(resp.consume().stream().blockingRead(100n)), 'early');
});

test('node: connection refused, bad URI, first-byte timeout, poll with a timer', async () => {
  const imports = nodeShim.wasiImports();
  assert.deepEqual(send(imports, 'GET', await refusedUrl()).error, { tag: 'connection-refused' });
  const T = imports[`wasi:http/types@${V}`];
  const req = new T.OutgoingRequest(new T.Fields());
  assert.throws(() => imports[`wasi:http/outgoing-handler@${V}`].handle(req, null), (e) => e.payload?.tag === 'HTTP-request-URI-invalid');
  const opts = new T.RequestOptions();
  opts.setFirstByteTimeout(50_000_000n);
  assert.deepEqual(send(imports, 'GET', `${base}/slow`, { options: opts }).error, { tag: 'HTTP-response-timeout' });
  // poll: a 20 ms timer is ready before the 300 ms response; then the response.
  const fut = imports[`wasi:http/outgoing-handler@${V}`].handle(makeRequest(imports, 'GET', `${base}/slow`), null);
  const clock = imports[`wasi:clocks/monotonic-clock@${V}`];
  const poll = imports[`wasi:io/poll@${V}`].poll;
  const timer = clock.subscribeDuration(20_000_000n);
  const p = fut.subscribe();
  assert.deepEqual([...poll([p, timer])], [1]);
  assert.deepEqual([...poll([p])], [0]);
  assert.equal(fut.get().value.value.status(), 200);
});

test('node: dropping a body, a response or a future cancels the request', () => {
  const imports = nodeShim.wasiImports();
  const handle = imports[`wasi:http/outgoing-handler@${V}`].handle;
  const f1 = handle(makeRequest(imports, 'GET', `${base}/big`), null);
  f1.subscribe().block();
  const resp = f1.get().value.value;
  const body = resp.consume();
  const stream = body.stream();
  assert.ok(stream.blockingRead(10n).length > 0);
  body[Symbol.dispose]();
  // What was buffered still reads; then the failure.
  assert.throws(() => {
    for (let i = 0; i < 100; i++) stream.subscribe().block(), stream.read(1000000n);
  }, (e) => e.payload?.tag === 'last-operation-failed' &&
    imports[`wasi:http/types@${V}`].httpErrorCode(e.payload.value).tag === 'internal-error');
  const f2 = handle(makeRequest(imports, 'GET', `${base}/big`), null);
  f2.subscribe().block();
  f2.get().value.value[Symbol.dispose]();
  const f3 = handle(makeRequest(imports, 'GET', `${base}/slow`), null);
  f3[Symbol.dispose]();
  f3.subscribe().block();
  assert.equal(send(imports, 'GET', `${base}/get?x=1`).status, 200, 'later requests still work');
});

test('browser: waiting throws BlockingError; with jspi, block and blocking-read return Promises', async () => {
  const imports = browserShim.wasiImports();
  const fut = imports[`wasi:http/outgoing-handler@${V}`].handle(makeRequest(imports, 'GET', `${base}/get?x=1`), null);
  assert.equal(fut.get(), null);
  assert.throws(() => fut.subscribe().block(), (e) => e instanceof browserShim.BlockingError && /JSPI/.test(e.message));

  const j = browserShim.wasiImports({ jspi: true });
  const T = j[`wasi:http/types@${V}`];
  const req = makeRequest(j, 'POST', `${base}/echo`);
  const ob = req.body();
  const f2 = j[`wasi:http/outgoing-handler@${V}`].handle(req, null);
  ob.write().blockingWriteAndFlush(enc.encode('buffered body'));
  T.OutgoingBody.finish(ob, null);
  const waited = f2.subscribe().block();
  assert.ok(waited instanceof Promise);
  await waited;
  const resp = f2.get().value.value;
  assert.equal(resp.status(), 200);
  assert.equal(dec.decode(resp.headers().get('x-chunked')[0]), 'false', 'browsers buffer request bodies');
  const stream = resp.consume().stream();
  let got = stream.blockingRead(100n);
  if (got instanceof Promise) got = await got;
  assert.equal(dec.decode(got), 'buffered body');
  // poll returns a Promise too.
  const f3 = j[`wasi:http/outgoing-handler@${V}`].handle(makeRequest(j, 'GET', `${base}/slow`), null);
  const polled = j[`wasi:io/poll@${V}`].poll([f3.subscribe()]);
  assert.ok(polled instanceof Promise);
  assert.deepEqual([...(await polled)], [0]);
});

/** A JS "component" using the host classes the way a guest does. */
function jsInstance(imports) {
  const T = imports[`wasi:http/types@${V}`];
  return {
    [`wasi:http/incoming-handler@${V}`]: {
      handle(req, out) {
        const ib = req.consume();
        const s = ib.stream();
        const parts = [];
        for (;;) {
          try {
            parts.push(s.blockingRead(1000n));
          } catch (e) {
            if (e.payload?.tag === 'closed') break;
            throw e;
          }
        }
        const path = req.pathWithQuery();
        if (path === '/unset') return;
        if (path === '/error') return T.ResponseOutparam.set(out, { tag: 'err', value: { tag: 'HTTP-request-denied' } });
        const h = new T.Fields();
        h.append('x-method', enc.encode(req.method().tag === 'other' ? req.method().value : req.method().tag));
        h.append('x-authority', enc.encode(req.authority() ?? ''));
        h.append('x-in', req.headers().get('x-in')[0] ?? new Uint8Array());
        const resp = new T.OutgoingResponse(h);
        resp.setStatusCode(path.startsWith('/created') ? 201 : 200);
        const ob = resp.body();
        T.ResponseOutparam.set(out, { tag: 'ok', value: resp });
        const w = ob.write();
        w.blockingWriteAndFlush(Buffer.concat(parts));
        w.blockingWriteAndFlush(enc.encode(`|${path}`));
        const t = new T.Fields();
        t.append('x-t', enc.encode('1'));
        T.OutgoingBody.finish(ob, t);
      },
    },
  };
}

test('serve: node:http server over a handler; trailers; unset and error responses', async () => {
  const server = await serve(jsInstance(nodeShim.wasiImports()), { port: 0 });
  const url = `http://127.0.0.1:${server.address().port}`;
  try {
    let r = await fetch(`${url}/created?a=b`, { method: 'POST', body: 'abc', headers: { 'x-in': 'caf\xe9' } });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('x-method'), 'post');
    assert.equal(r.headers.get('x-in'), 'caf\xe9', 'Latin-1 bytes round-trip');
    assert.equal(r.headers.get('x-authority'), new URL(url).host);
    assert.equal(await r.text(), 'abc|/created?a=b');
    const trailers = await new Promise((resolve, reject) =>
      httpRequest(`${url}/t`, (m) => {
        m.resume();
        m.on('end', () => resolve(m.trailers));
      }).on('error', reject).end(),
    );
    assert.deepEqual(trailers, { 'x-t': '1' });
    r = await fetch(`${url}/unset`);
    assert.equal(r.status, 500);
    assert.match(await r.text(), /set no response/);
    r = await fetch(`${url}/error`);
    assert.equal(r.status, 500);
    assert.match(await r.text(), /HTTP-request-denied/);
  } finally {
    server.close();
  }
});

test('handleRequest: WHATWG Request to Response (browser shim)', async () => {
  const inst = jsInstance(browserShim.wasiImports());
  const r = await handleRequest(inst, new Request('https://app.example/x?y', { method: 'PUT', body: 'body', headers: { 'x-in': 'v' } }));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-method'), 'put');
  assert.equal(r.headers.get('x-authority'), 'app.example');
  assert.equal(await r.text(), 'body|/x?y');
  assert.equal((await handleRequest(inst, new Request('https://app.example/unset'))).status, 500);
  await assert.rejects(handleRequest({}, new Request('https://app.example/')), /no wasi:http\/incoming-handler/);
});

// The Rust programs of tests/wasi-programs.
const weft = process.env.WEFT_BIN ?? [join(root, 'target/debug/weft'), join(root, 'target/release/weft')].find(existsSync);
const programs = join(root, 'target/wasi-programs');
const expected = JSON.parse(readFileSync(join(root, 'tests/wasi-programs/expected.json'), 'utf8')).http;
const skip = !weft ? 'weft is not built' : !existsSync(join(programs, 'http-client.wasm')) ? 'run scripts/build-wasi-programs' : false;

async function load(name, imports) {
  const out = mkdtempSync(join(tmpdir(), `weft-http-${name}-`));
  execFileSync(/** @type {string} */ (weft), ['transpile', join(programs, `${name}.wasm`), '-o', out, '--instantiation'], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  const { instantiate } = await import(pathToFileURL(join(out, `${name}.js`)).href);
  const instance = await instantiate((f) => WebAssembly.compile(readFileSync(join(out, f))), imports);
  rmSync(out, { recursive: true, force: true });
  return instance;
}

test('program http-client: GET, POST, 300 KB PUT, Latin-1, header errors, refused (node shim)', { skip }, async () => {
  const spec = expected['http-client'];
  const vars = { '{upstream}': base, '{refused}': await refusedUrl() };
  const env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, vars[v] ?? v]));
  const stdout = [];
  const stderr = [];
  const imports = nodeShim.wasiImports({ args: spec.args, env, stdout: (b) => stdout.push(Buffer.from(b)), stderr: (b) => stderr.push(Buffer.from(b)) });
  const instance = await load('http-client', imports);
  let exitCode = 0;
  try {
    instance['wasi:cli/run@0.2.0'].run();
  } catch (e) {
    if (e instanceof nodeShim.WasiExit) exitCode = e.code;
    else throw e;
  }
  assert.equal(Buffer.concat(stderr).toString(), spec.stderr);
  assert.equal(Buffer.concat(stdout).toString(), spec.stdout);
  assert.equal(exitCode, spec.exitCode);
});

test('program http-proxy: serve() and handleRequest() answer the expected requests, with a fresh instance after a trap', { skip }, async () => {
  const instance = await load('http-proxy', nodeShim.wasiImports());
  // `serve` makes its instances with a function, `handleRequest` takes them from a pool
  // (the first is `instance`): each replaces an instance that trapped, and each keeps
  // its own, so both see the same `/count`s.
  const fresh = () => load('http-proxy', nodeShim.wasiImports());
  const traps = [];
  const onTrap = (e, r) => traps.push(`${r.method} ${r.path}`);
  let first = instance;
  const pool = new InstancePool(() => {
    const made = first ?? fresh();
    first = null;
    return made;
  }, { onTrap });
  const server = await serve(fresh, { port: 0, onTrap });
  const url = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const rq of expected['http-proxy'].requests) {
      const init = {
        method: rq.method,
        headers: Object.fromEntries(Object.entries(rq.requestHeaders ?? {}).map(([n, v]) => [n, Buffer.from(v).toString('latin1')])),
        body: rq.requestBody === undefined ? undefined : enc.encode(rq.requestBody),
      };
      for (const via of ['serve', 'handleRequest']) {
        const r = via === 'serve' ? await fetch(url + rq.path, init) : await handleRequest(pool, new Request('http://proxy.test' + rq.path, init));
        const what = `${via} ${rq.method} ${rq.path}`;
        assert.equal(r.status, rq.status, what);
        for (const [n, v] of Object.entries(rq.headers ?? {})) assert.equal(Buffer.from(r.headers.get(n) ?? '', 'latin1').toString(), v, `${what}: ${n}`);
        const text = await r.text();
        if (rq.body !== undefined) assert.equal(text, rq.body, what);
        if (rq.bodyIncludes !== undefined) assert.ok(text.includes(rq.bodyIncludes), `${what}: ${JSON.stringify(text)} lacks ${rq.bodyIncludes}`);
      }
      if (rq.trailers) {
        const trailers = await new Promise((resolve, reject) =>
          httpRequest(url + rq.path, { method: rq.method }, (m) => {
            m.resume();
            m.on('end', () => resolve(m.trailers));
          }).on('error', reject).end(),
        );
        assert.deepEqual(trailers, rq.trailers);
      }
    }
    const trapped = expected['http-proxy'].requests.filter((q) => q.path === '/trap').map((q) => `${q.method} ${q.path}`);
    assert.deepEqual(traps, [...trapped, ...trapped], 'each trap is reported with its request, by serve and by handleRequest');
  } finally {
    server.close();
  }
});
