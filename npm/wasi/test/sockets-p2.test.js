// wasi:sockets@0.2 from JS: the node shim with `network: true` (sockets in a worker
// thread, the caller blocking with Atomics.wait) against node-side peers on 127.0.0.1.
// The peers run in a worker thread of their own: this thread blocks while it waits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { wasiImports } from '../src/p2/node.js';

const V = '@0.2.3';
const code = (c) => (e) => e.payload === c;
const v4 = (port, address = [127, 0, 0, 1]) => ({ tag: 'ipv4', value: { port, address } });
const v6 = (port, address = [0, 0, 0, 0, 0, 0, 0, 1]) => ({ tag: 'ipv6', value: { port, flowInfo: 0, address, scopeId: 0 } });
const enc = new TextEncoder();
const dec = new TextDecoder();

// Peers: an echo server (half-open), a port where nothing listens, a UDP upper-caser,
// and on request a client that connects to a port, sends a text and reports the reply.
const PEERS = `
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
const dgram = require('node:dgram');
(async () => {
  const echo = net.createServer({ allowHalfOpen: true }, (s) => { s.on('error', () => {}); s.pipe(s); });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  const closed = net.createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const refused = closed.address().port;
  await new Promise((r) => closed.close(r));
  const udp = dgram.createSocket('udp4');
  udp.on('message', (m, r) => udp.send(Buffer.from(m.toString('latin1').toUpperCase(), 'latin1'), r.port, r.address));
  await new Promise((r) => udp.bind(0, '127.0.0.1', r));
  parentPort.on('message', ({ id, port, send }) => {
    const chunks = [];
    const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => c.end(send));
    c.on('data', (d) => chunks.push(d));
    c.on('end', () => parentPort.postMessage({ id, received: Buffer.concat(chunks).toString() }));
    c.on('error', (e) => parentPort.postMessage({ id, error: String(e) }));
  });
  parentPort.postMessage({ echo: echo.address().port, refused, udp: udp.address().port });
})();
`;
const peers = new Worker(PEERS, { eval: true });
peers.unref();
const [ports] = await once(peers, 'message');

const imports = wasiImports({ network: true });
const network = imports[`wasi:sockets/instance-network${V}`].instanceNetwork();
const { createTcpSocket } = imports[`wasi:sockets/tcp-create-socket${V}`];
const { createUdpSocket } = imports[`wasi:sockets/udp-create-socket${V}`];
const { resolveAddresses } = imports[`wasi:sockets/ip-name-lookup${V}`];
const { poll } = imports[`wasi:io/poll${V}`];

/** Runs a start-/finish- pair the way wasi-libc does: would-block → block on subscribe. */
function finish(socket, name) {
  for (;;) {
    try {
      return socket[name]();
    } catch (e) {
      if (e.payload !== 'would-block') throw e;
      socket.subscribe().block();
    }
  }
}

function connect(port, family = 'ipv4') {
  const s = createTcpSocket(family);
  s.startConnect(network, family === 'ipv4' ? v4(port) : v6(port));
  const [input, output] = finish(s, 'finishConnect');
  return { s, input, output };
}

/** Reads until the end of the stream. */
function readAll(input) {
  const parts = [];
  for (;;) {
    try {
      parts.push(input.blockingRead(65536n));
    } catch (e) {
      if (e.payload?.tag === 'closed') return Buffer.concat(parts);
      throw e;
    }
  }
}

test('without network: sockets are denied', () => {
  const denied = wasiImports();
  assert.throws(() => denied[`wasi:sockets/tcp-create-socket${V}`].createTcpSocket('ipv4'), code('not-supported'));
  assert.throws(() => denied[`wasi:sockets/ip-name-lookup${V}`].resolveAddresses(network, 'localhost'), code('access-denied'));
});

test('tcp: connect, write, shutdown, read the echo', () => {
  const { s, input, output } = connect(ports.echo);
  assert.deepEqual(s.remoteAddress(), v4(ports.echo));
  assert.equal(s.localAddress().tag, 'ipv4');
  assert.equal(s.isListening(), false);
  assert.equal(s.addressFamily(), 'ipv4');
  assert.ok(output.checkWrite() > 0n);
  output.blockingWriteAndFlush(enc.encode('hello '));
  const big = new Uint8Array(300_000).map((_, i) => i % 253);
  output.write(big.subarray(0, Number(output.checkWrite()) > 1000 ? 1000 : 0));
  output.blockingWriteAndFlush(big.subarray(1000));
  // A non-blocking read returns what is there, possibly nothing.
  assert.ok(input.read(10n) instanceof Uint8Array);
  const p = input.subscribe();
  p.block();
  assert.equal(p.ready(), true);
  assert.throws(() => s.startConnect(network, v4(ports.echo)), code('invalid-state'));
  s.shutdown('send');
  assert.throws(() => output.write(enc.encode('x')), (e) => e.payload?.tag === 'closed');
  const rest = readAll(input);
  assert.ok(rest.length > 0);
  input[Symbol.dispose]?.();
  s[Symbol.dispose]();
});

