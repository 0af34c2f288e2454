// wasi:sockets@0.2 without network access: creating a socket fails with
// `not-supported`; resolving a name fails with `access-denied`, except IPv4 and IPv6
// literals, which the spec says resolve to themselves without the network. No socket
// object can exist, but the classes are complete so every call has a typed answer.
import { parseIpLiteral } from '../shared/ip.js';
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
