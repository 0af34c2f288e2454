// Helpers for WASI 0.3's component-model streams and futures as weft shows them to
// JS: a `stream<T>` parameter arrives as a WHATWG `ReadableStream` (`Uint8Array`
// chunks for `stream<u8>`); a `stream<T>` result may be any (async) iterable; a
// `future<T>` result is a Promise of the value.

/** `{ tag: 'ok' }`: a `result<_, E>` value that is ok. */
export const OK = Object.freeze({ tag: 'ok', value: undefined });

/** `{ tag: 'err', value }`. @param {unknown} value */
export function err(value) {
  return { tag: 'err', value };
}

/**
 * The chunks of a `stream<T>` parameter (a ReadableStream or any async/sync iterable),
 * as an async iterator with `cancel()`, which drops the readable end (the guest's
 * writes then fail with `dropped`).
 * @param {any} stream
 */
export function chunksOf(stream) {
  if (stream !== null && typeof stream === 'object' && typeof stream.getReader === 'function') {
    const reader = stream.getReader();
    return {
      next: () => reader.read(),
      cancel: () => reader.cancel().catch(() => {}),
      release: () => reader.releaseLock(),
    };
  }
  if (stream !== null && typeof stream === 'object' && (Symbol.asyncIterator in stream || Symbol.iterator in stream)) {
    const it = Symbol.asyncIterator in stream ? stream[Symbol.asyncIterator]() : stream[Symbol.iterator]();
    return {
      next: async () => it.next(),
      cancel: async () => {
        await it.return?.();
      },
      release: () => {},
    };
  }
  throw new TypeError('a stream must be a ReadableStream or an (async) iterable');
}

/**
 * Drains a byte stream into `write` (which may return a promise: the next chunk is
 * read after it settles). Resolves to `ok`, or to `err(toCode(e))` when `write` or
 * the stream fails (the stream is then cancelled). Errors for which `toCode` throws
 * reject the returned promise.
 * @param {any} stream @param {(chunk: Uint8Array) => unknown} write
 * @param {(e: unknown) => unknown} toCode
 */
export async function drain(stream, write, toCode) {
  const it = chunksOf(stream);
  for (;;) {
    let step;
    try {
      step = await it.next();
    } catch (e) {
      return err(toCode(e));
    }
    if (step.done) return OK;
    const chunk = step.value instanceof Uint8Array ? step.value : new Uint8Array(step.value);
    if (chunk.length === 0) continue;
    try {
      await write(chunk);
    } catch (e) {
      const code = toCode(e);
      await it.cancel();
      return err(code);
    }
  }
}

/** Cancels a `stream<T>` parameter (dropping the guest's readable end) and resolves to
 * `err(code)`. @param {any} stream @param {unknown} code */
export async function refuse(stream, code) {
  await chunksOf(stream).cancel();
  return err(code);
}

/**
 * A source for a `stream<T>` result plus the `future<result<_, E>>` that reports how it
 * ended: `pull()` returns the next chunk (a non-empty `Uint8Array` for `stream<u8>`,
 * else one element), or `null` at the end; empty `Uint8Array`s are skipped. A throw
 * ends the stream and resolves the future to `err(toCode(e))`. When the guest drops
 * the stream early the future still resolves `ok`. `done` runs once at the end.
 * @template T
 * @param {() => Promise<T | null> | T | null} pull
 * @param {(e: unknown) => unknown} toCode @param {() => void} [done]
 * @returns {[AsyncIterable<T>, Promise<{ tag: string, value?: unknown }>]}
 */
export function pullSource(pull, toCode, done = () => {}) {
  /** @type {(v: { tag: string, value?: unknown }) => void} */
  let settle = () => {};
  const result = new Promise((resolve) => (settle = resolve));
  let finished = false;
  const finish = (/** @type {{ tag: string, value?: unknown }} */ r) => {
    if (finished) return;
    finished = true;
    done();
    settle(r);
  };
  const iterator = {
    async next() {
      if (finished) return { done: true, value: undefined };
      try {
        for (;;) {
          const chunk = await pull();
          if (chunk === null) {
            finish(OK);
            return { done: true, value: undefined };
          }
          if (!(chunk instanceof Uint8Array) || chunk.length > 0) return { done: false, value: chunk };
        }
      } catch (e) {
        finish(err(toCode(e)));
        return { done: true, value: undefined };
      }
    },
    async return() {
      finish(OK);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return [iterator, result];
}

/** An (async) iterable over a fixed list, and the `ok` future: `stream<T>` + `future`. @template T @param {T[]} items */
export function listSource(items) {
  return /** @type {[T[], Promise<{ tag: 'ok' }>]} */ ([items, Promise.resolve(OK)]);
}

/** An empty stream and a future resolving to `err(code)`. @param {unknown} code */
export function failedSource(code) {
  return /** @type {[never[], Promise<{ tag: 'err', value: unknown }>]} */ ([[], Promise.resolve(err(code))]);
}

/**
 * A sink option as an async function: a function `(bytes) => void | Promise`, or a
 * WHATWG `WritableStream` (one writer held for the shim's lifetime).
 * @param {any} sink
 * @returns {(bytes: Uint8Array) => unknown}
 */
export function sinkOf(sink) {
  if (typeof sink === 'function') return sink;
  if (sink !== null && typeof sink === 'object' && typeof sink.getWriter === 'function') {
    /** @type {any} */
    let writer = null;
    return (bytes) => {
      writer ??= sink.getWriter();
      return writer.write(bytes);
    };
  }
  throw new TypeError('stdout/stderr: pass a function (bytes) => void or a WritableStream');
}

/** Sleeps `ns` nanoseconds with `setTimeout` (rounded up to whole ms; long waits chained). @param {bigint} ns */
export function sleep(ns) {
  if (ns <= 0n) return Promise.resolve();
  let ms = Number((ns + 999_999n) / 1_000_000n);
  return new Promise((resolve) => {
    const step = () => {
      const now = Math.min(ms, 0x7fffffff);
      ms -= now;
      setTimeout(ms > 0 ? step : resolve, now);
    };
    step();
  });
}
