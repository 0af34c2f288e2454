// wasi:sockets@0.2 for node (`wasiImports({ network: true })`): TCP over node:net,
// UDP over node:dgram, `ip-name-lookup` over node:dns. WASI 0.2 is synchronous and a
// blocked guest blocks the JS thread, so the sockets live in a worker thread
// (sockets-node-worker.js). Operations WIT defines as synchronous (`start-bind`,
// `start-listen`) are round trips: the guest's thread posts a request and waits with
// `Atomics.wait` on a counter the worker bumps after each message, taking the reply with
// `receiveMessageOnPort`. Connects, lookups, incoming data and datagrams arrive as
// events; pollables are ready once the event is in, and `block` waits for it the same
// way. Reading is pulled (one chunk read ahead per connection); writes are posted at
// once and counted until the worker's write callback (`check-write` allows up to 1 MiB
// in flight).
import { asciiDomainName } from '../shared/domain-name.js';
import { hostOf, isNotUnicast, isUnspecified, isV4Mapped, lookupAddresses, parseIpLiteral, sameAddress, socketAddress } from '../shared/ip.js';
import { defaultTcpOptions } from '../shared/tcp-options.js';
import { InputStream, IoError, OutputStream, Pollable, streamError } from './io.js';
import { Network } from './sockets.js';

/** @typedef {'ipv4' | 'ipv6'} Family */
/** @typedef {import('../shared/ip.js').SocketAddress} SocketAddress */

/** Throws an `error-code` (an enum: a string) as a top-level `result` error. @param {string} code @param {string} [why] @returns {never} */
function fail(code, why) {
  throw Object.assign(new Error(`wasi:sockets: ${code}${why ? ` (${why})` : ''}`), { payload: code });
}


/** `wasi:io/error.error` of a socket stream; `network-error-code` reads `socketCode`. */
class SocketIoError extends IoError {
  /** @param {string} message @param {string} code */
  constructor(message, code) {
    super(message);
    this.socketCode = code;
  }
}

// ---- the worker and its messages ----

/** One worker per `wasiImports`: started on first use, never keeps node running. */
class Hub {
  constructor() {
    /** @type {import('node:worker_threads').Worker | null} */
    this.worker = null;
    /** @type {import('node:worker_threads').MessagePort | null} */
    this.port = null;
    /** node:worker_threads, once `ensure` loaded it. @type {typeof import('node:worker_threads')} */
    this.threads = /** @type {any} */ (null);
    this.signal = new Int32Array(new SharedArrayBuffer(4));
    /** @type {Map<number, any>} */
    this.replies = new Map();
    /** @type {Map<number, { event(msg: any): void }>} */
    this.handlers = new Map();
    /** Events for sockets not registered yet (accepted connections). @type {Map<number, any[]>} */
    this.early = new Map();
    this.nextSid = 1;
    this.nextReq = 1;
    /** @type {string | null} */
    this.crashed = null;
  }

  ensure() {
    if (this.worker) return;
    // Loaded by the first socket (a program that opens none does not pay for it at
    // start-up).
    this.threads = process.getBuiltinModule('node:worker_threads');
    const ch = new this.threads.MessageChannel();
    this.worker = new this.threads.Worker(new URL('./sockets-node-worker.js', import.meta.url), {
      workerData: { port: ch.port2, signal: this.signal },
      transferList: [ch.port2],
    });
    this.worker.unref();
    this.worker.on('error', (e) => (this.crashed = e.message));
    this.port = ch.port1;
    this.port.unref();
  }

  /** @param {{ event(msg: any): void }} h */
  register(sid, h) {
    this.handlers.set(sid, h);
    for (const m of this.early.get(sid) ?? []) h.event(m);
    this.early.delete(sid);
  }

  /** @param {object} msg @param {Transferable[]} [transfer] */
  post(msg, transfer) {
    this.ensure();
    /** @type {any} */ (this.port).postMessage(msg, transfer);
  }

