// Recording what moves through streams and futures (docs/record-replay.md, "Streams
// and futures"). A stream or future in a recorded call's value is written as its trace
// id (`#N`); the value the JS side gets is a stand-in that passes everything through
// and writes each thing that moves, when it moves, as an event line:
//
//   < stream #4: [104, 105]    a chunk of the component's stream, as the host read it
//   < stream #4 end            its end (the component dropped its writable end)
//   > stream #4 cancel         the host cancelled the component's stream
//   > stream #1: [10]          a chunk of the host's stream, as the component took it
//   > stream #1 end            the host's stream ended (`throw …`: it failed)
//   < stream #1 cancel         the component dropped the host's stream before its end
//   < future #5: "done"        the component's future settled (`trap …`: it trapped)
//   > future #2: ok            the host's promise settled
//   > task #3 cancel           the host aborted the async export call of task #3
//   < task #7 cancel           the component cancelled its async host call of task #7
//                              (recordHostFunc, record.js)
//
// `>` is the host acting on the component, `<` the component acting on the host, as
// in calls. A value follows a colon (an enum case may be called `end`); a chunk is what
// one read gave: a `list<u8>` for `stream<u8>`, one value for any other `stream<T>`, a
// count for `stream<_>` (`1` per value the host gives). A failure is written as a
// call's: `trap "…"`, `throw Name "…"`.
//
// The stand-ins: a component's ReadableStream becomes one that reads it as the host
// reads (`recordReadable`); a host's ReadableStream or iterable one async iterable over
// it (`recordSource`); a Promise either way one that settles with it. Each has the id
// of what it stands for. Everything here is in code transpiled with `--record` only.

const RECORD_U32 = { kind: 'u32' };

const recordMovesMemo = new WeakMap();

/** Whether a value of type `t` may hold a stream or a future (memoized per type). */
export function recordMoves(t) {
  if (t === null || typeof t !== 'object') return false;
  let m = recordMovesMemo.get(t);
  if (m !== undefined) return m;
  recordMovesMemo.set(t, false);
  switch (t.kind) {
    case 'stream':
    case 'future':
      m = true;
      break;
    case 'list':
      m = recordMoves(t.element);
      break;
    case 'record':
      m = t.fields.some((f) => recordMoves(f.type));
      break;
    case 'tuple':
      m = t.types.some(recordMoves);
      break;
    case 'variant':
      m = t.cases.some((c) => recordMoves(c.type));
      break;
    case 'option':
      m = recordMoves(t.type);
      break;
    case 'result':
      m = recordMoves(t.ok) || recordMoves(t.err);
      break;
    case 'map':
      m = recordMoves(t.key) || recordMoves(t.value);
      break;
    default:
      m = false;
  }
  recordMovesMemo.set(t, m);
  return m;
}

/** The type a chunk of a stream of type `t` is written as. */
export function recordChunkType(t) {
  if (t.type === null) return RECORD_U32;
  if (t.type.kind === 'u8') return { kind: 'list', element: t.type };
  return t.type;
}

const recordIsObject = (v) => v !== null && typeof v === 'object';

/**
 * `v` of type `t` crossing the boundary (`dir`: `>` into the component, `<` out of
 * it), with each stream and future in it replaced by its recording stand-in. A value
 * not of its type is left as it is (the lowering that follows refuses it); objects on
 * the way to a stream are copied, never changed.
 */
export function recordTransfer(rec, t, v, dir) {
  if (!recordMoves(t)) return v;
  switch (t.kind) {
    case 'stream':
      return dir === '>' ? recordSource(rec, t, v) : recordReadable(rec, t, v);
    case 'future':
      return recordFuture(rec, t, v, dir);
    case 'list':
      return Array.isArray(v) ? v.map((x) => recordTransfer(rec, t.element, x, dir)) : v;
    case 'tuple':
      return Array.isArray(v) ? v.map((x, i) => (i < t.types.length ? recordTransfer(rec, t.types[i], x, dir) : x)) : v;
    case 'record': {
      if (!recordIsObject(v)) return v;
      const o = {};
      for (const f of t.fields) {
        const k = f.js ?? f.name;
        if (k in v) o[k] = recordTransfer(rec, f.type, v[k], dir);
      }
      return o;
    }
    case 'variant': {
      const c = recordIsObject(v) ? t.cases.find((x) => x.name === v.tag) : undefined;
      return c?.type ? { tag: v.tag, value: recordTransfer(rec, c.type, v.value, dir) } : v;
    }
    case 'option':
      if (t.type.kind === 'option') {
        return recordIsObject(v) && v.tag === 'some' ? { tag: 'some', value: recordTransfer(rec, t.type, v.value, dir) } : v;
      }
      return v === null || v === undefined ? v : recordTransfer(rec, t.type, v, dir);
    case 'result': {
      const payload = recordIsObject(v) && (v.tag === 'ok' || v.tag === 'err') ? t[v.tag] : null;
      return payload ? { tag: v.tag, value: recordTransfer(rec, payload, v.value, dir) } : v;
    }
    case 'map':
      if (v instanceof Map) return new Map([...v].map(([k, x]) => [recordTransfer(rec, t.key, k, dir), recordTransfer(rec, t.value, x, dir)]));
      if (recordIsObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, recordTransfer(rec, t.value, x, dir)]));
      return v;
    default:
      return v;
  }
}

