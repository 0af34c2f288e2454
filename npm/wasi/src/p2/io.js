// wasi:io@0.2: errors, pollables and streams.
//
// A guest reads from an `InputStream` whose source returns the bytes available now
// (empty when none yet, `null` at end of stream) and writes to an `OutputStream` whose
// sink takes bytes synchronously. Sources and sinks that never block make their
// pollables ready at once. Timer pollables (clocks) wait with the platform's `sleep`.
// A source may also be asynchronous (a browser `ReadableStream`): its pollable is ready
// when bytes are buffered, and blocking on it throws `BlockingError` (it needs JSPI).
// A source or sink that fails with a host I/O error (an errno error, or one with a
// `wasiCode`) fails that operation (`closed` for `EPIPE`, else `last-operation-failed`)
// and closes the stream; an error of any other kind propagates (the guest traps).
import { ERRNO_CODES } from '../shared/fs-errors.js';

/** Thrown when a guest blocks synchronously on something only a JS promise can give. */
export class BlockingError extends Error {
  /** @param {string} what */
  constructor(what) {
    super(
      `${what} would block the JS thread: WASI 0.2 blocking calls are synchronous, and ` +
        'waiting for a promise from a synchronous call needs JSPI (WebAssembly.Suspending), ' +
        'which weft does not use for WASI 0.2 imports. Run the component in a Worker, ' +
        'or supply a synchronous source.',
    );
    this.name = 'BlockingError';
  }
}

/** `wasi:io/error.error`. `code` is the `wasi:filesystem` error code, if any. */
export class IoError {
  /** @param {string} message @param {string | null} [code] */
  constructor(message, code = null) {
    this.message = message;
    this.code = code;
  }
  toDebugString() {
    return this.message;
  }
}

/** `wasi:io/poll.pollable`; the base class is always ready. */
export class Pollable {
  /** @returns {boolean} */
  ready() {
    return true;
  }
  block() {}
}

/** A pollable ready once `isReady()` holds; blocking throws `BlockingError` otherwise. */
export class CondPollable extends Pollable {
  /** @param {() => boolean} isReady @param {string} what */
  constructor(isReady, what) {
    super();
    this.isReady = isReady;
    this.what = what;
  }
  ready() {
    return this.isReady();
  }
  block() {
    if (!this.isReady()) throw new BlockingError(this.what);
  }
}

/** A pollable ready at a monotonic-clock instant (nanoseconds). */
export class TimerPollable extends Pollable {
  /** @param {bigint} deadline @param {{ now(): bigint, sleep(ns: bigint): void }} clock */
  constructor(deadline, clock) {
    super();
    this.deadline = deadline;
    this.clock = clock;
  }
  ready() {
    return this.clock.now() >= this.deadline;
  }
  /** Waits for the deadline; a promise when the clock's sleep is asynchronous (JSPI). */
  block() {
    for (;;) {
      const left = this.deadline - this.clock.now();
      if (left <= 0n) return undefined;
      const slept = /** @type {unknown} */ (this.clock.sleep(left));
      if (slept instanceof Promise) return slept.then(() => this.block());
    }
  }
}

/**
 * `wasi:io/poll.poll`: the indices of the ready pollables; when none is, waits for the
 * earliest timer (or blocks on the first pollable, which throws if it cannot wait).
 * @param {Pollable[]} pollables
 */
export function poll(pollables) {
  if (pollables.length === 0) throw new TypeError('poll: empty list');
  for (;;) {
    const ready = [];
    pollables.forEach((p, i) => p.ready() && ready.push(i));
    if (ready.length > 0) return Uint32Array.from(ready);
    /** @type {TimerPollable | null} */
    let first = null;
    for (const p of pollables) {
      if (p instanceof TimerPollable && (first === null || p.deadline < first.deadline)) first = p;
    }
    const waited = /** @type {unknown} */ ((first ?? pollables[0]).block());
    if (waited instanceof Promise) return waited.then(() => poll(pollables));
  }
}

/**
 * Throws a `stream-error` the way a top-level `result` error is signalled (the streams
 * here and the sockets' in sockets-node.js).
 * @param {{ tag: string, value?: { message?: string } }} error @returns {never}
 */
