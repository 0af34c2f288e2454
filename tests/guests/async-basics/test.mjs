// The `async-basics` guest: component-model async through the JS surface. Async exports
// return Promises; `stream<u8>` results are ReadableStreams of Uint8Array chunks as the
// guest wrote them, other streams carry one value per chunk; stream parameters take a
// ReadableStream or any (async) iterable; `future<T>` results are Promises and
// parameters take a Promise, thenable or plain value; the async imports
// (`weft:test/async-host`) are `async` JS functions. Runs in node and in the page (see
// ../testing.mjs), there with JSPI and without.
import { assert, loadGuest, test } from '../testing.mjs';
import {
  FOREVER,
  MB,
  bytesOf,
  chunksOf,
  collect,
  fnv1a,
  isTrap,
  patternChunks,
  produced,
  readAll,
  sameBytes,
  sleep,
  sumOf,
  waitFor,
} from '../async-common.mjs';

/** `[name, argument]` of every call of the async imports, in order. */
const hostCalls = [];

const host = {
  async hostUpper(s) {
    hostCalls.push(['upper', s]);
    await sleep(1);
    return s.replace(/[a-z]/g, (c) => c.toUpperCase());
  },
  // `FOREVER` never resolves (and holds no timer), for calls the guest cancels.
  hostSleep(ms) {
    hostCalls.push(['sleep', ms]);
    return ms === FOREVER ? new Promise(() => {}) : sleep(ms);
  },
};

const imports = (overrides = {}) => ({ 'weft:test/async-host': { ...host, ...overrides } });
const { instantiate } = await loadGuest('async-basics');

/**
 * A new instance's `weft:test/async-api`. Every test makes its own, so that a trap
 * (which poisons an instance) fails one test only.
 */
const fresh = async (overrides) => (await instantiate(imports(overrides))).asyncApi;

/**
 * Makes a call that can be cancelled: `call(options)` calls an async export with
 * `options` after its arguments. Returns `[promise, cancel]`.
 *
 * The JS surface of cancellation is not settled yet. Assumed here (change only this
 * function and `isCancellation` if it ends up different): an async export takes, after
 * its WIT parameters, an optional `{ signal }`; aborting that `AbortSignal` requests
 * cancellation of the task, and if the task is cancelled before it returns a value the
 * promise rejects with the signal's reason.
 */
function cancellable(call) {
  const controller = new AbortController();
  return [call({ signal: controller.signal }), (reason) => controller.abort(reason)];
}

/**
 * `promise`, or a rejection if it has not settled within two seconds: a call that
 * never settles would otherwise end the test run ("the event loop has already
 * resolved") and take the tests after it down too.
 */
