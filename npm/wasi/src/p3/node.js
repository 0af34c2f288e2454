// WASI 0.3 for node: `wasiImports(options, wasiImports2)` returns an imports object for
// `instantiate()` that answers every `wasi:<package>/<interface>@0.3.x` import name
// (and the `@0.2.x` names through the 0.2 node shim it is given, sharing stdout, stderr
// and options; ../p3-node.js, the package entry, gives it p2/node.js's).
// Nothing blocks: files use `node:fs/promises`, sleeps `setTimeout`, stdin is read
// from `process.stdin` only when the guest asks for it.
import { writeSync } from 'node:fs';
import { makeImports } from './common.js';
import { httpInterfaces } from './http.js';
import { nodeRequest } from './http-node.js';
import { nodeFilesystem } from './nodefs.js';
import { deniedSockets } from './sockets.js';
import { nodeSockets } from './sockets-node.js';

export { WasiExit } from './common.js';
export { InstancePool, toFetchHandler } from './http.js';

/**
 * A sink writing to `fd`: synchronously, so a failure (`EPIPE` when the reader went
 * away) is thrown by the call itself, where the 0.2 streams that share the sink (Rust
 * std's stdout in a 0.3 program) can report it. Only a non-blocking pipe that is full
 * (`EAGAIN`) makes it return a promise, which retries after 1 ms; writes made while one
 * waits queue behind it, in order.
 * @param {number} fd
 */
function fdSink(fd) {
  /** @type {Promise<void> | null} */
  let waiting = null;
  /** Writes what it can of `bytes` from `off`; returns the new offset. @param {Uint8Array} bytes @param {number} off */
  const writeSome = (bytes, off) => {
    while (off < bytes.length) {
      try {
        off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        if (/** @type {any} */ (e).code !== 'EAGAIN') throw e;
        return off;
      }
    }
    return off;
  };
  /** @param {Uint8Array} bytes @param {number} off */
  const finish = async (bytes, off) => {
    while (off < bytes.length) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      off = writeSome(bytes, off);
    }
  };
  /** Runs `p` as the write others queue behind, until it settles. @param {Promise<void>} p */
  const queue = (p) => {
    waiting = p;
    const clear = () => {
      if (waiting === p) waiting = null;
    };
    p.then(clear, clear);
    return p;
  };
  return (/** @type {Uint8Array} */ bytes) => {
    if (waiting !== null) return queue(waiting.then(() => finish(bytes, 0)));
    const off = writeSome(bytes, 0);
    return off < bytes.length ? queue(finish(bytes, off)) : undefined;
  };
}

/** A pull function over `process.stdin`, attached on first use and paused between reads
 * (so an unread stdin does not keep node running). */
function processStdin() {
  const s = process.stdin;
  /** @type {Uint8Array[]} */
  const chunks = [];
  let ended = false;
  /** @type {unknown} */
  let failure = null;
  /** @type {(() => void) | null} */
  let wake = null;
  let attached = false;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  return async () => {
    if (!attached) {
      attached = true;
      s.on('data', (/** @type {Buffer} */ c) => {
        chunks.push(new Uint8Array(c.buffer, c.byteOffset, c.length));
        s.pause();
        poke();
      });
      s.on('end', () => {
        ended = true;
        poke();
      });
      s.on('error', (e) => {
        failure = e;
        poke();
      });
    }
    for (;;) {
      if (chunks.length > 0) return /** @type {Uint8Array} */ (chunks.shift());
      if (failure !== null) throw failure;
      if (ended) return null;
      await new Promise((resolve) => {
        wake = () => resolve(undefined);
        s.resume();
      });
    }
  };
}

const start = process.hrtime.bigint();

/**
 * @param {import('./common.js').Options & { network?: boolean }} options `preopens` maps
 *   guest paths to host directories, e.g. `{ '/data': './data' }`; `network: true` lets
 *   the guest use node's network through `wasi:sockets` (default: denied, like browsers)
 * @param {(options: object) => any} wasiImports2 the WASI 0.2 node shim's `wasiImports`,
 *   which answers the `@0.2.x` names (called on first use)
 */
export function wasiImports(options, wasiImports2) {
  const preopens = options.preopens ?? {};
  return makeImports(
    {
      monotonicNow: () => process.hrtime.bigint() - start,
      monotonicResolution: 1n,
      systemNow() {
        const ns = BigInt(Date.now()) * 1_000_000n;
        return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
      },
      stdout: fdSink(1),
      stderr: fdSink(2),
      defaultStdin: processStdin,
      filesystem: nodeFilesystem(preopens),
      sockets: options.network === true ? nodeSockets() : deniedSockets(),
      http: httpInterfaces({
        fetch: options.fetch,
        // CONNECT, TRACE and TRACK, which fetch refuses, go over node:http, unless a
        // `fetch` of the embedder's answers everything.
        request: options.fetch === undefined ? nodeRequest : undefined,
        handler: options.httpHandler,
        forbiddenHeaders: options.forbiddenHeaders,
        streamingUploads: true,
      }),
      p2: (sinks) =>
        wasiImports2({
          ...options,
          stdin: typeof options.stdin === 'string' || options.stdin instanceof Uint8Array || options.stdin === undefined ? options.stdin : new Uint8Array(0),
          ...sinks,
        }),
    },
    options,
  );
}
