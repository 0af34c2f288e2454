// The values guest (target/guests/values.wasm) in the page: a browser version of a
// subset of tests/guests/values/test.mjs. `values` echoes its argument; `roundtrip`
// calls the JS host (web-tests/hosts/values-host.js) and returns what it returned.
// In ESM mode the module instance is shared by all tests, so the tests that poison an
// instance run in instantiation mode only.
import { assert, show } from '../lib/assert.js';
import { config, test } from '../lib/test.js';
import * as host from '../hosts/values-host.js';

const imports = () => ({ 'weft:test/types': {}, 'weft:test/host': { ...host } });
let instantiate;
let inst;
if (config.mode === 'instantiation') {
  const mod = await import(new URL('values.js', config.out));
  const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));
  instantiate = (i = imports()) => mod.instantiate(getCoreModule, i);
  inst = await instantiate();
} else {
  inst = await import(new URL('values.js', config.out));
}
// Tests that poison their instance: registered in instantiation mode only (not skipped:
// in ESM mode they do not apply).
const instanceTest = config.mode === 'instantiation' ? test : () => {};

const f32 = Math.fround;
const U64_MAX = 2n ** 64n - 1n;
const S64_MAX = 2n ** 63n - 1n;
const S64_MIN = -(2n ** 63n);
const long = 'long string 🦀 é '.repeat(20000);
const astral = '😀🎉\u{10FFFF}\u{1F600}𝄞';

// [function, argument, expected result (defaults to the argument)]
const cases = [
  ['echoBool', true],
  ['echoBool', false],
  ['echoS8', -128],
  ['echoS8', 255, -1],
  ['echoU8', 256, 0],
  ['echoU16', -1, 65535],
  ['echoS16', 32768, -32768],
  ['echoS32', 2147483648, -2147483648],
  ['echoU32', 4294967295],
  ['echoU32', -1, 4294967295],
  ['echoS64', S64_MIN],
  ['echoS64', S64_MAX],
  ['echoU64', U64_MAX],
  ['echoF32', -0],
  ['echoF32', 0.1, f32(0.1)],
  ['echoF32', NaN],
  ['echoF32', 1e39, Infinity],
  ['echoF64', 0.1],
  ['echoF64', -0],
  ['echoF64', Number.MIN_VALUE],
  ['echoChar', '😀'],
  ['echoChar', '\u{10FFFF}'],
  ['echoString', ''],
  ['echoString', 'héllo wörld ñ ß'],
  ['echoString', astral],
  ['echoString', 'nul\0inside\0'],
  ['echoString', long],
  ['echoString', 'lone \uD800 surrogate \uDFFF', 'lone \uFFFD surrogate \uFFFD'],
  ['echoListU8', new Uint8Array(100000).map((_, i) => i)],
  ['echoListU8', [0, 1, 255], new Uint8Array([0, 1, 255])],
  ['echoListS16', new Int16Array([0, -1, 32767, -32768])],
  ['echoListU32', new Uint32Array(5000).map((_, i) => i * 7919)],
  ['echoListU64', [U64_MAX, 2n ** 63n], new BigUint64Array([U64_MAX, 2n ** 63n])],
  ['echoListS64', new BigInt64Array([0n, -1n, S64_MAX, S64_MIN])],
  ['echoListF32', [0.1, -0, NaN, Infinity], new Float32Array([f32(0.1), -0, NaN, Infinity])],
  ['echoListF64', new Float64Array([0, -0, NaN, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE])],
  ['echoListBool', [true, false, true]],
  ['echoListChar', ['a', '😀', '\0', 'é']],
  ['echoListString', ['', 'a', astral, '']],
  ['echoListString', Array.from({ length: 1000 }, (_, i) => `item ${i} ${'🦀'.repeat(i % 5)}`)],
  [
    'echoListListU8',
    [[], [1, 2], new Uint8Array([255])],
    [new Uint8Array([]), new Uint8Array([1, 2]), new Uint8Array([255])],
  ],
  ['echoListPoint', [{ x: 0, y: 0 }, { x: 2147483647, y: -2147483648 }]],
  [
    'echoListShape',
    [
      { tag: 'circle', value: 2.5 },
      { tag: 'empty' },
      { tag: 'big-num', value: U64_MAX },
      { tag: 'rect', value: { x: 3, y: -4 } },
      { tag: 'named', value: 'n😀' },
    ],
  ],
  ['echoListOptionString', [undefined, 'x', null, ''], [null, 'x', null, '']],
  [
    'echoListResult',
    [
      { tag: 'ok', value: 4294967295 },
      { tag: 'err', value: 'bad 😀' },
    ],
  ],
  ['echoPoint', { x: -2147483648, y: 2147483647 }],
  [
    'echoMixed',
    {
      flag: true,
      smallInt: -128,
      bigInt: U64_MAX,
      ratio: -0,
      label: 'label 😀',
      inner: { x: 1, y: -1 },
      maybeName: 'name',
      items: new Uint32Array([1, 2, 4294967295]),
    },
  ],
  [
    'echoMixed',
    { flag: false, smallInt: 0, bigInt: 0n, ratio: NaN, label: '', inner: { x: 0, y: 0 }, maybeName: null, items: [] },
    {
      flag: false,
      smallInt: 0,
      bigInt: 0n,
      ratio: NaN,
      label: '',
      inner: { x: 0, y: 0 },
      maybeName: null,
      items: new Uint32Array([]),
    },
  ],
  ['echoTriple', [255, 'tri 😀', -0]],
  ['echoShape', { tag: 'circle', value: NaN }],
  ['echoShape', { tag: 'rect', value: { x: -1, y: 2 } }],
  ['echoShape', { tag: 'big-num', value: U64_MAX }],
  ['echoShape', { tag: 'named', value: astral }],
  ['echoShape', { tag: 'empty' }],
  ['echoColor', 'dark-blue'],
  ['echoOptionU32', null],
  ['echoOptionU32', undefined, null],
  ['echoOptionU32', 0],
  ['echoOptionOptionU32', { tag: 'none' }],
  ['echoOptionOptionU32', { tag: 'some', value: null }],
  ['echoOptionOptionU32', { tag: 'some', value: 4294967295 }],
  ['echoOptionString', 'some 😀'],
  ['echoOptionPoint', { x: 7, y: -7 }],
  ['echoResultU32String', { tag: 'ok', value: 4294967295 }, 4294967295],
  ['echoResultUnitString', { tag: 'ok' }, undefined],
  ['echoResultString', { tag: 'ok', value: 'yes 😀' }, 'yes 😀'],
  ['echoResult', { tag: 'ok' }, undefined],
  ['echoSmallFlags', { read: true, write: false, exec: true }],
  ['echoSmallFlags', { write: true }, { read: false, write: true, exec: false }],
  ['echoWideFlags', wideFlags([0, 7, 8, 15, 16, 19])],
  ['echoWideFlags', { flagT: true }, wideFlags([19])],
];

