// wasi:io@0.2: errors, pollables and streams over synchronous sources and sinks.
//
// A guest reads from an `InputStream` whose source returns the bytes available now
// (or `null` at end of stream) and writes to an `OutputStream` whose sink takes bytes
// synchronously. Sources and sinks that never block make every pollable ready at once.

/** `wasi:io/error.error`. */
export class IoError {
  /** @param {string} message */
  constructor(message) {
    this.message = message;
  }
  toDebugString() {
    return this.message;
  }
}

/** `wasi:io/poll.pollable` for a source that is always ready. */
export class Pollable {
  ready() {
    return true;
  }
  block() {}
}

/** `wasi:io/poll.poll`: every pollable here is ready, so all indices are. */
export function poll(pollables) {
  if (pollables.length === 0) throw new TypeError('poll: empty list');
  return Uint32Array.from(pollables, (_, i) => i);
}

/** Throws a `stream-error` the way a top-level `result` error is signalled. */
function streamError(error) {
  throw Object.assign(new Error(error.tag), { payload: error });
}

const MAX_WRITE = 1 << 20;

/** `wasi:io/streams.input-stream`. */
export class InputStream {
  /** @param {{ read(max: number): Uint8Array | null }} source */
  constructor(source) {
    this.source = source;
  }
  read(len) {
    const chunk = this.source.read(Number(len));
    if (chunk === null) streamError({ tag: 'closed' });
    return chunk;
  }
  blockingRead(len) {
    return this.read(len);
  }
  skip(len) {
    return BigInt(this.read(len).length);
  }
  blockingSkip(len) {
    return this.skip(len);
  }
  subscribe() {
    return new Pollable();
  }
}

/** `wasi:io/streams.output-stream`. */
export class OutputStream {
  /** @param {(bytes: Uint8Array) => void} sink */
  constructor(sink) {
    this.sink = sink;
  }
  checkWrite() {
    return BigInt(MAX_WRITE);
  }
  write(bytes) {
    if (bytes.length > MAX_WRITE) streamError({ tag: 'last-operation-failed', value: new IoError('write exceeds check-write') });
    this.sink(bytes);
  }
  blockingWriteAndFlush(bytes) {
    for (let i = 0; i < bytes.length; i += MAX_WRITE) this.sink(bytes.subarray(i, i + MAX_WRITE));
  }
  flush() {}
  blockingFlush() {}
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
    const bytes = src.read(len);
    this.write(bytes);
    return BigInt(bytes.length);
  }
  blockingSplice(src, len) {
    return this.splice(src, len);
  }
}
