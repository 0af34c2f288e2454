// The network thread of the WASI 0.2 node sockets (sockets-node.js): owns every
// node:net socket and server, node:dgram socket and node:dns lookup of one
// `wasiImports({ network: true })`, because the guest's thread blocks while it waits.
// Requests arrive as messages `{ op, sid, req?, … }`; a request with `req` gets a
// reply `{ req, … }`, and socket events go out as `{ sid, ev, … }`. After every message
// the shared counter is bumped and notified, so a main thread blocked in
// `Atomics.wait` wakes and takes it with `receiveMessageOnPort`.
//
// TCP `bind` uses libuv's handle (`process.binding('tcp_wrap')`, synchronous errno
// results); `listen` hands the bound handle to a `net.Server`; `connect` closes a bound
// handle and reuses its address as `localAddress`/`localPort`. Reading is pulled: a
// connected socket stays paused until the main thread asks for a chunk (`read`).
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { workerData } from 'node:worker_threads';
import { UV_TCP_IPV6ONLY, uvTcp } from '../shared/libuv.js';
import { lookupErrorCode, socketErrorCode } from '../shared/socket-errors.js';

/** @type {{ port: import('node:worker_threads').MessagePort, signal: Int32Array }} */
const { port, signal } = workerData;

/** WASI 0.3 error tags without a 0.2 `error-code` case. */
const P2_CODES = new Set([
  'unknown', 'access-denied', 'not-supported', 'invalid-argument', 'out-of-memory', 'timeout',
  'concurrency-conflict', 'not-in-progress', 'would-block', 'invalid-state', 'new-socket-not-supported',
  'address-not-bindable', 'address-in-use', 'remote-unreachable', 'connection-refused', 'connection-reset',
  'connection-aborted', 'datagram-too-large', 'name-unresolvable', 'temporary-resolver-failure',
  'permanent-resolver-failure',
]);

/** The 0.2 `error-code` (an enum) for a node error or libuv errno. @param {unknown} e */
function code2(e) {
  const { tag } = socketErrorCode(e);
  if (P2_CODES.has(tag)) return tag;
  return tag === 'connection-broken' ? 'connection-reset' : 'unknown';
}

/** @param {unknown} e */
function message(e) {
  return String(/** @type {any} */ (e)?.message ?? e);
}

