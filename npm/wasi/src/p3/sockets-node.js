// wasi:sockets@0.3 for node: `tcp-socket` over node:net, `udp-socket` over node:dgram,
// `ip-name-lookup` over node:dns. Used by node.js when `wasiImports({ network: true })`
// (otherwise node denies like browsers, see sockets.js).
//
// WIT's `bind` and `listen` are synchronous, node's are not, so binding uses libuv's
// handles directly (`process.binding('tcp_wrap')` / `('udp_wrap')`, which bind and
// listen synchronously and return errno codes): a bound TCP handle becomes the
// `net.Server`'s handle at `listen`, or is closed just before `net.connect` reuses its
// address as `localAddress`/`localPort`. A UDP bind binds a `udp_wrap` handle (so
// errors and the chosen port are known at once) and hands it to a `dgram` socket.
// UDP `connect` is emulated: the address becomes the default destination, `receive`
// drops datagrams from other senders, and the local address is the one connect(2)
// would give (found with a probe socket).
import { asciiDomainName } from '../shared/domain-name.js';
import { hostOf, isNotUnicast, isUnspecified, isV4Mapped, lookupAddresses, parseIpLiteral, sameAddress, socketAddress } from '../shared/ip.js';
import { UV_TCP_IPV6ONLY, UV_UDP_IPV6ONLY, uvTcp, uvUdp } from '../shared/libuv.js';
import { lookupErrorCode, socketErrorCode } from '../shared/socket-errors.js';
import { defaultTcpOptions } from '../shared/tcp-options.js';
import { drain, err, failedSource, OK, pullSource, refuse } from './streams.js';

// node:net, node:dgram and node:dns/promises are loaded where first used, not with this
// module: a program that opens no socket does not pay for them at start-up.
/** @returns {typeof import('node:net')} */
const nodeNet = () => process.getBuiltinModule('node:net');

/** @typedef {import('../shared/ip.js').SocketAddress} SocketAddress */

/** @param {string} tag @param {unknown} [value] @returns {never} */
function fail(tag, value) {
  const payload = value === undefined ? { tag } : { tag, value };
  throw Object.assign(new Error(`wasi:sockets: ${tag}${value === undefined ? '' : ` (${value})`}`), { payload });
}

/** Throws the error-code of a node error. @param {unknown} e @returns {never} */
function failWith(e) {
  const code = socketErrorCode(e);
  throw Object.assign(new Error(`wasi:sockets: ${code.tag} (${/** @type {any} */ (e)?.message ?? e})`), { payload: code });
}

// ---- addresses ----

/** The checks shared by bind, connect and send. @param {string} family @param {SocketAddress} a @param {boolean} remote */
function checkAddress(family, a, remote) {
  if (a?.tag !== family) fail('invalid-argument', 'wrong address family');
  if (isNotUnicast(a) || isV4Mapped(a)) fail('invalid-argument', 'not a unicast address');
  if (remote && (isUnspecified(a) || a.value.port === 0)) fail('invalid-argument', 'unspecified address or port 0');
}

/** @param {string} family */
function anyAddress(family) {
  return family === 'ipv4' ? { tag: 'ipv4', value: { port: 0, address: [0, 0, 0, 0] } } : { tag: 'ipv6', value: { port: 0, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 0], scopeId: 0 } };
}

/** @param {string} family */
function checkFamily(family) {
  if (family !== 'ipv4' && family !== 'ipv6') fail('not-supported');
  return family;
}

/** @param {unknown} v */
function positive(v) {
  if (v === 0 || v === 0n) fail('invalid-argument', 'zero');
  return v;
}

// ---- TCP ----

/**
 * Reads a connected `net.Socket` chunk by chunk (paused between reads): a pull
 * function for `pullSource`, and `stop()` which discards what arrives later.
 * @param {import('node:net').Socket} socket
 */
