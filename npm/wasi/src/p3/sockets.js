// wasi:sockets@0.3 without network access, like the 0.2 shim: `tcp-socket.create` and
// `udp-socket.create` fail with `not-supported`; `resolve-addresses` fails with
// `access-denied`, except IPv4 and IPv6 literals, which resolve to themselves without
// the network (as the spec requires). No socket object can exist, but the classes are
// complete so every method has a typed answer.
import { parseIpLiteral } from '../shared/ip.js';

/** @param {string} tag @returns {never} */
function denied(tag) {
  throw Object.assign(new Error(`wasi:sockets: ${tag} (no network access in this host)`), { payload: { tag } });
}

const TCP_RESULTS = [
  'bind', 'listen', 'getLocalAddress', 'getRemoteAddress', 'setListenBacklogSize',
  'getKeepAliveEnabled', 'setKeepAliveEnabled', 'getKeepAliveIdleTime', 'setKeepAliveIdleTime',
  'getKeepAliveInterval', 'setKeepAliveInterval', 'getKeepAliveCount', 'setKeepAliveCount',
  'getHopLimit', 'setHopLimit', 'getReceiveBufferSize', 'setReceiveBufferSize',
  'getSendBufferSize', 'setSendBufferSize',
];
const UDP_RESULTS = [
  'bind', 'connect', 'disconnect', 'getLocalAddress', 'getRemoteAddress', 'getUnicastHopLimit',
  'setUnicastHopLimit', 'getReceiveBufferSize', 'setReceiveBufferSize', 'getSendBufferSize',
  'setSendBufferSize',
];

/** `wasi:sockets/types.tcp-socket`. */
export class TcpSocket {
  /** @param {string} _family @returns {TcpSocket} */
  static create(_family) {
    return denied('not-supported');
  }
  async connect() {
    denied('invalid-state');
  }
  /** @param {ReadableStream<Uint8Array>} data */
  send(data) {
    void data.cancel?.().catch(() => {});
    return Promise.resolve({ tag: 'err', value: { tag: 'invalid-state' } });
  }
  receive() {
    return [[], Promise.resolve({ tag: 'err', value: { tag: 'invalid-state' } })];
  }
  getIsListening() {
    return false;
  }
  getAddressFamily() {
    return 'ipv4';
  }
}

/** `wasi:sockets/types.udp-socket`. */
export class UdpSocket {
  /** @param {string} _family @returns {UdpSocket} */
  static create(_family) {
    return denied('not-supported');
  }
  async send() {
    denied('invalid-state');
  }
  async receive() {
    denied('invalid-state');
  }
  getAddressFamily() {
    return 'ipv4';
  }
}

for (const m of TCP_RESULTS) Object.defineProperty(TcpSocket.prototype, m, { value: () => denied('invalid-state'), writable: true, configurable: true });
for (const m of UDP_RESULTS) Object.defineProperty(UdpSocket.prototype, m, { value: () => denied('invalid-state'), writable: true, configurable: true });

/** The `sockets/*` interfaces (0.3) of a host without network access. */
export function deniedSockets() {
  return {
    'sockets/types': { TcpSocket, UdpSocket },
    'sockets/ip-name-lookup': {
      /** @param {string} name */
      async resolveAddresses(name) {
        const ip = parseIpLiteral(name);
        if (ip === null) denied('access-denied');
        return [ip];
      },
    },
  };
}