  /** Takes in the worker's messages. */
  sync() {
    if (!this.port) return;
    for (let m; (m = this.threads.receiveMessageOnPort(this.port)); ) {
      const msg = m.message;
      if (msg.req !== undefined) this.replies.set(msg.req, msg);
      else {
        const h = this.handlers.get(msg.sid);
        if (h) h.event(msg);
        else if (msg.sid < 0) this.early.set(msg.sid, [...(this.early.get(msg.sid) ?? []), msg]);
      }
    }
  }

  /** Blocks until `isReady()`. @param {() => boolean} isReady */
  wait(isReady) {
    for (;;) {
      this.sync();
      if (isReady()) return;
      const seen = Atomics.load(this.signal, 0);
      this.sync();
      if (isReady()) return;
      if (this.crashed) throw new Error(`wasi:sockets worker failed: ${this.crashed}`);
      // A bounded wait, so a worker that died (whose 'error' event this blocked thread
      // cannot see) is noticed.
      if (Atomics.wait(this.signal, 0, seen, 1000) === 'timed-out' && this.worker && this.worker.threadId < 0) {
        throw new Error('wasi:sockets worker exited');
      }
    }
  }

  /** A request with a reply. @param {object} msg */
  call(msg) {
    const req = this.nextReq++;
    this.post({ ...msg, req });
    this.wait(() => this.replies.has(req));
    const r = this.replies.get(req);
    this.replies.delete(req);
    return r;
  }
}

/** A pollable over socket state: `block` waits for the worker. */
class SocketPollable extends Pollable {
  /** @param {Hub} hub @param {() => boolean} isReady */
  constructor(hub, isReady) {
    super();
    this.hub = hub;
    this.isReady = isReady;
  }
  ready() {
    this.hub.sync();
    return this.isReady();
  }
  block() {
    this.hub.wait(this.isReady);
  }
}

// ---- addresses ----

/** An `ip-socket-address` from an address the worker reports. @param {{ host: string, port: number }} a */
const addressOf = (a) => socketAddress(a.host, a.port);

/** Checks an address for a socket of `family`; `remote`: also not unspecified, port 0 or multicast. */
function checkAddress(/** @type {Family} */ family, /** @type {SocketAddress} */ a, remote = false) {
  if (a.tag !== family || isV4Mapped(a)) fail('invalid-argument', 'address family');
  if (remote && (isUnspecified(a) || a.value.port === 0 || isNotUnicast(a))) fail('invalid-argument', 'remote address');
}

/** @param {bigint} v */
function positive(v) {
  if (v <= 0n) fail('invalid-argument', 'zero');
  return v;
}

// ---- TCP ----

const MAX_IN_FLIGHT = 1 << 20;

/** The data side of a connected TCP socket (main thread state). */
class Connection {
  /** @param {Hub} hub @param {number} sid */
  constructor(hub, sid) {
    this.hub = hub;
    this.sid = sid;
    /** @type {Uint8Array[]} */
    this.chunks = [];
    this.ended = false;
    this.pulling = false;
    this.readShut = false;
    this.writeShut = false;
    this.inFlight = 0;
    /** @type {{ code: string, message: string } | null} */
    this.error = null;
  }

  /** @param {any} msg */
  event(msg) {
    switch (msg.ev) {
      case 'data':
        this.pulling = false;
        if (!this.readShut) this.chunks.push(msg.bytes);
        break;
      case 'end':
        this.pulling = false;
        this.ended = true;
        break;
      case 'written':
        this.inFlight -= msg.n;
        break;
      case 'error':
        this.pulling = false;
        this.error ??= { code: msg.code, message: msg.message };
        break;
    }
  }

  want() {
    if (this.chunks.length === 0 && !this.ended && !this.error && !this.readShut && !this.pulling) {
      this.pulling = true;
      this.hub.post({ op: 'read', sid: this.sid });
    }
  }

  readable() {
    this.want();
    return this.chunks.length > 0 || this.ended || this.error !== null || this.readShut;
  }

