// Streams and futures (CanonicalABI.md "Stream and Future State", the stream/future
// built-ins, `lift_stream`/`lower_stream`). Copies are rendezvous between two buffers:
// a guest buffer (a range of a core memory) or a host buffer (a JS chunk). Elements of
// number types move as typed-array copies, never one JS value per element.
import { addrNum } from './addr.js';
import { trap } from './trap.js';
import { blockOn, schedule, sched, fail } from './scheduler.js';
import { Waitable, mayLeave } from './waitable.js';

const IDLE = 1;
const COPYING = 2;
const CANCELLING = 3;
const DONE = 4;

const COMPLETED = 0;
const DROPPED = 1;
const CANCELLED = 2;

const BLOCKED = 0xffffffff | 0;
export const MAX_BUFFER = 2 ** 28 - 1;

/**
 * The element type of a stream or future as a guest memory sees it.
 * `Typed` is set for number types: elements then move as raw little-endian bytes.
 */
export class Elem {
  /**
   * @param {number} size @param {number} align
   * @param {() => WebAssembly.Memory} memory
   * @param {((ptr: number) => unknown) | null} load @param {((v: unknown, ptr: number) => void) | null} store
   * @param {any} Typed a typed-array constructor, or null
   */
  constructor(size, align, memory, load, store, Typed) {
    this.size = size;
    this.align = align;
    this.memory = memory;
    this.load = load;
    this.store = store;
    this.Typed = Typed;
  }
}

/**
 * `length` values of a `stream<_>` or `future<_>`: unit streams carry counts, not
 * values, so no element is ever made.
 */
export class Units {
  /** @param {number} n */
  constructor(n) {
    this.length = n;
  }
}

/** A range of guest memory to read from or write into (`GuestBuffer`). */
class GuestBuffer {
  /** @param {Elem | null} elem @param {number} ptr @param {number} length */
  constructor(elem, ptr, length) {
    // A 32-bit memory's `i32` (signed), or a 64-bit one's as a Number (`addrNum`).
    if (ptr < 0) ptr += 2 ** 32;
    if (length < 0) length += 2 ** 32;
    if (length > MAX_BUFFER) trap('stream buffer length exceeds 2^28 - 1');
    if (elem !== null && length > 0) {
      if (ptr % elem.align !== 0) trap('stream buffer pointer is not aligned');
      if (ptr + length * elem.size > elem.memory().buffer.byteLength) trap('stream buffer out of bounds');
    }
    this.elem = elem;
    this.ptr = ptr;
    this.length = length;
    this.progress = 0;
  }

  remain() {
    return this.length - this.progress;
  }

  /** @param {number} n @returns {ArrayLike<unknown>} */
  read(n) {
    const e = this.elem;
    let vs;
    if (e === null) {
      vs = new Units(n);
    } else if (e.Typed !== null) {
      const bytes = e.memory().buffer.slice(this.ptr, this.ptr + n * e.size);
      vs = new e.Typed(bytes);
    } else {
      const load = /** @type {(ptr: number) => unknown} */ (e.load);
      vs = new Array(n);
      for (let i = 0; i < n; i++) vs[i] = load(this.ptr + i * e.size);
    }
    if (e !== null) this.ptr += n * e.size;
    this.progress += n;
    return vs;
  }

  /** @param {ArrayLike<unknown>} vs */
  write(vs) {
    const e = this.elem;
    const n = vs.length;
    if (e !== null) {
      if (e.Typed !== null) {
        const dst = new e.Typed(e.memory().buffer, this.ptr, n);
        dst.set(/** @type {any} */ (vs));
      } else {
        const store = /** @type {(v: unknown, ptr: number) => void} */ (e.store);
        for (let i = 0; i < n; i++) store(vs[i], this.ptr + i * e.size);
      }
      this.ptr += n * e.size;
    }
    this.progress += n;
  }
}

/** A JS chunk the host writes (a host `ReadableBuffer`). */
export class HostSource {
  /** @param {ArrayLike<unknown>} values */
  constructor(values) {
    this.values = values;
    this.progress = 0;
  }

