// `--compat jco`: the JS forms of streams, futures and async exports that jco 1.35
// gives, for code written against jco. weft's own forms (`stream.js`: ReadableStream,
// Promise) are in docs/js-api.md; these are in its "`--compat jco`" section.
import { HostReader, Units, End, MAX_BUFFER, readFuture } from './stream.js';
import { AS_VALUE } from './task.js';

/** @param {unknown} v a value read from a stream or future, ends nested in it as jco's forms */
function jcoValue(v) {
  if (!(v instanceof End)) return v;
  return v.stream ? new JcoStream(v) : new JcoFuture(v);
}

/** A fresh end-of-stream result (a caller may keep or change it). */
const readDone = () => ({ value: undefined, done: true });
const ignore = () => {};

/**
 * What one read of `count` items gives, as jco does: a typed array of the numbers
 * read (a `Uint8Array` for `stream<u8>`); for other types the item itself when one was
 * asked for, else an array of them; the number of units for `stream<_>`. `chunks` is
 * not empty.
 * A stream the host wrote that a guest handed back reads as what the host wrote
 * (numbers, or the typed arrays it yielded), as in jco; but a `stream<u8>` (`bytes`)
 * always as `Uint8Array`s.
 * @param {ArrayLike<unknown>[]} chunks @param {number} count @param {boolean} bytes
 */
function readValue(chunks, count, bytes) {
  const first = /** @type {any} */ (chunks[0]);
  if (first instanceof Units) return chunks.reduce((n, c) => n + c.length, 0);
  if (bytes && !ArrayBuffer.isView(first)) {
    const all = [];
    for (const c of chunks) for (let i = 0; i < c.length; i++) all.push(c[i]);
    return Uint8Array.from(/** @type {number[]} */ (all));
  }
  if (ArrayBuffer.isView(first)) {
    if (chunks.length === 1) return first;
    const all = new first.constructor(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  }
  const items = [];
  for (const c of chunks) for (let i = 0; i < c.length; i++) items.push(jcoValue(c[i]));
  return count === 1 ? items[0] : items;
}

/**
 * A guest's readable stream end as jco's reader: an async iterator whose `next()`
 * reads one item, `read(count)` (or `read({ count })`) up to `count`, in order;
 * `return()` and `[Symbol.dispose]()` drop the end (a read in flight is cancelled).
 * A writer whose instance trapped makes the read after its last items reject.
 */
export class JcoStream {
  #reader;
  #bytes;
  /** The reads queue: each starts when the one before ended. */
  #queue = Promise.resolve();

  /** @param {End} end @param {boolean} [bytes] a `stream<u8>` */
  constructor(end, bytes = false) {
    this.#reader = new HostReader(end);
    this.#bytes = bytes;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next() {
    return this.read();
  }

  /** @param {number | { count?: number }} [opts] */
  read(opts) {
    const count = opts === undefined ? 1 : typeof opts === 'number' ? opts : (opts?.count ?? 1);
    if (!Number.isInteger(count) || count < 1) {
      return Promise.reject(new TypeError(`a stream read count must be a positive integer, got ${String(count)}`));
    }
    const r = this.#queue.then(() => this.#read(Math.min(count, MAX_BUFFER)));
    this.#queue = r.then(ignore, ignore);
    return r;
  }

  /** @param {number} count */
  async #read(count) {
    const reader = this.#reader;
    if (!reader.open) {
      if (!reader.cancelled && reader.end.trapped !== undefined) throw reader.end.trapped;
      return readDone();
    }
    const { chunks } = await reader.read(count);
    if (reader.cancelled) return readDone();
    // Something moved (an option's none is `undefined`, but still an item).
    if (chunks.length > 0) return { value: readValue(chunks, count, this.#bytes), done: false };
    if (reader.end.trapped !== undefined) throw reader.end.trapped;
    return readDone();
  }

  return() {
    this.#reader.cancel();
    return Promise.resolve(readDone());
  }

  [Symbol.dispose]() {
    this.#reader.cancel();
  }
}

/**
 * A guest's readable future end as jco's future: a thenable that keeps its layers. A
 * `future<future<T>>` resolves to the inner future itself, not to its value as a
 * Promise would (promise resolution adopts every thenable it is given; this one hides
 * its `then` while it resolves a promise as a value, `AS_VALUE`). Reading starts at
 * once, as weft's Promise form does.
 */
export class JcoFuture {
  /** @type {Promise<{ v: unknown }>} */
  #box;
  #hidden = 0;

  /** @param {End} end */
  constructor(end) {
    this.#box = readFuture(end, (v) => ({ v: jcoValue(v) }));
    // A future no one awaits may fail: that is not an unhandled rejection.
    this.#box.catch(ignore);
  }

  get then() {
    return this.#hidden === 0 ? this.#then : undefined;
  }

  /** @param {(v: unknown) => void} ok @param {(e: unknown) => void} [err] */
  #then = (ok, err) => this.#box.then((b) => resolveLayer(ok, b.v), err);

  /** @param {(v: unknown) => void} resolve */
  [AS_VALUE](resolve) {
    this.#hidden++;
    try {
      resolve(this);
    } finally {
      this.#hidden--;
    }
  }
}

/**
 * Resolves with a future's value, which may be a future itself (kept as a layer).
 * @param {(v: unknown) => void} ok @param {unknown} v
 */
function resolveLayer(ok, v) {
  if (v instanceof JcoFuture) v[AS_VALUE](ok);
  else ok(v);
}

const AsyncFunctionPrototype = Object.getPrototypeOf(async function () {});

/**
 * An export that returns a promise, as jco makes it: `instanceof AsyncFunction` (jco's
 * tests check it) while staying a plain function, so that the promise returned is the
 * call's own: an `async function` would resolve its promise with that promise's
 * value again, adopting a future it resolves with (and costs one promise per call).
 * @template {Function} F @param {F} f @returns {F}
 */
export function asyncFunction(f) {
  Object.setPrototypeOf(f, AsyncFunctionPrototype);
  return f;
}

/**
 * A `result` value from JS as jco takes it: an object whose `tag` is `'ok'` or `'err'`
 * is the result; any other value is the `ok` payload (`{ tag: 'ok', val: v }`).
 * @param {unknown} v
 */
export function jcoResult(v) {
  if (v !== null && typeof v === 'object') {
    const tag = /** @type {any} */ (v).tag;
    if (tag === 'ok' || tag === 'err') return v;
  }
  return { tag: 'ok', val: v };
}

/**
 * What a rejected promise given for a `future<result<…>>` writes, as jco does: the
 * `err` whose payload `payloadOf` (`jcoErrPayload`, `jcoErrPayloadString`) takes from
 * the rejection (or throws: then the future's writer is dropped).
 * @param {(e: unknown) => unknown} payloadOf
 */
export function jcoRejectedAs(payloadOf) {
  return (/** @type {unknown} */ e) => ({ tag: 'err', val: payloadOf(e) });
}
