import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const dir = process.env.WEFT_OUT;

/** An instance (instantiation mode; `variant`: `inst` or `jco-inst`) whose host logs to `logged`. */
async function make(logged, variant = 'inst') {
  const { instantiate } = await import(`${dir}/${variant}/record.js`);
  let n = 0;
  return instantiate(undefined, {
    log: { default: (msg) => logged.push(msg) },
    h: { default: class {} },
    'make-h': { default: () => ({ n: ++n, [Symbol.dispose]() {} }) },
    'use-h': { default: (h) => h.n * 10 },
  });
}

/** `make` with a trace to replay. */
async function replaying(trace, variant) {
  const key = Symbol.for('weft.trace.replay');
  globalThis[key] = trace;
  try {
    return await make([], variant);
  } finally {
    delete globalThis[key];
  }
}

const lines = (trace) => trace.text().split('\n').slice(0, -1);

test('every call across the boundary, in WAVE, one event per line', async () => {
  const logged = [];
  const inst = await make(logged);
  assert.equal(inst.add(1, 2), 3);
  inst.greet();
  assert.equal(inst.check(3), 3);
  assert.throws(() => inst.check(12), { name: 'ComponentError', payload: 12 });
  assert.equal(inst.hold(), 20);
  assert.throws(() => inst.boom(), WebAssembly.RuntimeError);
  assert.deepEqual(logged, ['hi', 'h']);
  const [header, ...events] = lines(inst.$trace);
  assert.match(header, /^\/\/ weft trace 1; world root; component sha256:[0-9a-f]{64}$/);
  assert.deepEqual(events, [
    '> add(1, 2) -> 3',
    '> greet()',
    '  < log("hi") -> ()',
    '  < log("h") -> ()',
    '-> ()',
    '> check(3) -> ok(3)',
    '> check(12) -> err(12)',
    '> hold()',
    '  < make-h() -> #1',
    '  < use-h(#1) -> 10',
    '  < use-h(#1) -> 10',
    '  < [resource-drop]h(#1) -> ()',
    '-> 20',
    '> boom() -> trap "unreachable"',
  ]);
});

test("a trace recorded in another engine replays: its trap messages in that engine's words", async () => {
  const inst = await make([]);
  assert.throws(() => inst.boom(), WebAssembly.RuntimeError);
  const [header, ...events] = lines(inst.$trace);
  // What Firefox (SpiderMonkey) records for the same run.
  const firefox = [header, ...events.map((l) => l.replace('trap "unreachable"', 'trap "unreachable executed"'))].join('\n');
  assert.notEqual(firefox, inst.$trace.text().trimEnd());
  const again = await replaying(firefox, 'inst');
  assert.equal((await again.$trace.replay()).report, 'replayed 1 call: as in the trace');
  // Another message is still a difference.
  const other = firefox.replace('unreachable executed', 'integer overflow');
  const differs = await replaying(other, 'inst');
  assert.match((await differs.$trace.replay()).report, /differs from the trace/);
});

test('a module of its own per instance: each has its trace', async () => {
  const a = await make([]);
  const b = await make([]);
  a.add(1, 1);
  assert.equal(lines(a.$trace).length, 2);
  assert.equal(lines(b.$trace).length, 1);
});

test('the ES module exports $trace too; a listener gets the lines so far, then each new one', async () => {
  const got = [];
  const mod = await import(`${dir}/esm/record.js`).catch(() => null);
  // The ESM variant imports its host by specifier ("log", …): not resolvable here.
  assert.equal(mod, null);
  const dts = await readFile(`${dir}/esm/record.d.ts`, 'utf8');
  assert.match(dts, /\$trace/);
  const inst = await make([]);
  inst.add(2, 2);
  inst.$trace.subscribe((l) => got.push(l));
  inst.add(3, 3);
  assert.deepEqual(got.slice(1), ['> add(2, 2) -> 4', '> add(3, 3) -> 6']);
});

test('variants and options in the native shapes: written as WAVE, replayed', async () => {
  const inst = await make([]);
  assert.deepEqual(inst.flip({ tag: 'ok', value: 3 }), [{ tag: 'err', value: 3 }]);
  assert.equal(inst.maybe(0), null);
  assert.equal(inst.maybe(5), 5);
  const events = ['> flip(ok(3)) -> (err(3))', '> maybe(0) -> none', '> maybe(5) -> some(5)'];
  assert.deepEqual(lines(inst.$trace).slice(1), events);
  assert.equal((await (await replaying(inst.$trace.text(), 'inst')).$trace.replay()).report, 'replayed 3 calls: as in the trace');
});

test('--compat jco: jco\'s shapes ({ tag, val }, undefined for none) written as the same WAVE, replayed in them', async () => {
  const inst = await make([], 'jco-inst');
  assert.deepEqual(inst.flip({ tag: 'ok', val: 3 }), [{ tag: 'err', val: 3 }]);
  assert.equal(inst.maybe(0), undefined);
  assert.equal(inst.maybe(5), 5);
  assert.throws(() => inst.check(12), { name: 'ComponentError', payload: 12 });
  assert.deepEqual(lines(inst.$trace).slice(1), ['> flip(ok(3)) -> (err(3))', '> maybe(0) -> none', '> maybe(5) -> some(5)', '> check(12) -> err(12)']);
  // The trace's values reach the jco build in its shapes: the run writes the same lines.
  const again = await replaying(inst.$trace.text(), 'jco-inst');
  assert.equal((await again.$trace.replay()).report, 'replayed 4 calls: as in the trace');
  // And a hand-written line in the other case.
  const other = await replaying('flip(err(4)) -> (ok(4))\nmaybe(7) -> 7', 'jco-inst');
  assert.equal((await other.$trace.replay()).report, 'replayed 2 calls: as in the trace');
});