/** The text of a chunk of a stream of type `t`, as the host gave or got it. */
function recordChunkText(rec, t, chunk, dir) {
  if (t.type === null) return rec.value(RECORD_U32, dir === '>' ? 1 : chunk);
  if (t.type.kind === 'u8') {
    // A host may give any bytes `list<u8>` takes; the trace has them as bytes.
    if (chunk instanceof ArrayBuffer) chunk = new Uint8Array(chunk);
    else if (ArrayBuffer.isView(chunk) && !(chunk instanceof Uint8Array)) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  return rec.value(recordChunkType(t), chunk);
}

/**
 * A component's stream the host reads (`rs`, the ReadableStream weft made), as one
 * that reads it chunk by chunk as the host reads, writing each chunk, its end and the
 * host's cancelling.
 */
function recordReadable(rec, t, rs) {
  if (!(rs instanceof ReadableStream)) return rs;
  const id = rec.idOf(rs);
  const tag = `stream #${id}`;
  const reader = rs.getReader();
  const out = new ReadableStream(
    {
      async pull(controller) {
        let r;
        try {
          r = await reader.read();
        } catch (e) {
          rec.nested(`< ${tag} ${rec.failure(e)}`);
          controller.error(e);
          return;
        }
        if (r.done) {
          rec.nested(`< ${tag} end`);
          controller.close();
          return;
        }
        const text = recordChunkText(rec, t, r.value, '<');
        const value = t.type === null ? r.value : recordTransfer(rec, t.type, r.value, '<');
        rec.nested(`< ${tag}: ${text}`);
        controller.enqueue(value);
      },
      cancel(reason) {
        rec.nested(`> ${tag} cancel`);
        return reader.cancel(reason);
      },
    },
    // A chunk is read from the component's stream when the host reads one, not before.
    { highWaterMark: 0 },
  );
  rec.alias(out, id, t, true);
  return out;
}

/**
 * A host's stream the component reads (a ReadableStream or an iterable, as weft takes
 * them), as an async iterable over it writing each value the component takes, its end
 * or failure, and the component dropping it early.
 */
function recordSource(rec, t, src) {
  let open;
  // A locked ReadableStream is refused as it is (weft's message names the lock).
  if (recordIsObject(src) && typeof src.getReader === 'function' && src.locked === true) return src;
  if (recordIsObject(src) && typeof src.getReader === 'function') {
    open = () => {
      const reader = src.getReader();
      return { next: () => reader.read(), return: () => reader.cancel() };
    };
  } else if (recordIsObject(src) && typeof src[Symbol.asyncIterator] === 'function') {
    open = () => src[Symbol.asyncIterator]();
  } else if (recordIsObject(src) && typeof src[Symbol.iterator] === 'function') {
    open = () => src[Symbol.iterator]();
  } else {
    return src;
  }
  const id = rec.idOf(src);
  const tag = `stream #${id}`;
  const out = {
    [Symbol.asyncIterator]() {
      const it = open();
      // After its end or its cancelling, nothing more of the stream is written (weft
      // may still stop a source that ended when the component drops its end).
      let cancelled = false;
      let ended = false;
      return {
        async next() {
          let r;
          try {
            r = await it.next();
          } catch (e) {
            // (The state first: writing the line may end a replay, with a throw.)
            const write = !cancelled;
            ended = true;
            if (write) rec.nested(`> ${tag} ${rec.failure(e)}`);
            throw e;
          }
          // A read the component's cancelling ended is not the stream's end.
          if (cancelled) return r;
          if (r.done) {
            ended = true;
            rec.nested(`> ${tag} end`);
            return r;
          }
          const text = recordChunkText(rec, t, r.value, '>');
          const value = t.type === null ? r.value : recordTransfer(rec, t.type, r.value, '>');
          rec.nested(`> ${tag}: ${text}`);
          return { done: false, value };
        },
        async return(v) {
          const write = !cancelled && !ended;
          cancelled = true;
          if (write) rec.nested(`< ${tag} cancel`);
          await it.return?.(v);
          return { done: true, value: v };
        },
      };
    },
  };
  rec.alias(out, id, t, false);
  return out;
}

/**
 * A future crossing the boundary: the component's Promise (`dir` `<`) or what the host
 * gave (a Promise, a thenable or a value, `>`), as a Promise that settles with it,
 * writing what it settled to.
 */
function recordFuture(rec, t, v, dir) {
  if (dir === '<' && !(v instanceof Promise)) return v;
  const id = rec.idOf(v);
  const tag = `${dir} future #${id}`;
  const out = Promise.resolve(v).then(
    (x) => {
      const text = t.type === null ? '()' : rec.value(t.type, x);
      const value = t.type === null ? x : recordTransfer(rec, t.type, x, dir);
      rec.nested(`${tag}: ${text}`);
      return value;
    },
    (e) => {
      rec.nested(`${tag} ${rec.failure(e)}`);
      throw e;
    },
  );
  rec.alias(out, id, t, dir === '<');
  return out;
}