test('tcp: echo of all the bytes, read with read() and poll', () => {
  const { s, input, output } = connect(ports.echo);
  output.blockingWriteAndFlush(enc.encode('abc'));
  s.shutdown('send');
  const parts = [];
  for (;;) {
    assert.deepEqual([...poll([input.subscribe()])], [0]);
    try {
      parts.push(input.read(2n));
    } catch (e) {
      assert.equal(e.payload.tag, 'closed');
      break;
    }
  }
  assert.equal(dec.decode(Buffer.concat(parts)), 'abc');
  s[Symbol.dispose]();
});

test('tcp: error codes', () => {
  const s = createTcpSocket('ipv4');
  assert.throws(() => s.finishBind(), code('not-in-progress'));
  assert.throws(() => s.finishConnect(), code('not-in-progress'));
  assert.throws(() => s.localAddress(), code('invalid-state'));
  assert.throws(() => s.remoteAddress(), code('invalid-state'));
  assert.throws(() => s.startListen(), code('invalid-state'));
  assert.throws(() => s.accept(), code('invalid-state'));
  assert.throws(() => s.shutdown('both'), code('invalid-state'));
  assert.throws(() => s.startBind(network, v6(0)), code('invalid-argument'));
  assert.throws(() => s.startConnect(network, v4(0)), code('invalid-argument'));
  assert.throws(() => s.startConnect(network, v4(80, [0, 0, 0, 0])), code('invalid-argument'));
  assert.throws(() => s.startConnect(network, v4(80, [224, 0, 0, 1])), code('invalid-argument'));
  assert.throws(() => s.setKeepAliveIdleTime(0n), code('invalid-argument'));
  assert.throws(() => s.setHopLimit(0), code('invalid-argument'));
  assert.throws(() => s.setListenBacklogSize(0n), code('invalid-argument'));
  s.setKeepAliveEnabled(true);
  assert.equal(s.keepAliveEnabled(), true);
  s.setKeepAliveIdleTime(1_500_000_000n);
  assert.equal(s.keepAliveIdleTime(), 2_000_000_000n);
  s.startConnect(network, v4(ports.refused));
  assert.throws(() => s.startConnect(network, v4(ports.refused)), code('concurrency-conflict'));
  assert.throws(() => finish(s, 'finishConnect'), code('connection-refused'));
  assert.throws(() => s.startConnect(network, v4(ports.refused)), code('invalid-state'));
  s[Symbol.dispose]();
  assert.throws(() => createTcpSocket('ipx'), code('not-supported'));
});

test('tcp: bind, listen, accept, echo upper-cased', async () => {
  const l = createTcpSocket('ipv4');
  l.startBind(network, v4(0));
  assert.throws(() => l.startBind(network, v4(0)), code('concurrency-conflict'));
  l.finishBind();
  assert.throws(() => l.startBind(network, v4(0)), code('invalid-state'));
  const { port } = l.localAddress().value;
  assert.ok(port > 0);
  l.setListenBacklogSize(16n);
  l.startListen();
  finish(l, 'finishListen');
  assert.equal(l.isListening(), true);
  assert.throws(() => l.startListen(), code('invalid-state'));
  // Another socket on the same port.
  const other = createTcpSocket('ipv4');
  assert.throws(() => {
    other.startBind(network, v4(port));
    other.finishBind();
  }, code('address-in-use'));
  other[Symbol.dispose]();
  assert.throws(() => l.accept(), code('would-block'));
  const reply = once(peers, 'message');
  peers.postMessage({ id: 1, port, send: 'ping from node' });
  const [conn, input, output] = finish(l, 'accept');
  assert.equal(conn.isListening(), false);
  assert.deepEqual(conn.localAddress(), v4(port));
  assert.deepEqual(conn.remoteAddress().value.address, [127, 0, 0, 1]);
  const got = dec.decode(readAll(input));
  assert.equal(got, 'ping from node');
  output.blockingWriteAndFlush(enc.encode(got.toUpperCase()));
  conn[Symbol.dispose]();
  l[Symbol.dispose]();
  const [msg] = await reply;
  assert.deepEqual(msg, { id: 1, received: 'PING FROM NODE' });
});