  remain() {
    return this.values.length - this.progress;
  }

  /** @param {number} n */
  read(n) {
    const v = this.values;
    const start = this.progress;
    this.progress += n;
    if (ArrayBuffer.isView(v)) return /** @type {any} */ (v).subarray(start, start + n);
    return Array.prototype.slice.call(v, start, start + n);
  }
}

/** Room the host reads into (a host `WritableBuffer`): takes whatever the writer offers. */
export class HostSink {
  /** @param {number} capacity */
  constructor(capacity) {
    this.capacity = capacity;
    /** @type {ArrayLike<unknown>[]} */
    this.chunks = [];
    this.progress = 0;
  }

  remain() {
    return this.capacity - this.progress;
  }

  /** @param {ArrayLike<unknown>} vs */
  write(vs) {
    this.chunks.push(vs);
    this.progress += vs.length;
  }
}

const EVENT_STREAM_READ = 2;
const EVENT_STREAM_WRITE = 3;
const EVENT_FUTURE_READ = 4;
const EVENT_FUTURE_WRITE = 5;

/** One end of a stream or future (`class End`). */
export class End extends Waitable {
  /**
   * @param {number} t the stream/future type @param {boolean} plain element type is none or a number
   * @param {any} owner the owning AsyncInstance, or null for the host
   * @param {boolean} stream @param {boolean} readable @param {boolean} bytes `stream<u8>`
   */
  constructor(t, plain, owner, stream, readable, bytes) {
    super();
    this.t = t;
    this.plain = plain;
    this.bytes = bytes;
    this.state = IDLE;
    /** @type {End | null} */
    this.other = null;
    /** @type {GuestBuffer | HostSource | HostSink | null} */
    this.buffer = null;
    this.owner = owner;
    this.index = 0;
    this.stream = stream;
    this.readable = readable;
    this.eventCode = stream ? (readable ? EVENT_STREAM_READ : EVENT_STREAM_WRITE) : readable ? EVENT_FUTURE_READ : EVENT_FUTURE_WRITE;
    /** The host's handler of this end's events (host-owned ends). @type {((payload: number) => void) | null} */
    this.onHostEvent = null;
    /** Runs once this end's pending event is taken, or it is dropped (a host writer's deferred drop). @type {(() => void) | null} */
    this.afterEvent = null;
    /** The trap of the instance that held the other end (`abandon`). @type {unknown} */
    this.trapped = undefined;
  }

  /** @param {() => [number, number, number]} f */
  setPendingEvent(f) {
    super.setPendingEvent(f);
    if (this.owner === null && this.onHostEvent !== null) queueMicrotask(() => deliverHostEvent(this));
  }

  /** `End.copy`. @param {GuestBuffer | HostSource | HostSink} buffer */
  copy(buffer) {
    const isRead = this.readable;
    this.state = COPYING;
    const other = this.other;
    if (other === null) {
      // The other end was dropped: the DROPPED event is already pending.
      return;
    }
    const ob = other.buffer;
    if (ob === null) {
      this.buffer = buffer;
    } else if (buffer.remain() > 0 && ob.remain() > 0) {
      if (this.owner !== null && this.owner === other.owner && !this.plain) {
        trap('cannot copy values other than numbers between the two ends of a stream held by one instance');
      }
      const n = Math.min(buffer.remain(), ob.remain());
      if (isRead) /** @type {any} */ (buffer).write(/** @type {any} */ (ob).read(n));
      else /** @type {any} */ (ob).write(/** @type {any} */ (buffer).read(n));
      this.notify(buffer.progress);
      other.notify(ob.progress);
      // A host read takes one write: JS gets one chunk per write, and a guest that
      // writes in a loop waits for the JS consumer (its next write blocks) instead of
      // filling one open read of 2^28 - 1 elements while the event loop starves.
      if (ob.remain() === 0 || ob instanceof HostSink) other.buffer = null;
    } else if (buffer.remain() > 0 || (isRead && ob.remain() === 0)) {
      other.notify(0);
      other.buffer = null;
      this.buffer = buffer;
    } else {
      this.notify(0);
    }
  }