  /** Up to `max` bytes available now (empty if none yet). @param {number} max */
  take(max) {
    this.hub.sync();
    if (this.readShut) streamError({ tag: 'closed' });
    if (this.chunks.length > 0) {
      const head = this.chunks[0];
      let out;
      if (head.length <= max) {
        out = head;
        this.chunks.shift();
      } else {
        out = head.slice(0, max);
        this.chunks[0] = head.subarray(max);
      }
      this.want();
      return out;
    }
    if (this.error) streamError({ tag: 'last-operation-failed', value: new SocketIoError(this.error.message, this.error.code) });
    if (this.ended) streamError({ tag: 'closed' });
    this.want();
    return new Uint8Array(0);
  }

  /** Room for `check-write`; throws when writing cannot go on. */
  room() {
    this.hub.sync();
    if (this.error) streamError({ tag: 'last-operation-failed', value: new SocketIoError(this.error.message, this.error.code) });
    if (this.writeShut) streamError({ tag: 'closed' });
    return Math.max(0, MAX_IN_FLIGHT - this.inFlight);
  }

  /** @param {Uint8Array} bytes */
  write(bytes) {
    this.room();
    if (bytes.length === 0) return;
    const own = bytes.slice();
    this.inFlight += own.length;
    this.hub.post({ op: 'write', sid: this.sid, bytes: own }, [own.buffer]);
  }

  writable() {
    return this.inFlight < MAX_IN_FLIGHT || this.error !== null || this.writeShut;
  }
}

/** `wasi:io/streams.input-stream` of a TCP connection. */
class TcpInputStream extends InputStream {
  /** @param {Connection} conn */
  constructor(conn) {
    super({ read: () => null });
    this.conn = conn;
  }
  read(/** @type {bigint} */ len) {
    return this.conn.take(Number(len));
  }
  blockingRead(/** @type {bigint} */ len) {
    if (len > 0n) this.conn.hub.wait(() => this.conn.readable());
    return this.read(len);
  }
  subscribe() {
    return new SocketPollable(this.conn.hub, () => this.conn.readable());
  }
}

/** `wasi:io/streams.output-stream` of a TCP connection. */
class TcpOutputStream extends OutputStream {
  /** @param {Connection} conn */
  constructor(conn) {
    super(() => {});
    this.conn = conn;
  }
  checkWrite() {
    return BigInt(this.conn.room());
  }
  write(/** @type {Uint8Array} */ bytes) {
    this.conn.write(bytes);
  }
  blockingWriteAndFlush(/** @type {Uint8Array} */ bytes) {
    const c = this.conn;
    for (let i = 0; i < bytes.length || i === 0; i += MAX_IN_FLIGHT) {
      c.hub.wait(() => c.writable() && (c.inFlight === 0 || c.inFlight + Math.min(MAX_IN_FLIGHT, bytes.length - i) <= MAX_IN_FLIGHT));
      c.write(bytes.subarray(i, i + MAX_IN_FLIGHT));
      if (bytes.length === 0) break;
    }
    this.blockingFlush();
  }
  flush() {
    this.conn.room();
  }
  blockingFlush() {
    const c = this.conn;
    c.hub.wait(() => c.inFlight === 0 || c.error !== null || c.writeShut);
    c.room();
  }
  subscribe() {
    return new SocketPollable(this.conn.hub, () => this.conn.writable());
  }
}

/** @typedef {{ keepAlive: boolean, keepAliveIdle: bigint, keepAliveInterval: bigint, keepAliveCount: number,
 *   hopLimit: number, receiveBufferSize: bigint, sendBufferSize: bigint, backlog: number }} TcpOptions */

/** @returns {TcpOptions} */
const tcpOptions = () => ({ ...defaultTcpOptions(), backlog: 128 });