function socketReader(socket) {
  /** @type {Uint8Array[]} */
  const chunks = [];
  let ended = false;
  /** @type {unknown} */
  let failure = null;
  /** @type {(() => void) | null} */
  let wake = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const onData = (/** @type {Buffer} */ c) => {
    chunks.push(new Uint8Array(c.buffer, c.byteOffset, c.length));
    socket.pause();
    poke();
  };
  const onEnd = () => {
    ended = true;
    poke();
  };
  const onError = (/** @type {unknown} */ e) => {
    failure = e;
    poke();
  };
  socket.on('data', onData);
  socket.pause();
  socket.on('end', onEnd);
  socket.on('error', onError);
  socket.on('close', onEnd);
  const pull = async () => {
    for (;;) {
      if (chunks.length > 0) return /** @type {Uint8Array} */ (chunks.shift());
      if (failure !== null) throw failure;
      if (ended) return null;
      await new Promise((resolve) => {
        wake = () => resolve(undefined);
        socket.resume();
      });
    }
  };
  const stop = () => {
    chunks.length = 0;
    socket.off('data', onData);
    // Like shutdown(SHUT_RD): later data is discarded.
    socket.on('data', () => {});
    socket.resume();
  };
  return { pull, stop };
}

/** `wasi:sockets/types.tcp-socket` over node:net. */
export class TcpSocket {
  /** @type {'ipv4' | 'ipv6'} */
  #family;
  /** @type {'unbound' | 'bound' | 'connecting' | 'connected' | 'listening' | 'closed'} */
  #state = 'unbound';
  /** A bound (and, when listening, listening) libuv TCP handle. @type {any} */
  #handle = null;
  /** @type {import('node:net').Server | null} */
  #server = null;
  /** @type {import('node:net').Socket | null} */
  #socket = null;
  #backlog = 128;
  #options = defaultTcpOptions();
  #sending = false;
  #sendDone = false;
  #receiving = false;
  #receiveDone = false;
  #dropped = false;

  /** @param {'ipv4' | 'ipv6'} family */
  constructor(family) {
    this.#family = family;
  }

  /** @param {string} family @returns {TcpSocket} */
  static create(family) {
    return new TcpSocket(/** @type {'ipv4' | 'ipv6'} */ (checkFamily(family)));
  }

  /** A connected socket from `listen`'s stream. @param {'ipv4' | 'ipv6'} family @param {import('node:net').Socket} socket @param {ReturnType<typeof defaultTcpOptions>} options */
  static accepted(family, socket, options) {
    const s = new TcpSocket(family);
    s.#options = { ...options };
    s.#adopt(socket);
    return s;
  }