  /**
   * Its instance trapped: the other end sees this one dropped, and a host end is told
   * why (`trapped`: its ReadableStream errors, its Promise rejects, with `e`).
   * @param {unknown} e
   */
  abandon(e) {
    const other = this.other;
    if (other === null) return;
    other.trapped = e;
    other.other = null;
    this.other = null;
    if (other.state !== DONE && !other.hasPendingEvent()) other.notify(0);
  }

  /** `End.cancel`. */
  cancel() {
    this.state = CANCELLING;
    if (!this.hasPendingEvent()) this.notify(0);
  }

  /** `StreamEnd.notify` / `FutureEnd.notify`. @param {number} progress */
  notify(progress) {
    if (this.stream) {
      this.setPendingEvent(() => {
        this.buffer = null;
        let result;
        if (this.other === null) {
          result = DROPPED;
          this.state = DONE;
        } else if (this.state === CANCELLING) {
          result = CANCELLED;
          this.state = IDLE;
        } else {
          result = COMPLETED;
          this.state = IDLE;
        }
        return [this.eventCode, this.index, result | (progress << 4)];
      });
    } else {
      this.setPendingEvent(() => {
        let result;
        if (progress === 1) {
          this.state = DONE;
          this.buffer = null;
          result = COMPLETED;
        } else if (this.other === null) {
          this.buffer = null;
          this.state = DONE;
          result = DROPPED;
        } else {
          this.buffer = null;
          this.state = IDLE;
          result = CANCELLED;
        }
        return [this.eventCode, this.index, result];
      });
    }
  }

  copyingOrCancelling() {
    return this.state === COPYING || this.state === CANCELLING;
  }

  /** `End.drop`. */
  drop() {
    // A host writer waiting for this reader to take its last event stops waiting.
    const after = this.afterEvent;
    this.afterEvent = null;
    const other = this.other;
    if (other !== null) {
      other.other = null;
      if (other.state !== DONE && !other.hasPendingEvent()) other.notify(0);
      this.other = null;
    }
    super.drop();
    after?.();
  }

  /** @returns {[number, number, number]} */
  getPendingEvent() {
    const ev = super.getPendingEvent();
    const after = this.afterEvent;
    if (after !== null) {
      this.afterEvent = null;
      after();
    }
    return ev;
  }
}

/**
 * A new (readable, writable) pair.
 * @param {number} t @param {boolean} plain @param {any} owner @param {boolean} stream
 * @returns {[End, End]}
 */
export function newEnds(t, plain, owner, stream, bytes = false) {
  const r = new End(t, plain, owner, stream, true, bytes);
  const w = new End(t, plain, owner, stream, false, bytes);
  r.other = w;
  w.other = r;
  return [r, w];
}

/**
 * `canon stream.new` / `future.new`: the readable index in the low 32 bits.
 * @param {any} inst @param {number} t @param {boolean} plain @param {boolean} stream
 * @param {boolean} bytes
 */
export function endsNew(inst, t, plain, stream, bytes) {
  mayLeave(inst);
  const [r, w] = newEnds(t, plain, inst, stream, bytes);
  r.index = inst.handles.add(r);
  w.index = inst.handles.add(w);
  return BigInt(r.index) | (BigInt(w.index) << 32n);
}

/**
 * @param {any} inst @param {number} i @param {number} t @param {boolean} stream
 * @param {boolean} readable @param {boolean} remove
 * @returns {End}
 */
function getEnd(inst, i, t, stream, readable, remove) {
  const e = remove ? inst.handles.remove(i) : inst.handles.get(i);
  const what = `${stream ? 'stream' : 'future'} ${readable ? 'readable' : 'writable'} end`;
  if (!(e instanceof End) || e.stream !== stream || e.readable !== readable) {
    trap(`index ${i} is not a ${what}`);
  }
  if (e.t !== t) trap(`the ${what} at index ${i} has another element type`);
  return e;
}

