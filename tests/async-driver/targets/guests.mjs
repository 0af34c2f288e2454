// The Rust guests of tests/guests/ as driver targets: for each, how to instantiate it
// (with the driver's host for its imports) and the operations a random program is made
// of. Results are checked wherever the guest's contract fixes them (echo returns its
// argument, sums and hashes of what the driver sent, the bytes `produce` writes, …),
// unless the driver's host misbehaved on purpose in that run.
import { FOREVER, fnv1a, produced, runChecksum, sumOf } from '../../guests/async-common.mjs';

/** A random string: empty, ASCII, non-ASCII, sometimes long. */
function randomString(rng) {
  const alphabet = ['a', 'b', 'z', ' ', 'ß', 'é', '😀', '\u{10FFFF}', 'Q', '-'];
  const n = rng.weighted([
    [1, 0],
    [6, rng.range(1, 12)],
    [1, rng.range(100, 3000)],
  ]);
  let s = '';
  for (let i = 0; i < n; i++) s += rng.pick(alphabet);
  return s;
}

const upper = (s) => s.replace(/[a-z]/g, (c) => c.toUpperCase());

/** Random byte chunks (some empty), `total` bytes at most. */
function byteChunks(rng, maxChunks = 6, maxSize = 3000) {
  const n = rng.range(0, maxChunks);
  const out = [];
  for (let k = 0; k < n; k++) {
    const len = rng.weighted([
      [1, 0],
      [5, rng.range(1, 64)],
      [2, rng.range(65, maxSize)],
    ]);
    const c = new Uint8Array(len);
    for (let i = 0; i < len; i++) c[i] = rng.int(256);
    out.push(c);
  }
  return out;
}