function post(/** @type {object} */ msg, /** @type {Transferable[]} */ transfer = []) {
  port.postMessage(msg, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/** @typedef {{ handle?: any, socket?: net.Socket, server?: net.Server, udp?: dgram.Socket, reading?: boolean }} Entry */
/** @type {Map<number, Entry>} */
const entries = new Map();
const entry = (/** @type {number} */ sid) => {
  let e = entries.get(sid);
  if (!e) entries.set(sid, (e = {}));
  return e;
};
let nextChild = -1;

/** @param {any} handle @returns {{ host: string, port: number } | { error: string }} */
function handleAddress(handle) {
  const out = /** @type {{ address: string, port: number }} */ ({});
  const c = handle.getsockname(out);
  return c !== 0 ? { error: code2(c) } : { host: out.address, port: out.port };
}

/** Binds a libuv TCP handle. @returns {{ handle: any } | { error: string, message: string }} */
function bindHandle(/** @type {string} */ family, /** @type {string} */ host, /** @type {number} */ p) {
  const { TCP, TCPConstants } = uvTcp();
  const handle = new TCP(TCPConstants.SERVER);
  const c = family === 'ipv4' ? handle.bind(host, p) : handle.bind6(host, p, UV_TCP_IPV6ONLY);
  if (c !== 0) {
    handle.close();
    return { error: code2(c), message: `bind ${host}:${p}: errno ${c}` };
  }
  return { handle };
}

/** A connected socket: paused; reads one chunk per `read`. @param {number} sid @param {net.Socket} s */
function adopt(sid, s) {
  const e = entry(sid);
  e.socket = s;
  s.on('data', (/** @type {Buffer} */ d) => {
    s.pause();
    e.reading = false;
    const own = new Uint8Array(d.length);
    own.set(d);
    post({ sid, ev: 'data', bytes: own }, [own.buffer]);
  });
  s.pause();
  s.on('end', () => post({ sid, ev: 'end' }));
  s.on('error', (err) => post({ sid, ev: 'error', code: code2(err), message: message(err) }));
}

/** @param {net.Socket} s */
const ends = (s) => ({ local: { host: s.localAddress, port: s.localPort }, remote: { host: s.remoteAddress, port: s.remotePort } });

/** @param {any} msg */
function handle(msg) {
  const { sid } = msg;
  switch (msg.op) {
    case 'tcp-bind': {
      const r = bindHandle(msg.family, msg.host, msg.port);
      if ('error' in r) return post({ req: msg.req, error: r.error, message: r.message });
      // libuv reports some bind errors (EADDRINUSE) late: getsockname sees them.
      const a = handleAddress(r.handle);
      if ('error' in a) {
        r.handle.close();
        return post({ req: msg.req, error: a.error, message: `bind ${msg.host}:${msg.port}: ${a.error}` });
      }
      entry(sid).handle = r.handle;
      return post({ req: msg.req, address: a });
    }
    case 'tcp-connect': {
      const e = entry(sid);
      /** @type {net.TcpNetConnectOpts} */
      const opts = { host: msg.host, port: msg.port, family: msg.family === 'ipv4' ? 4 : 6, allowHalfOpen: true };
      if (e.handle) {
        const a = handleAddress(e.handle);
        e.handle.close();
        e.handle = undefined;
        if ('host' in a) {
          opts.localAddress = a.host;
          opts.localPort = a.port;
        }
      }
      const s = net.connect(opts);
      const failed = (/** @type {Error} */ err) => post({ sid, ev: 'connect-error', code: code2(err), message: message(err) });
      s.once('error', failed);
      s.once('connect', () => {
        s.off('error', failed);
        if (entries.get(sid) !== e) return void s.destroy(); // closed while connecting
        adopt(sid, s);
        post({ sid, ev: 'connected', ...ends(s) });
      });
      return;
    }
    case 'tcp-listen': {
      const e = entry(sid);
      if (!e.handle) {
        const r = bindHandle(msg.family, msg.family === 'ipv4' ? '0.0.0.0' : '::', 0);
        if ('error' in r) return post({ req: msg.req, error: r.error, message: r.message });
        e.handle = r.handle;
      }
      const c = e.handle.listen(msg.backlog);
      if (c !== 0) return post({ req: msg.req, error: code2(c), message: `listen: errno ${c}` });
      const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
      server.on('connection', (s) => {
        const child = nextChild--;
        adopt(child, s);
        post({ sid, ev: 'connection', child, ...ends(s) });
      });
      server.on('error', () => {});
      server.listen(e.handle, msg.backlog);
      e.handle = undefined;
      e.server = server;
      return post({ req: msg.req, address: /** @type {any} */ (server.address()) && { host: /** @type {any} */ (server.address()).address, port: /** @type {any} */ (server.address()).port } });
    }
    case 'read': {
      const e = entries.get(sid);
      if (e?.socket && !e.reading) {
        e.reading = true;
        e.socket.resume();
      }
      return;
    }
    case 'write': {
      const s = entries.get(sid)?.socket;
      const n = msg.bytes.length;
      if (!s || s.destroyed || s.writableEnded) return post({ sid, ev: 'error', code: 'connection-reset', message: 'write after the connection closed' });
      s.write(msg.bytes, (err) => post(err ? { sid, ev: 'error', code: code2(err), message: message(err) } : { sid, ev: 'written', n }));
      return;
    }
    case 'end':
      entries.get(sid)?.socket?.end();
      return;
    case 'keep-alive': {
      const s = entries.get(sid)?.socket;
      s?.setKeepAlive(msg.enabled, msg.idleMs);
      return;
    }
    case 'udp-bind': {
      const u = dgram.createSocket({ type: msg.family === 'ipv4' ? 'udp4' : 'udp6', ipv6Only: msg.family === 'ipv6' });
      const fail = (/** @type {Error} */ err) => {
        u.close();
        post({ req: msg.req, error: code2(err), message: message(err) });
      };
      u.once('error', fail);
      u.bind({ address: msg.host, port: msg.port, exclusive: true }, () => {
        u.off('error', fail);
        u.on('error', () => {});
        entry(sid).udp = u;
        u.on('message', (m, r) => {
          const own = new Uint8Array(m.length);
          own.set(m);
          post({ sid, ev: 'datagram', bytes: own, host: r.address, port: r.port }, [own.buffer]);
        });
        const a = u.address();
        post({ req: msg.req, address: { host: a.address, port: a.port } });
      });
      return;
    }
    case 'udp-send': {
      const u = entries.get(sid)?.udp;
      u?.send(msg.bytes, msg.port, msg.host, (err) => {
        if (err) post({ sid, ev: 'send-error', code: code2(err), message: message(err) });
      });
      return;
    }
    case 'udp-ttl':
      try {
        entries.get(sid)?.udp?.setTTL(msg.ttl);
      } catch {}
      return;
    case 'lookup':
      lookup(msg.name, { all: true, order: 'verbatim' }).then(
        (found) => post({ sid, ev: 'resolved', addresses: found.map((f) => f.address) }),
        (err) => {
          const { tag } = lookupErrorCode(err);
          post({ sid, ev: 'lookup-error', code: P2_CODES.has(tag) ? tag : 'unknown', message: message(err) });
        },
      );
      return;
    case 'close': {
      const e = entries.get(sid);
      entries.delete(sid);
      if (!e) return;
      e.handle?.close();
      e.server?.close();
      e.udp?.close();
      const s = e.socket;
      if (s && !s.destroyed) {
        // Send what is queued, then a FIN; gone once the FIN is out.
        s.resume();
        s.on('data', () => {});
        s.end(() => s.destroy());
      }
      return;
    }
  }
}

port.on('message', (msg) => {
  try {
    handle(msg);
  } catch (err) {
    if (msg.req !== undefined) post({ req: msg.req, error: code2(err), message: message(err) });
    else post({ sid: msg.sid, ev: 'error', code: code2(err), message: message(err) });
  }
});