function settles(promise, what = 'the call') {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within 2 s`)), 2000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** For `assert.rejects`: the rejection of a call cancelled with `reason`. */
const isCancellation = (reason) => (e) => e === reason || e?.name === 'AbortError';

test('the exported interface, async and sync functions', async () => {
  const inst = await instantiate(imports());
  const api = inst.asyncApi;
  assert.equal(typeof api, 'object');
  assert.equal(inst['weft:test/async-api'], api);
  for (const f of [
    'echo',
    'sumBytes',
    'hashBytes',
    'produce',
    'echoFuture',
    'makeFuture',
    'spawnCount',
    'callHost',
    'upperStream',
    'backpressureOn',
    'backpressureOff',
    'syncAdd',
    'slow',
    'slowStats',
    'sleepRace',
    'readTimeout',
    'trapAfterYield',
  ]) {
    assert.equal(typeof api[f], 'function', f);
  }
  const p = api.echo('x');
  assert.ok(p instanceof Promise, 'an async export returns a Promise');
  return p;
});

test('a sync export of an async component returns its value directly', async () => {
  const api = await fresh();
  assert.equal(api.syncAdd(2, 3), 5);
  assert.equal(api.syncAdd(0xffffffff, 1), 0);
  assert.deepEqual(api.slowStats(), [0, 0]);
});

test('echo', async () => {
  const api = await fresh();
  assert.equal(await api.echo(''), '');
  assert.equal(await api.echo('hello'), 'hello');
  assert.equal(await api.echo('straße 😀 \u{10FFFF}'), 'straße 😀 \u{10FFFF}');
  const long = 'async 🦀 '.repeat(50000);
  assert.equal(await api.echo(long), long);
});

test('many concurrent calls interleave and each gets its own result', async () => {
  const api = await fresh();
  const words = Array.from({ length: 200 }, (_, i) => `word-${i}-${'x'.repeat(i)}`);
  assert.deepEqual(await Promise.all(words.map((w) => api.echo(w))), words);
});

test('sum-bytes and hash-bytes: small streams, every kind of source', async () => {
  const api = await fresh();
  const data = [new Uint8Array([1, 2, 3]), new Uint8Array([250]), new Uint8Array(0), new Uint8Array([4])];
  const want = 260n;
  assert.equal(await api.sumBytes(chunksOf(data)), want, 'ReadableStream');
  assert.equal(await api.sumBytes(data), want, 'array of chunks (sync iterable)');
  assert.equal(
    await api.sumBytes(
      (async function* () {
        for (const c of data) {
          await sleep(1);
          yield c;
        }
      })(),
    ),
    want,
    'async generator',
  );
  assert.equal(await api.sumBytes(chunksOf([])), 0n, 'empty stream');
  assert.equal(await api.sumBytes([]), 0n, 'empty iterable');
  const bytes = new TextEncoder().encode('hash me, in order');
  assert.equal(await api.hashBytes([bytes.subarray(0, 5), bytes.subarray(5)]), fnv1a([bytes]));
  assert.equal(await api.hashBytes([]), fnv1a([]));
  // A stream a web API made.
  assert.equal(await api.hashBytes(new Blob([bytes]).stream()), fnv1a([bytes]), 'Blob.stream()');
});

test('host to guest: 8 MB through sum-bytes and hash-bytes, intact', async () => {
  const api = await fresh();
  const size = 8 * MB;
  // 64 KiB chunks, odd-sized chunks, and one chunk larger than the guest's 64 KiB reads.
  for (const sizes of [[64 * 1024], [1000, 100003, 7], [size]]) {
    const chunks = patternChunks(size, sizes, 3);
    assert.equal(await api.sumBytes(chunksOf(chunks)), sumOf(chunks), `sum, chunks of ${sizes}`);
    assert.equal(await api.hashBytes(chunksOf(chunks)), fnv1a(chunks), `hash, chunks of ${sizes}`);
  }
});

test('produce: a ReadableStream of the chunks the guest wrote', async () => {
  const api = await fresh();
  const empty = await api.produce(0, 16);
  assert.ok(empty instanceof ReadableStream);
  assert.deepEqual(await collect(empty), []);

  const chunks = await collect(await api.produce(10, 3));
  for (const c of chunks) assert.ok(c instanceof Uint8Array);
  assert.deepEqual(
    chunks.map((c) => c.length),
    [3, 3, 3, 1],
  );
  assert.deepEqual(bytesOf(chunks), produced(10));
});

test('guest to host: 8 MB from produce, intact, in 64 KiB chunks', async () => {
  const api = await fresh();
  const size = 8 * MB;
  const { bytes, chunks } = await readAll(await api.produce(size, 65536));
  assert.equal(bytes.length, size);
  assert.deepEqual(chunks, Array(128).fill(65536), 'one chunk per guest write');
  const want = produced(size);
  assert.ok(sameBytes(bytes, want), 'content');
});

test('guest to host: odd sizes, concurrent producers', async () => {
  const api = await fresh();
  const cases = [
    [1, 1],
    [1000, 7],
    [65537, 65536],
    [3 * MB + 5, 100000],
  ];
  const results = await Promise.all(cases.map(async ([total, chunk]) => readAll(await api.produce(total, chunk))));
  cases.forEach(([total, chunk], i) => {
    const { bytes, chunks } = results[i];
    assert.deepEqual(bytes, produced(total), `produce(${total}, ${chunk})`);
    const want = Array(Math.floor(total / chunk)).fill(chunk);
    if (total % chunk) want.push(total % chunk);
    assert.deepEqual(chunks, want, `chunk sizes of produce(${total}, ${chunk})`);
  });
});

test('cancelling a produced stream stops the writer', async () => {
  const api = await fresh();
  // 1 GiB if nobody stopped it.
  const stream = await api.produce(2 ** 30, 65536);
  const reader = stream.getReader();
  for (let i = 0; i < 3; i++) {
    const { value, done } = await reader.read();
    assert.ok(!done);
    assert.equal(value.length, 65536);
  }
  await reader.cancel();
  assert.equal(await api.echo('after cancel'), 'after cancel');
  assert.equal(await api.sumBytes(await api.produce(1000, 100)), sumOf([produced(1000)]));
});

test('echo-future: Promises, thenables and plain values', async () => {
  const api = await fresh();
  assert.equal(await api.echoFuture(Promise.resolve('now')), 'now');
  assert.equal(await api.echoFuture(sleep(20).then(() => 'later')), 'later');
  assert.equal(await api.echoFuture({ then: (resolve) => resolve('thenable') }), 'thenable');
  assert.equal(await api.echoFuture('plain'), 'plain');
  assert.equal(await api.echoFuture(Promise.resolve('😀'.repeat(10000))), '😀'.repeat(10000));
});

test('make-future: the future resolves to the string', async () => {
  const api = await fresh();
  // The Promise of the call resolves to the Promise of the future, which JS flattens.
  assert.equal(await api.makeFuture('soon'), 'soon');
  assert.deepEqual(
    await Promise.all(['a', 'b', 'c'].map((s) => api.makeFuture(s))),
    ['a', 'b', 'c'],
  );
  // The future back into the component.
  assert.equal(await api.echoFuture(api.makeFuture('round trip')), 'round trip');
});

test('spawn-count: spawned tasks all run to completion', async () => {
  const api = await fresh();
  for (const n of [0, 1, 7, 100]) assert.equal(await api.spawnCount(n), n);
  assert.deepEqual(await Promise.all([api.spawnCount(10), api.spawnCount(20)]), [10, 20]);
});

test('call-host: async imports implemented by async JS functions', async () => {
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

test('upper-stream: stream<string> in and out, one value per chunk', async () => {
  const api = await fresh();
  const words = ['a', 'bc', '', '😀x', 'straße'];
  const want = ['A', 'BC', '', '😀X', 'STRAßE'];
  const out = await api.upperStream(chunksOf(words));
  assert.ok(out instanceof ReadableStream);
  assert.deepEqual(await collect(out), want);
  assert.deepEqual(await collect(await api.upperStream(words)), want, 'array');
  assert.deepEqual(await collect(await api.upperStream([])), []);
  const many = Array.from({ length: 10000 }, (_, i) => `item ${i}`);
  assert.deepEqual(
    await collect(
      await api.upperStream(
        (async function* () {
          yield* many;
        })(),
      ),
    ),
    many.map((s) => s.toUpperCase()),
  );
});

test('backpressure: async calls wait until it is off; sync calls do not', async () => {
  const api = await fresh();
  const other = await fresh();
  api.backpressureOn();
  let settled = false;
  const queued = api.echo('queued').finally(() => {
    settled = true;
  });
  await sleep(30);
  assert.equal(settled, false, 'the call has not started');
  assert.equal(api.syncAdd(1, 2), 3, 'sync exports are not held back');
  assert.equal(await other.echo('other instance'), 'other instance');
  api.backpressureOff();
  assert.equal(await queued, 'queued');
  assert.equal(await api.echo('flowing'), 'flowing');
});

test('everything at once', async () => {
  const api = await fresh();
  const [sum, stream, echoed, count, upper, future] = await Promise.all([
    api.sumBytes(chunksOf(patternChunks(MB, [4096], 5))),
    api.produce(MB, 4096).then(readAll),
    api.echo('concurrent'),
    api.spawnCount(50),
    api.callHost('abc'),
    api.echoFuture(sleep(5).then(() => 'f')),
  ]);
  assert.equal(sum, sumOf(patternChunks(MB, [4096], 5)));
  assert.deepEqual(stream.bytes, produced(MB));
  assert.deepEqual([echoed, count, upper, future], ['concurrent', 50, 'ABC', 'f']);
});

test('slow: a call that is not cancelled returns', async () => {
  const api = await fresh();
  assert.equal(await api.slow(1), 1);
  const [p, cancel] = cancellable((options) => api.slow(2, options));
  assert.equal(await p, 2);
  cancel(new Error('too late'));
  assert.deepEqual(api.slowStats(), [2, 0]);
});

test('slow: cancelling the call drops the guest future', async () => {
  const api = await fresh();
  const reason = new Error('no longer needed');
  const [p, cancel] = cancellable((options) => api.slow(FOREVER, options));
  await sleep(20);
  cancel(reason);
  await assert.rejects(settles(p, 'the cancelled call'), isCancellation(reason));
  assert.deepEqual(api.slowStats(), [0, 1]);
  // The instance carries on.
  assert.equal(await api.slow(1), 1);
  assert.deepEqual(api.slowStats(), [1, 1]);
});

test('slow: a call cancelled before it started never runs', async () => {
  const api = await fresh();
  api.backpressureOn();
  const reason = new Error('never mind');
  const [p, cancel] = cancellable((options) => api.slow(1, options));
  await sleep(10);
  cancel(reason);
  api.backpressureOff();
  await assert.rejects(settles(p, 'the cancelled call'), isCancellation(reason));
  assert.deepEqual(api.slowStats(), [0, 0]);
});

test('sleep-race: the guest cancels the losing import call', async () => {
  const api = await fresh();
  hostCalls.length = 0;
  assert.equal(await settles(api.sleepRace(5, 300)), 0);
  assert.equal(await settles(api.sleepRace(300, 5)), 1);
  assert.deepEqual(hostCalls, [
    ['sleep', 5],
    ['sleep', 300],
    ['sleep', 300],
    ['sleep', 5],
  ]);
  assert.equal(await api.echo('after races'), 'after races');
});

// A JS promise cannot be cancelled: assumed here, the runtime resolves the subtask of
// an async JS import as cancelled at once when the guest cancels it (wit-bindgen does
// that with a synchronous `subtask.cancel`, when it drops the call's future), and drops
// the promise's eventual result.
test('sleep-race: cancelling an import call does not wait for its JS promise', async () => {
  const api = await fresh();
  assert.equal(await settles(api.sleepRace(5, FOREVER)), 0);
  assert.equal(await settles(api.sleepRace(FOREVER, 5)), 1);
  assert.equal(await api.echo('after races'), 'after races');
});

test('read-timeout: the guest cancels a pending read and drops the stream', async () => {
  const api = await fresh();
  assert.equal(await settles(api.readTimeout(chunksOf([new Uint8Array(100)]), 300)), 100);
  let cancelled = false;
  const silent = new ReadableStream({
    pull: () => new Promise(() => {}),
    cancel() {
      cancelled = true;
    },
  });
  assert.equal(await settles(api.readTimeout(silent, 10)), null);
  await waitFor(() => cancelled, 'the source of the dropped stream is cancelled');
  assert.equal(await api.echo('after timeout'), 'after timeout');
});

test('a stream<u8> parameter that is not a stream or iterable is a TypeError', async () => {
  const api = await fresh();
  await assert.rejects(async () => api.sumBytes(42), TypeError);
  await assert.rejects(async () => api.sumBytes({}), TypeError);
  // TypeErrors do not poison the instance.
  assert.equal(await api.echo('still fine'), 'still fine');
});

test('arguments that do not fit: an async export rejects, a sync one throws, the instance stays usable', async () => {
  const api = await fresh();
  const bad = api.echo(42);
  assert.ok(bad instanceof Promise);
  await assert.rejects(bad, (e) => e instanceof TypeError && e.message === 'arg 0: expected string, got number 42');
  await assert.rejects(
    api.sumBytes({ length: 1, 0: 1 }),
    (e) => e instanceof TypeError && e.message === 'arg 0: expected ReadableStream or iterable, got object',
  );
  const locked = new ReadableStream();
  locked.getReader();
  await assert.rejects(api.sumBytes(locked), (e) => e instanceof TypeError && e.message === 'arg 0: the ReadableStream is locked to a reader');
  assert.throws(() => api.syncAdd(1, '2'), (e) => e instanceof TypeError && e.message === 'arg 1: expected number, got string');
  assert.equal(await api.echo('still fine'), 'still fine');
  assert.equal(api.syncAdd(1, 2), 3);
});

test('a stream item that does not fit fails the call reading it and poisons the instance', async () => {
  const api = await fresh();
  // Not a chunk of bytes: once `new Uint8Array(5)`, five zero bytes.
  await assert.rejects(
    settles(api.sumBytes([new Uint8Array([1, 2]), 5])),
    (e) => e instanceof TypeError && e.message === 'arg 0 [1]: expected Array or Uint8Array, got number 5',
  );
  await assert.rejects(async () => api.echo('x'), isTrap);
  const other = await fresh();
  assert.equal(await other.sumBytes([[1, 2], new Uint8Array([3])]), 6n, 'an Array of numbers is a chunk too');
  await assert.rejects(
    settles(other.sumBytes([[1, 'x']])),
    (e) => e instanceof TypeError && e.message === 'arg 0 [0][1]: expected number, got string',
  );
});

test('a future value that does not fit fails the call awaiting it and poisons the instance', async () => {
  const api = await fresh();
  await assert.rejects(
    settles(api.echoFuture(Promise.resolve(42))),
    (e) => e instanceof TypeError && e.message === 'arg 0 (resolved): expected string, got number 42',
  );
  await assert.rejects(async () => api.echo('x'), isTrap);
});

test('a rejected async import propagates and poisons the instance', async () => {
  const api = await fresh();
  const boom = new Error('boom');
  const victim = await fresh({
    async hostUpper() {
      throw boom;
    },
  });
  await assert.rejects(victim.callHost('x'), (e) => e === boom);
  await assert.rejects(async () => victim.echo('x'), isTrap);
  assert.equal(await api.echo('others are fine'), 'others are fine');
});

test('a trap in an async export rejects and poisons the instance', async () => {
  const api = await fresh();
  const victim = await fresh();
  assert.equal(await victim.echo('before'), 'before');
  await assert.rejects(victim.trapAfterYield(), WebAssembly.RuntimeError);
  await assert.rejects(async () => victim.echo('after'), isTrap);
  assert.throws(() => victim.syncAdd(1, 2), isTrap);
  assert.equal(await api.echo('others are fine'), 'others are fine');
});