/**
 * `endCopy` of a 64-bit memory (🐘): the pointer and length are `i64`s, and so is a
 * stream copy's result.
 * @param {AsyncInstance} inst @param {number} t @param {boolean} stream @param {boolean} readable
 * @param {boolean} isAsync @param {Elem | null} elem @param {number} i @param {bigint} ptr @param {bigint | number} length
 * @returns {number | bigint | Promise<number | bigint>}
 */
export function endCopyWide(inst, t, stream, readable, isAsync, elem, i, ptr, length) {
  const r = endCopy(inst, t, stream, readable, isAsync, elem, i, addrNum(ptr), addrNum(length));
  if (!stream) return r;
  return typeof r === 'number' ? BigInt(r >>> 0) : r.then((x) => BigInt(x >>> 0));
}

/**
 * `canon {stream,future}.{read,write}`.
 * @param {any} inst @param {number} t @param {boolean} stream @param {boolean} readable
 * @param {boolean} isAsync @param {Elem | null} elem @param {number} i @param {number} ptr
 * @param {number} length
 */
export function endCopy(inst, t, stream, readable, isAsync, elem, i, ptr, length) {
  mayLeave(inst);
  const end = getEnd(inst, i, t, stream, readable, false);
  if (end.state !== IDLE) {
    if (end.state !== DONE) trap('a copy is already in progress on this end');
    // A future is done once its value moved, a stream (or future) once its other end is gone.
    trap(end.other === null ? 'the other end was dropped: no more copies are possible' : 'the future already delivered its value: no more copies are possible');
  }
  if (end.inSet() && !isAsync) trap('a synchronous copy cannot use an end that is in a waitable set');
  const buffer = new GuestBuffer(elem, ptr, length);
  end.copy(buffer);
  const finish = () => end.getPendingEvent()[2];
  if (!end.hasPendingEvent()) {
    if (isAsync) return BLOCKED;
    end.setSyncWaiter(true);
    const r = blockOn(() => end.hasPendingEvent(), `a synchronous ${stream ? 'stream' : 'future'} copy`);
    if (r !== undefined) {
      return r.then(() => {
        end.setSyncWaiter(false);
        return finish();
      });
    }
    end.setSyncWaiter(false);
  }
  return finish();
}

/**
 * `canon {stream,future}.cancel-{read,write}`.
 * @param {any} inst @param {number} t @param {boolean} stream @param {boolean} readable
 * @param {boolean} isAsync @param {number} i
 */
export function endCancel(inst, t, stream, readable, isAsync, i) {
  mayLeave(inst);
  const end = getEnd(inst, i, t, stream, readable, false);
  if (end.state !== COPYING) trap('no copy is in progress on this end');
  if (end.hasSyncWaiter) trap('a synchronous copy is waiting on this end');
  if (end.inSet() && !isAsync) {
    // The spec traps. Components made by wit-bindgen-rust < 0.59 (the `wasip3` crate's
    // runtime) cancel before they leave the set, which later versions do first.
    if (!inst.cancelsInSet) trap('a synchronous cancel cannot use an end that is in a waitable set');
    end.leave();
  }
  end.cancel();
  const finish = () => end.getPendingEvent()[2];
  if (!end.hasPendingEvent()) {
    if (isAsync) return BLOCKED;
    const r = blockOn(() => end.hasPendingEvent(), 'a synchronous cancel');
    if (r !== undefined) return r.then(finish);
  }
  return finish();
}

/**
 * `canon {stream,future}.drop-{readable,writable}`.
 * @param {any} inst @param {number} t @param {boolean} stream @param {boolean} readable @param {number} i
 */
export function endDrop(inst, t, stream, readable, i) {
  mayLeave(inst);
  const end = getEnd(inst, i, t, stream, readable, false);
  if (end.copyingOrCancelling()) trap('cannot drop an end while a copy is in progress');
  if (!stream && !readable && end.state !== DONE) trap('cannot drop the writable end of a future before writing a value');
  inst.handles.remove(i);
  end.drop();
}

/**
 * `canon {stream,future}.forward`.
 * @param {any} inst @param {number} t @param {boolean} stream @param {number} ri @param {number} wi
 */
