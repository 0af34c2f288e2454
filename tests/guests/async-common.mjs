// Shared by the test.mjs files of the component-model async guests (`async-*`): stream
// sources and sinks, the byte patterns the guests write, checksums. Plain JS that runs
// in node and in a page (see testing.mjs).

export const MB = 1 << 20;

/** A promise resolving after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A `host-sleep` argument for a sleep that never ends (the JS side holds no timer). */
export const FOREVER = 0xffffffff;

/** The bytes `produce(total, _)` writes: byte `i` is `i % 251`. */
export function produced(total) {
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = i % 251;
  return out;
}

/**
 * `size` bytes (byte `i` is `(i * 31 + seed) & 255`) cut into chunks whose lengths
 * cycle through `sizes` (the last one may be shorter).
 */
export function patternChunks(size, sizes, seed = 0) {
  const chunks = [];
  let offset = 0;
  for (let k = 0; offset < size; k++) {
    const n = Math.min(sizes[k % sizes.length], size - offset);
    const chunk = new Uint8Array(n);
    for (let i = 0; i < n; i++) chunk[i] = ((offset + i) * 31 + seed) & 255;
    chunks.push(chunk);
    offset += n;
  }
  return chunks;
}

/** A ReadableStream of `items`, one per chunk, each handed out on a `pull`. */
export function chunksOf(items) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < items.length) controller.enqueue(items[i++]);
      else controller.close();
    },
  });
}

/** Every chunk of `stream`, in order. */
export async function collect(stream) {
  const out = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

/** The chunks concatenated. */
export function bytesOf(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * Reads a `stream<u8>` to its end: `{ bytes, chunks }`, `chunks` being the length of
 * each chunk. Throws unless every chunk is a non-empty Uint8Array.
 */
export async function readAll(stream) {
  if (!(stream instanceof ReadableStream)) throw new TypeError('not a ReadableStream');
  const parts = [];
  for await (const chunk of stream) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError(`chunk is not a Uint8Array: ${chunk}`);
    if (chunk.length === 0) throw new Error('empty chunk');
    parts.push(chunk);
  }
  return { bytes: bytesOf(parts), chunks: parts.map((c) => c.length) };
}

/** Whether two byte arrays hold the same bytes (quicker than a deep compare for megabytes). */
export function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The sum of all bytes of `chunks`, as `sum-bytes` returns it (a bigint). */
export function sumOf(chunks) {
  let sum = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++) sum += c[i];
  return BigInt(sum);
}

/** The 32-bit FNV-1a hash of the bytes of `chunks`, as `hash-bytes` returns it. */
export function fnv1a(chunks) {
  let h = 0x811c9dc5;
  for (const c of chunks) for (let i = 0; i < c.length; i++) h = Math.imul(h ^ c[i], 0x01000193);
  return h >>> 0;
}

/** For `assert.throws`/`rejects`: the runtime's `Trap`. */
export const isTrap = (e) => e instanceof WebAssembly.RuntimeError && e.name === 'Trap';

/** Resolves once `condition()` holds; rejects with `what` after two seconds. */
export async function waitFor(condition, what) {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2000) throw new Error(`timed out: ${what}`);
    await sleep(5);
  }
}

/** The bytes `async-pair-b`'s `run(n)` streams into `sum-bytes`: byte `i` is `(i * 7 + n) % 256`. */
export function runPattern(n, len) {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (i * 7 + n) % 256;
  return out;
}

/** What `async-pair-b`'s `run(n)` returns (see its WIT). */
export function runChecksum(n) {
  const len = 4096 * n + 13;
  const k = (n % 5) + 3;
  let echoLen = 0;
  for (let i = 0; i < k; i++) echoLen += `echo-${i}`.length;
  return sumOf([runPattern(n, len)]) + BigInt(len) + sumOf([produced(len)]) + BigInt(echoLen);
}
