// The async-basics guest (target/guests/async-basics.wasm, --instantiation) in the page:
// a browser version of a subset of tests/guests/async-basics/test.mjs. Async exports
// return Promises, stream<u8> results are ReadableStreams with one chunk per guest
// write, ReadableStreams go into the guest, futures both ways, async JS imports.
// With `?nojspi` page.js deleted WebAssembly.Suspending and WebAssembly.promising before
// this module loaded, so the runtime must take the callback-ABI path.
import { assert } from '../lib/assert.js';
import { config, test } from '../lib/test.js';

const MB = 1 << 20;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const mod = await import(new URL('async-basics.js', config.out));
const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));

/** `[name, argument]` of every call of the async imports, in order. */
const hostCalls = [];
const host = {
  async hostUpper(s) {
    hostCalls.push(['upper', s]);
    await sleep(1);
    return s.replace(/[a-z]/g, (c) => c.toUpperCase());
  },
  hostSleep(ms) {
    hostCalls.push(['sleep', ms]);
    return sleep(ms);
  },
};
/** A new instance's `weft:test/async-api` (an instance per test: a trap fails one test). */
const fresh = async (overrides = {}) =>
  (await mod.instantiate(getCoreModule, { 'weft:test/async-host': { ...host, ...overrides } })).asyncApi;

/** The bytes `produce(total, _)` writes: byte `i` is `i % 251`. */
function produced(total) {
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = i % 251;
  return out;
}

/** `size` bytes (byte `i` is `(i * 31 + seed) & 255`) in chunks whose lengths cycle through `sizes`. */
function patternChunks(size, sizes, seed = 0) {
  const chunks = [];
  for (let k = 0, offset = 0; offset < size; k++) {
    const n = Math.min(sizes[k % sizes.length], size - offset);
    const chunk = new Uint8Array(n);
    for (let i = 0; i < n; i++) chunk[i] = ((offset + i) * 31 + seed) & 255;
    chunks.push(chunk);
    offset += n;
  }
  return chunks;
}

/** A ReadableStream of `items`, one per chunk, each handed out on a `pull`. */
function chunksOf(items) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < items.length) controller.enqueue(items[i++]);
      else controller.close();
    },
  });
}

