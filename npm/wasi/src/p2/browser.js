// WASI 0.2 for browsers (and any JS engine with TextDecoder, crypto and performance;
// imports nothing from node): `wasiImports(options)` returns an imports object that
// answers every `wasi:<package>/<interface>@0.2.x` import name.
//
// Blocking: WASI 0.2 calls are synchronous. They complete where the answer is
// available synchronously (console output, in-memory files, buffered stdin). Sleeping
// uses `Atomics.wait`, which works in Workers of cross-origin-isolated pages; on a
// main thread (or without SharedArrayBuffer) a sleep that has not yet elapsed, or a
// blocking read from a stdin stream with nothing buffered, throws `BlockingError`
// (naming JSPI) rather than busy-waiting.
import { lineSink } from '../shared/line-sink.js';
import { bytesSource, makeImports } from './common.js';
import { BlockingError } from './io.js';
import { MemFs, memFilesystem } from './memfs.js';
import { deniedSockets } from './sockets.js';
import { browserHttp } from './http-browser.js';

export { WasiExit } from './common.js';
export { BlockingError } from './io.js';
export { MemFs } from './memfs.js';
export { OpfsMirror } from './opfs.js';

/** @type {Int32Array | null | undefined} */
let cell;
function sleepNs(/** @type {bigint} */ ns) {
  if (cell === undefined) cell = typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;
  if (cell !== null) {
    try {
      Atomics.wait(cell, 0, 0, Number(ns) / 1e6);
      return;
    } catch {
      // A window's main thread may not wait.
    }
  }
  throw new BlockingError(`sleeping ${Number(ns) / 1e6} ms`);
}

/** `sleepNs`, or a promise of the sleep when the thread cannot block. @param {bigint} ns */
function sleepOrPromise(ns) {
  try {
    return sleepNs(ns);
  } catch (e) {
    if (!(e instanceof BlockingError)) throw e;
    return new Promise((resolve) => setTimeout(resolve, Number(ns) / 1e6));
  }
}

/**
 * A stdin source over a ReadableStream or async iterable: chunks are buffered as they
 * arrive; `read` returns what is buffered (possibly nothing), `blockingRead` throws
 * `BlockingError` when nothing is buffered and the stream has not ended.
 * @param {ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>} stream
 */
export function streamSource(stream) {
  /** @type {Uint8Array[]} */
  const chunks = [];
  let ended = false;
  /** @type {unknown} */
  let failure = null;
  (async () => {
    try {
      if ('getReader' in stream && typeof stream.getReader === 'function') {
        const reader = stream.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (value.length > 0) chunks.push(value);
        }
      } else {
        for await (const value of /** @type {AsyncIterable<Uint8Array>} */ (stream)) if (value.length > 0) chunks.push(value);
      }
    } catch (e) {
      failure = e;
    }
    ended = true;
  })();
  const read = (/** @type {number} */ max) => {
    if (chunks.length === 0) {
      if (failure !== null) throw Object.assign(new Error(String(failure)), { wasiCode: 'io' });
      return ended ? null : new Uint8Array(0);
    }
    const first = chunks[0];
    if (first.length <= max) return /** @type {Uint8Array} */ (chunks.shift());
    chunks[0] = first.subarray(max);
    return first.slice(0, max);
  };
  return {
    read,
    ready: () => chunks.length > 0 || ended,
    blockingRead(/** @type {number} */ max) {
      if (chunks.length === 0 && !ended) throw new BlockingError('a blocking read from stdin with no data buffered');
      return read(max);
    },
  };
}

const origin = performance.now();

/**
 * @param {import('./common.js').Options & { preopens?: Record<string, MemFs | import('../shared/memfs.js').TreeInput> }} [options]
 *   `fs`: a `MemFs` or tree preopened as `/`; `preopens`: more trees by guest path
 *   (default when neither is given: an empty tree as `/`)
 */
export function wasiImports(options = {}) {
  const out = lineSink((line) => console.log(line));
  const err = lineSink((line) => console.error(line));
  const preopens = { ...(options.fs !== undefined || options.preopens === undefined ? { '/': options.fs ?? new MemFs() } : {}), ...options.preopens };
  return makeImports(
    {
      monotonicNow: () => BigInt(Math.round((performance.now() - origin) * 1e6)),
      monotonicResolution: 1_000_000n,
      // With `jspi`, a sleep the thread cannot do synchronously is a promise the
      // guest suspends on (a component transpiled with --async-imports for wasi:io).
      sleep: options.jspi ? (/** @type {bigint} */ ns) => sleepOrPromise(ns) : sleepNs,
      wallNow() {
        const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
        return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
      },
      stdout: out.sink,
      stderr: err.sink,
      flushStdout: out.flush,
      flushStderr: err.flush,
      stdin(o) {
        if (o === undefined) return { read: () => null };
        if (typeof o === 'string' || o instanceof Uint8Array) return bytesSource(o);
        if (typeof (/** @type {any} */ (o).getReader) === 'function' || Symbol.asyncIterator in /** @type {object} */ (o)) return streamSource(/** @type {any} */ (o));
        if (typeof (/** @type {any} */ (o).read) === 'function') return /** @type {any} */ (o);
        throw new TypeError('stdin: pass { read(max) }, a ReadableStream, an async iterable, a Uint8Array or a string');
      },
      filesystem: memFilesystem(preopens),
      sockets: deniedSockets(),
      http: (poll) => browserHttp(poll, { jspi: options.jspi, fetch: options.fetch }),
    },
    options,
  );
}
