import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const native = await import(`${dir}/inst/js-values.js`);
const jco = await import(`${dir}/jco-inst/js-values.js`);
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

/** How often the guest's realloc ran. */
let allocs = 0;

/** An instance whose host imports are `overrides` over harmless defaults. */
function make(overrides = {}, mod = native) {
  const imports = {
    'on-alloc': () => void allocs++,
    'get-list': () => [1, 2, 3],
    'get-strings': () => ['a', 'b'],
    'get-res': () => 7,
    'get-u32': () => 7,
    'get-pair': () => ['x', [1, 2]],
    ...overrides,
  };
  return mod.instantiate(undefined, Object.fromEntries(Object.entries(imports).map(([k, v]) => [k, { default: v }])));
}

/** `TypeError` (or `cls`) whose message is exactly `message`. */
const error = (message, cls = TypeError) => (e) => {
  assert.ok(e instanceof cls, `${e?.name}: ${e?.message}`);
  assert.equal(e.message, message);
  return true;
};

/** Asserts `call` throws what `check` accepts before anything was allocated, and that `inst` is still usable and uncorrupted. */
function rejected(inst, call, check) {
  const before = allocs;
  assert.throws(call, check);
  assert.equal(allocs, before, 'nothing was allocated');
  assert.equal(inst.broken(), 0, 'no canary was overwritten');
  assert.equal(inst.strings(['still', 'usable']), 2);
}

test('valid values pass', async () => {
  const inst = await make();
  assert.equal(inst.strings(['a', 'b', 'c']), 3);
  assert.equal(inst.nested([['a'], [], ['b', 'c']]), 3);
  assert.equal(inst.words([1, 2]), 2);
  assert.equal(inst.words(new Uint32Array(5)), 5);
  assert.equal(inst.bytes(new Uint8Array(3)), 3);
  assert.equal(inst.bytes(Buffer.from('abcd')), 4);
  assert.equal(inst.text('héllo'), 6);
  assert.equal(inst.record({ items: [{ name: 'x', n: 1 }, { name: 'y', n: 2, extra: true }], tag: 't' }), 2);
  assert.equal(inst.shapeOf({ tag: 'b', value: 's' }), 1);
  assert.equal(inst.shapeOf({ tag: 'c' }), 2);
  assert.equal(inst.manyOf({ tag: 'v3' }), 3);
  assert.equal(inst.manyOf({ tag: 'v4', value: 'x' }), 4);
  assert.equal(inst.colorOf('dark-blue'), 2);
  assert.equal(inst.permsOf({ write: true }), 2);
  assert.equal(inst.permsOf({}), 0);
  assert.equal(inst.pair([5, 'x']), 5);
  assert.equal(inst.maybe(null), 0);
  assert.equal(inst.maybe(undefined), 0);
  assert.equal(inst.maybe(3), 1);
  assert.equal(inst.outcome({ tag: 'err', value: 'no' }), 1);
  assert.equal(inst.letter('😀'), 0x1f600);
  assert.equal(inst.flag(true), 1);
  assert.equal(inst.big(-1n), -1n);
  assert.equal(inst.two('abc', 9), 9);
  assert.equal(inst.spilled(...Array.from({ length: 16 }, (_, i) => i), 's'), 15);
  assert.equal(inst.callGetList(), 3);
  assert.equal(inst.callGetStrings(), 2);
  assert.equal(inst.callGetRes(), 0);
  assert.equal(inst.callGetU32(), 7);
  assert.equal(inst.callGetPair(), 2);
  assert.equal(inst.broken(), 0);
});

test('integers wrap like ToIntN; only numbers are numbers', async () => {
  const inst = await make();
  assert.equal(inst.byte(256), 0);
  assert.equal(inst.byte(-1), 255);
  assert.equal(inst.byte(1.9), 1);
  assert.equal(inst.byte(NaN), 0);
  rejected(inst, () => inst.byte('5'), error('arg 0: expected number, got string'));
  rejected(inst, () => inst.byte(undefined), error('arg 0: expected number, got undefined'));
  rejected(inst, () => inst.byte(5n), error('arg 0: expected number, got bigint'));
  rejected(inst, () => inst.big(1), error('arg 0: expected bigint, got number 1'));
  rejected(inst, () => inst.flag(1), error('arg 0: expected boolean, got number 1'));
  rejected(inst, () => inst.letter('ab'), error('arg 0: expected a string of one Unicode scalar value, got string'));
  rejected(inst, () => inst.letter('\ud800'), error('arg 0: expected a string of one Unicode scalar value, got string'));
});