/** How the driver reads a ReadableStream it received. */
function consumePolicy(rng) {
  return rng.weighted([
    [6, { kind: 'all' }],
    [2, { kind: 'some', n: rng.range(1, 3) }],
    [1, { kind: 'cancel' }],
  ]);
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A promise that settles (never rejects) when `call` does. */
const settled = (call) => (call.promise ? call.promise.then(() => undefined, () => undefined) : undefined);

/**
 * Passes a guest's output stream to another call. A call cancelled before it started
 * never took its stream argument (its arguments are lowered when it starts): the host
 * still owns the stream then, and cancels it.
 */
function pipeInto(run, stream, invoke, total) {
  const want = sumOf([produced(total)]);
  const call = run.call('pipe sum-bytes', invoke, {
    check: (v) => {
      if (v === want) return null;
      // The producing instance may have trapped: its stream then ends early, and the
      // sum is that of what it wrote. Judged at the end, once traps are known.
      run.defer(`pipe sum-bytes#${call.id}`, (trapped) => (trapped && prefixSums(total).has(v) ? null : `got ${v}, expected ${want}`));
      return null;
    },
  });
  return settled(call)?.then(() => {
    if (stream.locked) return undefined;
    // (A stream the trapped instance abandoned is errored: cancelling it rejects.)
    return stream.cancel().catch((e) => {
      if (run.classify(e) === 'bad') run.fail('bad-error', `cancelling a piped stream failed with ${e?.name}: ${e?.message}`);
    });
  });
}

/** The sums of every prefix of `produced(total)`. */
function prefixSums(total) {
  const out = new Set([0n]);
  let sum = 0n;
  for (const b of produced(total)) out.add((sum += BigInt(b)));
  return out;
}

/** Per-run switches: most runs keep the host well-behaved, so that leak checks apply. */
function hostMood(run) {
  const rng = run.rng;
  return {
    faults: rng.chance(0.25),
    sourceErrors: rng.chance(0.15),
    reenter: rng.chance(0.3),
  };
}

/** Spreads `n` operations over the first turns of the run. */
function schedule(run, n, span, pick) {
  for (let i = 0; i < n; i++) {
    const op = pick();
    run.at(run.rng.weighted([[2, 0], [5, run.rng.range(1, span)]]), op);
  }
}

// async-basics ------------------------------------------------------------------------

function basicsScenario(run, world) {
  return async () => {
    const rng = run.rng;
    const mood = hostMood(run);
    run.note(`mood ${JSON.stringify(mood)}`);
    const n = rng.range(1, 2);
    const apis = [];
    const instances = [];
    for (let k = 0; k < n; k++) {
      const self = { api: null };
      const reenter = () => {
        if (!mood.reenter || self.api === null || !rng.chance(0.15)) return;
        // Re-entry from inside a host import: the guest's core code is on the stack.
        if (rng.chance(0.5)) run.call(`reenter sync-add`, () => self.api.syncAdd(1, 2), { cancel: 0 });
        else run.call(`reenter echo`, (o) => self.api.echo('re', o), { check: (v) => (v === 're' ? null : `got ${v}`) });
      };
      const faults = mood.faults ? { reject: 0.04, throws: 0.02 } : {};
      const imports = {
        'weft:test/async-host': {
          hostUpper(s) {
            reenter();
            return run.hostResult(`host-upper`, () => upper(s), faults);
          },
          hostSleep(ms) {
            reenter();
            if (ms === FOREVER) return new Promise(() => {});
            return run.hostResult(`host-sleep(${ms})`, () => undefined, { ...faults, turns: ms });
          },
        },
      };
      const { exports, instances: made } = await world.instantiate(imports);
      self.api = exports.asyncApi;
      apis.push(exports.asyncApi);
      instances.push(...made);
    }
    const ops = [
      [4, () => {
        const api = rng.pick(apis);
        const s = randomString(rng);
        return () => run.call('echo', (o) => api.echo(s, o), { check: (v) => (v === s ? null : 'echo changed the string') });
      }],
      [3, () => {
        const api = rng.pick(apis);
        const chunks = byteChunks(rng);
        const hash = rng.chance(0.5);
        const errorAt = mood.sourceErrors && rng.chance(0.3) ? rng.int(chunks.length + 1) : -1;
        const want = hash ? fnv1a(chunks) : sumOf(chunks);
        const name = hash ? 'hash-bytes' : 'sum-bytes';
        return () =>
          run.call(name, (o) => (hash ? api.hashBytes : api.sumBytes)(run.source(name, chunks, { errorAt }), o), {
            check: (v) => (errorAt >= 0 || v === want ? null : `${v} != ${want}`),
          });
      }],
      [4, () => {
        const api = rng.pick(apis);
        const total = rng.weighted([[1, 0], [4, rng.range(1, 3000)], [2, rng.range(3001, 40000)]]);
        const chunk = rng.range(1, 5000);
        const policy = consumePolicy(rng);
        return () =>
          run.call(`produce(${total},${chunk})`, (o) => api.produce(total, chunk, o), {
            then: async (stream) => {
              const { chunks, done } = await run.consume(`produce(${total},${chunk}) stream`, stream, policy);
              if (!done) return;
              const bytes = concat(chunks);
              if (!sameBytes(bytes, produced(total))) run.fail('wrong-result', `produce(${total},${chunk}): wrong bytes (${bytes.length} bytes)`);
            },
          });
      }],
      [2, () => {
        const api = rng.pick(apis);
        const s = randomString(rng);
        const how = rng.weighted([[2, 'plain'], [3, 'later'], [1, 'thenable'], [mood.sourceErrors ? 1 : 0, 'rejects']]);
        const d = rng.range(1, 8);
        const value = () => {
          if (how === 'plain') return s;
          if (how === 'thenable') return { then: (ok) => ok(s) };
          if (how === 'later') return run.clock.sleep(d).then(() => s);
          return run.clock.sleep(d).then(() => {
            throw run.hostError('echo-future value rejected');
          });
        };
        return () => {
          const v = value();
          const call = run.call(`echo-future(${how})`, (o) => api.echoFuture(v, o), {
            check: (x) => (how === 'rejects' || x === s ? null : `got ${x}`),
          });
          // A call refused at entry (the instance trapped earlier) never took its
          // argument: the host still owns that promise, and handles its rejection. (A
          // call that took it, or waits to, must handle it: that stays checked.)
          const own = () => {
            if (call.state === 'rejected' && /cannot enter component instance/.test(call.value?.message)) v?.catch?.(() => {});
          };
          if (call.promise) call.promise.then(own, own);
          else own();
        };
      }],
      [2, () => {
        const api = rng.pick(apis);
        const s = randomString(rng);
        return () => run.call('make-future', (o) => api.makeFuture(s, o), { check: (v) => (v === s ? null : `got ${v}`) });
      }],
      [2, () => {
        const api = rng.pick(apis);
        const k = rng.range(0, 30);
        return () => run.call(`spawn-count(${k})`, (o) => api.spawnCount(k, o), { check: (v) => (v === k ? null : `got ${v}`) });
      }],
      [3, () => {
        const api = rng.pick(apis);
        const s = randomString(rng);
        return () => run.call('call-host', (o) => api.callHost(s, o), { check: (v) => (v === upper(s) ? null : `got ${v}`) });
      }],
      [2, () => {
        const api = rng.pick(apis);
        const words = Array.from({ length: rng.range(0, 8) }, () => randomString(rng));
        const errorAt = mood.sourceErrors && rng.chance(0.3) ? rng.int(words.length + 1) : -1;
        const policy = consumePolicy(rng);
        return () =>
          run.call('upper-stream', (o) => api.upperStream(run.source('upper-stream', words, { errorAt }), o), {
            then: async (stream) => {
              const { chunks, done } = await run.consume('upper-stream output', stream, policy);
              if (done && errorAt < 0 && JSON.stringify(chunks) !== JSON.stringify(words.map(upper))) {
                run.fail('wrong-result', `upper-stream: got ${JSON.stringify(chunks).slice(0, 200)}`);
              }
            },
          });
      }],
      [2, () => {
        // Backpressure on, and off again some turns later (calls made meanwhile wait).
        const api = rng.pick(apis);
        const off = rng.range(0, 15);
        return () => {
          run.call('backpressure-on', () => api.backpressureOn(), { cancel: 0 });
          run.clock.after(off, () => run.call('backpressure-off', () => api.backpressureOff(), { cancel: 0 }));
        };
      }],
      [2, () => {
        const api = rng.pick(apis);
        const a = rng.u32();
        const b = rng.u32();
        return () => {
          run.call('sync-add', () => api.syncAdd(a, b), { cancel: 0, check: (v) => (v === ((a + b) >>> 0) ? null : `got ${v}`) });
          run.call('slow-stats', () => api.slowStats(), {
            cancel: 0,
            check: (v) => (Array.isArray(v) && v.length === 2 ? null : `got ${v}`),
          });
        };
      }],
      [3, () => {
        const api = rng.pick(apis);
        const ms = rng.weighted([[3, rng.range(0, 10)], [1, FOREVER]]);
        // A call that would never return is always cancelled.
        return () =>
          run.call(`slow(${ms})`, (o) => api.slow(ms, o), {
            cancel: ms === FOREVER ? 1 : 0.4,
            check: (v) => (v === ms ? null : `got ${v}`),
          });
      }],
      [2, () => {
        const api = rng.pick(apis);
        const a = rng.weighted([[4, rng.range(0, 8)], [1, FOREVER]]);
        const b = a === FOREVER ? rng.range(0, 8) : rng.weighted([[4, rng.range(0, 8)], [1, FOREVER]]);
        const want = Math.abs((a === FOREVER ? 1e9 : a) - (b === FOREVER ? 1e9 : b)) >= 2 ? (a < b ? 0 : 1) : null;
        return () =>
          run.call(`sleep-race(${a},${b})`, (o) => api.sleepRace(a, b, o), {
            check: (v) => (mood.faults || want === null || v === want ? null : `got ${v}, expected ${want}`),
          });
      }],
      [2, () => {
        const api = rng.pick(apis);
        const chunks = byteChunks(rng, 3);
        const ms = rng.range(0, 8);
        return () =>
          run.call(`read-timeout(${ms})`, (o) => api.readTimeout(run.source('read-timeout', chunks), ms, o), {
            check: (v) => (v === null || (typeof v === 'number' && v <= 65536) ? null : `got ${v}`),
          });
      }],
      [mood.faults ? 1 : 0, () => {
        const api = rng.pick(apis);
        return () => run.call('trap-after-yield', (o) => api.trapAfterYield(o), { check: () => 'trap-after-yield returned' });
      }],
      [2, () => {
        // A guest's output stream piped by the host into another (or the same) instance.
        const from = rng.pick(apis);
        const to = rng.pick(apis);
        const total = rng.range(0, 20000);
        const chunk = rng.range(1, 5000);
        return () =>
          run.call(`pipe produce(${total},${chunk})`, (o) => from.produce(total, chunk, o), {
            then: (stream) => pipeInto(run, stream, (o) => to.sumBytes(stream, o), total),
          });
      }],
    ];
    const count = run.long ? rng.range(4, 40) : rng.range(3, 14);
    schedule(run, count, run.long ? 60 : 20, () => rng.weighted(ops.filter(([w]) => w > 0))());
    return { instances };
  };
}

// async-pair-a ------------------------------------------------------------------------

function pairAScenario(run, world) {
  return async () => {
    const rng = run.rng;
    const mood = hostMood(run);
    const apis = [];
    const instances = [];
    for (let k = rng.range(1, 2); k > 0; k--) {
      const { exports, instances: made } = await world.instantiate({});
      apis.push(exports.asyncPair);
      instances.push(...made);
    }
    const ops = [
      [3, () => {
        const api = rng.pick(apis);
        const s = randomString(rng);
        return () => run.call('echo', (o) => api.echo(s, o), { check: (v) => (v === s ? null : 'echo changed the string') });
      }],
      [3, () => {
        const api = rng.pick(apis);
        const chunks = byteChunks(rng);
        const errorAt = mood.sourceErrors && rng.chance(0.3) ? rng.int(chunks.length + 1) : -1;
        return () =>
          run.call('sum-bytes', (o) => api.sumBytes(run.source('sum-bytes', chunks, { errorAt }), o), {
            check: (v) => (errorAt >= 0 || v === sumOf(chunks) ? null : `got ${v}`),
          });
      }],
      [3, () => {
        const api = rng.pick(apis);
        const total = rng.range(0, 20000);
        const chunk = rng.range(1, 5000);
        const policy = consumePolicy(rng);
        return () =>
          run.call(`produce(${total},${chunk})`, (o) => api.produce(total, chunk, o), {
            then: async (stream) => {
              const { chunks, done } = await run.consume('produce stream', stream, policy);
              if (done && !sameBytes(concat(chunks), produced(total))) run.fail('wrong-result', `produce(${total},${chunk}): wrong bytes`);
            },
          });
      }],
      [1, () => {
        const from = rng.pick(apis);
        const to = rng.pick(apis);
        const total = rng.range(0, 20000);
        return () =>
          run.call('pipe produce', (o) => from.produce(total, 777, o), {
            then: (stream) => pipeInto(run, stream, (o) => to.sumBytes(stream, o), total),
          });
      }],
    ];
    schedule(run, run.long ? rng.range(4, 40) : rng.range(3, 14), 20, () => rng.weighted(ops)());
    return { instances };
  };
}

// async-pair-b (its import written by the driver) and async-compose (A plugged in) -----

/** The driver's `weft:test/async-pair`, honest unless the mood allows faults. */
function pairHost(run, mood) {
  const rng = run.rng;
  const faults = mood.faults ? { reject: 0.04, throws: 0.02 } : {};
  return {
    echo(s) {
      const wrong = mood.faults && rng.chance(0.03);
      return run.hostResult('pair.echo', () => (wrong ? `${s}!` : s), faults);
    },
    sumBytes(stream) {
      // The guest's stream: read it (as the policy says) before answering.
      const policy = mood.faults ? consumePolicy(rng) : { kind: 'all' };
      const p = run.consume('pair.sum-bytes input', stream, policy).then(({ chunks }) => {
        const sum = sumOf(chunks);
        return run.hostResult('pair.sum-bytes', () => sum, faults);
      });
      // The run waits for this host call to end (a rejection is the host's choice).
      run.track('pair.sum-bytes', p.catch(() => undefined));
      return p;
    },
    produce(total, chunk) {
      const bytes = produced(total);
      if (mood.faults && rng.chance(0.05) && total > 0) bytes[rng.int(total)] ^= 1;
      const pieces = [];
      const size = rng.range(1, 5000);
      for (let o = 0; o < total; o += size) pieces.push(bytes.subarray(o, Math.min(total, o + size)));
      return run.hostResult('pair.produce', () => run.source('pair.produce', pieces), faults);
    },
  };
}

function pairScenario(run, world, composed) {
  return async () => {
    const rng = run.rng;
    const mood = composed ? { faults: false, sourceErrors: false } : hostMood(run);
    run.note(`mood ${JSON.stringify(mood)}`);
    const apis = [];
    const instances = [];
    for (let k = rng.range(1, 2); k > 0; k--) {
      const { exports, instances: made } = await world.instantiate(composed ? {} : { 'weft:test/async-pair': pairHost(run, mood) });
      apis.push(exports);
      instances.push(...made);
    }
    const ops = [
      [3, () => {
        const api = rng.pick(apis);
        const n = rng.weighted([[3, 0], [3, 1], [1, 2]]);
        return () =>
          run.call(`run(${n})`, (o) => api.run(n, o), {
            check: (v) => (mood.faults || v === runChecksum(n) ? null : `got ${v}, expected ${runChecksum(n)}`),
          });
      }],
      [4, () => {
        const api = rng.pick(apis);
        const s = randomString(rng);
        return () =>
          run.call('echo-twice', (o) => api.echoTwice(s, o), {
            check: (v) => (mood.faults || v === `${s}${s}|` ? null : `got ${JSON.stringify(v).slice(0, 80)}`),
          });
      }],
    ];
    schedule(run, run.long ? rng.range(3, 24) : rng.range(2, 8), 20, () => rng.weighted(ops)());
    return { instances };
  };
}

/** Guest targets: `wasm` under target/guests, the scenario maker. */
export const guestTargets = {
  'async-basics': { wasm: 'async-basics', scenario: basicsScenario },
  'async-pair-a': { wasm: 'async-pair-a', scenario: pairAScenario },
  'async-pair-b': { wasm: 'async-pair-b', scenario: (run, world) => pairScenario(run, world, false) },
  'async-compose': { wasm: 'async-compose', scenario: (run, world) => pairScenario(run, world, true) },
};
