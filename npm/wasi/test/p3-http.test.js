// wasi:http@0.3 in both shims: fields, client.send through fetch against a local
// node:http server (streamed bodies, errors), and toFetchHandler over a handler
// written against the shim's classes the way a guest uses them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as node from '../src/p3-node.js';
import * as browser from '../src/p3-browser.js';
import { readable, collect, concat } from './p3-shared.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const V = '@0.3.0';
let server;
let base;

before(async () => {
  server = createServer(async (req, res) => {
    const chunks = [];
    try {
      for await (const c of req) chunks.push(c);
    } catch {
      return; // the client aborted the upload (a body shorter than its content-length)
    }
    const body = Buffer.concat(chunks).toString();
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/elsewhere' });
      return res.end();
    }
    if (req.url === '/hang-up') return req.socket.destroy();
    res.writeHead(200, { 'content-type': 'text/plain', 'x-echo-method': req.method, 'x-custom': req.headers['x-custom'] ?? '' });
    res.end(`${req.method} ${req.url} ${body}`);
  });
  // CONNECT (to this server's authority) with `x-open`: a tunnel that echoes in upper
  // case; without it the server hangs up.
  server.on('connect', (req, socket, head) => {
    if (req.url !== base || req.headers['x-open'] === undefined) return socket.destroy();
    socket.write('HTTP/1.1 200 Connection Established\r\nx-tunnel: yes\r\n\r\n');
    if (head.length > 0) socket.write(head.toString().toUpperCase());
    socket.on('data', (c) => socket.write(c.toString().toUpperCase()));
    socket.on('end', () => socket.end());
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const errTag = (tag) => (e) => e.payload?.tag === tag;

for (const [shim, { wasiImports }] of Object.entries({ node, browser })) {
  const t = (name, f) => test(`${shim} p3 http: ${name}`, f);

  t('fields: from-list, get, set, append, delete, errors, immutability, clone', () => {
    const { Fields, Request } = wasiImports()[`wasi:http/types${V}`];
    const f = Fields.fromList([['Content-Type', enc.encode('text/plain')], ['x-a', enc.encode('1')]]);
    assert.deepEqual(f.get('content-type').map((v) => dec.decode(v)), ['text/plain']);
    assert.ok(f.has('X-A'));
    f.append('x-a', enc.encode('2'));
    assert.deepEqual(f.get('x-a').map((v) => dec.decode(v)), ['1', '2']);
    f.set('x-a', [enc.encode('3')]);
    assert.deepEqual(f.getAndDelete('x-a').map((v) => dec.decode(v)), ['3']);
    assert.equal(f.has('x-a'), false);
    assert.deepEqual(f.copyAll().map(([n]) => n), ['content-type']);
    assert.throws(() => f.append('bad name', enc.encode('x')), errTag('invalid-syntax'));
    assert.throws(() => f.append('x-b', enc.encode('a\nb')), errTag('invalid-syntax'));
    assert.throws(() => f.set('Connection', [enc.encode('close')]), errTag('forbidden'));
    assert.throws(() => Fields.fromList([['host', enc.encode('x')]]), errTag('forbidden'));
    const [req] = Request.new(f, null, Promise.resolve({ tag: 'ok', value: null }), null);
    assert.throws(() => req.getHeaders().delete('content-type'), errTag('immutable'));
    // weft calls reserved words by their own names (`fields.delete`, `Response.new`).
    assert.equal(typeof wasiImports()[`wasi:http/types${V}`].Response.new, 'function');
    assert.equal(typeof f.delete, 'function');
    const copy = req.getHeaders().clone();
    copy.delete('content-type');
    assert.equal(copy.has('content-type'), false);
  });

  t('client.send: GET, response headers and body stream, trailers none', async () => {
    const imports = wasiImports();
    const { Fields, Request, Response } = imports[`wasi:http/types${V}`];
    const headers = Fields.fromList([['x-custom', enc.encode('yes')]]);
    const [req, sent] = Request.new(headers, null, Promise.resolve({ tag: 'ok', value: null }), null);
    req.setScheme({ tag: 'HTTP' });
    req.setAuthority(base);
    req.setPathWithQuery('/path?q=1');
    assert.deepEqual(req.getMethod(), { tag: 'get' });
    const res = await imports[`wasi:http/client${V}`].send(req);
    assert.ok(res instanceof Response);
    assert.equal(res.getStatusCode(), 200);
    assert.deepEqual(res.getHeaders().get('x-custom').map((v) => dec.decode(v)), ['yes']);
    const [body, trailers] = Response.consumeBody(res, Promise.resolve({ tag: 'ok' }));
    assert.equal(dec.decode(concat(await collect(body))), 'GET /path?q=1 ');
    assert.deepEqual(await trailers, { tag: 'ok', value: null });
    assert.deepEqual(await sent, { tag: 'ok', value: undefined });
    assert.throws(() => Response.consumeBody(res, null), /consumed/);
  });

  t('client.send: POST with a streamed body; redirects are not followed', async () => {
    const imports = wasiImports();
    const { Fields, Request } = imports[`wasi:http/types${V}`];
    const [req, sent] = Request.new(new Fields(), readable(['hello ', 'body']), Promise.resolve({ tag: 'ok', value: null }), null);
    req.setMethod({ tag: 'post' });
    req.setScheme({ tag: 'HTTP' });
    req.setAuthority(base);
    req.setPathWithQuery('/upload');
    const res = await imports[`wasi:http/client${V}`].send(req);
    assert.equal(res.getStatusCode(), 200);
    const [body] = res.constructor.consumeBody(res, null);
    assert.equal(dec.decode(concat(await collect(body))), 'POST /upload hello body');
    assert.deepEqual(await sent, { tag: 'ok', value: undefined });

    const [r2] = Request.new(new Fields(), null, Promise.resolve({ tag: 'ok', value: null }), null);
    r2.setScheme({ tag: 'HTTP' });
    r2.setAuthority(base);
    r2.setPathWithQuery('/redirect');
    const moved = await imports[`wasi:http/client${V}`].send(r2);
    assert.equal(moved.getStatusCode(), 302);
  });

  t('client.send: connection refused and a missing authority are error codes', async () => {
    const imports = wasiImports();
    const { Fields, Request, RequestOptions } = imports[`wasi:http/types${V}`];
    const closed = createServer();
    await new Promise((r) => closed.listen(0, '127.0.0.1', r));
    const port = closed.address().port;
    await new Promise((r) => closed.close(r));
    const opts = new RequestOptions();
    opts.setConnectTimeout(5_000_000_000n);
    const [req, sent] = Request.new(new Fields(), null, Promise.resolve({ tag: 'ok', value: null }), opts);
    assert.throws(() => req.getOptions().setConnectTimeout(null), errTag('immutable'));
    req.setScheme({ tag: 'HTTP' });
    req.setAuthority(`127.0.0.1:${port}`);
    await assert.rejects(imports[`wasi:http/client${V}`].send(req), errTag('connection-refused'));
    assert.deepEqual(await sent, { tag: 'err', value: { tag: 'connection-refused' } });
    const [noAuthority] = Request.new(new Fields(), null, Promise.resolve({ tag: 'ok', value: null }), null);
    await assert.rejects(imports[`wasi:http/client${V}`].send(noAuthority), errTag('HTTP-request-URI-invalid'));
  });

  t('toFetchHandler: a handler export serves Fetch requests', async () => {
    const { Fields, Request, Response } = wasiImports()[`wasi:http/types${V}`];
    // What a guest's `handle` does: read the request, answer with a streamed body.
    const handler = {
      async handle(req) {
        assert.ok(req instanceof Request);
        const [body, trailers] = Request.consumeBody(req, Promise.resolve({ tag: 'ok' }));
        const text = dec.decode(concat(await collect(body)));
        assert.deepEqual(await trailers, { tag: 'ok', value: null });
        if (text === 'fail') throw Object.assign(new Error('err'), { payload: { tag: 'HTTP-request-denied' } });
        const headers = Fields.fromList([['content-type', enc.encode('text/plain')]]);
        const method = req.getMethod().tag;
        const out = (async function* () {
          yield enc.encode(`${method} ${req.getScheme().tag} ${req.getAuthority()} ${req.getPathWithQuery()}: `);
          yield enc.encode(text.toUpperCase());
        })();
        const [res, sent] = Response.new(headers, out, Promise.resolve({ tag: 'ok', value: null }));
        res.setStatusCode(201);
        handler.sent = sent;
        return res;
      },
    };
    const serve = (shim === 'node' ? node : browser).toFetchHandler(handler);
    const res = await serve(new globalThis.Request('https://example.com/a?b', { method: 'POST', body: 'hi there' }));
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(await res.text(), 'post HTTPS example.com /a?b: HI THERE');
    assert.deepEqual(await handler.sent, { tag: 'ok', value: undefined });
    const failed = await serve(new globalThis.Request('http://x/', { method: 'PUT', body: 'fail' }));
    assert.equal(failed.status, 500);
    assert.match(await failed.text(), /HTTP-request-denied/);
  });

  t('toFetchHandler over instances: a trap retires its instance (in handle, in the body, outside any call), reuse is bounded', async () => {
    const shimMod = shim === 'node' ? node : browser;
    const { Fields, Response } = wasiImports()[`wasi:http/types${V}`];
    const POISONED = 'cannot enter component instance: it trapped earlier';
    let made = 0;
    /** A fake instance: `/trap` throws, `/trap-in-body` fails its body, `/n` answers its number and count. */
    const make = async () => {
      const id = ++made;
      let count = 0;
      let poisoned = false;
      const handle = async (req) => {
        // weft's runtime marks the trap of a call into a poisoned instance `poisoned: true`.
        if (poisoned) throw Object.assign(new WebAssembly.RuntimeError(POISONED), { poisoned: true });
        const path = req.getPathWithQuery();
        if (path === '/trap') {
          poisoned = true;
          throw new WebAssembly.RuntimeError('unreachable');
        }
        if (path === '/poison-later') poisoned = true;
        count++;
        const body = (async function* () {
          yield enc.encode(`instance ${id} request ${count}`);
          if (path === '/trap-in-body') {
            poisoned = true;
            throw new WebAssembly.RuntimeError('unreachable in the body');
          }
          if (path === '/hang') await new Promise(() => {});
        })();
        const [res] = Response.new(new Fields(), body, Promise.resolve({ tag: 'ok', value: null }));
        return res;
      };
      return { [`wasi:http/handler${V}`]: { handle } };
    };
    const traps = [];
    const pool = new shimMod.InstancePool(make, { maxInstanceReuseCount: 3, onTrap: (e, r) => traps.push(`${r?.method ?? '-'} ${r?.path ?? '-'}: ${e.message}`) });
    const serve = shimMod.toFetchHandler(pool);
    const get = async (path) => {
      const res = await serve(new globalThis.Request(`http://x${path}`));
      try {
        return `${res.status} ${await res.text()}`;
      } catch (e) {
        return `${res.status} body failed: ${e.message}`;
      }
    };
    assert.equal(await get('/a'), '200 instance 1 request 1');
    assert.equal(await get('/trap'), '500 the component trapped: unreachable\n');
    assert.equal(await get('/a'), '200 instance 2 request 1');
    assert.equal(await get('/trap-in-body'), '200 body failed: unreachable in the body');
    assert.equal(await get('/a'), '200 instance 3 request 1');
    // Poisoned by something no request saw: the next request runs on a fresh instance.
    assert.equal(await get('/poison-later'), '200 instance 3 request 2');
    assert.equal(await get('/a'), '200 instance 4 request 1');
    // A trap reported outside any call fails the bodies still waiting for it.
    const hanging = serve(new globalThis.Request('http://x/hang'));
    const res = await hanging;
    const text = res.text();
    pool.trappedOutside(new WebAssembly.RuntimeError('late'));
    await assert.rejects(text, /late/);
    assert.equal(await get('/a'), '200 instance 5 request 1');
    // maxInstanceReuseCount: 3 requests per instance.
    assert.equal(await get('/a'), '200 instance 5 request 2');
    assert.equal(await get('/a'), '200 instance 5 request 3');
    assert.equal(await get('/a'), '200 instance 6 request 1');
    assert.deepEqual(traps, ['GET /trap: unreachable', 'GET /trap-in-body: unreachable in the body', 'GET /hang: late']);
    // A function instead of a pool; the export itself cannot be replaced.
    made = 0;
    const viaFunction = shimMod.toFetchHandler(make, { onTrap: () => {} });
    assert.equal((await viaFunction(new globalThis.Request('http://x/trap'))).status, 500);
    assert.equal(await (await viaFunction(new globalThis.Request('http://x/a'))).text(), 'instance 2 request 1');
    const fixed = shimMod.toFetchHandler((await make())[`wasi:http/handler${V}`], { onTrap: () => {} });
    assert.equal((await fixed(new globalThis.Request('http://x/trap'))).status, 500);
    const after = await fixed(new globalThis.Request('http://x/a'));
    assert.equal(after.status, 500);
    assert.match(await after.text(), /trapped earlier/);
    assert.throws(() => new shimMod.InstancePool(make, { maxInstanceReuseCount: 0 }), RangeError);
  });

  /** A request the way a guest makes one. */
  const request = (imports, { method = 'get', scheme = { tag: 'HTTP' }, authority = base, path = '/', headers = [], body = null } = {}) => {
    const { Fields, Request } = imports[`wasi:http/types${V}`];
    const [req, sent] = Request.new(Fields.fromList(headers.map(([n, v]) => [n, enc.encode(v)])), body, Promise.resolve({ tag: 'ok', value: null }), null);
    req.setMethod({ tag: method });
    req.setScheme(scheme);
    if (authority !== null) req.setAuthority(authority);
    req.setPathWithQuery(path);
    return [req, sent];
  };
  /** Settles with `p`'s value, or 'pending' after 2 s. */
  const within = (p) => Promise.race([p, new Promise((r) => setTimeout(() => r('pending'), 2000).unref())]);

  t('set-authority checks the port and the shape, as wasmtime', () => {
    const { Fields, Request } = wasiImports()[`wasi:http/types${V}`];
    const [req] = Request.new(new Fields(), null, Promise.resolve({ tag: 'ok', value: null }), null);
    for (const bad of ['bad-port:99999', 'bad-\nhost', 'too-many-ports:80:80:80', 'host:', 'host:x1', '[::1', '[::1]x', 'a b']) {
      assert.throws(() => req.setAuthority(bad), undefined, JSON.stringify(bad));
    }
    for (const good of ['example.com', 'example.com:65535', '[::]:443', '[::]', '127.0.0.1:0']) {
      req.setAuthority(good);
      assert.equal(req.getAuthority(), good);
    }
  });

  t('client.send: a scheme other than http and https is HTTP-protocol-error; the transmission future says why', async () => {
    const imports = wasiImports();
    const [req, sent] = request(imports, { scheme: { tag: 'other', value: 'WS' }, authority: 'localhost:3000' });
    await assert.rejects(imports[`wasi:http/client${V}`].send(req), errTag('HTTP-protocol-error'));
    assert.deepEqual(await within(sent), { tag: 'err', value: { tag: 'HTTP-protocol-error' } });
  });

  t('client.send: a request that fails before fetch settles its transmission future and drops its body', async () => {
    const imports = wasiImports();
    let cancelled = false;
    const body = new ReadableStream({ pull: () => new Promise(() => {}), cancel: () => void (cancelled = true) });
    const [req, sent] = request(imports, { method: 'post', authority: null, body });
    await assert.rejects(imports[`wasi:http/client${V}`].send(req), errTag('HTTP-request-URI-invalid'));
    assert.deepEqual(await within(sent), { tag: 'err', value: { tag: 'HTTP-request-URI-invalid' } });
    assert.equal(cancelled, true);
  });

  t('client.send: a body shorter or longer than its content-length is HTTP-request-body-size', async () => {
    const imports = wasiImports();
    const send = (text) => {
      const [req, sent] = request(imports, { method: 'post', headers: [['Content-Length', '11']], body: readable([text]) });
      const res = imports[`wasi:http/client${V}`].send(req);
      res.catch(() => {});
      return [res, sent];
    };
    const [ok, okSent] = send('long enough');
    assert.equal((await ok).getStatusCode(), 200);
    assert.deepEqual(await within(okSent), { tag: 'ok', value: undefined });
    const [, short] = send('msg');
    assert.deepEqual(await within(short), { tag: 'err', value: { tag: 'HTTP-request-body-size', value: 3n } });
    const [long, longSent] = send('more than 11 bytes');
    assert.deepEqual(await within(longSent), { tag: 'err', value: { tag: 'HTTP-request-body-size', value: 18n } });
    // `send` itself may have its response already, or fail with the same code.
    await long.then(
      () => {},
      (e) => assert.deepEqual(e.payload, { tag: 'HTTP-request-body-size', value: 18n }),
    );
    const [bad, badSent] = request(imports, { method: 'post', headers: [['content-length', '1x']], body: readable(['x']) });
    await assert.rejects(imports[`wasi:http/client${V}`].send(bad), errTag('internal-error'));
    assert.equal((await within(badSent)).value.tag, 'internal-error');
  });

  t('client.send: a server that hangs up before answering is HTTP-protocol-error', async () => {
    const imports = wasiImports();
    const [req, sent] = request(imports, { path: '/hang-up' });
    await assert.rejects(imports[`wasi:http/client${V}`].send(req), errTag('HTTP-protocol-error'));
    assert.deepEqual(await within(sent), { tag: 'err', value: { tag: 'HTTP-protocol-error' } });
  });

  t('a request or response dropped with its body untaken drops the body; the transmission future is ok', async () => {
    const { Fields, Request, Response } = wasiImports()[`wasi:http/types${V}`];
    for (const make of [
      (body) => Request.new(new Fields(), body, Promise.resolve({ tag: 'ok', value: null }), null),
      (body) => Response.new(new Fields(), body, Promise.resolve({ tag: 'ok', value: null })),
    ]) {
      let cancelled = false;
      const [msg, sent] = make(new ReadableStream({ pull: () => new Promise(() => {}), cancel: () => void (cancelled = true) }));
      msg[Symbol.dispose]();
      assert.equal(cancelled, true);
      assert.deepEqual(await within(sent), { tag: 'ok', value: undefined });
    }
  });

  t('forbiddenHeaders: more header names a guest may not set', () => {
    const { Fields, Request } = wasiImports({ forbiddenHeaders: ['Custom-Forbidden-Header'] })[`wasi:http/types${V}`];
    const f = new Fields();
    assert.throws(() => f.append('custom-forbidden-header', enc.encode('keep-alive')), errTag('forbidden'));
    assert.throws(() => f.set('CUSTOM-FORBIDDEN-HEADER', [enc.encode('x')]), errTag('forbidden'));
    assert.throws(() => Fields.fromList([['custom-forbidden-header', enc.encode('x')]]), errTag('forbidden'));
    assert.throws(() => f.append('connection', enc.encode('close')), errTag('forbidden'));
    f.append('ok-header', enc.encode('x'));
    assert.throws(() => f.clone().append('custom-forbidden-header', enc.encode('x')), errTag('forbidden'));
    // Fields the host made still work with the guest's.
    const [req] = Request.new(f, null, Promise.resolve({ tag: 'ok', value: null }), null);
    assert.deepEqual(req.getHeaders().get('ok-header').map((v) => dec.decode(v)), ['x']);
    // Without the option the name is allowed.
    const Plain = wasiImports()[`wasi:http/types${V}`].Fields;
    new Plain().append('custom-forbidden-header', enc.encode('x'));
  });
}

test('node p3 http: CONNECT, which fetch refuses, goes over node:http (a tunnel, or a hang-up: HTTP-protocol-error)', async () => {
  const imports = node.wasiImports();
  const { Response } = imports[`wasi:http/types${V}`];
  const connect = (open, body) => {
    const { Fields, Request } = imports[`wasi:http/types${V}`];
    const headers = Fields.fromList(open ? [['x-open', enc.encode('1')]] : []);
    const [req, sent] = Request.new(headers, body, Promise.resolve({ tag: 'ok', value: null }), null);
    req.setMethod({ tag: 'connect' });
    req.setScheme({ tag: 'HTTP' });
    req.setAuthority(base);
    req.setPathWithQuery('/');
    return [imports[`wasi:http/client${V}`].send(req), sent];
  };
  const [refused, refusedSent] = connect(false, readable([]));
  await assert.rejects(refused, errTag('HTTP-protocol-error'));
  assert.deepEqual(await refusedSent, { tag: 'err', value: { tag: 'HTTP-protocol-error' } });
  const [tunnel] = connect(true, readable(['through ', 'the tunnel']));
  const res = await tunnel;
  assert.equal(res.getStatusCode(), 200);
  assert.deepEqual(res.getHeaders().get('x-tunnel').map((v) => dec.decode(v)), ['yes']);
  const [body] = Response.consumeBody(res, null);
  assert.equal(dec.decode(concat(await collect(body))), 'THROUGH THE TUNNEL');
});

test('browser p3 http: CONNECT, which fetch refuses, is HTTP-request-method-invalid', async () => {
  const imports = browser.wasiImports();
  const { Fields, Request } = imports[`wasi:http/types${V}`];
  const [req, sent] = Request.new(new Fields(), null, Promise.resolve({ tag: 'ok', value: null }), null);
  req.setMethod({ tag: 'connect' });
  req.setScheme({ tag: 'HTTP' });
  req.setAuthority(base);
  await assert.rejects(imports[`wasi:http/client${V}`].send(req), errTag('HTTP-request-method-invalid'));
  assert.deepEqual(await sent, { tag: 'err', value: { tag: 'HTTP-request-method-invalid' } });
});

test('@weft/wasi/p3/http/handler: the handler import (middleware world) as an ES module', async () => {
  const handler = await import('../src/iface/p3/http/handler.js');
  assert.equal(typeof handler.handle, 'function');
});