export function endForward(inst, t, stream, ri, wi) {
  mayLeave(inst);
  const r = getEnd(inst, ri, t, stream, true, true);
  if (r.state !== IDLE) trap('cannot forward a readable end that is not idle');
  if (r.inSet()) trap('cannot forward a readable end that is in a waitable set');
  const w = getEnd(inst, wi, t, stream, false, true);
  if (w.state !== IDLE) trap('cannot forward a writable end that is not idle');
  if (w.inSet()) trap('cannot forward a writable end that is in a waitable set');
  const src = r;
  const dst = w;
  if (src.other === dst || src.other === null || dst.other === null) {
    src.drop();
    dst.drop();
    return;
  }
  const writable = src.other;
  const readable = dst.other;
  writable.other = readable;
  readable.other = writable;
  if (writable.buffer !== null && readable.buffer !== null) {
    const [smaller] = readable.buffer.remain() > writable.buffer.remain() ? [writable] : [readable];
    const buffer = /** @type {any} */ (smaller.buffer);
    smaller.buffer = null;
    smaller.copy(buffer);
  }
  schedule();
}

/**
 * `lift_stream` / `lift_future`: takes the readable end at `i` out of `inst`.
 * @param {any} inst @param {number} i @param {number} t @param {boolean} stream
 */
export function liftEnd(inst, i, t, stream) {
  const e = getEnd(inst, i, t, stream, true, true);
  if (e.state !== IDLE) trap(`cannot pass a ${stream ? 'stream' : 'future'} end that is copying or done`);
  if (e.inSet()) trap(`cannot pass a ${stream ? 'stream' : 'future'} end that is in a waitable set`);
  e.owner = null;
  e.index = 0;
  return e;
}

/**
 * `lower_stream` / `lower_future`: gives the readable end `e` to `inst`.
 * @param {any} inst @param {End} e
 */
export function lowerEnd(inst, e) {
  e.owner = inst;
  e.onHostEvent = null;
  e.index = inst.handles.add(e);
  return e.index;
}

// The host side: JS values for stream and future ends.

/**
 * Hands a host-owned end's pending event to its handler, once: the handler belongs to
 * one copy (or one wait), so it is cleared first. An event that arrives while the host
 * has no handler (a drop between two reads) stays pending for the next copy, as in the
 * spec; a stale handler would swallow it.
 * @param {End} end
 */
function deliverHostEvent(end) {
  const h = end.onHostEvent;
  if (end.pendingEvent === null || h === null) return;
  end.onHostEvent = null;
  h(end.getPendingEvent()[2]);
}

/**
 * Copies with a host buffer on a host-owned end; resolves with the event payload.
 * @param {End} end @param {HostSource | HostSink} buffer @returns {Promise<number>}
 */
function hostCopy(end, buffer) {
  return new Promise((resolve) => {
    end.onHostEvent = resolve;
    end.copy(buffer);
    // The other end may already be gone, its DROPPED event pending since before.
    if (end.hasPendingEvent()) queueMicrotask(() => deliverHostEvent(end));
    schedule();
  });
}

/**
 * The host reading a guest's readable stream end: what every JS form of a stream
 * (weft's ReadableStream, `--compat jco`'s reader) is built on. While open, the host
 * holds an end the guest may wait on (`sched.hostPending`).
 */
export class HostReader {
  /** @param {End} end */
  constructor(end) {
    this.end = end;
    this.open = true;
    /** `cancel()` was called: the reader stops, whatever the copy in flight moved. */
    this.cancelled = false;
    sched.hostPending++;
  }

  /**
   * Reads up to `n` items: what one guest write offers. `chunks` are what moved
   * (`Uint8Array`s or typed arrays for numbers, arrays of values, `Units` for
   * `stream<_>`); `done` once the writer dropped its end (`end.trapped` says whether its
   * instance trapped) or the reader was cancelled, and the reader is closed then.
   * @param {number} n @returns {Promise<{ chunks: ArrayLike<unknown>[], done: boolean }>}
   */
  async read(n) {
    for (;;) {
      if (!this.open) return { chunks: [], done: true };
      const sink = new HostSink(n);
      const payload = await hostCopy(this.end, sink);
      if (this.cancelled || (payload & 0xf) === DROPPED) {
        this.close();
        return { chunks: sink.chunks, done: true };
      }
      if (sink.progress > 0) return { chunks: sink.chunks, done: false };
    }
  }

