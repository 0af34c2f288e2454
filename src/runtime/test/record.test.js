// record.js: the events a recording writes, driven by hand (the generated code's
// calls are tested in tests/cases/record.*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComponentError } from '../component-error.js';
import { Recorder, recordDispose, recordExport, recordImport } from '../record.js';
import { Trap } from '../trap.js';
import { list, option, prim, record, result } from './wave-types.js';

const [u32, string] = [prim('u32'), prim('string')];
const counter = { kind: 'own', resource: 'counter' };

/** A recorder of these functions, by index (`async`: may return a promise, a task). */
const fns = [
  { name: 'add', params: [{ name: 'a', type: u32 }, { name: 'b', type: u32 }], result: u32, async: true },
  { name: 'greet', params: [{ name: 'who', type: string }], result: string, async: true },
  { name: 'host#log', params: [{ name: 'msg', type: string }], result: null },
  { name: 'parse', params: [{ name: 's', type: string }], result: result(u32, string) },
  { name: '[constructor]counter', params: [{ name: 'n', type: u32 }], result: counter },
  { name: '[method]counter.get', params: [{ name: 'self', type: { kind: 'borrow', resource: 'counter' } }], result: option(u32) },
  { name: 'host#fetch', params: [{ name: 'url', type: string }], result: result(list(prim('u8')), null), async: true },
  { name: 'host#subscribe', params: [], result: { kind: 'future', type: u32 } },
  { name: 'point', params: [], result: record('point', { x: u32, 'y-pos': u32 }) },
];

const trace = (rec) => rec.text().split('\n').slice(1, -1);

test('the header, and a call without nested calls on one line', () => {
  const rec = new Recorder('world hello; component sha256:00', fns);
  const add = recordExport(rec, 0, (a, b) => a + b);
  assert.equal(add(1, 2), 3);
  assert.equal(add.name, '');
  assert.equal(rec.lines[0], '// weft trace 1; world hello; component sha256:00');
  assert.deepEqual(trace(rec), ['> add(1, 2) -> 3']);
});

test('imports called inside an export: the export opens a block, indented', () => {
  const rec = new Recorder('world w', fns);
  const log = (msg) => recordImport(rec, 2, [msg], () => undefined);
  const greet = recordExport(rec, 1, function greet(who) {
    log(`greeting ${who}`);
    log('twice');
    return `Hello, ${who}!`;
  });
  assert.equal(greet('weft'), 'Hello, weft!');
  assert.equal(greet.name, 'greet');
  assert.deepEqual(trace(rec), [
    '> greet("weft")',
    '  < host#log("greeting weft") -> ()',
    '  < host#log("twice") -> ()',
    '-> "Hello, weft!"',
  ]);
});

test('results: ok and err whether returned or thrown; traps; other throws', () => {
  const rec = new Recorder('world w', fns);
  const parse = recordExport(rec, 3, (s) => {
    if (s === 'trap') throw new Trap('unreachable executed');
    if (s === 'bug') throw new TypeError('arg 0: expected string');
    if (Number.isNaN(Number(s))) throw new ComponentError(`not a number: ${s}`);
    return Number(s);
  });
  assert.equal(parse('7'), 7);
  assert.throws(() => parse('x'), ComponentError);
  assert.throws(() => parse('trap'), Trap);
  assert.throws(() => parse('bug'), TypeError);
  const fetch = (url) => recordImport(rec, 6, [url], () => {
    if (url === 'none') throw { payload: undefined };
    return new Uint8Array([1, 2]);
  });
  fetch('a');
  assert.throws(() => fetch('none'));
  assert.deepEqual(trace(rec), [
    '> parse("7") -> ok(7)',
    '> parse("x") -> err("not a number: x")',
    '> parse("trap") -> trap "unreachable executed"',
    '> parse("bug") -> throw TypeError "arg 0: expected string"',
    '< host#fetch("a") -> ok([1, 2])',
    '< host#fetch("none") -> err',
  ]);
});

test('handles: one id per object, the same id each time it crosses', () => {
  const rec = new Recorder('world w', fns);
  class Counter {
    constructor(n) {
      this.n = n;
    }
  }
  const make = recordExport(rec, 4, (n) => new Counter(n));
  const get = recordExport(rec, 5, (c) => (c.n > 0 ? c.n : null));
  const a = make(5);
  const b = make(0);
  get(a);
  get(b);
  get(a);
  assert.deepEqual(trace(rec), [
    '> [constructor]counter(5) -> #1',
    '> [constructor]counter(0) -> #2',
    '> [method]counter.get(#1) -> some(5)',
    '> [method]counter.get(#2) -> none',
    '> [method]counter.get(#1) -> some(5)',
  ]);
});

