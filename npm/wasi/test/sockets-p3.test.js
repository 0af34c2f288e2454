// wasi:sockets@0.3 from JS: the node shim with `network: true` (TCP over node:net, UDP
// over node:dgram, ip-name-lookup over node:dns) against node-side peers on 127.0.0.1,
// and the denials of the browser shim and of node without `network`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { wasiImports as nodeImports } from '../src/p3-node.js';
import { wasiImports as browserImports } from '../src/p3-browser.js';
import { lookupErrorCode, socketErrorCode } from '../src/shared/socket-errors.js';

const V = '@0.3.0';
const errTag = (tag) => (e) => e.payload?.tag === tag;
const v4 = (port, address = [127, 0, 0, 1]) => ({ tag: 'ipv4', value: { port, address } });
const v6 = (port, address = [0, 0, 0, 0, 0, 0, 0, 1]) => ({ tag: 'ipv6', value: { port, flowInfo: 0, address, scopeId: 0 } });
const enc = new TextEncoder();
const dec = new TextDecoder();

async function collect(iterable) {
  const parts = [];
  for await (const c of iterable) parts.push(dec.decode(c, { stream: true }));
  return parts.join('');
}

/** Reads the whole stream; resolves with the text. */
async function withServer(handler, fn) {
  const server = net.createServer({ allowHalfOpen: true }, handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn(server.address().port);
  } finally {
    server.close();
  }
}

for (const [name, make] of [
  ['browser', () => browserImports()],
  ['node without network', () => nodeImports()],
]) {
  test(`${name}: sockets are denied with the spec's error codes`, async () => {
    const imports = make();
    const { TcpSocket, UdpSocket } = imports[`wasi:sockets/types${V}`];
    assert.throws(() => TcpSocket.create('ipv4'), errTag('not-supported'));
    assert.throws(() => TcpSocket.create('ipv6'), errTag('not-supported'));
    assert.throws(() => UdpSocket.create('ipv4'), errTag('not-supported'));
    assert.throws(() => TcpSocket.prototype.bind.call(null, v4(0)), errTag('invalid-state'));
    assert.throws(() => TcpSocket.prototype.listen.call(null), errTag('invalid-state'));
    await assert.rejects(TcpSocket.prototype.connect.call(null, v4(80)), errTag('invalid-state'));
    await assert.rejects(UdpSocket.prototype.send.call(null, new Uint8Array(1), null), errTag('invalid-state'));
    await assert.rejects(UdpSocket.prototype.receive.call(null), errTag('invalid-state'));
    const lookup = imports[`wasi:sockets/ip-name-lookup${V}`];
    await assert.rejects(lookup.resolveAddresses('localhost'), errTag('access-denied'));
    assert.deepEqual(await lookup.resolveAddresses('10.1.2.3'), [{ tag: 'ipv4', value: [10, 1, 2, 3] }]);
    assert.deepEqual(await lookup.resolveAddresses('::1'), [{ tag: 'ipv6', value: [0, 0, 0, 0, 0, 0, 0, 1] }]);
  });
}

const imports = nodeImports({ network: true });
const { TcpSocket, UdpSocket } = imports[`wasi:sockets/types${V}`];
const { resolveAddresses } = imports[`wasi:sockets/ip-name-lookup${V}`];

test('node: tcp connect, send (FIN at the end of the stream), receive until the peer FIN', async () => {
  await withServer(
    (s) => s.pipe(s),
    async (port) => {
      const sock = TcpSocket.create('ipv4');
      assert.throws(() => sock.getLocalAddress(), errTag('invalid-state'));
      assert.throws(() => sock.getRemoteAddress(), errTag('invalid-state'));
      await sock.connect(v4(port));
      assert.deepEqual(sock.getRemoteAddress(), v4(port));
      assert.deepEqual(sock.getLocalAddress().value.address, [127, 0, 0, 1]);
      await assert.rejects(sock.connect(v4(port)), errTag('invalid-state'));
      assert.throws(() => sock.listen(), errTag('invalid-state'));
      const sent = sock.send(new ReadableStream({ start: (c) => (c.enqueue(enc.encode('abc')), c.enqueue(enc.encode('def')), c.close()) }));
      const [data, done] = sock.receive();
      assert.equal(await collect(data), 'abcdef');
      assert.deepEqual(await sent, { tag: 'ok', value: undefined });
      assert.deepEqual(await done, { tag: 'ok', value: undefined });
      assert.deepEqual(await sock.send([]), { tag: 'err', value: { tag: 'invalid-state' } });
      assert.deepEqual(await sock.receive()[1], { tag: 'err', value: { tag: 'invalid-state' } });
      sock[Symbol.dispose]();
    },
  );
});