// [function, argument, err payload]: a top-level `result` returning `err` throws.
const errCases = [
  ['echoResultU32String', { tag: 'err', value: 'bad' }, 'bad'],
  ['echoResultUnitString', { tag: 'err', value: 'no 😀' }, 'no 😀'],
  ['echoResultString', { tag: 'err' }, undefined],
  ['echoResult', { tag: 'err' }, undefined],
];

function wideFlags(set) {
  const flags = {};
  for (let i = 0; i < 20; i++) flags[`flag${String.fromCharCode(65 + i)}`] = set.includes(i);
  return flags;
}

const isResult = (name) => /^echoResult(U32String|UnitString|String)?$/.test(name);

/** For `assert.throws`: a `ComponentError` whose `payload` deep-equals `payload`. */
const componentError = (payload) => (e) =>
  e instanceof Error && e.name === 'ComponentError' && 'payload' in e && Object.is(e.payload, payload);

test('exports: interfaces by short and full name', () => {
  assert.equal(typeof inst.values, 'object');
  assert.equal(typeof inst.roundtrip, 'object');
  assert.equal(inst['weft:test/values'], inst.values);
  assert.equal(inst['weft:test/roundtrip'], inst.roundtrip);
  assert.equal(typeof inst.values.echoU32, 'function');
});

