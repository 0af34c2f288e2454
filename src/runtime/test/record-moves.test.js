// record-moves.js: what moves through streams and futures, recorded at the boundary and
// replayed from a trace, driven by hand (the generated code's calls: tests/traces/
// async-basics*.trace and the WASI 0.3 programs replayed by run-cli.mjs --record).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Recorder, recordExport, recordHostFunc, recordImport } from '../record.js';
import { recordTransfer } from '../record-moves.js';
import { list, option, prim, record, result, variant } from './wave-types.js';

const [u8, u32, string] = [prim('u8'), prim('u32'), prim('string')];
const bytes = { kind: 'stream', type: u8 };
const strings = { kind: 'stream', type: string };
const units = { kind: 'stream', type: null };
const later = { kind: 'future', type: string };

const fns = [
  { name: 'sum', params: [{ name: 's', type: bytes }], result: u32, async: true },
  { name: 'produce', params: [], result: bytes, async: true },
  { name: 'echo', params: [{ name: 'f', type: later }], result: string, async: true },
  { name: 'upper', params: [{ name: 's', type: strings }], result: strings },
  { name: 'host#read', params: [], result: { kind: 'tuple', types: [bytes, later] } },
  { name: 'host#write', params: [{ name: 's', type: bytes }], result: null },
  { name: 'ticks', params: [{ name: 's', type: units }], result: units },
  { name: 'slow', params: [], result: u32, async: true },
  { name: 'both', params: [{ name: 'a', type: strings }, { name: 'b', type: strings }], result: string, async: true },
  { name: 'visit', params: [{ name: 'n', type: u32 }], result: u32 },
  { name: 'host#each', params: [{ name: 'n', type: u32 }], result: u32 },
  { name: 'double', params: [{ name: 'x', type: u32 }], result: u32 },
  { name: 'host#wait', params: [], result: null, async: true },
];

const trace = (rec) => rec.text().split('\n').slice(1, -1);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function drain(rs) {
  const out = [];
  for await (const c of rs) out.push(c);
  return out;
}

/** Reads every item of a source as weft's runtime does (`[Symbol.asyncIterator]`). */
async function take(src) {
  const it = src[Symbol.asyncIterator]();
  const out = [];
  for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value);
  return out;
}

test('values without streams or futures pass as they are; others are copied, never changed', () => {
  const rec = new Recorder('world w', fns);
  const point = record('point', { x: u32, y: u32 });
  const p = { x: 1, y: 2 };
  assert.equal(recordTransfer(rec, point, p, '>'), p);
  const holder = record('holder', { 'the-stream': bytes, n: u32 });
  const src = [new Uint8Array([1])];
  const h = { theStream: src, n: 3 };
  const moved = recordTransfer(rec, holder, h, '>');
  assert.notEqual(moved, h);
  assert.equal(h.theStream, src);
  assert.equal(moved.n, 3);
  assert.notEqual(moved.theStream, src);
  assert.equal(typeof moved.theStream[Symbol.asyncIterator], 'function');
  // Streams in options, results, variants and lists; a value not of its type as it is.
  const nested = list(option(result(variant('v', { s: strings, none: null }), null)));
  const value = [null, { tag: 'ok', value: { tag: 's', value: ['x'] } }, { tag: 'ok', value: { tag: 'none' } }];
  const m = recordTransfer(rec, nested, value, '>');
  assert.equal(m[0], null);
  assert.equal(typeof m[1].value.value[Symbol.asyncIterator], 'function');
  assert.deepEqual(m[2], { tag: 'ok', value: { tag: 'none' } });
  assert.equal(recordTransfer(rec, bytes, 42, '>'), 42);
});

