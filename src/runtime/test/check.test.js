// check.js: the helpers of the checks generated code runs on JS values before lowering
// them, and the checks of stream items and future values (stream.js) that use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFail, checkEnumFail, enumIndex, tagIndex, invalidTag, checkLength, checkString, checkKind, isChar, isPlainObject, streamProblem, handleProblem, checkProblem } from '../check.js';
import { wrapOwn, wrapBorrow, takeRep } from '../wrappers.js';
import { ResourceType } from '../resources.js';
import { streamFromJs, streamToJs, futureFromJs, newEnds } from '../stream.js';
import { sched } from '../scheduler.js';

test('an enum value that is no case: the cases listed from the table, twelve at most', () => {
  assert.throws(() => checkEnumFail('arg 0', ['red', 'green'], 'blue'), {
    name: 'TypeError',
    message: "arg 0: expected one of 'red', 'green', got string",
  });
  const cases = Array.from({ length: 37 }, (_, i) => `c${i}`);
  assert.throws(() => checkEnumFail('result of f', cases, 7), {
    name: 'TypeError',
    message: `result of f: expected one of ${cases.slice(0, 12).map((c) => `'${c}'`).join(', ')}, … (37 cases), got number 7`,
  });
  const index = new Map([['red', 0], ['green', 1]]);
  assert.equal(enumIndex(index, 'green'), 1);
  assert.throws(() => enumIndex(index, 'blue'), { name: 'TypeError', message: 'invalid enum value' });
  assert.throws(() => invalidTag(), { name: 'TypeError', message: 'invalid variant tag' });
  assert.equal(tagIndex(index, 'red'), 0);
  assert.throws(() => tagIndex(index, 'blue'), { name: 'TypeError', message: 'invalid variant tag' });
});

test('messages name the path, what was expected and what came', () => {
  assert.throws(() => checkFail('arg 0 .items[3].name', 'string', undefined), {
    name: 'TypeError',
    message: 'arg 0 .items[3].name: expected string, got undefined',
  });
  assert.throws(() => checkProblem('this', 'not a valid r resource: it was already moved or disposed'), {
    name: 'TypeError',
    message: 'this: not a valid r resource: it was already moved or disposed',
  });
});

test('checkKind describes any value without trusting it', () => {
  const cases = [
    [undefined, 'undefined'],
    [null, 'null'],
    [1.5, 'number 1.5'],
    [NaN, 'number NaN'],
    [true, 'boolean true'],
    ['s', 'string'],
    [1n, 'bigint'],
    [Symbol('x'), 'symbol'],
    [() => {}, 'function'],
    [{}, 'object'],
    [[1, 2], 'Array (length 2)'],
    [new ArrayBuffer(1), 'ArrayBuffer'],
    [new Set(), 'Set'],
    [new Uint8Array(1), 'Uint8Array'],
    [Object.create(null), 'object'],
  ];
  for (const [v, want] of cases) assert.equal(checkKind(v), want);
  const hostile = new Proxy({}, { get() { throw new Error('no'); }, getPrototypeOf() { throw new Error('no'); } });
  assert.equal(checkKind(hostile), 'object');
  const revoked = Proxy.revocable([], {});
  revoked.revoke();
  assert.equal(checkKind(revoked.proxy), 'object');
});

test('checkLength: not an array length is a RangeError, and so is one too long', () => {
  for (const n of [1.5, -1, 2 ** 32, NaN, '3', undefined]) {
    assert.throws(() => checkLength('arg 0', n, 100), (e) => e instanceof RangeError && /expected a length that is an integer/.test(e.message));
  }
  assert.throws(() => checkLength('arg 0', 101, 100), {
    name: 'RangeError',
    message: 'arg 0: a list of 101 elements is too long for the canonical ABI (at most 100)',
  });
});

test('checkString: a non-string is a TypeError, a string too long a RangeError', () => {
  assert.throws(() => checkString('arg 1', 5), { name: 'TypeError', message: 'arg 1: expected string, got number 5' });
  assert.throws(() => checkString('arg 1', { length: 2 ** 27 }), TypeError);
  const long = 'x'.repeat(2 ** 27);
  assert.throws(() => checkString('arg 1', long), { name: 'RangeError', message: `arg 1: a string of ${2 ** 27} UTF-16 code units is too long for the canonical ABI` });
});

test('isChar: exactly one Unicode scalar value', () => {
  for (const c of ['a', '\0', 'é', '\uffff', '😀', '\u{10ffff}']) assert.ok(isChar(c), c);
  for (const c of ['', 'ab', '\ud800', '\udfff', '\ud800a', 'a\udc00', '😀a', 97, null, ['a']]) assert.ok(!isChar(c), String(c));
});