test('node: tcp options: keep-alive applied, others stored, zero is invalid-argument', async () => {
  const sock = TcpSocket.create('ipv4');
  assert.equal(sock.getKeepAliveEnabled(), false);
  sock.setKeepAliveEnabled(true);
  assert.equal(sock.getKeepAliveEnabled(), true);
  sock.setKeepAliveIdleTime(1_500_000_000n);
  assert.equal(sock.getKeepAliveIdleTime(), 2_000_000_000n);
  for (const [set, zero] of [['setKeepAliveIdleTime', 0n], ['setKeepAliveInterval', 0n], ['setKeepAliveCount', 0], ['setHopLimit', 0], ['setReceiveBufferSize', 0n], ['setSendBufferSize', 0n], ['setListenBacklogSize', 0n]]) {
    assert.throws(() => sock[set](zero), errTag('invalid-argument'), set);
  }
  sock.setHopLimit(10);
  assert.equal(sock.getHopLimit(), 10);
  assert.equal(sock.getAddressFamily(), 'ipv4');
  sock[Symbol.dispose]();
});

test('node: tcp connect errors: refused, wrong family, unspecified, port 0, mapped IPv6', async () => {
  const probe = TcpSocket.create('ipv4');
  probe.bind(v4(0));
  const port = probe.getLocalAddress().value.port;
  probe[Symbol.dispose]();
  const refused = TcpSocket.create('ipv4');
  await assert.rejects(refused.connect(v4(port)), errTag('connection-refused'));
  await assert.rejects(refused.connect(v4(port)), errTag('invalid-state'));
  await assert.rejects(TcpSocket.create('ipv6').connect(v4(port)), errTag('invalid-argument'));
  await assert.rejects(TcpSocket.create('ipv4').connect(v4(port, [0, 0, 0, 0])), errTag('invalid-argument'));
  await assert.rejects(TcpSocket.create('ipv4').connect(v4(0)), errTag('invalid-argument'));
  await assert.rejects(TcpSocket.create('ipv6').connect(v6(80, [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1])), errTag('invalid-argument'));
  assert.throws(() => TcpSocket.create('ipv4').bind(v4(0, [224, 0, 0, 1])), errTag('invalid-argument'));
  assert.throws(() => TcpSocket.create('ipx'), errTag('not-supported'));
});

test('node: tcp bind, listen (a stream of accepted sockets), address-in-use, bound then connect', async () => {
  const server = TcpSocket.create('ipv4');
  server.bind(v4(0));
  assert.throws(() => server.bind(v4(0)), errTag('invalid-state'));
  const incoming = server.listen();
  assert.equal(server.getIsListening(), true);
  const port = server.getLocalAddress().value.port;
  const clash = TcpSocket.create('ipv4');
  assert.throws(() => {
    clash.bind(v4(port));
    clash.listen();
  }, errTag('address-in-use'));
  clash[Symbol.dispose]();

  const client = TcpSocket.create('ipv4');
  client.bind(v4(0));
  const clientPort = client.getLocalAddress().value.port;
  const connected = client.connect(v4(port));
  const { value: accepted } = await incoming[Symbol.asyncIterator]().next();
  await connected;
  assert.equal(accepted.getRemoteAddress().value.port, clientPort);
  assert.deepEqual(client.getLocalAddress(), v4(clientPort));
  assert.equal(accepted.getIsListening(), false);
  const [fromClient, clientDone] = accepted.receive();
  const sent = client.send([enc.encode('hello')]);
  assert.deepEqual(await sent, { tag: 'ok', value: undefined });
  assert.equal(await collect(fromClient), 'hello');
  assert.deepEqual(await clientDone, { tag: 'ok', value: undefined });
  const [back, backDone] = client.receive();
  assert.deepEqual(await accepted.send([enc.encode('HELLO')]), { tag: 'ok', value: undefined });
  assert.equal(await collect(back), 'HELLO');
  assert.deepEqual(await backDone, { tag: 'ok', value: undefined });
  accepted[Symbol.dispose]();
  client[Symbol.dispose]();
  await incoming.return();
  server[Symbol.dispose]();
});

test('node: tcp receive reports a reset as connection-reset', async () => {
  await withServer(
    (s) => s.once('data', () => s.resetAndDestroy()),
    async (port) => {
      const sock = TcpSocket.create('ipv4');
      await sock.connect(v4(port));
      const [data, done] = sock.receive();
      void sock.send(new ReadableStream({ start: (c) => c.enqueue(enc.encode('x')) }));
      await collect(data);
      assert.deepEqual(await done, { tag: 'err', value: { tag: 'connection-reset' } });
      sock[Symbol.dispose]();
    },
  );
});