test('an async export: its task when called, its outcome when it settles', async () => {
  const rec = new Recorder('world w', fns);
  const add = recordExport(rec, 0, async (a, b) => a + b);
  const p = add(2, 3);
  assert.deepEqual(trace(rec), ['> add(2, 3) -> task #1']);
  assert.equal(await p, 5);
  assert.deepEqual(trace(rec), ['> add(2, 3) -> task #1', 'task #1 -> 5']);
});

test('a value not of its type is written as a note, and the call still happens', () => {
  const rec = new Recorder('world w', fns);
  const add = recordExport(rec, 0, () => {
    throw new TypeError('a: expected a number, got string "1"');
  });
  assert.throws(() => add('1', 2), TypeError);
  assert.deepEqual(trace(rec), ['> add(<a: expected a number, got string "1">, 2) -> throw TypeError "a: expected a number, got string \\"1\\""']);
  // A note stays on its line.
  assert.throws(() => add('two\nlines', 2), TypeError);
  assert.equal(rec.lines.at(-1).split('\n').length, 1);
  assert.ok(rec.lines.at(-1).startsWith('> add(<a: expected a number, got string "two\\nlines">, 2)'), rec.lines.at(-1));
});

test('records use WIT field names; listeners get every line, also the earlier ones', () => {
  const rec = new Recorder('world w', fns);
  const got = [];
  recordExport(rec, 8, () => ({ x: 1, yPos: 2 }))();
  rec.subscribe((l) => got.push(l));
  recordExport(rec, 0, (a, b) => a + b)(0, 0);
  assert.deepEqual(got.slice(1), ['> point() -> {x: 1, y-pos: 2}', '> add(0, 0) -> 0']);
});

test('a sink set on globalThis before the module loads gets every line, which are not kept', () => {
  const got = [];
  const key = Symbol.for('weft.trace.sink');
  globalThis[key] = (l) => got.push(l);
  let rec;
  try {
    rec = new Recorder('world w', fns);
    recordExport(rec, 0, (a, b) => a + b)(1, 1);
  } finally {
    delete globalThis[key];
  }
  assert.deepEqual(got, ['// weft trace 1; world w', '> add(1, 1) -> 2']);
  // Streamed, not kept.
  assert.equal(rec.text(), '// weft trace 1; world w\n');
});

// ---- replay

/**
 * A "component" over a recorder: exports `add`, `greet` (logs through the host, `say`
 * what it logs), `parse`, `[constructor]counter`, `[method]counter.get`, and a host
 * whose functions fail the test if a replay calls them.
 */
function component(rec, { say = (who) => `greeting ${who}`, replaying = false } = {}) {
  const host = (f) => (replaying ? () => assert.fail('the host was called during a replay') : f);
  const log = (msg) => recordImport(rec, 2, [msg], host(() => undefined));
  const fetch = (url) => recordImport(rec, 6, [url], host(() => {
    if (url === 'none') throw { payload: undefined };
    return new Uint8Array([1, 2]);
  }));
  return {
    add: recordExport(rec, 0, (a, b) => a + b),
    greet: recordExport(rec, 1, (who) => {
      log(say(who));
      return `Hello, ${who}!`;
    }),
    parse: recordExport(rec, 3, (s) => {
      let r;
      try {
        r = fetch(s);
      } catch (e) {
        throw new ComponentError(`fetch failed: ${JSON.stringify(e.payload)}`);
      }
      return r.length;
    }),
  };
}

/** A recorder replaying `trace` (its text, or `{ trace, only, host }`), as a module made after the global was set. */
function replaying(trace) {
  const key = Symbol.for('weft.trace.replay');
  globalThis[key] = trace;
  try {
    return new Recorder('world w; component sha256:00', fns);
  } finally {
    delete globalThis[key];
  }
}

test('replay: a recorded run replays as recorded, the host answered from the trace', async () => {
  const rec = new Recorder('world w; component sha256:00', fns);
  const c = component(rec);
  c.add(1, 2);
  c.greet('weft');
  c.parse('a');
  assert.throws(() => c.parse('none'), ComponentError);
  const again = replaying(rec.text());
  component(again, { replaying: true });
  const r = await again.$replay?.() ?? await again.replay();
  assert.equal(r.report, 'replayed 4 calls: as in the trace');
  assert.equal(r.ok, true);
  assert.equal(again.text(), rec.text());
});

test('replay: the first difference, with the trace line and what the run did', async () => {
  const rec = new Recorder('world w; component sha256:00', fns);
  const c = component(rec);
  c.add(1, 2);
  c.greet('weft');
  c.add(3, 4);
  const again = replaying(rec.text());
  component(again, { replaying: true, say: (who) => `hello ${who}` });
  const r = await again.replay();
  assert.equal(r.ok, false);
  assert.equal(r.calls, 2);
  assert.equal(r.report, [
    'the run differs from the trace at line 4 of the trace, in the call of line 3 (> greet("weft")):',
    '  trace: < host#log("greeting weft") -> ()',
    '  run:   < host#log("hello weft")',
  ].join('\n'));
});