  /** Stops reading: a copy in flight is cancelled (its read then ends), the end dropped. */
  cancel() {
    if (!this.open || this.cancelled) return;
    this.cancelled = true;
    if (!this.end.copyingOrCancelling()) this.close();
    // With the copy's event already pending, its delivery is queued and ends the read.
    else if (!this.end.hasPendingEvent()) this.end.cancel();
  }

  close() {
    if (!this.open) return;
    this.open = false;
    sched.hostPending--;
    this.end.drop();
    schedule();
  }
}

/**
 * A guest's readable stream end as a WHATWG ReadableStream. Each chunk is what one
 * copy moved: `Uint8Array`s for `stream<u8>`, else one value per chunk.
 * @param {End} end @param {boolean} bytes
 */
export function streamToJs(end, bytes) {
  const reader = new HostReader(end);
  return new ReadableStream({
    async pull(controller) {
      const { chunks, done } = await reader.read(MAX_BUFFER);
      if (reader.cancelled) return;
      for (const c of chunks) {
        if (bytes) controller.enqueue(c);
        // A `stream<_>` write reaches JS as its count.
        else if (c instanceof Units) controller.enqueue(c.length);
        else for (let i = 0; i < c.length; i++) controller.enqueue(hostValue(c[i]));
      }
      if (!done) return;
      // A writer whose instance trapped did not end the stream: it failed.
      if (end.trapped !== undefined) controller.error(end.trapped);
      else controller.close();
    },
    cancel() {
      reader.cancel();
    },
  });
}

/**
 * A JS source for a `stream<T>`: a ReadableStream or any (async) iterable. Returns the
 * readable end to lower into the guest; the host writes from the source as the guest
 * reads. `check(item, k)` (generated per element type) throws for the `k`-th item
 * (a chunk, for `stream<u8>`) if it does not fit the type, before any of it reaches
 * guest memory: the source is then cancelled, the writer dropped, and the guest that
 * reads is failed with the TypeError (`hostValueFailed`). `lastValue` (`--compat jco`,
 * as jco 1.35 does): a value given with `done: true` is the last item, where the
 * iteration protocol (and `for await`) takes it for the iterator's return value; and
 * for number types, a typed array yielded is several items.
 * @param {unknown} src @param {number} t @param {boolean} plain @param {boolean} bytes
 * @param {((v: unknown, k: number) => void) | null} [check] @param {boolean} [lastValue]
 */
