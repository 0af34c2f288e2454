// WASI 0.2 for node: `wasiImports(options)` returns an imports object for
// `instantiate()` that answers every `wasi:<package>/<interface>@0.2.x` import name
// (any 0.2 patch version). Blocking calls are synchronous: stdio uses fds 0-2 with
// `readSync`/`writeSync`, sleeping uses `Atomics.wait`, files use `node:fs` sync calls,
// HTTP requests run with fetch in a worker thread (http-node.js).
import { readSync, writeSync } from 'node:fs';
import { bytesSource, makeImports } from './common.js';
import { nodeFilesystem } from './nodefs.js';
import { nodeHttp } from './http-node.js';
import { preadExact } from './io.js';
import { deniedSockets } from './sockets.js';
import { nodeSockets } from './sockets-node.js';

export { WasiExit } from './common.js';
export { BlockingError } from './io.js';

function fdSink(/** @type {number} */ fd) {
  return (/** @type {Uint8Array} */ bytes) => {
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        if (/** @type {any} */ (e).code !== 'EAGAIN') throw e;
        sleepNs(1_000_000n);
      }
    }
  };
}

function fdSource(/** @type {number} */ fd) {
  const read = (/** @type {number} */ max, /** @type {boolean} */ block) => {
    if (max <= 0) return new Uint8Array(0);
    for (;;) {
      let bytes;
      try {
        // What was read, in an array of its size (`preadExact`).
        bytes = /** @type {Uint8Array} */ (preadExact((buf) => readSync(fd, buf, 0, buf.length, null), Math.min(max, 65536), 0));
      } catch (e) {
        const code = /** @type {any} */ (e).code;
        if (code === 'EAGAIN' && !block) return new Uint8Array(0);
        if (code === 'EAGAIN') {
          sleepNs(1_000_000n);
          continue;
        }
        if (code === 'EOF') return null;
        throw e;
      }
      return bytes.length === 0 ? null : bytes;
    }
  };
  return { read: (/** @type {number} */ max) => read(max, false), blockingRead: (/** @type {number} */ max) => read(max, true) };
}

const cell = new Int32Array(new SharedArrayBuffer(4));
function sleepNs(/** @type {bigint} */ ns) {
  Atomics.wait(cell, 0, 0, Number(ns) / 1e6);
}

const start = process.hrtime.bigint();

/**
 * @param {import('./common.js').Options} [options] `preopens` maps guest paths to host
 *   directories, e.g. `{ '/data': './data' }`
 */
export function wasiImports(options = {}) {
  return makeImports(
    {
      monotonicNow: () => process.hrtime.bigint() - start,
      monotonicResolution: 1n,
      sleep: sleepNs,
      wallNow() {
        const ns = BigInt(Date.now()) * 1_000_000n;
        return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
      },
      stdout: fdSink(1),
      stderr: fdSink(2),
      stdin(o) {
        if (o === undefined) return fdSource(0);
        if (typeof o === 'string' || o instanceof Uint8Array) return bytesSource(o);
        if (typeof (/** @type {any} */ (o).read) === 'function' && typeof (/** @type {any} */ (o).getReader) !== 'function') return /** @type {any} */ (o);
        throw new TypeError('node stdin: pass { read(max) }, a Uint8Array or a string');
      },
      filesystem: nodeFilesystem(options.preopens ?? {}),
      sockets: /** @type {any} */ (options).network === true ? nodeSockets() : deniedSockets(),
      http: nodeHttp,
    },
    options,
  );
}