test("a host's stream: each chunk the component takes, its end; any source weft takes", async () => {
  const rec = new Recorder('world w', fns);
  const sum = recordExport(rec, 0, async (s) => (await take(s)).flatMap((c) => [...new Uint8Array(c)]).reduce((a, b) => a + b, 0));
  // (Any bytes weft takes: the trace has them as bytes.)
  assert.equal(await sum([new Uint8Array([1, 2]), [3], new Uint8Array([4, 5]).buffer]), 15);
  const rs = new ReadableStream({
    start(c) {
      c.enqueue(new Uint8Array([9]));
      c.close();
    },
  });
  assert.equal(await sum(rs), 9);
  async function* gen() {
    yield new Uint8Array([7]);
  }
  assert.equal(await sum(gen()), 7);
  assert.deepEqual(trace(rec), [
    '> sum(#1) -> task #2',
    '> stream #1: [1, 2]',
    '> stream #1: [3]',
    '> stream #1: [4, 5]',
    '> stream #1 end',
    'task #2 -> 15',
    '> sum(#3) -> task #4',
    '> stream #3: [9]',
    '> stream #3 end',
    'task #4 -> 9',
    '> sum(#5) -> task #6',
    '> stream #5: [7]',
    '> stream #5 end',
    'task #6 -> 7',
  ]);
});

test("a host's stream that fails, and one the component drops early (not after its end)", async () => {
  const rec = new Recorder('world w', fns);
  const failing = {
    *[Symbol.iterator]() {
      yield new Uint8Array([1]);
      throw new RangeError('disk on fire');
    },
  };
  const sum = recordExport(rec, 0, async (s) => {
    const it = s[Symbol.asyncIterator]();
    await it.next();
    await assert.rejects(it.next(), /disk on fire/);
    return 1;
  });
  await sum(failing);
  const early = recordExport(rec, 0, async (s) => {
    const it = s[Symbol.asyncIterator]();
    await it.next();
    await it.return();
    return 0;
  });
  await early([[1], [2]]);
  const ended = recordExport(rec, 0, async (s) => {
    const it = s[Symbol.asyncIterator]();
    await it.next();
    await it.next();
    await it.return();
    return 0;
  });
  await ended([[1]]);
  assert.deepEqual(trace(rec), [
    '> sum(#1) -> task #2',
    '> stream #1: [1]',
    '> stream #1 throw RangeError "disk on fire"',
    'task #2 -> 1',
    '> sum(#3) -> task #4',
    '> stream #3: [1]',
    '< stream #3 cancel',
    'task #4 -> 0',
    '> sum(#5) -> task #6',
    '> stream #5: [1]',
    '> stream #5 end',
    'task #6 -> 0',
  ]);
});

test("the component's stream: each chunk as the host reads it, its end, a trap, the host cancelling", async () => {
  const rec = new Recorder('world w', fns);
  const of = (chunks, fail) =>
    new ReadableStream({
      start(c) {
        for (const x of chunks) c.enqueue(x);
        if (fail) c.error(fail);
        else c.close();
      },
    });
  const produce = recordExport(rec, 1, async () => of([new Uint8Array([1, 2]), new Uint8Array([3])]));
  const rs = await produce();
  assert.deepEqual((await drain(rs)).map((c) => [...c]), [[1, 2], [3]]);
  const trapped = recordExport(rec, 1, async () => of([new Uint8Array([5])], new WebAssembly.RuntimeError('unreachable')));
  await assert.rejects(drain(await trapped()), WebAssembly.RuntimeError);
  const cancelled = await produce();
  const reader = cancelled.getReader();
  await reader.read();
  await reader.cancel();
  assert.deepEqual(trace(rec), [
    '> produce() -> task #1',
    'task #1 -> #2',
    '< stream #2: [1, 2]',
    '< stream #2: [3]',
    '< stream #2 end',
    '> produce() -> task #3',
    'task #3 -> #4',
    '< stream #4 trap "unreachable"',
    '> produce() -> task #5',
    'task #5 -> #6',
    '< stream #6: [1, 2]',
    '> stream #6 cancel',
  ]);
});

