// `async-pair-b` on its own: its `weft:test/async-pair` import implemented in JS, so
// the guest's streams cross into JS (`sum-bytes` gets a ReadableStream the guest
// writes) and JS streams cross into the guest (`produce` returns one).
import { assert, loadGuest, test } from '../testing.mjs';
import { produced, readAll, runChecksum, sleep } from '../async-common.mjs';

/** Chunk lengths of each stream `sumBytes` received, in order. */
const received = [];
/** `[total, chunk]` of each `produce` call. */
const produceCalls = [];

const pair = {
  async echo(s) {
    await sleep(1);
    return s;
  },
  async sumBytes(stream) {
    const { bytes, chunks } = await readAll(stream);
    received.push(chunks);
    let sum = 0;
    for (const b of bytes) sum += b;
    return BigInt(sum);
  },
  // A ReadableStream returned from an async function, written 64 KiB at a time.
  async produce(total, chunk) {
    produceCalls.push([total, chunk]);
    const bytes = produced(total);
    let offset = 0;
    return new ReadableStream({
      pull(controller) {
        if (offset >= total) return controller.close();
        const n = Math.min(65536, total - offset);
        controller.enqueue(bytes.slice(offset, offset + n));
        offset += n;
      },
    });
  },
};

const { instance: inst, instantiate } = await loadGuest('async-pair-b', () => ({ 'weft:test/async-pair': pair }));

test('exports', () => {
  assert.equal(typeof inst.run, 'function');
  assert.equal(typeof inst.echoTwice, 'function');
});

test('echo-twice calls the async import twice', async () => {
  assert.equal(await inst.echoTwice('ab'), 'abab|');
  assert.equal(await inst.echoTwice(''), '|');
});

test('run: streams both ways through JS', async () => {
  for (const n of [0, 1, 3]) {
    received.length = 0;
    produceCalls.length = 0;
    assert.equal(await inst.run(n), runChecksum(n), `run(${n})`);
    const len = 4096 * n + 13;
    // The guest writes its stream in 1000-byte pieces.
    const want = Array(Math.floor(len / 1000)).fill(1000);
    if (len % 1000) want.push(len % 1000);
    assert.deepEqual(received, [want]);
    assert.deepEqual(produceCalls, [[len, 1500]]);
  }
});

test('run: 8 MB each way', async () => {
  const n = 2048;
  received.length = 0;
  assert.equal(await inst.run(n), runChecksum(n));
  assert.equal(received[0].reduce((a, b) => a + b, 0), 4096 * n + 13);
  assert.ok(received[0].every((c) => c === 1000 || c === (4096 * n + 13) % 1000));
});

test('produce may return an async iterable', { needs: ['instances'] }, async () => {
  const other = await instantiate({
    'weft:test/async-pair': {
      ...pair,
      async produce(total) {
        const bytes = produced(total);
        return (async function* () {
          for (let offset = 0; offset < total; offset += 4096) {
            await sleep(0);
            yield bytes.subarray(offset, Math.min(total, offset + 4096));
          }
        })();
      },
    },
  });
  assert.equal(await other.run(2), runChecksum(2));
});

test('wrong bytes from produce make the guest trap', { needs: ['instances'] }, async () => {
  const victim = await instantiate({
    'weft:test/async-pair': {
      ...pair,
      async produce(total) {
        const bytes = produced(total);
        bytes[100] ^= 1;
        return [bytes];
      },
    },
  });
  await assert.rejects(victim.run(1), WebAssembly.RuntimeError);
});