test('udp: bind, stream, round trip, connected stream', () => {
  const u = createUdpSocket('ipv4');
  assert.throws(() => u.stream(null), code('invalid-state'));
  assert.throws(() => u.localAddress(), code('invalid-state'));
  u.startBind(network, v4(0));
  u.finishBind();
  assert.throws(() => u.finishBind(), code('not-in-progress'));
  assert.throws(() => u.startBind(network, v4(0)), code('invalid-state'));
  assert.ok(u.localAddress().value.port > 0);
  assert.throws(() => u.remoteAddress(), code('invalid-state'));
  let [incoming, outgoing] = u.stream(null);
  assert.equal(outgoing.checkSend() > 0n, true);
  assert.throws(() => outgoing.send([{ data: enc.encode('x'), remoteAddress: null }]), code('invalid-argument'));
  assert.throws(() => outgoing.send([{ data: new Uint8Array(70_000), remoteAddress: v4(ports.udp) }]), code('datagram-too-large'));
  assert.equal(outgoing.send([{ data: enc.encode('ping'), remoteAddress: v4(ports.udp) }]), 1n);
  incoming.subscribe().block();
  const [d] = incoming.receive(10n);
  assert.equal(dec.decode(d.data), 'PING');
  assert.deepEqual(d.remoteAddress, v4(ports.udp));
  [incoming, outgoing] = u.stream(v4(ports.udp));
  assert.deepEqual(u.remoteAddress(), v4(ports.udp));
  outgoing.checkSend();
  assert.throws(() => outgoing.send([{ data: enc.encode('x'), remoteAddress: v4(ports.udp + 1) }]), code('invalid-argument'));
  assert.equal(outgoing.send([{ data: enc.encode('connected'), remoteAddress: null }, { data: enc.encode('two'), remoteAddress: null }]), 2n);
  const got = [];
  while (got.length < 2) {
    incoming.subscribe().block();
    got.push(...incoming.receive(10n).map((x) => dec.decode(x.data)));
  }
  assert.deepEqual(got, ['CONNECTED', 'TWO']);
  assert.throws(() => u.setUnicastHopLimit(0), code('invalid-argument'));
  u.setUnicastHopLimit(10);
  assert.equal(u.unicastHopLimit(), 10);
  u[Symbol.dispose]();
});

test('ip-name-lookup: localhost, literals, bad and unknown names', () => {
  const drain = (stream) => {
    const out = [];
    for (;;) {
      let a;
      try {
        a = stream.resolveNextAddress();
      } catch (e) {
        if (e.payload !== 'would-block') throw e;
        stream.subscribe().block();
        continue;
      }
      if (a === null) return out;
      out.push(a);
    }
  };
  const local = drain(resolveAddresses(network, 'localhost'));
  assert.ok(local.length > 0);
  assert.ok(local.every((a) => (a.tag === 'ipv4' ? a.value[0] === 127 : a.value.join() === '0,0,0,0,0,0,0,1')));
  assert.deepEqual(drain(resolveAddresses(network, '10.0.0.1')), [{ tag: 'ipv4', value: [10, 0, 0, 1] }]);
  assert.throws(() => resolveAddresses(network, ''), code('invalid-argument'));
  assert.throws(() => resolveAddresses(network, 'a b'), code('invalid-argument'));
  assert.throws(() => drain(resolveAddresses(network, 'no-such-host.invalid')), (e) => ['name-unresolvable', 'temporary-resolver-failure', 'permanent-resolver-failure', 'unknown'].includes(e.payload));
});

test('tcp over IPv6 loopback (skipped without ::1)', (t) => {
  const l = createTcpSocket('ipv6');
  try {
    l.startBind(network, v6(0));
    l.finishBind();
  } catch (e) {
    l[Symbol.dispose]();
    return t.skip(`no ::1 here (${e.payload})`);
  }
  assert.throws(() => l.startBind(network, v4(0)), code('invalid-state'));
  l.startListen();
  l.finishListen();
  const { port } = l.localAddress().value;
  const { s, output } = connect(port, 'ipv6');
  assert.deepEqual(s.remoteAddress(), v6(port));
  const [conn, input] = finish(l, 'accept');
  output.blockingWriteAndFlush(enc.encode('over v6'));
  s.shutdown('send');
  assert.equal(dec.decode(readAll(input)), 'over v6');
  assert.equal(conn.addressFamily(), 'ipv6');
  conn[Symbol.dispose]();
  s[Symbol.dispose]();
  l[Symbol.dispose]();
});
