// wasi:sockets@0.2 without network access: creating a socket fails with
// `not-supported`; resolving a name fails with `access-denied`, except IPv4 and IPv6
// literals, which the spec says resolve to themselves without the network. No socket
// object can exist, but the classes are complete so every call has a typed answer.
import { Pollable } from './io.js';

function denied(/** @type {string} */ code) {
  throw Object.assign(new Error(`wasi:sockets: ${code} (no network access in this host)`), { payload: code });
}

/** `wasi:sockets/network.network`. */
export class Network {}

class Socket {
  subscribe() {
    return new Pollable();
  }
  addressFamily() {
    return 'ipv4';
  }
}

const TCP_RESULTS = [
  'startBind', 'finishBind', 'startConnect', 'finishConnect', 'startListen', 'finishListen',
  'accept', 'localAddress', 'remoteAddress', 'setListenBacklogSize', 'keepAliveEnabled',
  'setKeepAliveEnabled', 'keepAliveIdleTime', 'setKeepAliveIdleTime', 'keepAliveInterval',
  'setKeepAliveInterval', 'keepAliveCount', 'setKeepAliveCount', 'hopLimit', 'setHopLimit',
  'receiveBufferSize', 'setReceiveBufferSize', 'sendBufferSize', 'setSendBufferSize', 'shutdown',
];
const UDP_RESULTS = [
  'startBind', 'finishBind', 'stream', 'localAddress', 'remoteAddress', 'unicastHopLimit',
  'setUnicastHopLimit', 'receiveBufferSize', 'setReceiveBufferSize', 'sendBufferSize',
  'setSendBufferSize',
];

/** `wasi:sockets/tcp.tcp-socket`. */
export class TcpSocket extends Socket {
  isListening() {
    return false;
  }
}
/** `wasi:sockets/udp.udp-socket`. */
export class UdpSocket extends Socket {}
/** `wasi:sockets/udp.incoming-datagram-stream`. */
export class IncomingDatagramStream extends Socket {
  receive() {
    denied('invalid-state');
  }
}
/** `wasi:sockets/udp.outgoing-datagram-stream`. */
export class OutgoingDatagramStream extends Socket {
  checkSend() {
    denied('invalid-state');
  }
  send() {
    denied('invalid-state');
  }
}
for (const m of TCP_RESULTS) Object.defineProperty(TcpSocket.prototype, m, { value: () => denied('not-supported'), writable: true, configurable: true });
for (const m of UDP_RESULTS) Object.defineProperty(UdpSocket.prototype, m, { value: () => denied('not-supported'), writable: true, configurable: true });

/** `wasi:sockets/ip-name-lookup.resolve-address-stream` over a fixed list. */
export class ResolveAddressStream {
  /** @param {object[]} addresses */
  constructor(addresses) {
    this.addresses = addresses;
  }
  resolveNextAddress() {
    return this.addresses.shift() ?? null;
  }
  subscribe() {
    return new Pollable();
  }
}

/**
 * The options a new TCP socket reports before the guest sets any, in the WASI 0.2 and
 * 0.3 node shims alike (accepted sockets inherit their listener's).
 */
export function defaultTcpOptions() {
  return {
    keepAlive: false,
    keepAliveIdle: 7200_000_000_000n,
    keepAliveInterval: 75_000_000_000n,
    keepAliveCount: 9,
    hopLimit: 64,
    receiveBufferSize: 131072n,
    sendBufferSize: 16384n,
  };
}

/** An `ip-address` for an IPv4 or IPv6 literal, else null. */
export function parseIpLiteral(/** @type {string} */ name) {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.every((n) => n <= 255)) return { tag: 'ipv4', value: parts };
    return null;
  }
  if (!name.includes(':') || !/^[0-9a-fA-F:]+$/.test(name)) return null;
  const halves = name.split('::');
  if (halves.length > 2) return null;
  const groups = (/** @type {string} */ s) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return null;
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return { tag: 'ipv6', value: all.map((g) => parseInt(g, 16)) };
}

/** The `sockets/*` interfaces of a host without network access. */
export function deniedSockets() {
  const network = new Network();
  return {
    'sockets/network': { Network },
    'sockets/instance-network': { instanceNetwork: () => network },
    'sockets/tcp': { TcpSocket },
    'sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    'sockets/tcp-create-socket': { createTcpSocket: () => denied('not-supported') },
    'sockets/udp-create-socket': { createUdpSocket: () => denied('not-supported') },
    'sockets/ip-name-lookup': {
      ResolveAddressStream,
      resolveAddresses(/** @type {Network} */ _network, /** @type {string} */ name) {
        const ip = parseIpLiteral(name);
        if (ip === null) denied('access-denied');
        return new ResolveAddressStream([ip]);
      },
    },
  };
}