for (const [iface, viaHost] of [
  ['values', false],
  ['roundtrip', true],
]) {
  test(`${iface}: numbers, strings, lists, records, variants, options, results, flags`, () => {
    for (const [name, arg, ...rest] of cases) {
      const expected = rest.length ? rest[0] : arg;
      host.saw.clear();
      const got = inst[iface][name](arg);
      assert.deepEqual(got, expected, `${iface}.${name}(${show(arg, 60)})`);
      if (viaHost && !isResult(name)) assert.deepEqual(host.saw.get(name), expected, `host.${name} given ${show(arg, 60)}`);
    }
  });

  test(`${iface}: a top-level err result throws ComponentError`, () => {
    for (const [name, arg, payload] of errCases) {
      assert.throws(() => inst[iface][name](arg), componentError(payload), `${iface}.${name}`);
    }
    assert.equal(inst[iface].fallible(7, false), 7);
    assert.throws(() => inst[iface].fallible(7, true), componentError('failed: 7'));
  });

  test(`${iface}: results below the top level keep their tag`, () => {
    const rs = [{ tag: 'ok' }, { tag: 'err', value: 'e' }, { tag: 'ok', value: 's' }, { tag: 'err', value: '' }];
    const got = inst[iface].echoResults(rs);
    assert.deepEqual(
      got.map((r) => [r.tag, r.value]),
      rs.map((r) => [r.tag, r.value]),
    );
  });

  test(`${iface}: 17+ flat parameters and a spilled result`, () => {
    const args = [255, -128, 65535, -32768, 4294967295, -2147483648, U64_MAX, S64_MIN, 0.1, -0, true, '😀', 'many 😀', [1, 2, 3], null, { x: 1, y: 2 }, 'dark-blue', 7];
    const want = [...args];
    want[8] = f32(0.1);
    want[13] = new Uint8Array([1, 2, 3]);
    assert.deepEqual(inst[iface].manyParams(...args), want);
    if (viaHost) assert.deepEqual(host.saw.get('manyParams'), want);
    assert.deepEqual(inst[iface].splitU64(0x8000000080008080n), host.splitU64(0x8000000080008080n));
  });

  test(`${iface}: no parameters, no result`, () => {
    const before = host.counts.nop;
    assert.equal(inst[iface].nop(), undefined);
    assert.equal(host.counts.nop, before + (viaHost ? 1 : 0));
  });
}

test('the host sees typed arrays, records and variants in their JS shapes', () => {
  host.saw.clear();
  inst.roundtrip.echoListU8([1, 2]);
  assert.ok(host.saw.get('echoListU8') instanceof Uint8Array);
  inst.roundtrip.echoListS64([-1n]);
  assert.ok(host.saw.get('echoListS64') instanceof BigInt64Array);
  inst.roundtrip.echoOptionU32(undefined);
  assert.equal(host.saw.get('echoOptionU32'), null);
  inst.roundtrip.echoShape({ tag: 'empty' });
  assert.deepEqual(host.saw.get('echoShape'), { tag: 'empty' });
  assert.throws(() => inst.roundtrip.echoResultU32String({ tag: 'err', value: 'x' }), componentError('x'));
  assert.deepEqual(host.saw.get('echoResultU32String'), { tag: 'err', value: 'x' });
});

test('values that do not fit the WIT type are TypeErrors, and do not poison', () => {
  const v = inst.values;
  assert.throws(() => v.echoU64(1), TypeError);
  assert.throws(() => v.echoS64(1.5), TypeError);
  assert.throws(() => v.echoChar('ab'), TypeError);
  assert.throws(() => v.echoColor('blue'), TypeError);
  assert.throws(() => v.echoShape({ tag: 'triangle', value: 1 }), TypeError);
  assert.equal(v.echoU32(5), 5);
});

instanceTest(
  'a trap is a WebAssembly.RuntimeError and poisons the instance',
  async () => {
    const victim = await instantiate();
    assert.equal(victim.values.echoU32(1), 1);
    assert.throws(() => victim.values.trapNow(), WebAssembly.RuntimeError);
    assert.throws(() => victim.values.echoU32(1), WebAssembly.RuntimeError);
    assert.equal(inst.values.echoU32(2), 2);
  },
);

instanceTest(
  'an exception thrown by an import propagates and poisons the instance',
  async () => {
    const boom = new Error('boom');
    const victim = await instantiate({
      'weft:test/types': {},
      'weft:test/host': {
        ...host,
        echoU32() {
          throw boom;
        },
      },
    });
    assert.throws(() => victim.roundtrip.echoU32(1), (e) => e === boom);
    assert.throws(() => victim.values.echoU32(1));
    assert.equal(inst.roundtrip.echoU32(3), 3);
  },
);

instanceTest(
  'instances do not share state',
  async () => {
    const a = await instantiate();
    const b = await instantiate();
    assert.notEqual(a.values, b.values);
    assert.equal(a.values.echoString('a'), 'a');
    assert.equal(b.values.echoString('b'), 'b');
  },
);