test('futures both ways; a stream<_> carries counts; an aborted export call', async () => {
  const rec = new Recorder('world w', fns);
  const echo = recordExport(rec, 2, async (f) => f);
  assert.equal(await echo(Promise.resolve('fut')), 'fut');
  assert.equal(await echo('plain'), 'plain');
  await assert.rejects(echo(Promise.reject(new TypeError('no'))), TypeError);
  const read = recordImport(rec, 4, [], () => [[new Uint8Array([1])], Promise.resolve('done')]);
  assert.equal(await read[1], 'done');
  const ticks = recordExport(rec, 6, (s) => new ReadableStream({
    async start(c) {
      c.enqueue((await take(s)).length);
      c.close();
    },
  }));
  assert.deepEqual(await drain(ticks(['a', 'b'])), [2]);
  const ac = new AbortController();
  const slow = recordExport(rec, 7, (opts) => new Promise((_, reject) => opts.signal.addEventListener('abort', () => reject(opts.signal.reason))));
  const p = slow({ signal: ac.signal });
  ac.abort();
  await assert.rejects(p);
  await tick();
  assert.deepEqual(trace(rec), [
    '> echo(#1) -> task #2',
    '> future #1: "fut"',
    'task #2 -> "fut"',
    '> echo(#3) -> task #4',
    '> future #3: "plain"',
    'task #4 -> "plain"',
    '> echo(#5) -> task #6',
    '> future #5 throw TypeError "no"',
    'task #6 -> throw TypeError "no"',
    '< host#read() -> (#7, #8)',
    '> future #8: "done"',
    '> ticks(#9) -> #10',
    '> stream #9: 1',
    '> stream #9: 1',
    '> stream #9 end',
    '< stream #10: 2',
    '< stream #10 end',
    '> slow() -> task #11',
    '> task #11 cancel',
    'task #11 -> throw AbortError "This operation was aborted"',
  ]);
});

/** A recorder replaying `text` (its export functions wrapped as the generated code does). */
function replaying(text, exports) {
  const key = Symbol.for('weft.trace.replay');
  globalThis[key] = text;
  try {
    const rec = new Recorder('world w; component sha256:00', fns);
    for (const [i, fn] of exports) recordExport(rec, i, fn);
    return rec;
  } finally {
    delete globalThis[key];
  }
}

test("replay: the trace gives the host's streams and futures, reads the component's, aborts calls", async () => {
  const text = [
    '> sum(#1) -> task #2',
    '> stream #1: [1, 2]',
    '> stream #1 end',
    'task #2 -> 3',
    '> produce() -> task #3',
    'task #3 -> #4',
    '< stream #4: [7]',
    '< stream #4 end',
    '> echo(#5) -> task #6',
    '> future #5: "from the trace"',
    'task #6 -> "from the trace"',
    '> slow() -> task #7',
    '> task #7 cancel',
    'task #7 -> throw AbortError "This operation was aborted"',
  ].join('\n');
  const seen = [];
  const rec = replaying(text, [
    [0, async (s) => (await take(s)).flatMap((c) => [...c]).reduce((a, b) => a + b, 0)],
    [1, async () => new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array([7]));
        c.close();
      },
    })],
    [2, async (f) => {
      const v = await f;
      seen.push(v);
      return v;
    }],
    [7, (opts) => new Promise((_, reject) => opts.signal.addEventListener('abort', () => reject(opts.signal.reason)))],
  ]);
  const r = await rec.replay();
  assert.equal(r.report, 'replayed 4 calls: as in the trace');
  assert.deepEqual(seen, ['from the trace']);
});