test('array-likes are not lists: a fractional, negative or huge length never reaches the guest', async () => {
  const inst = await make();
  rejected(inst, () => inst.strings({ length: 1.5, 0: 'a', 1: 'b' }), error('arg 0: expected Array, got object'));
  rejected(inst, () => inst.words({ length: 2.5 }), error('arg 0: expected Array or Uint32Array, got object'));
  rejected(inst, () => inst.words({ length: -1 }), error('arg 0: expected Array or Uint32Array, got object'));
  // An Array Proxy passes Array.isArray, and its `length` is whatever its trap says.
  const lying = (length) => new Proxy(['a', 'b'], { get: (t, k) => (k === 'length' ? length : t[k]) });
  rejected(inst, () => inst.strings(lying(1.5)), error('arg 0: expected a length that is an integer in [0, 2^32 - 1], got number 1.5', RangeError));
  rejected(inst, () => inst.strings(lying(-1)), error('arg 0: expected a length that is an integer in [0, 2^32 - 1], got number -1', RangeError));
  rejected(inst, () => inst.strings(lying(2 ** 32)), error('arg 0: expected a length that is an integer in [0, 2^32 - 1], got number 4294967296', RangeError));
  rejected(inst, () => inst.words(lying(2 ** 30)), error('arg 0: a list of 1073741824 elements is too long for the canonical ABI (at most 67108863)', RangeError));
});

test('a value that is not a list is a TypeError, not an empty list', async () => {
  const inst = await make();
  rejected(inst, () => inst.words(5), error('arg 0: expected Array or Uint32Array, got number 5'));
  rejected(inst, () => inst.bytes(new ArrayBuffer(4)), error('arg 0: expected Array or Uint8Array, got ArrayBuffer'));
  rejected(inst, () => inst.strings(new Set(['a'])), error('arg 0: expected Array, got Set'));
  rejected(inst, () => inst.strings('ab'), error('arg 0: expected Array, got string'));
  rejected(inst, () => inst.words(new Int32Array(2)), error('arg 0: expected Array or Uint32Array, got Int32Array'));
  rejected(inst, () => inst.words([1, '2']), error('arg 0 [1]: expected number, got string'));
  rejected(inst, () => inst.nested([['a'], ['b', 7]]), error('arg 0 [1][1]: expected string, got number 7'));
});

test('missing record fields and wrong payloads name their path', async () => {
  const inst = await make();
  const items = [{ name: 'a', n: 1 }, { name: 'b', n: 2 }, { name: 'c', n: 3 }, { n: 4 }];
  rejected(inst, () => inst.record({ items, tag: 't' }), error('arg 0 .items[3].name: expected string, got undefined'));
  rejected(inst, () => inst.record({ items: [{ name: 'a' }], tag: 't' }), error('arg 0 .items[0].n: expected number, got undefined'));
  rejected(inst, () => inst.record({ items: [] }), error('arg 0 .tag: expected string, got undefined'));
  rejected(inst, () => inst.record(null), error('arg 0: expected object, got null'));
  rejected(inst, () => inst.shapeOf({ tag: 'a', val: 1 }), error('arg 0 .value: expected number, got undefined'));
  rejected(inst, () => inst.shapeOf({ tag: 'd' }), error("arg 0 .tag: expected one of 'a', 'b', 'c', got string"));
  rejected(inst, () => inst.shapeOf('a'), error('arg 0: expected object with a `tag`, got string'));
  rejected(inst, () => inst.manyOf({ tag: 'v5' }), error("arg 0 .tag: expected one of 'v0', 'v1', 'v2', 'v3', 'v4', got string"));
  rejected(inst, () => inst.manyOf({ tag: 'v1', value: -1n }), error('arg 0 .value: expected number, got bigint'));
  // The tag is read once: the lowering uses what the check read (a getter that
  // answers differently the second time is not asked again).
  let reads = 0;
  const shifty = { get tag() { return reads++ === 0 ? 'v0' : 'zz'; } };
  assert.equal(inst.manyOf(shifty), 0);
  assert.equal(reads, 1);
  rejected(inst, () => inst.colorOf('blue'), error("arg 0: expected one of 'red', 'green', 'dark-blue', got string"));
  rejected(inst, () => inst.permsOf({ read: 1 }), error('arg 0 .read: expected boolean or undefined, got number 1'));
  rejected(inst, () => inst.pair([1]), error('arg 0: expected Array of 2 elements, got Array (length 1)'));
  rejected(inst, () => inst.pair([1, 2]), error('arg 0 [1]: expected string, got number 2'));
  rejected(inst, () => inst.maybe('1'), error('arg 0: expected number, got string'));
  rejected(inst, () => inst.outcome({ tag: 'err', value: 1 }), error('arg 0 .value: expected string, got number 1'));
  const j = await make({}, jco);
  assert.equal(j.shapeOf({ tag: 'a', val: 1 }), 0);
  assert.throws(() => j.shapeOf({ tag: 'a', value: 1 }), error('arg 0 .val: expected number, got undefined'));
});