test('isPlainObject and streamProblem', () => {
  assert.ok(isPlainObject({}));
  assert.ok(isPlainObject(Object.create(null)));
  for (const v of [[], new Map(), new (class A {})(), null, 'x', () => {}]) assert.ok(!isPlainObject(v));
  const [r] = newEnds(1, true, null, true);
  for (const v of [[], new ReadableStream(), (async function* () {})(), new Set(), r]) assert.equal(streamProblem(v), '');
  assert.equal(streamProblem('abc'), 'expected ReadableStream or iterable, got string');
  assert.equal(streamProblem({ length: 1 }), 'expected ReadableStream or iterable, got object');
  assert.equal(streamProblem(null), 'expected ReadableStream or iterable, got null');
  const locked = new ReadableStream();
  locked.getReader();
  assert.equal(streamProblem(locked), 'the ReadableStream is locked to a reader');
});

test('handleProblem: live handles of the type pass; one call moves no object twice, nor lends and moves it', () => {
  const type = new ResourceType('r', null, 0);
  const other = new ResourceType('q', null, 0);
  class R {}
  const a = wrapOwn(R, type, 1);
  const b = wrapOwn(R, type, 2);
  assert.equal(handleProblem(a, type, true, null), '');
  assert.match(handleProblem({}, type, false, null), /expected a r resource/);
  assert.match(handleProblem(a, other, false, null), /expected a q resource/);
  assert.match(handleProblem(5, type, true, null), /expected a r resource/);
  const seen = new Map();
  assert.equal(handleProblem(a, type, true, seen), '');
  assert.equal(handleProblem(b, type, false, seen), '');
  assert.equal(handleProblem(b, type, false, seen), '', 'lent twice is fine');
  assert.equal(handleProblem(a, type, true, seen), 'the r resource is passed as owned earlier in this call');
  assert.equal(handleProblem(a, type, false, seen), 'the r resource is passed as owned earlier in this call');
  assert.equal(handleProblem(b, type, true, seen), 'the r resource is borrowed earlier in this call, so it cannot be passed as owned');
  takeRep(a, type);
  assert.match(handleProblem(a, type, false, null), /already moved or disposed/);
  assert.equal(handleProblem(wrapBorrow(R, type, 3), type, false, null), '');
});

test('a stream item that fails its check is never written: the source is cancelled, the writer dropped, the error reported', async () => {
  let returned = false;
  const items = ['a', 5, 'c'];
  const src = {
    i: 0,
    [Symbol.iterator]() {
      return this;
    },
    next() {
      return this.i < items.length ? { done: false, value: items[this.i++] } : { done: true, value: undefined };
    },
    return() {
      returned = true;
      return { done: true, value: undefined };
    },
  };
  const errors = [];
  const saved = console.error;
  console.error = (...a) => errors.push(a);
  const seen = [];
  const got = [];
  try {
    const check = (v, k) => {
      seen.push(k);
      if (typeof v !== 'string') checkFail(`arg 0 [${k}]`, 'string', v);
    };
    // Read by the host here (a guest reading it would be poisoned: stream.js
    // `hostValueFailed`; the async-basics guest's tests show that).
    for await (const v of streamToJs(streamFromJs(src, 2, false, false, check), false)) got.push(v);
    await new Promise((res) => setTimeout(res, 10));
  } finally {
    console.error = saved;
  }
  assert.deepEqual(seen, [0, 1]);
  assert.deepEqual(got, ['a'], 'the stream ends before the item that failed');
  assert.ok(returned, 'the source was cancelled');
  assert.equal(errors.length, 1);
  assert.equal(errors[0][1].message, 'arg 0 [1]: expected string, got number 5');
  assert.equal(sched.hostPending, 0);
});

test('a future value that fails its check is never written: the writer is dropped, the error reported', async () => {
  const errors = [];
  const saved = console.error;
  console.error = (...a) => errors.push(a);
  let poisoned = false;
  try {
    const check = (v) => {
      if (typeof v !== 'string') checkFail('arg 0 (resolved)', 'string', v);
    };
    const r = futureFromJs(Promise.resolve(42), 2, false, check);
    r.owner = { poison: () => (poisoned = true) };
    await new Promise((res) => setTimeout(res, 20));
  } finally {
    console.error = saved;
  }
  assert.ok(poisoned);
  assert.equal(errors.length, 1);
  assert.equal(errors[0][1].message, 'arg 0 (resolved): expected string, got number 42');
  assert.equal(sched.hostPending, 0);
});