/** Every chunk of `stream`, read with a reader (no async iteration needed). */
async function collect(stream) {
  assert.ok(stream instanceof ReadableStream, 'a ReadableStream');
  const reader = stream.getReader();
  const out = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

function bytesOf(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

const sumOf = (chunks) => BigInt(chunks.reduce((s, c) => c.reduce((t, b) => t + b, s), 0));

function fnv1a(chunks) {
  let h = 0x811c9dc5;
  for (const c of chunks) for (let i = 0; i < c.length; i++) h = Math.imul(h ^ c[i], 0x01000193);
  return h >>> 0;
}

/** Whether two byte arrays are equal (faster than a deep compare for megabytes). */
function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const isTrap = (e) => e instanceof WebAssembly.RuntimeError && e.name === 'Trap';

test(config.jspi ? 'the page has JSPI' : 'the page has no JSPI', () => {
  assert.equal(typeof WebAssembly.Suspending === 'function', config.jspi, 'WebAssembly.Suspending');
  assert.equal(typeof WebAssembly.promising === 'function', config.jspi, 'WebAssembly.promising');
});

test('an async export returns a Promise; a sync export its value', async () => {
  const api = await fresh();
  const p = api.echo('x');
  assert.ok(p instanceof Promise);
  assert.equal(await p, 'x');
  assert.equal(api.syncAdd(0xffffffff, 1), 0);
});

test('echo, and many concurrent calls', async () => {
  const api = await fresh();
  assert.equal(await api.echo('straße 😀 \u{10FFFF}'), 'straße 😀 \u{10FFFF}');
  const long = 'async 🦀 '.repeat(50000);
  assert.equal(await api.echo(long), long);
  const words = Array.from({ length: 200 }, (_, i) => `word-${i}-${'x'.repeat(i)}`);
  assert.deepEqual(await Promise.all(words.map((w) => api.echo(w))), words);
});

test('stream<u8> from the guest: a ReadableStream with the chunk sizes as written', async () => {
  const api = await fresh();
  assert.deepEqual(await collect(await api.produce(0, 16)), []);
  const chunks = await collect(await api.produce(10, 3));
  for (const c of chunks) assert.ok(c instanceof Uint8Array);
  assert.deepEqual(
    chunks.map((c) => c.length),
    [3, 3, 3, 1],
  );
  assert.deepEqual(bytesOf(chunks), produced(10));
  for (const [total, chunk] of [
    [65537, 65536],
    [3 * MB + 5, 100000],
  ]) {
    const got = await collect(await api.produce(total, chunk));
    const want = Array(Math.floor(total / chunk)).fill(chunk);
    if (total % chunk) want.push(total % chunk);
    assert.deepEqual(
      got.map((c) => c.length),
      want,
      `chunk sizes of produce(${total}, ${chunk})`,
    );
    assert.ok(sameBytes(bytesOf(got), produced(total)), `bytes of produce(${total}, ${chunk})`);
  }
});

test('stream<u8> from the guest: 8 MB in 64 KiB chunks', async () => {
  const api = await fresh();
  const chunks = await collect(await api.produce(8 * MB, 65536));
  assert.deepEqual(
    chunks.map((c) => c.length),
    Array(128).fill(65536),
  );
  assert.ok(sameBytes(bytesOf(chunks), produced(8 * MB)));
});

test('cancelling a produced stream stops the writer', async () => {
  const api = await fresh();
  const reader = (await api.produce(2 ** 30, 65536)).getReader();
  for (let i = 0; i < 3; i++) assert.equal((await reader.read()).value.length, 65536);
  await reader.cancel();
  assert.equal(await api.echo('after cancel'), 'after cancel');
});

test('a JS ReadableStream into the guest (and other sources)', async () => {
  const api = await fresh();
  const data = [new Uint8Array([1, 2, 3]), new Uint8Array([250]), new Uint8Array(0), new Uint8Array([4])];
  assert.equal(await api.sumBytes(chunksOf(data)), 260n, 'ReadableStream');
  assert.equal(await api.sumBytes(data), 260n, 'array of chunks');
  assert.equal(await api.sumBytes(chunksOf([])), 0n, 'empty stream');
  const bytes = new TextEncoder().encode('hash me, in order');
  assert.equal(await api.hashBytes(chunksOf([bytes.subarray(0, 5), bytes.subarray(5)])), fnv1a([bytes]));
  // A stream a browser API made.
  const blob = new Blob([bytes]);
  assert.equal(await api.hashBytes(blob.stream()), fnv1a([bytes]), 'Blob.stream()');
});

test('a JS ReadableStream into the guest: 8 MB, odd chunk sizes', async () => {
  const api = await fresh();
  for (const sizes of [[64 * 1024], [1000, 100003, 7]]) {
    const chunks = patternChunks(8 * MB, sizes, 3);
    assert.equal(await api.sumBytes(chunksOf(chunks)), sumOf(chunks), `sum, chunks of ${sizes}`);
    assert.equal(await api.hashBytes(chunksOf(chunks)), fnv1a(chunks), `hash, chunks of ${sizes}`);
  }
});

test('stream<string> in and out, one value per chunk', async () => {
  const api = await fresh();
  const words = ['a', 'bc', '', '😀x', 'straße'];
  assert.deepEqual(await collect(await api.upperStream(chunksOf(words))), ['A', 'BC', '', '😀X', 'STRAßE']);
});

test('futures: Promises, thenables and plain values in; a Promise out', async () => {
  const api = await fresh();
  assert.equal(await api.echoFuture(Promise.resolve('now')), 'now');
  assert.equal(await api.echoFuture(sleep(20).then(() => 'later')), 'later');
  assert.equal(await api.echoFuture({ then: (resolve) => resolve('thenable') }), 'thenable');
  assert.equal(await api.echoFuture('plain'), 'plain');
  assert.equal(await api.makeFuture('soon'), 'soon');
  assert.equal(await api.echoFuture(api.makeFuture('round trip')), 'round trip');
});

test('spawned tasks run to completion', async () => {
  const api = await fresh();
  for (const n of [0, 1, 7, 100]) assert.equal(await api.spawnCount(n), n);
});

test('host async imports: async JS functions', async () => {
  const api = await fresh();
  hostCalls.length = 0;
  assert.equal(await api.callHost('hello, wörld'), 'HELLO, WöRLD');
  assert.deepEqual(hostCalls, [
    ['upper', 'hello, wörld'],
    ['sleep', 5],
  ]);
  const inputs = Array.from({ length: 20 }, (_, i) => `call ${i}`);
  assert.deepEqual(await Promise.all(inputs.map((s) => api.callHost(s))), inputs.map((s) => s.toUpperCase()));
});

test('the guest cancels the losing host call', async () => {
  const api = await fresh();
  assert.equal(await api.sleepRace(5, 300), 0);
  assert.equal(await api.sleepRace(300, 5), 1);
});

test('cancelling an async export through an AbortSignal', async () => {
  const api = await fresh({ hostSleep: (ms) => (ms === 0xffffffff ? new Promise(() => {}) : sleep(ms)) });
  const controller = new AbortController();
  const reason = new Error('no longer needed');
  const p = api.slow(0xffffffff, { signal: controller.signal });
  await sleep(20);
  controller.abort(reason);
  await assert.rejects(p, (e) => e === reason || e?.name === 'AbortError');
  assert.deepEqual(api.slowStats(), [0, 1]);
  assert.equal(await api.slow(1), 1);
});

test('backpressure holds async calls back', async () => {
  const api = await fresh();
  api.backpressureOn();
  let settled = false;
  const queued = api.echo('queued').finally(() => {
    settled = true;
  });
  await sleep(30);
  assert.equal(settled, false);
  assert.equal(api.syncAdd(1, 2), 3);
  api.backpressureOff();
  assert.equal(await queued, 'queued');
});

test('everything at once', async () => {
  const api = await fresh();
  const [sum, stream, echoed, count, upper, future] = await Promise.all([
    api.sumBytes(chunksOf(patternChunks(MB, [4096], 5))),
    api.produce(MB, 4096).then(collect),
    api.echo('concurrent'),
    api.spawnCount(50),
    api.callHost('abc'),
    api.echoFuture(sleep(5).then(() => 'f')),
  ]);
  assert.equal(sum, sumOf(patternChunks(MB, [4096], 5)));
  assert.ok(sameBytes(bytesOf(stream), produced(MB)));
  assert.deepEqual([echoed, count, upper, future], ['concurrent', 50, 'ABC', 'f']);
});

test('a trap in an async export rejects and poisons the instance', async () => {
  const victim = await fresh();
  await assert.rejects(victim.trapAfterYield(), WebAssembly.RuntimeError);
  await assert.rejects(async () => victim.echo('after'), isTrap);
  assert.throws(() => victim.syncAdd(1, 2), isTrap);
});

test('a rejected async import propagates and poisons the instance', async () => {
  const boom = new Error('boom');
  const victim = await fresh({
    async hostUpper() {
      throw boom;
    },
  });
  await assert.rejects(victim.callHost('x'), (e) => e === boom);
  await assert.rejects(async () => victim.echo('x'), isTrap);
});