test('every argument is checked before the first is lowered', async () => {
  const inst = await make();
  rejected(inst, () => inst.two('abc', 'x'), error('arg 1: expected number, got string'));
  const nums = Array.from({ length: 16 }, (_, i) => i);
  rejected(inst, () => inst.spilled(...nums, 5), error('arg 16: expected string, got number 5'));
  rejected(inst, () => inst.spilled(...nums.slice(0, 15), 'x', 's'), error('arg 15: expected number, got string'));
});

test('owned handles: checked before any moves, and never passed twice', async () => {
  const inst = await make();
  const a = inst.makeR(1);
  const b = inst.makeR(2);
  assert.equal(inst.rGet(a), 1);
  assert.throws(() => inst.take2(a, {}), error('arg 1: expected a r resource for a borrowed handle'));
  assert.equal(inst.rGet(a), 1, 'a was not moved by the failed call');
  assert.throws(() => inst.take2(a, a), error('arg 1: the r resource is passed as owned earlier in this call'));
  assert.equal(inst.rGet(a), 1);
  assert.equal(inst.take2(a, b), 3);
  assert.throws(() => inst.rGet(a), error('arg 0: not a valid r resource: it was already moved or disposed'));
  assert.equal(inst.strings(['usable']), 1);
});

test("exceptions from the caller's own values do not poison", async () => {
  const inst = await make();
  const boom = new Error('boom');
  const getter = { get items() { throw boom; }, tag: 't' };
  assert.throws(() => inst.record(getter), (e) => e === boom);
  const trap = new Proxy([], { get() { throw boom; } });
  assert.throws(() => inst.strings(trap), (e) => e === boom);
  // valueOf is never called: only numbers are numbers.
  const valueOf = { valueOf() { throw boom; } };
  assert.throws(() => inst.words([valueOf]), error('arg 0 [0]: expected number, got object'));
  assert.equal(inst.strings(['usable']), 1);
  assert.equal(inst.broken(), 0);
});

test('a failure once the lowering began poisons the instance', async () => {
  const inst = await make();
  // An element that is a string when checked and a number when lowered: the outer list
  // was allocated by then.
  let reads = 0;
  const inner = ['a'];
  Object.defineProperty(inner, 0, { get: () => (++reads === 1 ? 'a' : 42) });
  const before = allocs;
  assert.throws(() => inst.nested([inner]), TypeError);
  assert.ok(allocs > before);
  assert.throws(() => inst.strings(['a']), poisoned);
});

test('a length that changes between the checks and the lowering stays in bounds', async () => {
  const inst = await make();
  let reads = 0;
  const inner = new Proxy(['a', 'b', 'c'], { get: (t, k) => (k === 'length' ? (++reads === 1 ? 1 : 2.5) : t[k]) });
  assert.equal(inst.nested([inner]), 1);
  assert.equal(inst.broken(), 0);
});

test('host import results are checked before guest memory is touched', async () => {
  const cases = [
    [{ 'get-list': () => ({ length: -1 }) }, (i) => i.callGetList(), 'result of get-list: expected Array or Uint32Array, got object'],
    [{ 'get-list': () => ({ length: 2.5 }) }, (i) => i.callGetList(), 'result of get-list: expected Array or Uint32Array, got object'],
    [{ 'get-list': () => new ArrayBuffer(8) }, (i) => i.callGetList(), 'result of get-list: expected Array or Uint32Array, got ArrayBuffer'],
    [{ 'get-strings': () => ['a', 5] }, (i) => i.callGetStrings(), 'result of get-strings [1]: expected string, got number 5'],
    [{ 'get-res': () => 'x' }, (i) => i.callGetRes(), 'result of get-res: expected number, got string'],
    [{ 'get-u32': () => undefined }, (i) => i.callGetU32(), 'result of get-u32: expected number, got undefined'],
    [{ 'get-pair': () => ['x', [1, 'a']] }, (i) => i.callGetPair(), 'result of get-pair [1][1]: expected number, got string'],
  ];
  const lying = new Proxy([1, 2], { get: (t, k) => (k === 'length' ? 2.5 : t[k]) });
  cases.push([{ 'get-list': () => lying }, (i) => i.callGetList(), 'result of get-list: expected a length that is an integer in [0, 2^32 - 1], got number 2.5', RangeError]);
  for (const [imports, call, message, cls] of cases) {
    const inst = await make(imports);
    const before = allocs;
    assert.throws(() => call(inst), error(message, cls));
    assert.equal(allocs, before, `${message}: nothing was allocated`);
  }
  const err = await make({ 'get-res': () => { throw Object.assign(new Error('e'), { payload: 5 }); } });
  assert.throws(() => err.callGetRes(), error('err payload of get-res: expected string, got number 5'));
});