test('replay: a hand-written trace is a test: its own spacing and forms, no header needed', async () => {
  const trace = [
    '// add and greet',
    'add(1,2) -> 3',
    '> add( 40 , 2 ) -> 42',
    '',
    'greet("weft")',
    '    < host#log( "greeting weft" ) -> ()',
    '-> "Hello, weft!"',
    'parse("x")',
    '  < host#fetch("x") -> [1, 2] // a flat ok',
    '-> 2',
  ].join('\n');
  const rec = replaying(trace);
  component(rec, { replaying: true });
  const r = await rec.replay();
  assert.equal(r.report, 'replayed 4 calls: as in the trace');
  const wrong = replaying('add(1, 2) -> 4\n');
  component(wrong, { replaying: true });
  const w = await wrong.replay();
  assert.equal(w.ok, false);
  assert.match(w.report, /at line 1 of the trace:\n {2}trace: > add\(1, 2\) -> 4\n {2}run: {3}> add\(1, 2\) -> 3$/);
});

test('replay: a trace line that does not parse, an unknown function, a different build', async () => {
  const bad = replaying('// weft trace 1; world w; component sha256:11\n> add(1) -> 1\n');
  component(bad, { replaying: true });
  const r = await bad.replay();
  assert.match(r.report, /^the trace does not read: line 2: expected ',' after argument a/);
  assert.match(r.report, /note: a different build of the component than the trace's \(sha256:11, now sha256:00\)/);
  const unknown = replaying('> nope() -> ()\n');
  component(unknown, { replaying: true });
  assert.match((await unknown.replay()).report, /line 1: the component has no export `nope`/);
  const more = replaying('> greet("a") -> "Hello, a!"\n');
  component(more, { replaying: true });
  const m = await more.replay();
  assert.match(m.report, /trace: > greet\("a"\) -> "Hello, a!"\n {2}run: {3}> greet\("a"\), which calls < host#log\("greeting a"\)$/);
  const parse = replaying('parse("x") -> ok(2)\n');
  component(parse, { replaying: true });
  assert.match((await parse.replay()).report, /run: {3}> parse\("x"\), which calls < host#fetch\("x"\)$/);
});

test('replay: what the host threw, as the trace says: err payloads, traps, errors', async () => {
  const rec = new Recorder('world w', fns);
  const trapHost = recordExport(rec, 1, (who) => {
    recordImport(rec, 2, [who], () => {
      throw new WebAssembly.RuntimeError('host trapped');
    });
  });
  assert.throws(() => trapHost('x'), WebAssembly.RuntimeError);
  const again = replaying(rec.text());
  recordExport(again, 1, (who) => {
    recordImport(again, 2, [who], () => assert.fail('called'));
  });
  assert.equal((await again.replay()).report, 'replayed 1 call: as in the trace');
  assert.equal(again.text().split('\n').slice(1).join('\n'), rec.text().split('\n').slice(1).join('\n'));
});

test('async host calls: recorded as tasks, replayed with their outcomes where the trace has them', async () => {
  const rec = new Recorder('world w', fns);
  const run = (r, host) => recordExport(r, 1, async (who) => {
    const [a, b] = [recordImport(r, 6, [`${who}/a`], () => host(`${who}/a`)), recordImport(r, 6, [`${who}/b`], () => host(`${who}/b`))];
    b.catch(() => {}); // awaited after `a`
    let n = (await a).length;
    try {
      n += (await b).length;
    } catch (e) {
      n += 100;
    }
    return `got ${n}`;
  });
  const host = async (url) => {
    await new Promise((resolve) => setTimeout(resolve, url.endsWith('a') ? 5 : 1));
    if (url === 'y/b') throw { payload: undefined };
    return new Uint8Array(url.length);
  };
  assert.equal(await run(rec, host)('x'), 'got 6');
  assert.equal(await run(rec, host)('y'), 'got 103');
  // The async function runs to its first `await` in the call: the host calls it made by
  // then are inside it; its own task is the last id given in the call.
  assert.deepEqual(trace(rec).slice(0, 7), [
    '> greet("x")',
    '  < host#fetch("x/a") -> task #1',
    '  < host#fetch("x/b") -> task #2',
    '-> task #3',
    'task #2 -> ok([0, 0, 0])',
    'task #1 -> ok([0, 0, 0])',
    'task #3 -> "got 6"',
  ]);
  const again = replaying(rec.text());
  run(again, () => assert.fail('the host was called during a replay'));
  const r = await again.replay();
  assert.equal(r.report, 'replayed 2 calls: as in the trace');
  assert.deepEqual(trace(again), trace(rec));
  // Edited: the host settles `x/a` first, with 2 bytes; the run follows the trace's order
  // and the export's result differs.
  const swapped = rec.text().replace('task #2 -> ok([0, 0, 0])\ntask #1 -> ok([0, 0, 0])', 'task #1 -> ok([0, 0])\ntask #2 -> ok([0, 0, 0])');
  const other = replaying(swapped);
  run(other, () => assert.fail('called'));
  const o = await other.replay();
  assert.equal(o.ok, false);
  assert.match(o.report, /at line 8 of the trace, in the call of line 2 \(> greet\("x"\)\):\n {2}trace: task #3 -> "got 6"\n {2}run: {3}task #3 -> "got 5"$/);
});

test('a promise from a function that is not async is a future value: a trace id, not a task', async () => {
  const rec = new Recorder('world w', fns);
  const f = Promise.resolve(3);
  // The guest gets a promise that settles with the host's, and writes its value.
  const [a, b] = [recordImport(rec, 7, [], () => f), recordImport(rec, 7, [], () => f)];
  assert.notEqual(a, f);
  assert.deepEqual([await a, await b], [3, 3]);
  assert.deepEqual(trace(rec), ['< host#subscribe() -> #1', '< host#subscribe() -> #1', '> future #1: 3', '> future #1: 3']);
});

test('replay: long lines are cut around where they first differ', async () => {
  const rec = new Recorder('world w', fns);
  const long = 'x'.repeat(1000);
  recordExport(rec, 1, (who) => `${who}!`)(long);
  const edited = rec.text().replace(`"${long}!"`, `"${long.slice(0, 500)}y${long.slice(501)}!"`);
  const again = replaying(edited);
  recordExport(again, 1, (who) => `${who}!`);
  const { report } = await again.replay();
  const [, trace, run] = report.split('\n');
  assert.ok(trace.length < 300 && run.length < 300, report);
  assert.match(trace, /^ {2}trace: …\(\d+ characters\) x+yx+ …\(\d+ more\)$/);
  assert.match(run, /^ {2}run: {3}…\(\d+ characters\) x+ …\(\d+ more\)$/);
});

test('drops: an exported resource disposed by the host, recorded and replayed', async () => {
  const drop = { name: 'iface#[resource-drop]counter', params: [{ name: 'self', type: counter }], result: null };
  const all = [...fns, drop];
  const rec = new Recorder('world w', all);
  const disposed = [];
  const make = recordExport(rec, 4, (n) => ({ n }));
  const dispose = recordDispose(rec, all.length - 1, function () {
    disposed.push(this.n);
  });
  const c = make(5);
  dispose.call(c);
  assert.deepEqual(disposed, [5]);
  assert.deepEqual(trace(rec), ['> [constructor]counter(5) -> #1', '> iface#[resource-drop]counter(#1) -> ()']);
  const key = Symbol.for('weft.trace.replay');
  globalThis[key] = rec.text();
  let again;
  try {
    again = new Recorder('world w', all);
  } finally {
    delete globalThis[key];
  }
  recordExport(again, 4, (n) => ({ n }));
  recordDispose(again, all.length - 1, function () {
    disposed.push(-this.n);
  });
  assert.equal((await again.replay()).report, 'replayed 2 calls: as in the trace');
  assert.deepEqual(disposed, [5, -5]);
});

test('replay options: only some export calls; some host functions answered by the real host', async () => {
  const text = [
    '> add(1, 2) -> 3',
    '> greet("weft")',
    '  < host#log("greeting weft") -> ()',
    '-> "Hello, weft!"',
    '> add(2, 2) -> 4',
    '> greet("bob")',
    '  < host#log("something else the host may say") -> ()',
    '-> "Hello, bob!"',
  ].join('\n');
  const only = replaying({ trace: text, only: ['add'] });
  component(only, { replaying: true });
  const o = await only.replay();
  assert.equal(o.report, 'replayed 2 calls: as in the trace');
  assert.deepEqual(trace(only), ['> add(1, 2) -> 3', '> add(2, 2) -> 4']);
  // `host#log` goes to the real host: called, and its lines not compared.
  const logged = [];
  const host = replaying({ trace: text, host: ['host'] });
  const log = (msg) => recordImport(host, 2, [msg], () => logged.push(msg) && undefined);
  recordExport(host, 0, (a, b) => a + b);
  recordExport(host, 1, (who) => {
    log(`greeting ${who}`);
    return `Hello, ${who}!`;
  });
  const h = await host.replay();
  assert.equal(h.report, 'replayed 4 calls: as in the trace');
  assert.deepEqual(logged, ['greeting weft', 'greeting bob']);
});