test('node: tcp over IPv6 loopback', async (t) => {
  const server = TcpSocket.create('ipv6');
  try {
    server.bind(v6(0));
  } catch (e) {
    if (e.payload?.tag === 'address-not-bindable' || e.payload?.tag === 'not-supported') return t.skip('no IPv6 loopback');
    throw e;
  }
  const incoming = server.listen()[Symbol.asyncIterator]();
  const port = server.getLocalAddress().value.port;
  const client = TcpSocket.create('ipv6');
  await client.connect(v6(port));
  const { value: accepted } = await incoming.next();
  assert.deepEqual(accepted.getRemoteAddress().value.address, [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(client.getRemoteAddress().tag, 'ipv6');
  accepted[Symbol.dispose]();
  client[Symbol.dispose]();
  await incoming.return();
  server[Symbol.dispose]();
});

test('node: udp bind, send, receive with the sender, connect filters, disconnect, errors', async () => {
  const peer = dgram.createSocket('udp4');
  peer.on('message', (m, r) => peer.send(Buffer.from(m.toString().toUpperCase()), r.port, r.address));
  await new Promise((r) => peer.bind(0, '127.0.0.1', r));
  const peerAddr = v4(peer.address().port);
  try {
    const sock = UdpSocket.create('ipv4');
    await assert.rejects(sock.receive(), errTag('invalid-state'));
    await assert.rejects(sock.send(enc.encode('x'), null), errTag('invalid-argument'));
    sock.bind(v4(0));
    assert.throws(() => sock.bind(v4(0)), errTag('invalid-state'));
    const local = sock.getLocalAddress();
    assert.notEqual(local.value.port, 0);
    await sock.send(enc.encode('ping'), peerAddr);
    const [data, from] = await sock.receive();
    assert.equal(dec.decode(data), 'PING');
    assert.deepEqual(from, peerAddr);

    // Connected: datagrams from other senders are dropped.
    const other = dgram.createSocket('udp4');
    await new Promise((r) => other.bind(0, '127.0.0.1', r));
    sock.connect(peerAddr);
    await new Promise((r) => other.send('noise', local.value.port, '127.0.0.1', r));
    await sock.send(enc.encode('pong'), null);
    assert.equal(dec.decode((await sock.receive())[0]), 'PONG');
    other.close();
    await assert.rejects(sock.send(enc.encode('x'), v4(9)), errTag('invalid-argument'));
    sock.disconnect();
    assert.throws(() => sock.disconnect(), errTag('invalid-state'));
    assert.throws(() => sock.getRemoteAddress(), errTag('invalid-state'));
    await assert.rejects(sock.send(new Uint8Array(70000), peerAddr), errTag('datagram-too-large'));
    sock.setUnicastHopLimit(5);
    assert.equal(sock.getUnicastHopLimit(), 5);
    assert.ok(sock.getReceiveBufferSize() > 0n);
    sock[Symbol.dispose]();

    const clash = UdpSocket.create('ipv4');
    assert.throws(() => clash.bind(peerAddr), errTag('address-in-use'));
  } finally {
    peer.close();
  }
});

test('node: ip-name-lookup over node:dns', async () => {
  const local = await resolveAddresses('localhost');
  assert.ok(local.some((a) => (a.tag === 'ipv4' && a.value[0] === 127) || (a.tag === 'ipv6' && a.value.join() === '0,0,0,0,0,0,0,1')), JSON.stringify(local));
  assert.deepEqual(await resolveAddresses('192.168.0.1'), [{ tag: 'ipv4', value: [192, 168, 0, 1] }]);
  await assert.rejects(resolveAddresses(''), errTag('invalid-argument'));
  await assert.rejects(resolveAddresses('a b'), errTag('invalid-argument'));
  await assert.rejects(resolveAddresses('no-such-host.invalid'), (e) => ['name-unresolvable', 'temporary-resolver-failure'].includes(e.payload?.tag));
});

test('errno names map to error-code variants', () => {
  const tag = (code) => socketErrorCode({ code });
  assert.deepEqual(tag('ECONNREFUSED'), { tag: 'connection-refused' });
  assert.deepEqual(tag('ECONNRESET'), { tag: 'connection-reset' });
  assert.deepEqual(tag('EPIPE'), { tag: 'connection-broken' });
  assert.deepEqual(tag('EADDRINUSE'), { tag: 'address-in-use' });
  assert.deepEqual(tag('EADDRNOTAVAIL'), { tag: 'address-not-bindable' });
  assert.deepEqual(tag('ENETUNREACH'), { tag: 'remote-unreachable' });
  assert.deepEqual(tag('ETIMEDOUT'), { tag: 'timeout' });
  assert.deepEqual(tag('EACCES'), { tag: 'access-denied' });
  assert.deepEqual(tag('EMSGSIZE'), { tag: 'datagram-too-large' });
  assert.deepEqual(tag('EWHATEVER'), { tag: 'other', value: 'EWHATEVER' });
  assert.deepEqual(socketErrorCode(-98), { tag: 'address-in-use' });
  assert.deepEqual(lookupErrorCode({ code: 'ENOTFOUND' }), { tag: 'name-unresolvable' });
  assert.deepEqual(lookupErrorCode({ code: 'EAI_AGAIN' }), { tag: 'temporary-resolver-failure' });
  assert.deepEqual(lookupErrorCode({ code: 'EAI_FAIL' }), { tag: 'permanent-resolver-failure' });
  assert.deepEqual(lookupErrorCode({ code: 'ESERVFAIL' }), { tag: 'other', value: 'ESERVFAIL' });
});

test('node: concurrent udp receives each get a datagram', async () => {
  const a = UdpSocket.create('ipv4');
  a.bind(v4(0));
  const b = UdpSocket.create('ipv4');
  const first = a.receive();
  const second = a.receive();
  await b.send(enc.encode('one'), a.getLocalAddress());
  await b.send(enc.encode('two'), a.getLocalAddress());
  const got = (await Promise.all([first, second])).map(([d]) => dec.decode(d)).sort();
  assert.deepEqual(got, ['one', 'two']);
  // b was bound implicitly (to 0.0.0.0 and a free port) by its first send.
  assert.equal((await first)[1].value.port, b.getLocalAddress().value.port);
  a[Symbol.dispose]();
  b[Symbol.dispose]();
});

test('node: tcp bind reports address-in-use itself (libuv would report it at listen)', () => {
  for (const any of [false, true]) {
    const first = TcpSocket.create('ipv4');
    first.bind(any ? v4(0, [0, 0, 0, 0]) : v4(0));
    const incoming = first.listen();
    const taken = first.getLocalAddress();
    const second = TcpSocket.create('ipv4');
    assert.throws(() => second.bind(taken), errTag('address-in-use'));
    // The failed bind left the socket unbound: it may bind elsewhere.
    second.bind(v4(0));
    second[Symbol.dispose]();
    void incoming.return();
    first[Symbol.dispose]();
  }
});

test('node: dropping the stream of accepted sockets leaves the socket listening', async () => {
  const server = TcpSocket.create('ipv4');
  server.bind(v4(0));
  await server.listen().return();
  assert.equal(server.getIsListening(), true);
  const addr = server.getLocalAddress();
  assert.notEqual(addr.value.port, 0);
  const clash = TcpSocket.create('ipv4');
  assert.throws(() => clash.bind(addr), errTag('address-in-use'));
  server[Symbol.dispose]();
  // Dropping the socket frees its address.
  await new Promise((r) => setTimeout(r, 10));
  clash.bind(addr);
  clash[Symbol.dispose]();
});

test('node: udp bind holds its address at once: a second bind is address-in-use', () => {
  const first = UdpSocket.create('ipv4');
  first.bind(v4(0));
  const second = UdpSocket.create('ipv4');
  assert.throws(() => second.bind(first.getLocalAddress()), errTag('address-in-use'));
  first[Symbol.dispose]();
  second[Symbol.dispose]();
});

test('node: udp connect gives an unspecified local address the interface it routes through', async () => {
  const server = UdpSocket.create('ipv4');
  server.bind(v4(0));
  const serverAddr = server.getLocalAddress();
  const client = UdpSocket.create('ipv4');
  client.bind(v4(0, [0, 0, 0, 0]));
  const port = client.getLocalAddress().value.port;
  client.connect(serverAddr);
  // As getsockname(2) after connect(2): loopback, same port.
  assert.deepEqual(client.getLocalAddress(), v4(port));
  await client.send(enc.encode('hi'), null);
  const [data, from] = await server.receive();
  assert.equal(dec.decode(data), 'hi');
  assert.deepEqual(from, client.getLocalAddress());
  client.disconnect();
  assert.deepEqual(client.getLocalAddress(), v4(port, [0, 0, 0, 0]));
  // An unbound socket is bound by connect, then reports the routed address too.
  const implicit = UdpSocket.create('ipv4');
  implicit.connect(serverAddr);
  assert.deepEqual(implicit.getLocalAddress().value.address, [127, 0, 0, 1]);
  // A socket bound to a specific address keeps it.
  const bound = UdpSocket.create('ipv4');
  bound.bind(v4(0));
  const before = bound.getLocalAddress();
  bound.connect(serverAddr);
  assert.deepEqual(bound.getLocalAddress(), before);
  for (const s of [server, client, implicit, bound]) s[Symbol.dispose]();
});