export function streamFromJs(src, t, plain, bytes, check = null, lastValue = false) {
  const s = /** @type {any} */ (src);
  /** @type {any} */
  let it;
  if (s !== null && typeof s === 'object' && typeof s.getReader === 'function') {
    const reader = s.getReader();
    it = { next: () => reader.read(), return: () => reader.cancel() };
  } else if (s !== null && typeof s === 'object' && typeof s[Symbol.asyncIterator] === 'function') {
    it = s[Symbol.asyncIterator]();
  } else if (s !== null && typeof s === 'object' && typeof s[Symbol.iterator] === 'function') {
    it = s[Symbol.iterator]();
  } else {
    throw new TypeError('a stream must be a ReadableStream or an (async) iterable');
  }
  const [r, w] = newEnds(t, plain, null, true, bytes);
  sched.hostPending++;
  // While waiting for the source, notice the guest dropping its end: stop the source.
  const onIdleDrop = () => {
    if (w.other === null) void Promise.resolve(it.return?.()).catch(() => {});
  };
  (async () => {
    try {
      for (let k = 0; ; k++) {
        w.onHostEvent = onIdleDrop;
        const { done, value } = await it.next();
        if (done && !(lastValue && value !== undefined)) break;
        if (w.other === null) {
          // The guest dropped its end while the source was awaited: stop the source (a
          // guest's stream is cancelled, and its end dropped, that way).
          await it.return?.();
          break;
        }
        // jco's sources may also yield a typed array of several numbers.
        const several = lastValue && plain && ArrayBuffer.isView(value);
        if (check !== null) {
          try {
            if (several) for (const x of /** @type {any} */ (value)) check(x, k);
            else check(value, k);
          } catch (e) {
            void Promise.resolve(it.return?.()).catch(() => {});
            hostValueFailed(r, e);
            return;
          }
        }
        const chunk = bytes ? (value instanceof Uint8Array ? value : new Uint8Array(value)) : several ? /** @type {any} */ (value) : [value];
        const source = new HostSource(chunk);
        while (source.remain() > 0) {
          const payload = await hostCopy(w, source);
          if ((payload & 0xf) === DROPPED) {
            await it.return?.();
            return;
          }
        }
        if (done) break;
      }
    } finally {
      const finish = () => {
        sched.hostPending--;
        if (w.other !== null || w.state !== DONE) w.drop();
        schedule();
      };
      // The source ended: drop the writer once the guest's read has taken the event of
      // the last write, and answer a pending zero-length read (a readiness check) with
      // COMPLETED first. Dropped at once, that read would report DROPPED (its outcome is
      // read when delivered), which guest runtimes (wit-bindgen's, with a read that
      // delivered data or a readiness check) take for a plain result, reading again
      // into a finished end: a trap. So the guest learns of the end on its next read.
      const r = w.other;
      if (r !== null && w.state !== COPYING) {
        if (r.state === COPYING && !r.hasPendingEvent() && r.buffer?.remain() === 0) {
          r.buffer = null;
          r.notify(0);
        }
        if (r.hasPendingEvent()) r.afterEvent = finish;
        else finish();
      } else {
        finish();
      }
    }
    // A source that fails (a ReadableStream that errors, an iterator that throws) ends
    // the stream: the guest sees it dropped. The host learns of its own source's error
    // from its source; rethrown here it would only kill the process.
  })().catch(() => {});
  return r;
}

/**
 * A guest's readable future end as a Promise of its value.
 * @param {End} end
 */
export function futureToJs(end) {
  return readFuture(end, hostValue);
}

/**
 * Reads a guest's readable future end: a Promise of its value as `toJs` makes it.
 * @param {End} end @param {(v: unknown) => unknown} toJs
 */
export function readFuture(end, toJs) {
  sched.hostPending++;
  const sink = new HostSink(1);
  return hostCopy(end, sink).then((payload) => {
    sched.hostPending--;
    end.drop();
    schedule();
    if (payload === COMPLETED) return toJs(sink.chunks[0][0]);
    if (end.trapped !== undefined) throw end.trapped;
    throw new Error('the future was dropped without a value');
  });
}

/**
 * A value the host wrote into a stream or future (`r`, the readable end) does not fit
 * its type: that is a trap in the instance reading it, which was entered (as a host
 * import's result of the wrong type is). It is poisoned, and the calls waiting fail with
 * the TypeError (or it is reported, when none is waiting: `fail`).
 * @param {End} r @param {unknown} e
 */
function hostValueFailed(r, e) {
  const inst = /** @type {any} */ (r.owner);
  if (typeof inst?.trapped === 'function') {
    inst.trapped(e);
  } else {
    inst?.poison?.();
    fail(e);
  }
}

/**
 * Marks a promise given for a `future<T>` as handled until it is lowered (a rejection
 * before then is the future's writer dropped, then, not an unhandled rejection).
 * @param {unknown} v
 */
export function handledLater(v) {
  if (v instanceof Promise) v.catch(() => {});
}

/**
 * A JS value or promise for a `future<T>`: returns the readable end to lower. A value
 * that fails `check` (generated per element type) is not written: the writer is
 * dropped and the guest that reads is failed with the TypeError (`hostValueFailed`).
 * `rejectedAs` (`--compat jco`, for a `future<result<…>>`) makes a rejection a value
 * to write (its `err`) instead; when it throws, the writer is dropped.
 * @param {unknown} value @param {number} t @param {boolean} plain
 * @param {((v: unknown, k: number) => void) | null} [check]
 * @param {((e: unknown) => unknown) | null} [rejectedAs]
 */