test('replay: what another stream or task did may come first; a stream that differs is reported at its line', async () => {
  // The component reads `b` before `a`; the trace has `a`'s events first.
  const both = async (a, b) => (await take(b)).join('') + (await take(a)).join('');
  const order = ['> both(#1, #2) -> task #3', '> stream #1: "a"', '> stream #1 end', '> stream #2: "b"', '> stream #2 end', 'task #3 -> "ba"'];
  assert.equal((await replaying(order.join('\n'), [[8, both]]).replay()).report, 'replayed 1 call: as in the trace');
  const text = ['> upper(#1) -> #2', '> stream #1: "a"', '> stream #1 end', '< stream #2: "A"', '< stream #2 end'].join('\n');
  const lower = (s) => new ReadableStream({
    async start(c) {
      for (const x of await take(s)) c.enqueue(x);
      c.close();
    },
  });
  const { ok, report } = await replaying(text, [[3, lower]]).replay();
  assert.equal(ok, false);
  assert.match(report, /at line 4 of the trace, in the call of line 1 .*:\n {2}trace: < stream #2: "A"\n {2}run: {3}< stream #2: "a"$/);
});

test("replay: a component dropping a host's stream is its end, when that is what comes next", async () => {
  const text = ['> sum(#1) -> task #2', '> stream #1: [1]', '> stream #1 end', 'task #2 -> 1'].join('\n');
  // Takes one chunk and drops the stream without waiting for its end.
  const first = async (s) => {
    const it = s[Symbol.asyncIterator]();
    const { value } = await it.next();
    await it.return();
    return value[0];
  };
  assert.equal((await replaying(text, [[0, first]]).replay()).report, 'replayed 1 call: as in the trace');
});

test('replay: a host that calls back into the component from inside a host call', async () => {
  // visit(n) asks the host to go through 1..n; the host calls double(i) for each and
  // returns the sum: the component's exports called from inside its import.
  const rec = new Recorder('world w', fns);
  let double;
  const each = (n) => recordImport(rec, 10, [n], () => {
    let sum = 0;
    for (let i = 1; i <= n; i++) sum += double(i);
    return sum;
  });
  const visit = recordExport(rec, 9, (n) => each(n) + 1);
  double = recordExport(rec, 11, (x) => 2 * x);
  assert.equal(visit(2), 7);
  assert.deepEqual(trace(rec), [
    '> visit(2)',
    '  < host#each(2)',
    '    > double(1) -> 2',
    '    > double(2) -> 4',
    '  -> 6',
    '-> 7',
  ]);
  // Replayed with no host: the trace makes the two calls back and answers 6.
  const again = (d) => {
    const r = replaying(rec.text(), [[9, (n) => r.each(n) + 1], [11, d]]);
    r.each = (n) => recordImport(r, 10, [n], () => assert.fail('the host was called'));
    return r;
  };
  assert.equal((await again((x) => 2 * x).replay()).report, 'replayed 1 call: as in the trace');
  const { ok, report } = await again((x) => 3 * x).replay();
  assert.equal(ok, false);
  assert.match(report, /at line 4 of the trace, in the call of line 2 .*\n {2}trace: > double\(1\) -> 2\n {2}run: {3}> double\(1\) -> 3$/);
});

test('replay: an abort of a call the replay did not make is reported; one of a call left out is left out', async () => {
  const slow = (opts) => new Promise((_, reject) => opts.signal.addEventListener('abort', () => reject(opts.signal.reason)));
  const unknown = await replaying('> task #9 cancel', [[7, slow]]).replay();
  assert.equal(unknown.ok, false);
  assert.match(unknown.report, /trace: > task #9 cancel\n {2}run: {3}\(task #9 is no async export call the replay made: it aborts only those\)$/);
  const text = ['> slow() -> task #1', '> task #1 cancel', 'task #1 -> throw AbortError "This operation was aborted"', '> ticks(#2) -> #3', '> stream #2 end', '< stream #3 end'].join('\n');
  const only = replaying({ trace: text, only: ['ticks'] }, [[7, slow], [6, (s) => new ReadableStream({
    async start(c) {
      await take(s);
      c.close();
    },
  })]]);
  assert.equal((await only.replay()).report, 'replayed 1 call: as in the trace');
});

test('the component cancelling an async host call: < task #N cancel, unless the call had settled', async () => {
  const rec = new Recorder('world w', fns);
  let settle;
  // As task.js's hostFunc: the call made from the lifted arguments, a cancel function back.
  const func = recordHostFunc(rec, (onStart) => {
    recordImport(rec, 12, onStart(), () => new Promise((resolve) => (settle = resolve)));
    return () => {};
  });
  func(() => [], () => {}, null)();
  settle();
  await tick();
  const late = func(() => [], () => {}, null);
  settle();
  await tick();
  late();
  assert.deepEqual(trace(rec), ['< host#wait() -> task #1', '< task #1 cancel', 'task #1 -> ()', '< host#wait() -> task #2', 'task #2 -> ()']);
});