/** The `sockets/*` interfaces (0.2) backed by one worker. */
export function nodeSockets() {
  const hub = new Hub();
  const network = new Network();

  /** `wasi:sockets/tcp.tcp-socket`. */
  class TcpSocket {
    /** @param {Family} family */
    constructor(family) {
      this.family = family;
      this.sid = 0;
      /** unbound, bound, connecting, connected, listening, closed @type {string} */
      this.state = 'unbound';
      /** The operation started and not finished: bind, connect, listen. @type {string | null} */
      this.pending = null;
      /** The outcome of the pending operation, once known. @type {{ error?: string, message?: string } | null} */
      this.outcome = null;
      /** @type {SocketAddress | null} */
      this.local = null;
      /** @type {SocketAddress | null} */
      this.remote = null;
      /** @type {Connection | null} */
      this.conn = null;
      /** Accepted connections not taken yet. @type {any[]} */
      this.queue = [];
      this.options = tcpOptions();
    }

    #id() {
      if (this.sid === 0) {
        this.sid = hub.nextSid++;
        hub.register(this.sid, this);
      }
      return this.sid;
    }

    /** @param {any} msg */
    event(msg) {
      if (msg.ev === 'connected') {
        this.outcome = {};
        this.local = addressOf(msg.local);
        this.remote = addressOf(msg.remote);
      } else if (msg.ev === 'connect-error') {
        this.outcome = { error: msg.code, message: msg.message };
      } else if (msg.ev === 'connection') {
        this.queue.push(msg);
      } else {
        this.conn?.event(msg);
      }
    }

    /** @param {number} sid @param {any} msg @param {TcpOptions} options */
    static accepted(sid, msg, family, options) {
      const s = new TcpSocket(family);
      s.sid = sid;
      s.state = 'connected';
      s.local = addressOf(msg.local);
      s.remote = addressOf(msg.remote);
      s.options = { ...options };
      s.conn = new Connection(hub, sid);
      hub.register(sid, s);
      s.#applyKeepAlive();
      return s;
    }

    #applyKeepAlive() {
      if (this.state === 'connected') hub.post({ op: 'keep-alive', sid: this.sid, enabled: this.options.keepAlive, idleMs: Number(this.options.keepAliveIdle / 1_000_000n) });
    }

    #begin() {
      if (this.pending !== null) fail('concurrency-conflict');
    }

    /** @param {Network} _network @param {SocketAddress} local */
    startBind(_network, local) {
      this.#begin();
      if (this.state !== 'unbound') fail('invalid-state');
      checkAddress(this.family, local);
      if (isNotUnicast(local)) fail('invalid-argument', 'not unicast');
      const r = hub.call({ op: 'tcp-bind', sid: this.#id(), family: this.family, host: hostOf(local), port: local.value.port });
      this.pending = 'bind';
      this.outcome = r.error ? r : {};
      if (!r.error) this.local = addressOf(r.address);
    }

    finishBind() {
      this.#finish('bind');
      this.state = 'bound';
    }

    /** Ends the pending `op`: `not-in-progress`, `would-block`, or its error. @param {string} op */
    #finish(op) {
      if (this.pending !== op) fail('not-in-progress');
      hub.sync();
      if (this.outcome === null) fail('would-block');
      const { error, message } = this.outcome;
      this.pending = null;
      this.outcome = null;
      if (error) {
        if (op === 'connect') this.state = 'closed';
        fail(error, message);
      }
    }

    /** @param {Network} _network @param {SocketAddress} remote */
    startConnect(_network, remote) {
      this.#begin();
      if (this.state !== 'unbound' && this.state !== 'bound') fail('invalid-state');
      checkAddress(this.family, remote, true);
      this.pending = 'connect';
      this.outcome = null;
      this.state = 'connecting';
      hub.post({ op: 'tcp-connect', sid: this.#id(), family: this.family, host: hostOf(remote), port: remote.value.port });
    }

    finishConnect() {
      this.#finish('connect');
      this.state = 'connected';
      this.conn = new Connection(hub, this.sid);
      this.#applyKeepAlive();
      return [new TcpInputStream(this.conn), new TcpOutputStream(this.conn)];
    }

    startListen() {
      this.#begin();
      if (this.state === 'unbound') fail('invalid-state', 'not bound');
      if (this.state !== 'bound') fail('invalid-state');
      const r = hub.call({ op: 'tcp-listen', sid: this.sid, family: this.family, backlog: this.options.backlog });
      this.pending = 'listen';
      this.outcome = r.error ? r : {};
    }

    finishListen() {
      this.#finish('listen');
      this.state = 'listening';
    }

    accept() {
      if (this.state !== 'listening') fail('invalid-state');
      hub.sync();
      const msg = this.queue.shift();
      if (!msg) fail('would-block');
      const s = TcpSocket.accepted(msg.child, msg, this.family, this.options);
      const conn = /** @type {Connection} */ (s.conn);
      return [s, new TcpInputStream(conn), new TcpOutputStream(conn)];
    }

    localAddress() {
      if (this.local === null || this.state === 'unbound' || this.state === 'closed') fail('invalid-state');
      return this.local;
    }

    remoteAddress() {
      if (this.state !== 'connected' || this.remote === null) fail('invalid-state');
      return this.remote;
    }

    isListening() {
      return this.state === 'listening';
    }

    addressFamily() {
      return this.family;
    }

    setListenBacklogSize(/** @type {bigint} */ value) {
      positive(value);
      if (this.state === 'listening') fail('not-supported', 'node cannot change the backlog after listen');
      if (this.state !== 'unbound' && this.state !== 'bound') fail('invalid-state');
      this.options.backlog = Number(value > 0x7fffffffn ? 0x7fffffffn : value);
    }

    keepAliveEnabled() {
      return this.options.keepAlive;
    }
    setKeepAliveEnabled(/** @type {boolean} */ v) {
      this.options.keepAlive = v;
      this.#applyKeepAlive();
    }
    keepAliveIdleTime() {
      return this.options.keepAliveIdle;
    }
    setKeepAliveIdleTime(/** @type {bigint} */ v) {
      // Whole seconds, at least one, like the kernel's TCP_KEEPIDLE.
      const s = (positive(v) + 999_999_999n) / 1_000_000_000n;
      this.options.keepAliveIdle = s * 1_000_000_000n;
      this.#applyKeepAlive();
    }
    keepAliveInterval() {
      return this.options.keepAliveInterval;
    }
    setKeepAliveInterval(/** @type {bigint} */ v) {
      this.options.keepAliveInterval = positive(v);
    }
    keepAliveCount() {
      return this.options.keepAliveCount;
    }
    setKeepAliveCount(/** @type {number} */ v) {
      this.options.keepAliveCount = Number(positive(BigInt(v)));
    }
    hopLimit() {
      return this.options.hopLimit;
    }
    setHopLimit(/** @type {number} */ v) {
      this.options.hopLimit = Number(positive(BigInt(v)));
    }
    receiveBufferSize() {
      return this.options.receiveBufferSize;
    }
    setReceiveBufferSize(/** @type {bigint} */ v) {
      this.options.receiveBufferSize = positive(v);
    }
    sendBufferSize() {
      return this.options.sendBufferSize;
    }
    setSendBufferSize(/** @type {bigint} */ v) {
      this.options.sendBufferSize = positive(v);
    }

    subscribe() {
      return new SocketPollable(hub, () => {
        if (this.pending !== null) return this.outcome !== null;
        if (this.state === 'listening') return this.queue.length > 0;
        return true;
      });
    }

    /** @param {'receive' | 'send' | 'both'} how */
    shutdown(how) {
      const c = this.conn;
      if (this.state !== 'connected' || c === null) fail('invalid-state');
      if (how !== 'send') {
        c.readShut = true;
        c.chunks = [];
      }
      if (how !== 'receive' && !c.writeShut) {
        c.writeShut = true;
        hub.post({ op: 'end', sid: this.sid });
      }
    }

    [Symbol.dispose]() {
      if (this.sid === 0) return;
      for (const m of this.queue.splice(0)) hub.post({ op: 'close', sid: m.child });
      hub.handlers.delete(this.sid);
      hub.post({ op: 'close', sid: this.sid });
      this.state = 'closed';
    }
  }

  // ---- UDP ----

  /** `wasi:sockets/udp.udp-socket`. */
  class UdpSocket {
    /** @param {Family} family */
    constructor(family) {
      this.family = family;
      this.sid = 0;
      this.bound = false;
      this.bindPending = false;
      /** @type {{ error?: string, message?: string } | null} */
      this.outcome = null;
      /** @type {SocketAddress | null} */
      this.local = null;
      /** The connected peer, if any. @type {SocketAddress | null} */
      this.remote = null;
      /** Which `stream` call the live streams belong to. */
      this.generation = 0;
      /** @type {{ data: Uint8Array, remoteAddress: SocketAddress }[]} */
      this.queue = [];
      this.hopLimit = 64;
      this.rcvbuf = 212992n;
      this.sndbuf = 212992n;
    }

    /** @param {any} msg */
    event(msg) {
      if (msg.ev === 'datagram') {
        if (this.queue.length >= 1024) this.queue.shift();
        this.queue.push({ data: msg.bytes, remoteAddress: addressOf(msg) });
      }
    }

    /** @param {Network} _network @param {SocketAddress} local */
    startBind(_network, local) {
      if (this.bindPending) fail('concurrency-conflict');
      if (this.bound) fail('invalid-state');
      checkAddress(this.family, local);
      if (this.sid === 0) {
        this.sid = hub.nextSid++;
        hub.register(this.sid, this);
      }
      const r = hub.call({ op: 'udp-bind', sid: this.sid, family: this.family, host: hostOf(local), port: local.value.port });
      this.bindPending = true;
      this.outcome = r.error ? r : {};
      if (!r.error) this.local = addressOf(r.address);
    }

    finishBind() {
      if (!this.bindPending) fail('not-in-progress');
      const { error, message } = /** @type {{ error?: string, message?: string }} */ (this.outcome);
      this.bindPending = false;
      this.outcome = null;
      if (error) {
        this.local = null;
        fail(error, message);
      }
      this.bound = true;
      if (this.hopLimit !== 64) hub.post({ op: 'udp-ttl', sid: this.sid, ttl: this.hopLimit });
    }

    /** @param {SocketAddress | null | undefined} remote */
    stream(remote) {
      if (!this.bound) fail('invalid-state');
      if (remote != null) checkAddress(this.family, remote, true);
      this.remote = remote ?? null;
      const generation = ++this.generation;
      return [new IncomingDatagramStream(this, generation), new OutgoingDatagramStream(this, generation)];
    }

    localAddress() {
      if (!this.bound || this.local === null) fail('invalid-state');
      return this.local;
    }
    remoteAddress() {
      if (this.remote === null) fail('invalid-state');
      return this.remote;
    }
    addressFamily() {
      return this.family;
    }
    unicastHopLimit() {
      return this.hopLimit;
    }
    setUnicastHopLimit(/** @type {number} */ v) {
      this.hopLimit = Number(positive(BigInt(v)));
      if (this.bound) hub.post({ op: 'udp-ttl', sid: this.sid, ttl: this.hopLimit });
    }
    receiveBufferSize() {
      return this.rcvbuf;
    }
    setReceiveBufferSize(/** @type {bigint} */ v) {
      this.rcvbuf = positive(v);
    }
    sendBufferSize() {
      return this.sndbuf;
    }
    setSendBufferSize(/** @type {bigint} */ v) {
      this.sndbuf = positive(v);
    }
    subscribe() {
      return new Pollable();
    }
    [Symbol.dispose]() {
      if (this.sid === 0) return;
      hub.handlers.delete(this.sid);
      hub.post({ op: 'close', sid: this.sid });
    }
  }
  /** `wasi:sockets/udp.incoming-datagram-stream`. */
  class IncomingDatagramStream {
    /** @param {UdpSocket} socket @param {number} generation */
    constructor(socket, generation) {
      this.socket = socket;
      this.generation = generation;
    }
    #live() {
      if (this.generation !== this.socket.generation) fail('invalid-state', 'a later stream() replaced this stream');
    }
    /** Drops datagrams a connected socket must not see; true when one is queued. */
    #pending() {
      const s = this.socket;
      if (s.remote !== null) s.queue = s.queue.filter((d) => sameAddress(d.remoteAddress, /** @type {SocketAddress} */ (s.remote)));
      return s.queue.length > 0;
    }
    receive(/** @type {bigint} */ max) {
      this.#live();
      hub.sync();
      this.#pending();
      return this.socket.queue.splice(0, Number(max > 1024n ? 1024n : max));
    }
    subscribe() {
      return new SocketPollable(hub, () => this.generation !== this.socket.generation || this.#pending());
    }
  }

  /** `wasi:sockets/udp.outgoing-datagram-stream`. */
  class OutgoingDatagramStream {
    /** @param {UdpSocket} socket @param {number} generation */
    constructor(socket, generation) {
      this.socket = socket;
      this.generation = generation;
      this.permits = 0n;
    }
    checkSend() {
      if (this.generation !== this.socket.generation) fail('invalid-state');
      this.permits = 64n;
      return this.permits;
    }
    /** @param {{ data: Uint8Array, remoteAddress?: SocketAddress | null }[]} datagrams */
    send(datagrams) {
      const s = this.socket;
      if (this.generation !== s.generation) fail('invalid-state');
      if (BigInt(datagrams.length) > this.permits) fail('invalid-argument', 'more datagrams than check-send permits');
      let sent = 0;
      for (const d of datagrams) {
        try {
          const to = d.remoteAddress ?? s.remote;
          if (to == null) fail('invalid-argument', 'no remote address');
          if (s.remote !== null && d.remoteAddress != null && !sameAddress(d.remoteAddress, s.remote)) fail('invalid-argument', 'not the connected address');
          checkAddress(s.family, to, true);
          if (d.data.length > (s.family === 'ipv4' ? 65507 : 65527)) fail('datagram-too-large');
          const own = d.data.slice();
          hub.post({ op: 'udp-send', sid: s.sid, bytes: own, host: hostOf(to), port: to.value.port }, [own.buffer]);
          sent++;
        } catch (e) {
          if (sent === 0) throw e;
          break;
        }
      }
      this.permits -= BigInt(sent);
      return BigInt(sent);
    }
    subscribe() {
      return new Pollable();
    }
  }

  // ---- ip-name-lookup ----

  /** `wasi:sockets/ip-name-lookup.resolve-address-stream`. */
  class ResolveAddressStream {
    /** @param {any[] | null} addresses null while the lookup runs */
    constructor(addresses) {
      this.addresses = addresses;
      /** @type {string | null} */
      this.error = null;
      this.sid = 0;
    }
    /** @param {any} msg */
    event(msg) {
      hub.handlers.delete(this.sid);
      if (msg.ev === 'lookup-error') {
        this.error = msg.code;
        this.addresses = [];
        return;
      }
      const out = lookupAddresses(msg.addresses);
      if (out.length === 0) this.error = 'name-unresolvable';
      this.addresses = out;
    }
    resolveNextAddress() {
      hub.sync();
      if (this.addresses === null) fail('would-block');
      if (this.error !== null) {
        const e = this.error;
        this.error = null;
        fail(e);
      }
      return this.addresses.shift() ?? null;
    }
    subscribe() {
      return new SocketPollable(hub, () => this.addresses !== null);
    }
    [Symbol.dispose]() {
      if (this.sid !== 0) hub.handlers.delete(this.sid);
    }
  }

  /** @param {Family} family */
  const family = (family) => {
    if (family !== 'ipv4' && family !== 'ipv6') fail('not-supported');
    return family;
  };

  return {
    'sockets/network': {
      Network,
      networkErrorCode: (/** @type {any} */ err) => err?.socketCode ?? null,
    },
    'sockets/instance-network': { instanceNetwork: () => network },
    'sockets/tcp': { TcpSocket },
    'sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    'sockets/tcp-create-socket': { createTcpSocket: (/** @type {Family} */ f) => new TcpSocket(family(f)) },
    'sockets/udp-create-socket': { createUdpSocket: (/** @type {Family} */ f) => new UdpSocket(family(f)) },
    'sockets/ip-name-lookup': {
      ResolveAddressStream,
      resolveAddresses(/** @type {Network} */ _network, /** @type {string} */ name) {
        const literal = parseIpLiteral(name);
        if (literal !== null) return new ResolveAddressStream([literal]);
        const ascii = asciiDomainName(name);
        if (ascii === null) fail('invalid-argument', 'not a domain name');
        const stream = new ResolveAddressStream(null);
        stream.sid = hub.nextSid++;
        hub.register(stream.sid, stream);
        hub.post({ op: 'lookup', sid: stream.sid, name: ascii });
        return stream;
      },
    },
  };
}