export function streamError(error) {
  if (error.tag === 'closed') throw CLOSED;
  throw Object.assign(quietError(String(error.value?.message)), { payload: error });
}

/**
 * An `Error` without a stack trace: an `err` result is how a stream says it ended, once
 * per file read, and capturing a stack for each was a tenth of a search's time.
 * @param {string} message
 */
export function quietError(message) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Error(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The `closed` stream error, one frozen instance: every read of a file to its end ends
 * with one, so it allocates nothing.
 */
const CLOSED = Object.freeze(Object.assign(quietError('closed'), { payload: Object.freeze({ tag: 'closed' }) }));

/**
 * The `wasi:io/error.error` for a failure of a source or sink that is a host I/O error:
 * one with a `wasiCode` (the filesystem error code), or a node errno error (`EPIPE`,
 * `EIO`, `ENOSPC`, …; its code through `ERRNO_CODES`, `io` when unknown). Anything else
 * (`BlockingError`, a bug) is not an I/O error: null.
 * @param {unknown} e
 */
function ioFailure(e) {
  if (!e || typeof e !== 'object') return null;
  const x = /** @type {any} */ (e);
  if (typeof x.wasiCode === 'string') return new IoError(String(x.message), x.wasiCode);
  if (typeof x.code === 'string' && /^E[A-Z0-9]+$/.test(x.code)) {
    return new IoError(String(x.message), ERRNO_CODES[/** @type {keyof typeof ERRNO_CODES} */ (x.code)] ?? 'io');
  }
  return null;
}

/**
 * Turns a failure of `stream`'s source or sink into a `stream-error` and closes the
 * stream, as wasi:io says (every later operation is `closed`). A reader that went away
 * (`EPIPE`, or `ECONNRESET` for a socket) is `closed` at once: no more input will be accepted, and wasi-libc makes
 * that `EPIPE` for the guest (`BrokenPipe` in Rust, as natively), where it makes every
 * `last-operation-failed` `EIO`. Other I/O errors are `last-operation-failed`, whose
 * error carries the filesystem error code (`filesystem-error-code`). Errors that are not
 * I/O errors propagate.
 * @param {{ broken: boolean }} stream @param {unknown} e @returns {never}
 */
function failed(stream, e) {
  const error = ioFailure(e);
  if (error === null) throw e;
  stream.broken = true;
  // `ECONNRESET`: the output is a socket (a node parent's `stdio: 'pipe'` is a socket
  // pair) whose reader closed with data it had not read; it went away as for `EPIPE`.
  const gone = error.code === 'pipe' || /** @type {any} */ (e).code === 'ECONNRESET';
  streamError(gone ? { tag: 'closed' } : { tag: 'last-operation-failed', value: error });
}

/** Throws `closed` once an operation of `stream` failed. @param {{ broken: boolean }} stream */
function checkOpen(stream) {
  if (stream.broken) streamError({ tag: 'closed' });
}

const MAX_WRITE = 1 << 20;

/**
 * @typedef {{ read(max: number): Uint8Array | null, ready?(): boolean,
 *   blockingRead?(max: number): Uint8Array | null }} Source
 * `read` returns what is available now (possibly empty) or `null` at the end;
 * `blockingRead` (optional) waits for at least one byte or the end.
 */

/** `wasi:io/streams.input-stream`. */
export class InputStream {
  /** @param {Source} source */
  constructor(source) {
    this.source = source;
    /** An operation failed: the stream is closed. */
    this.broken = false;
  }
  read(len) {
    checkOpen(this);
    let chunk;
    try {
      chunk = this.source.read(Number(len));
    } catch (e) {
      failed(this, e);
    }
    if (chunk === null) streamError({ tag: 'closed' });
    return chunk;
  }
  blockingRead(len) {
    if (!this.source.blockingRead) return this.read(len);
    checkOpen(this);
    let chunk;
    try {
      chunk = this.source.blockingRead(Number(len));
    } catch (e) {
      failed(this, e);
    }
    if (chunk === null) streamError({ tag: 'closed' });
    return chunk;
  }
  skip(len) {
    return BigInt(this.read(len).length);
  }
  blockingSkip(len) {
    return BigInt(this.blockingRead(len).length);
  }
  subscribe() {
    const source = this.source;
    return source.ready ? new CondPollable(() => source.ready(), 'reading an input stream') : new Pollable();
  }
}

/** `wasi:io/streams.output-stream`. */
export class OutputStream {
  /** @param {(bytes: Uint8Array) => void} sink @param {() => void} [flush] */
  constructor(sink, flush) {
    this.sink = sink;
    this.flushSink = flush ?? (() => {});
    /** An operation failed: the stream is closed. */
    this.broken = false;
  }
  checkWrite() {
    checkOpen(this);
    return BigInt(MAX_WRITE);
  }
  write(bytes) {
    checkOpen(this);
    if (bytes.length > MAX_WRITE) streamError({ tag: 'last-operation-failed', value: new IoError('write exceeds check-write') });
    try {
      this.sink(bytes);
    } catch (e) {
      failed(this, e);
    }
  }
  blockingWriteAndFlush(bytes) {
    checkOpen(this);
    try {
      for (let i = 0; i < bytes.length; i += MAX_WRITE) this.sink(bytes.subarray(i, i + MAX_WRITE));
      this.flushSink();
    } catch (e) {
      failed(this, e);
    }
  }
  flush() {
    checkOpen(this);
    try {
      this.flushSink();
    } catch (e) {
      failed(this, e);
    }
  }
  blockingFlush() {
    this.flush();
  }
  subscribe() {
    return new Pollable();
  }
  writeZeroes(len) {
    this.write(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len) {
    this.blockingWriteAndFlush(new Uint8Array(Number(len)));
  }
  splice(src, len) {
    let bytes;
    try {
      bytes = src.read(len);
    } catch (e) {
      if (e?.payload?.tag === 'closed') streamError({ tag: 'closed' });
      throw e;
    }
    this.write(bytes);
    return BigInt(bytes.length);
  }
  blockingSplice(src, len) {
    const bytes = src.blockingRead(len);
    this.blockingWriteAndFlush(bytes);
    return BigInt(bytes.length);
  }
}

/** Streams over the interval [0, ∞) of a file: reads and writes at a moving position. */

/**
 * A source over a synchronous `pread(buffer, position) -> bytesRead`; end at 0 bytes.
 * @param {(buf: Uint8Array, pos: number) => number} pread @param {bigint} offset
 * @returns {Source}
 */
export function positionedSource(pread, offset) {
  let pos = Number(offset);
  return {
    read(max) {
      const bytes = preadExact(pread, Math.min(max, 1 << 20), pos);
      if (bytes === null) return new Uint8Array(0);
      if (bytes.length === 0) return null;
      pos += bytes.length;
      return bytes;
    },
  };
}

/** The buffer reads go through, grown as needed (to 16 MiB at most). */
let scratch = new Uint8Array(1 << 16);

/**
 * Up to `max` bytes read with `pread(buffer, position)` at `pos`, in a new array of the
 * size read: a guest asks for its whole buffer (1 MiB, say) whatever the file holds,
 * and a zeroed array of that size per read (two per small file, one to hit the end)
 * was most of the time of a search through many files. `null` when `max` is 0.
 * @param {(buf: Uint8Array, pos: number) => number} pread @param {number} max @param {number} pos
 * @returns {Uint8Array | null}
 */
export function preadExact(pread, max, pos) {
  if (max <= 0) return null;
  if (max > scratch.length) scratch = new Uint8Array(Math.min(Math.max(max, 2 * scratch.length), 1 << 24));
  const n = pread(scratch.subarray(0, Math.min(max, scratch.length)), pos);
  return scratch.slice(0, n);
}

/**
 * A sink over a synchronous `pwrite(bytes, position)`; `position` is `null` to append.
 * @param {(bytes: Uint8Array, pos: number | null) => void} pwrite @param {bigint | null} offset
 */
export function positionedSink(pwrite, offset) {
  let pos = offset === null ? null : Number(offset);
  return (bytes) => {
    pwrite(bytes, pos);
    if (pos !== null) pos += bytes.length;
  };
}