  /** @param {import('node:net').Socket} socket */
  #adopt(socket) {
    this.#socket = socket;
    this.#state = 'connected';
    socket.on('error', () => {}); // reported by the reader or writer, if at all
    socket.pause();
    this.#applyKeepAlive();
  }

  #applyKeepAlive() {
    this.#socket?.setKeepAlive(this.#options.keepAlive, Number(this.#options.keepAliveIdle / 1_000_000n));
  }

  /** @param {SocketAddress} local */
  bind(local) {
    if (this.#state !== 'unbound') fail('invalid-state');
    checkAddress(this.#family, local, false);
    this.#bindHandle(local);
  }

  /** @param {SocketAddress} local */
  #bindHandle(local) {
    const { TCP, TCPConstants } = uvTcp();
    const handle = new TCP(TCPConstants.SERVER);
    const host = hostOf(local);
    let code = this.#family === 'ipv4' ? handle.bind(host, local.value.port) : handle.bind6(host, local.value.port, UV_TCP_IPV6ONLY);
    // libuv keeps an `EADDRINUSE` from bind(2) for `listen`/`connect` and reports it
    // from `getsockname` until then; WIT's `bind` reports it itself.
    if (code === 0) code = handle.getsockname({});
    if (code !== 0) {
      handle.close();
      failWith(code);
    }
    this.#handle = handle;
    this.#state = 'bound';
  }

  /** @param {SocketAddress} remote */
  async connect(remote) {
    if (this.#state !== 'unbound' && this.#state !== 'bound') fail('invalid-state');
    checkAddress(this.#family, remote, true);
    /** @type {import('node:net').TcpNetConnectOpts} */
    const opts = { host: hostOf(remote), port: remote.value.port, family: this.#family === 'ipv4' ? 4 : 6, allowHalfOpen: true };
    if (this.#handle !== null) {
      const local = this.#handleAddress();
      this.#handle.close();
      this.#handle = null;
      opts.localAddress = hostOf(local);
      opts.localPort = local.value.port;
    }
    this.#state = 'connecting';
    const socket = nodeNet().connect(opts);
    try {
      await new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
    } catch (e) {
      this.#state = 'closed';
      socket.destroy();
      failWith(e);
    }
    if (this.#dropped) {
      socket.destroy();
      return;
    }
    this.#adopt(socket);
  }

  /** @returns {AsyncIterable<TcpSocket>} */
  listen() {
    if (this.#state !== 'unbound' && this.#state !== 'bound') fail('invalid-state');
    if (this.#handle === null) this.#bindHandle(anyAddress(this.#family));
    const code = this.#handle.listen(this.#backlog);
    if (code !== 0) failWith(code);
    const server = nodeNet().createServer({ allowHalfOpen: true, pauseOnConnect: true });
    /** @type {import('node:net').Socket[]} */
    const queue = [];
    /** @type {(() => void) | null} */
    let wake = null;
    let closed = false;
    server.on('connection', (socket) => {
      if (closed) return void socket.destroy();
      queue.push(socket);
      const w = wake;
      wake = null;
      w?.();
    });
    server.on('error', () => {});
    server.listen(this.#handle, this.#backlog);
    this.#server = server;
    this.#state = 'listening';
    const family = this.#family;
    const options = () => this.#options;
    /** No more accepts: connections queued or arriving later are closed. */
    const stop = () => {
      closed = true;
      for (const s of queue.splice(0)) s.destroy();
      wake?.();
    };
    // Dropping the stream only stops accepting: the socket keeps listening (its address
    // stays taken, `get-local-address` answers) until the socket itself is dropped.
    this.#closeServer = () => {
      stop();
      server.close();
    };
    return {
      async next() {
        for (;;) {
          if (queue.length > 0) return { done: false, value: TcpSocket.accepted(family, /** @type {import('node:net').Socket} */ (queue.shift()), options()) };
          if (closed) return { done: true, value: undefined };
          await new Promise((resolve) => (wake = () => resolve(undefined)));
        }
      },
      async return() {
        stop();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** @type {() => void} */
  #closeServer = () => {};

  /** @param {any} data a `stream<u8>` (ReadableStream) @returns {Promise<{ tag: string, value?: unknown }>} */
  send(data) {
    if (this.#state !== 'connected' || this.#sending) return refuse(data, { tag: 'invalid-state' });
    this.#sending = true;
    const socket = /** @type {import('node:net').Socket} */ (this.#socket);
    const write = (/** @type {Uint8Array} */ chunk) =>
      new Promise((resolve, reject) => {
        if (socket.destroyed || socket.writableEnded) return reject(Object.assign(new Error('connection closed'), { code: 'EPIPE' }));
        socket.write(chunk, (e) => (e ? reject(e) : resolve(undefined)));
      });
    return (async () => {
      let result = await drain(data, write, socketErrorCode);
      if (result.tag === 'ok') {
        // The end of the stream is shutdown(SHUT_WR): a FIN once the data is out.
        result = await new Promise((resolve) => {
          if (socket.destroyed) return resolve(err({ tag: 'connection-broken' }));
          socket.end(() => resolve(OK));
          socket.once('error', (e) => resolve(err(socketErrorCode(e))));
        });
      }
      this.#sendDone = true;
      this.#maybeClose();
      return result;
    })();
  }

  /** @returns {[AsyncIterable<Uint8Array> | Uint8Array[], Promise<{ tag: string, value?: unknown }>]} */
  receive() {
    if (this.#state !== 'connected' || this.#receiving) return failedSource({ tag: 'invalid-state' });
    this.#receiving = true;
    const reader = socketReader(/** @type {import('node:net').Socket} */ (this.#socket));
    return pullSource(reader.pull, socketErrorCode, () => {
      reader.stop();
      this.#receiveDone = true;
      this.#maybeClose();
    });
  }

  /** Closes the connection once the guest dropped the socket and its streams are done. */
  #maybeClose() {
    if (!this.#dropped) return;
    if (this.#sending && !this.#sendDone) return;
    if (this.#receiving && !this.#receiveDone) return;
    this.#socket?.destroy();
  }

  [Symbol.dispose]() {
    this.#dropped = true;
    this.#closeServer();
    this.#handle?.close();
    this.#handle = null;
    if (this.#socket !== null && !this.#sending) this.#socket.end();
    this.#maybeClose();
  }

  #handleAddress() {
    const out = /** @type {{ address: string, port: number }} */ ({});
    const code = this.#handle.getsockname(out);
    if (code !== 0) failWith(code);
    return socketAddress(out.address, out.port);
  }

  getLocalAddress() {
    if (this.#state === 'bound' || this.#state === 'listening') return this.#handleAddress();
    const s = this.#socket;
    if (this.#state !== 'connected' || s === null || s.localAddress === undefined) fail('invalid-state');
    return socketAddress(s.localAddress, /** @type {number} */ (s.localPort));
  }

  getRemoteAddress() {
    const s = this.#socket;
    if (this.#state !== 'connected' || s === null || s.remoteAddress === undefined) fail('invalid-state');
    return socketAddress(s.remoteAddress, /** @type {number} */ (s.remotePort));
  }

  getIsListening() {
    return this.#state === 'listening';
  }

  getAddressFamily() {
    return this.#family;
  }

  /** @param {bigint} value */
  setListenBacklogSize(value) {
    positive(value);
    if (this.#state === 'connecting' || this.#state === 'connected') fail('invalid-state');
    if (this.#state === 'listening') fail('not-supported', 'node cannot change the backlog of a listening socket');
    this.#backlog = Number(value > 0x7fffffffn ? 0x7fffffffn : value);
  }

  getKeepAliveEnabled() {
    return this.#options.keepAlive;
  }

  /** @param {boolean} value */
  setKeepAliveEnabled(value) {
    this.#options.keepAlive = !!value;
    this.#applyKeepAlive();
  }

  getKeepAliveIdleTime() {
    return this.#options.keepAliveIdle;
  }

  /** @param {bigint} value */
  setKeepAliveIdleTime(value) {
    positive(value);
    // Kernels count whole seconds.
    this.#options.keepAliveIdle = ((value + 999_999_999n) / 1_000_000_000n) * 1_000_000_000n;
    this.#applyKeepAlive();
  }

  getKeepAliveInterval() {
    return this.#options.keepAliveInterval;
  }

  /** Stored only: node sets no TCP_KEEPINTVL. @param {bigint} value */
  setKeepAliveInterval(value) {
    this.#options.keepAliveInterval = /** @type {bigint} */ (positive(value));
  }

  getKeepAliveCount() {
    return this.#options.keepAliveCount;
  }

  /** Stored only: node sets no TCP_KEEPCNT. @param {number} value */
  setKeepAliveCount(value) {
    this.#options.keepAliveCount = /** @type {number} */ (positive(value));
  }

  getHopLimit() {
    return this.#options.hopLimit;
  }

  /** Stored only: node sets no IP_TTL on TCP sockets. @param {number} value */
  setHopLimit(value) {
    this.#options.hopLimit = /** @type {number} */ (positive(value));
  }

  getReceiveBufferSize() {
    return this.#options.receiveBufferSize;
  }

  /** Stored only: node sets no SO_RCVBUF on TCP sockets. @param {bigint} value */
  setReceiveBufferSize(value) {
    this.#options.receiveBufferSize = /** @type {bigint} */ (positive(value));
  }

  getSendBufferSize() {
    return this.#options.sendBufferSize;
  }

  /** Stored only: node sets no SO_SNDBUF on TCP sockets. @param {bigint} value */
  setSendBufferSize(value) {
    this.#options.sendBufferSize = /** @type {bigint} */ (positive(value));
  }
}

// ---- UDP ----

const MAX_QUEUED_DATAGRAMS = 1024;

/** `wasi:sockets/types.udp-socket` over node:dgram. */
export class UdpSocket {
  /** @type {'ipv4' | 'ipv6'} */
  #family;
  /** @type {import('node:dgram').Socket | null} */
  #socket = null;
  /** Settles when the dgram socket is bound (rejects with the bind error). @type {Promise<void> | null} */
  #ready = null;
  /** @type {SocketAddress | null} */
  #local = null;
  /** @type {SocketAddress | null} */
  #remote = null;
  /** The local address while connected (see `#connectedLocal`). @type {SocketAddress | null} */
  #connectedAs = null;
  /** @type {{ data: Uint8Array, from: SocketAddress }[]} */
  #queue = [];
  /** Pending `receive` calls waiting for a datagram. @type {(() => void)[]} */
  #waiting = [];
  #hopLimit = 64;
  /** @type {bigint | null} */
  #receiveBufferSize = null;
  /** @type {bigint | null} */
  #sendBufferSize = null;

  /** @param {'ipv4' | 'ipv6'} family */
  constructor(family) {
    this.#family = family;
  }

  /** @param {string} family @returns {UdpSocket} */
  static create(family) {
    return new UdpSocket(/** @type {'ipv4' | 'ipv6'} */ (checkFamily(family)));
  }

  /** @param {SocketAddress} local */
  bind(local) {
    if (this.#local !== null) fail('invalid-state');
    checkAddress(this.#family, local, false);
    this.#bind(local);
  }

  /** Binds synchronously with a libuv handle, which the dgram socket then adopts
   * (`dgram.Socket#bind` takes a bound UDP handle as node's cluster module hands them
   * over), so the address is held from `bind` on. @param {SocketAddress} local */
  #bind(local) {
    const { UDP } = uvUdp();
    const handle = new UDP();
    const host = hostOf(local);
    const code = this.#family === 'ipv4' ? handle.bind(host, local.value.port, 0) : handle.bind6(host, local.value.port, UV_UDP_IPV6ONLY);
    if (code !== 0) {
      handle.close();
      failWith(code);
    }
    const out = /** @type {{ address: string, port: number }} */ ({});
    handle.getsockname(out);
    this.#local = socketAddress(out.address, out.port);
    const socket = process.getBuiltinModule('node:dgram').createSocket(this.#family === 'ipv4' ? { type: 'udp4' } : { type: 'udp6', ipv6Only: true });
    socket.on('message', (msg, rinfo) => {
      if (this.#queue.length >= MAX_QUEUED_DATAGRAMS) return; // a full receive buffer drops datagrams
      this.#queue.push({ data: new Uint8Array(msg.buffer, msg.byteOffset, msg.length), from: socketAddress(rinfo.address, rinfo.port) });
      for (const w of this.#waiting.splice(0)) w();
    });
    socket.on('error', () => {});
    this.#socket = socket;
    this.#ready = new Promise((resolve, reject) => {
      try {
        socket.bind(handle, () => resolve(undefined));
      } catch (e) {
        reject(e);
      }
    });
    this.#ready.then(() => this.#applyOptions(), () => {});
  }

  /**
   * The local address a connected socket reports: the bound one, or, when that is
   * unspecified, the interface the system routes `remote` through (what getsockname
   * says after connect(2)), found by connecting a probe socket; a remote the system
   * cannot reach fails as connect(2) does (e.g. `remote-unreachable`).
   * @param {SocketAddress} remote
   */
  #connectedLocal(remote) {
    const local = /** @type {SocketAddress} */ (this.#local);
    if (!isUnspecified(local)) return local;
    const { UDP } = uvUdp();
    const probe = new UDP();
    try {
      const code = this.#family === 'ipv4' ? probe.connect(hostOf(remote), remote.value.port) : probe.connect6(hostOf(remote), remote.value.port);
      if (code !== 0) failWith(code);
      const out = /** @type {{ address: string, port: number }} */ ({});
      const c = probe.getsockname(out);
      if (c !== 0) failWith(c);
      return socketAddress(out.address, local.value.port);
    } finally {
      probe.close();
    }
  }

  #applyOptions() {
    const s = this.#socket;
    if (s === null) return;
    try {
      s.setTTL(this.#hopLimit);
      if (this.#receiveBufferSize !== null) s.setRecvBufferSize(Number(this.#receiveBufferSize));
      if (this.#sendBufferSize !== null) s.setSendBufferSize(Number(this.#sendBufferSize));
    } catch {
      // not bound yet, or the kernel refused: the stored values stay
    }
  }

  /** @param {SocketAddress} remote */
  connect(remote) {
    checkAddress(this.#family, remote, true);
    if (this.#local === null) this.#bind(anyAddress(this.#family));
    // As connect(2) on a connected socket: disconnected first, so a failure leaves it so.
    this.#remote = null;
    this.#connectedAs = null;
    this.#connectedAs = this.#connectedLocal(remote);
    this.#remote = remote;
  }

  disconnect() {
    if (this.#remote === null) fail('invalid-state');
    this.#remote = null;
    this.#connectedAs = null;
  }

  /** @param {Uint8Array} data @param {SocketAddress | null} remote */
  async send(data, remote) {
    let to = this.#remote;
    if (remote !== null && remote !== undefined) {
      checkAddress(this.#family, remote, true);
      if (to !== null && !sameAddress(to, remote)) fail('invalid-argument', 'not the connected address');
      to = remote;
    }
    if (to === null) fail('invalid-argument', 'no remote address');
    if (this.#local === null) this.#bind(anyAddress(this.#family));
    const socket = /** @type {import('node:dgram').Socket} */ (this.#socket);
    try {
      await this.#ready;
      await new Promise((resolve, reject) => socket.send(data, to.value.port, hostOf(to), (e) => (e ? reject(e) : resolve(undefined))));
    } catch (e) {
      failWith(e);
    }
  }

  async receive() {
    if (this.#local === null) fail('invalid-state');
    try {
      await this.#ready;
    } catch (e) {
      failWith(e);
    }
    for (;;) {
      const d = this.#queue.shift();
      if (d !== undefined) {
        if (this.#remote !== null && !sameAddress(this.#remote, d.from)) continue;
        return [d.data, d.from];
      }
      await new Promise((resolve) => this.#waiting.push(() => resolve(undefined)));
    }
  }

  getLocalAddress() {
    if (this.#local === null) fail('invalid-state');
    return this.#connectedAs ?? this.#local;
  }

  getRemoteAddress() {
    if (this.#remote === null) fail('invalid-state');
    return this.#remote;
  }

  getAddressFamily() {
    return this.#family;
  }

  getUnicastHopLimit() {
    return this.#hopLimit;
  }

  /** @param {number} value */
  setUnicastHopLimit(value) {
    this.#hopLimit = /** @type {number} */ (positive(value));
    this.#applyOptions();
  }

  getReceiveBufferSize() {
    try {
      return BigInt(/** @type {import('node:dgram').Socket} */ (this.#socket).getRecvBufferSize());
    } catch {
      return this.#receiveBufferSize ?? 212992n;
    }
  }

  /** @param {bigint} value */
  setReceiveBufferSize(value) {
    this.#receiveBufferSize = /** @type {bigint} */ (positive(value));
    this.#applyOptions();
  }

  getSendBufferSize() {
    try {
      return BigInt(/** @type {import('node:dgram').Socket} */ (this.#socket).getSendBufferSize());
    } catch {
      return this.#sendBufferSize ?? 212992n;
    }
  }

  /** @param {bigint} value */
  setSendBufferSize(value) {
    this.#sendBufferSize = /** @type {bigint} */ (positive(value));
    this.#applyOptions();
  }

  [Symbol.dispose]() {
    const s = this.#socket;
    this.#socket = null;
    if (s !== null) this.#ready?.then(() => s.close(), () => {});
  }
}

// ---- ip-name-lookup ----

/** `resolve-addresses` over `dns.lookup` (the system resolver, like getaddrinfo). @param {string} name */
export async function resolveAddresses(name) {
  const literal = parseIpLiteral(name);
  if (literal !== null) return [literal];
  const ascii = asciiDomainName(name);
  if (ascii === null) fail('invalid-argument', 'not a domain name');
  let found;
  try {
    found = await process.getBuiltinModule('node:dns/promises').lookup(ascii, { all: true, order: 'verbatim' });
  } catch (e) {
    const code = lookupErrorCode(e);
    throw Object.assign(new Error(`wasi:sockets: ${code.tag} (${/** @type {any} */ (e)?.message ?? e})`), { payload: code });
  }
  const out = lookupAddresses(found.map((f) => f.address));
  if (out.length === 0) fail('name-unresolvable');
  return out;
}

/** The `sockets/*` interfaces (0.3) with node's network. */
export function nodeSockets() {
  return {
    'sockets/types': { TcpSocket, UdpSocket },
    'sockets/ip-name-lookup': { resolveAddresses },
  };
}