export function futureFromJs(value, t, plain, check = null, rejectedAs = null) {
  const [r, w] = newEnds(t, plain, null, false);
  sched.hostPending++;
  let p = Promise.resolve(value);
  if (rejectedAs !== null) p = p.catch(rejectedAs);
  p.then(
    async (v) => {
      if (check !== null) {
        try {
          check(v, 0);
        } catch (e) {
          sched.hostPending--;
          w.drop();
          hostValueFailed(r, e);
          schedule();
          return;
        }
      }
      await hostCopy(w, new HostSource([v]));
      sched.hostPending--;
      w.drop();
      schedule();
    },
    () => {
      sched.hostPending--;
      w.drop();
      schedule();
    },
  );
  return r;
}

// error-context (📝).

/** An error context (`class ErrorContext`). */
export class ErrorContext {
  /** @param {string} message */
  constructor(message) {
    this.message = message;
  }
}

/** `canon error-context.new`. @param {any} inst @param {string} message */
export function errorContextNew(inst, message) {
  mayLeave(inst);
  return inst.handles.add(new ErrorContext(message));
}

/** `canon error-context.debug-message`: the message to store. @param {any} inst @param {number} i */
export function errorContextMessage(inst, i) {
  mayLeave(inst);
  const e = inst.handles.get(i);
  if (!(e instanceof ErrorContext)) trap(`index ${i} is not an error context`);
  return e.message;
}

/** `canon error-context.drop`. @param {any} inst @param {number} i */
export function errorContextDrop(inst, i) {
  mayLeave(inst);
  const e = inst.handles.remove(i);
  if (!(e instanceof ErrorContext)) trap(`index ${i} is not an error context`);
}

/** Lifts an error-context value (the handle stays; a new one is made per lowering). @param {any} inst @param {number} i */
export function liftErrorContext(inst, i) {
  const e = inst.handles.get(i);
  if (!(e instanceof ErrorContext)) trap(`index ${i} is not an error context`);
  return e;
}

/** Lowers an error context into `inst`. @param {any} inst @param {unknown} e */
export function lowerErrorContext(inst, e) {
  const ec = e instanceof ErrorContext ? e : new ErrorContext(String(e));
  return inst.handles.add(ec);
}

/**
 * The `move-end` hook of a lowered module whose adapters' movers move the host's
 * objects between tables, bound to the instances by number: a stream (kind 0) or future
 * (1) end of type `t`, or an error context (2), lifted from instance `from`'s table and
 * lowered into instance `to`'s; returns its index.
 * @param {Record<number, any>} instances @param {number} kind @param {number} t
 * @param {number} from @param {number} i @param {number} to
 * @returns {number}
 */
export function moveEnd(instances, kind, t, from, i, to) {
  const src = instances[from];
  const dst = instances[to];
  if (kind === 2) return lowerErrorContext(dst, liftErrorContext(src, i));
  return lowerEnd(dst, liftEnd(src, i, t, kind === 0));
}

/**
 * A value that crossed a stream or future as the JS host sees it: a stream or future
 * end nested in the element becomes a ReadableStream or a Promise.
 * @param {unknown} v
 */
function hostValue(v) {
  if (!(v instanceof End)) return v;
  return v.stream ? streamToJs(v, v.bytes) : futureToJs(v);
}

/**
 * A readable end for a value to lower: an end moving between guests as it is, or a
 * JS value (ReadableStream, iterable, promise) behind a new host-written end, whose
 * items or value `check` validates as they arrive.
 * @param {unknown} v @param {number} t @param {boolean} plain @param {boolean} bytes
 * @param {boolean} stream @param {((v: unknown, k: number) => void) | null} [check]
 * @param {boolean} [lastValue] see `streamFromJs` @param {((e: unknown) => unknown) | null} [rejectedAs] see `futureFromJs`
 */
export function toEnd(v, t, plain, bytes, stream, check = null, lastValue = false, rejectedAs = null) {
  if (v instanceof End) return v;
  return stream ? streamFromJs(v, t, plain, bytes, check, lastValue) : futureFromJs(v, t, plain, check, rejectedAs);
}
