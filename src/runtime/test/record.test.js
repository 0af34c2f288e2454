// record.js: the events a recording writes, driven by hand (the generated code's
// calls are tested in tests/cases/record.*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComponentError } from '../component-error.js';
import { Recorder, recordExport, recordImport } from '../record.js';
import { Trap } from '../trap.js';
import { list, option, prim, record, result } from './wave-types.js';

const [u32, string] = [prim('u32'), prim('string')];
const counter = { kind: 'own', resource: 'counter' };

/** A recorder of these functions, by index. */
const fns = [
  { name: 'add', params: [{ name: 'a', type: u32 }, { name: 'b', type: u32 }], result: u32 },
  { name: 'greet', params: [{ name: 'who', type: string }], result: string },
  { name: 'host#log', params: [{ name: 'msg', type: string }], result: null },
  { name: 'parse', params: [{ name: 's', type: string }], result: result(u32, string) },
  { name: '[constructor]counter', params: [{ name: 'n', type: u32 }], result: counter },
  { name: '[method]counter.get', params: [{ name: 'self', type: { kind: 'borrow', resource: 'counter' } }], result: option(u32) },
  { name: 'host#fetch', params: [{ name: 'url', type: string }], result: result(list(prim('u8')), null) },
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
});

test('records use WIT field names; listeners get every line, also the earlier ones', () => {
  const rec = new Recorder('world w', fns);
  const got = [];
  recordExport(rec, 7, () => ({ x: 1, yPos: 2 }))();
  rec.subscribe((l) => got.push(l));
  recordExport(rec, 0, (a, b) => a + b)(0, 0);
  assert.deepEqual(got.slice(1), ['> point() -> {x: 1, y-pos: 2}', '> add(0, 0) -> 0']);
});

test('a sink set on globalThis before the module loads gets every line', () => {
  const got = [];
  const key = Symbol.for('weft.trace.sink');
  globalThis[key] = (l) => got.push(l);
  try {
    const rec = new Recorder('world w', fns);
    recordExport(rec, 0, (a, b) => a + b)(1, 1);
  } finally {
    delete globalThis[key];
  }
  assert.deepEqual(got, ['// weft trace 1; world w', '> add(1, 1) -> 2']);
});
