// The `values` guest: every WIT value type through an export (`values`, which echoes)
// and through an import implemented in host.mjs (`roundtrip` calls `host` and returns
// what it returned). Runs in node and in the page (see ../testing.mjs); in ESM mode the
// page shares one instance, so the tests that make their own need `instances`.
import { assert, componentError, loadGuest, test } from '../testing.mjs';
import * as host from './host.mjs';

const f32 = Math.fround;
const F32_MAX = f32(3.4028234663852886e38);
const F32_MIN_SUBNORMAL = f32(1.401298464324817e-45);
const U64_MAX = 2n ** 64n - 1n;
const S64_MAX = 2n ** 63n - 1n;
const S64_MIN = -(2n ** 63n);
const long = 'long string 🦀 é '.repeat(20000);
const astral = '😀🎉\u{10FFFF}\u{1F600}𝄞';

// [function, argument, expected result (defaults to the argument)]
const cases = [
  ['echoBool', true],
  ['echoBool', false],
  ['echoS8', 0],
  ['echoS8', -1],
  ['echoS8', 127],
  ['echoS8', -128],
  ['echoS8', 128, -128],
  ['echoS8', 255, -1],
  ['echoU8', 0],
  ['echoU8', 255],
  ['echoU8', 256, 0],
  ['echoU8', -1, 255],
  ['echoS16', 0],
  ['echoS16', -1],
  ['echoS16', 32767],
  ['echoS16', -32768],
  ['echoS16', 32768, -32768],
  ['echoU16', 0],
  ['echoU16', 65535],
  ['echoU16', -1, 65535],
  ['echoS32', 0],
  ['echoS32', -1],
  ['echoS32', 2147483647],
  ['echoS32', -2147483648],
  ['echoS32', 2147483648, -2147483648],
  ['echoU32', 0],
  ['echoU32', 4294967295],
  ['echoU32', -1, 4294967295],
  ['echoU32', 4294967296, 0],
  ['echoS64', 0n],
  ['echoS64', -1n],
  ['echoS64', S64_MAX],
  ['echoS64', S64_MIN],
  ['echoU64', 0n],
  ['echoU64', 1n],
  ['echoU64', U64_MAX],
  ['echoU64', 2n ** 63n],
  ['echoF32', 0],
  ['echoF32', -0],
  ['echoF32', 1.5],
  ['echoF32', 0.1, f32(0.1)],
  ['echoF32', NaN],
  ['echoF32', Infinity],
  ['echoF32', -Infinity],
  ['echoF32', F32_MAX],
  ['echoF32', -F32_MAX],
  ['echoF32', F32_MIN_SUBNORMAL],
  ['echoF32', 1e39, Infinity],
  ['echoF64', 0],
  ['echoF64', -0],
  ['echoF64', -1.5],
  ['echoF64', 0.1],
  ['echoF64', NaN],
  ['echoF64', Infinity],
  ['echoF64', -Infinity],
  ['echoF64', Number.MAX_VALUE],
  ['echoF64', Number.MIN_VALUE],
  ['echoF64', Number.EPSILON],
  ['echoF64', Number.MAX_SAFE_INTEGER],
  ['echoChar', 'a'],
  ['echoChar', '\0'],
  ['echoChar', 'é'],
  ['echoChar', '\uFFFF'],
  ['echoChar', '😀'],
  ['echoChar', '\u{10FFFF}'],
  ['echoString', ''],
  ['echoString', 'hello'],
  ['echoString', 'héllo wörld ñ ß'],
  ['echoString', astral],
  ['echoString', 'nul\0inside\0'],
  ['echoString', long],
  ['echoString', 'lone \uD800 surrogate \uDFFF', 'lone \uFFFD surrogate \uFFFD'],
  ['echoListU8', new Uint8Array([])],
  ['echoListU8', new Uint8Array([0, 1, 255])],
  ['echoListU8', [0, 1, 255], new Uint8Array([0, 1, 255])],
  ['echoListU8', new Uint8Array(100000).map((_, i) => i)],
  ['echoListS8', new Int8Array([0, -1, 127, -128])],
  ['echoListS8', [-128, 127], new Int8Array([-128, 127])],
  ['echoListU16', new Uint16Array([])],
  ['echoListU16', new Uint16Array([0, 1, 65535])],
  ['echoListU16', [65535, 2], new Uint16Array([65535, 2])],
  ['echoListS16', new Int16Array([0, -1, 32767, -32768])],
  ['echoListU32', new Uint32Array([0, 1, 4294967295])],
  ['echoListU32', [4294967295], new Uint32Array([4294967295])],
  ['echoListU32', new Uint32Array(5000).map((_, i) => i * 7919)],
  ['echoListS32', new Int32Array([])],
  ['echoListS32', new Int32Array([0, -1, 2147483647, -2147483648])],
  ['echoListS32', [-5, 5], new Int32Array([-5, 5])],
  ['echoListU64', new BigUint64Array([0n, 1n, U64_MAX])],
  ['echoListU64', [U64_MAX, 2n ** 63n], new BigUint64Array([U64_MAX, 2n ** 63n])],
  ['echoListS64', new BigInt64Array([0n, -1n, S64_MAX, S64_MIN])],
  ['echoListF32', new Float32Array([])],
  ['echoListF32', [0.1, -0, NaN, Infinity], new Float32Array([f32(0.1), -0, NaN, Infinity])],
  ['echoListF32', new Float32Array([F32_MAX, F32_MIN_SUBNORMAL])],
  ['echoListF64', new Float64Array([0, -0, NaN, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE])],
  ['echoListF64', [0.1, 0.2], new Float64Array([0.1, 0.2])],
  ['echoListBool', []],
  ['echoListBool', [true, false, true]],
  ['echoListChar', ['a', '😀', '\0', 'é']],
  ['echoListString', []],
  ['echoListString', ['', 'a', astral, '']],
  ['echoListString', Array.from({ length: 1000 }, (_, i) => `item ${i} ${'🦀'.repeat(i % 5)}`)],
  ['echoListListU8', []],
  [
    'echoListListU8',
    [[], [1, 2], new Uint8Array([255])],
    [new Uint8Array([]), new Uint8Array([1, 2]), new Uint8Array([255])],
  ],
  ['echoListPoint', []],
  [
    'echoListPoint',
    [
      { x: 0, y: 0 },
      { x: -1, y: 1 },
      { x: 2147483647, y: -2147483648 },
    ],
  ],
  [
    'echoListShape',
    [
      { tag: 'circle', value: 2.5 },
      { tag: 'empty' },
      { tag: 'big-num', value: U64_MAX },
      { tag: 'rect', value: { x: 3, y: -4 } },
      { tag: 'named', value: 'n😀' },
      { tag: 'circle', value: NaN },
    ],
  ],
  ['echoListOptionString', [null, '', 'a😀', null]],
  ['echoListOptionString', [undefined, 'x'], [null, 'x']],
  [
    'echoListResult',
    [
      { tag: 'ok', value: 0 },
      { tag: 'err', value: '' },
      { tag: 'ok', value: 4294967295 },
      { tag: 'err', value: 'bad 😀' },
    ],
  ],
  ['echoPoint', { x: 0, y: 0 }],
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
    {
      flag: false,
      smallInt: 0,
      bigInt: 0n,
      ratio: NaN,
      label: '',
      inner: { x: 0, y: 0 },
      maybeName: null,
      items: [],
    },
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
  ['echoTriple', [0, '', 0]],
  ['echoTriple', [255, 'tri 😀', -0]],
  ['echoTriple', [1, long, NaN]],
  ['echoShape', { tag: 'circle', value: 1.5 }],
  ['echoShape', { tag: 'circle', value: -0 }],
  ['echoShape', { tag: 'circle', value: NaN }],
  ['echoShape', { tag: 'circle', value: Infinity }],
  ['echoShape', { tag: 'rect', value: { x: -1, y: 2 } }],
  ['echoShape', { tag: 'big-num', value: 0n }],
  ['echoShape', { tag: 'big-num', value: U64_MAX }],
  ['echoShape', { tag: 'named', value: '' }],
  ['echoShape', { tag: 'named', value: astral }],
  ['echoShape', { tag: 'empty' }],
  ['echoColor', 'red'],
  ['echoColor', 'green'],
  ['echoColor', 'dark-blue'],
  ['echoOptionU32', null],
  ['echoOptionU32', undefined, null],
  ['echoOptionU32', 0],
  ['echoOptionU32', 4294967295],
  ['echoOptionOptionU32', { tag: 'none' }],
  ['echoOptionOptionU32', { tag: 'some', value: null }],
  ['echoOptionOptionU32', { tag: 'some', value: 0 }],
  ['echoOptionOptionU32', { tag: 'some', value: 4294967295 }],
  ['echoOptionString', null],
  ['echoOptionString', ''],
  ['echoOptionString', 'some 😀'],
  ['echoOptionPoint', null],
  ['echoOptionPoint', { x: 7, y: -7 }],
  ['echoResultU32String', { tag: 'ok', value: 0 }, 0],
  ['echoResultU32String', { tag: 'ok', value: 4294967295 }, 4294967295],
  ['echoResultUnitString', { tag: 'ok' }, undefined],
  ['echoResultString', { tag: 'ok', value: '' }, ''],
  ['echoResultString', { tag: 'ok', value: 'yes 😀' }, 'yes 😀'],
  ['echoResult', { tag: 'ok' }, undefined],
  ['echoSmallFlags', { read: false, write: false, exec: false }],
  ['echoSmallFlags', { read: true, write: false, exec: true }],
  ['echoSmallFlags', { read: true, write: true, exec: true }],
  ['echoSmallFlags', {}, { read: false, write: false, exec: false }],
  ['echoSmallFlags', { write: true }, { read: false, write: true, exec: false }],
  ['echoWideFlags', wideFlags([])],
  ['echoWideFlags', wideFlags([0, 7, 8, 15, 16, 19])],
  ['echoWideFlags', wideFlags([...Array(20).keys()])],
  ['echoWideFlags', { flagT: true }, wideFlags([19])],
];

// [function, argument, err payload]: a top-level `result` returning `err` throws.
const errCases = [
  ['echoResultU32String', { tag: 'err', value: 'bad' }, 'bad'],
  ['echoResultU32String', { tag: 'err', value: '' }, ''],
  ['echoResultUnitString', { tag: 'err', value: 'no 😀' }, 'no 😀'],
  ['echoResultString', { tag: 'err' }, undefined],
  ['echoResult', { tag: 'err' }, undefined],
];

/** A `wide-flags` value with the flags at `set` (0 = flagA … 19 = flagT) true. */
function wideFlags(set) {
  const flags = {};
  for (let i = 0; i < 20; i++) flags[`flag${String.fromCharCode(65 + i)}`] = set.includes(i);
  return flags;
}

/** Whether the function's result is a top-level `result`. */
function isResult(name) {
  return ['echoResultU32String', 'echoResultUnitString', 'echoResultString', 'echoResult'].includes(name);
}

const manyArgs = [
  255,
  -128,
  65535,
  -32768,
  4294967295,
  -2147483648,
  U64_MAX,
  S64_MIN,
  0.1,
  -0,
  true,
  '😀',
  'many 😀 params',
  [1, 2, 3],
  null,
  { x: 1, y: 2 },
  'dark-blue',
  7,
];
const manyResult = [
  255,
  -128,
  65535,
  -32768,
  4294967295,
  -2147483648,
  U64_MAX,
  S64_MIN,
  f32(0.1),
  -0,
  true,
  '😀',
  'many 😀 params',
  new Uint8Array([1, 2, 3]),
  null,
  { x: 1, y: 2 },
  'dark-blue',
  7,
];
const manyArgs2 = [0, 0, 0, 0, 0, 0, 0n, 0n, NaN, Infinity, false, 'a', '', [], 0, { x: 0, y: 0 }, 'red', 0];
const manyResult2 = [
  0,
  0,
  0,
  0,
  0,
  0,
  0n,
  0n,
  NaN,
  Infinity,
  false,
  'a',
  '',
  new Uint8Array([]),
  0,
  { x: 0, y: 0 },
  'red',
  0,
];

const imports = () => ({ 'weft:test/types': {}, 'weft:test/host': { ...host } });
const { instance: inst, instantiate } = await loadGuest('values', imports);
const { saw } = host;

test('exports: interfaces by short and full name', () => {
  assert.equal(typeof inst.values, 'object');
  assert.equal(typeof inst.roundtrip, 'object');
  assert.equal(inst['weft:test/values'], inst.values);
  assert.equal(inst['weft:test/roundtrip'], inst.roundtrip);
  assert.equal(typeof inst.values.echoU32, 'function');
  assert.equal(typeof inst.values.trapNow, 'function');
  assert.equal(typeof inst.roundtrip.echoListListU8, 'function');
});

for (const [iface, viaHost] of [
  ['values', false],
  ['roundtrip', true],
]) {
  test(`${iface}: every value type, both ways`, () => {
    for (const [name, arg, ...rest] of cases) {
      const expected = rest.length ? rest[0] : arg;
      saw.clear();
      const got = inst[iface][name](arg);
      assert.deepEqual(got, expected, `${iface}.${name}(${show(arg)})`);
      if (viaHost) {
        // The host is given the lifted argument: the shape a result would have (a
        // top-level result's argument is a plain `result` value).
        if (isResult(name)) {
          // Compared by tag and value: whether a payload-less case has a `value` key
          // is not pinned down.
          const { tag, value } = saw.get(name);
          assert.deepEqual({ tag, value }, { tag: arg.tag, value: arg.value }, `host.${name} given ${show(arg)}`);
        } else {
          assert.deepEqual(saw.get(name), expected, `host.${name} given ${show(arg)}`);
        }
      }
    }
  });

  test(`${iface}: a top-level err result throws ComponentError`, () => {
    for (const [name, arg, payload] of errCases) {
      assert.throws(() => inst[iface][name](arg), componentError(payload), `${iface}.${name}`);
    }
    assert.equal(inst[iface].fallible(7, false), 7);
    assert.throws(() => inst[iface].fallible(7, true), componentError('failed: 7'));
    assert.throws(() => inst[iface].fallible(0, true), componentError('failed: 0'));
    assert.equal(inst[iface].fallible(4294967295, false), 4294967295);
  });

  test(`${iface}: results below the top level keep their tag`, () => {
    const rs = [{ tag: 'ok' }, { tag: 'err', value: 'e' }, { tag: 'ok', value: 's' }, { tag: 'err', value: '' }];
    const got = inst[iface].echoResults(rs);
    assert.equal(got.length, 4);
    for (let i = 0; i < 4; i++) {
      assert.equal(got[i].tag, rs[i].tag);
      assert.deepEqual(got[i].value, rs[i].value);
    }
    const rs2 = [{ tag: 'err' }, { tag: 'ok' }, { tag: 'err' }, { tag: 'ok', value: 4294967295 }];
    const got2 = inst[iface].echoResults(rs2);
    assert.deepEqual(
      got2.map((r) => [r.tag, r.value]),
      rs2.map((r) => [r.tag, r.value]),
    );
  });

  test(`${iface}: 17+ flat parameters and a spilled result`, () => {
    assert.deepEqual(inst[iface].manyParams(...manyArgs), manyResult);
    assert.deepEqual(inst[iface].manyParams(...manyArgs2), manyResult2);
    if (viaHost) assert.deepEqual(saw.get('manyParams'), manyResult2);
    for (const x of [0n, 1n, U64_MAX, 0x1234567890abcdefn, 0x8000000080008080n, 2n ** 63n]) {
      assert.deepEqual(inst[iface].splitU64(x), host.u64Parts(x), `splitU64(${x})`);
    }
  });

  test(`${iface}: no parameters, no result`, () => {
    const before = host.counts.nop;
    assert.equal(inst[iface].nop(), undefined);
    assert.equal(host.counts.nop, before + (viaHost ? 1 : 0));
  });
}

test('the host sees typed arrays, records and variants in their JS shapes', () => {
  saw.clear();
  inst.roundtrip.echoListU8([1, 2]);
  assert.ok(saw.get('echoListU8') instanceof Uint8Array);
  inst.roundtrip.echoListS64([-1n]);
  assert.ok(saw.get('echoListS64') instanceof BigInt64Array);
  inst.roundtrip.echoListF32([1]);
  assert.ok(saw.get('echoListF32') instanceof Float32Array);
  inst.roundtrip.echoOptionU32(undefined);
  assert.equal(saw.get('echoOptionU32'), null);
  inst.roundtrip.echoShape({ tag: 'empty' });
  assert.deepEqual(saw.get('echoShape'), { tag: 'empty' });
  inst.roundtrip.echoResultU32String({ tag: 'ok', value: 3 });
  assert.deepEqual(saw.get('echoResultU32String'), { tag: 'ok', value: 3 });
  assert.throws(() => inst.roundtrip.echoResultU32String({ tag: 'err', value: 'x' }), componentError('x'));
  assert.deepEqual(saw.get('echoResultU32String'), { tag: 'err', value: 'x' });
  inst.roundtrip.fallible(9, false);
  assert.deepEqual(saw.get('fallible'), [9, false]);
});

test('values that do not fit the WIT type are TypeErrors', () => {
  const v = inst.values;
  assert.throws(() => v.echoU64(1), TypeError);
  assert.throws(() => v.echoS64(1.5), TypeError);
  assert.throws(() => v.echoChar(''), TypeError);
  assert.throws(() => v.echoChar('ab'), TypeError);
  assert.throws(() => v.echoColor('blue'), TypeError);
  assert.throws(() => v.echoShape({ tag: 'triangle', value: 1 }), TypeError);
  assert.throws(() => v.echoListU64([1]), TypeError);
  // TypeErrors do not poison the instance.
  assert.equal(v.echoU32(5), 5);
});

// docs/js-api.md, "Values from JS": the message names the value by its path.
test('values that do not fit name their path, for arguments and for what the host returns', async () => {
  const fails = (f, message) => assert.throws(f, (e) => e instanceof TypeError && e.message === message, message);
  const v = inst.values;
  const mixed = { flag: true, smallInt: 1, bigInt: 2n, ratio: 0.5, label: 'l', inner: { x: 1, y: 2 }, maybeName: null, items: [1] };
  fails(() => v.echoMixed({ ...mixed, inner: { x: 1 } }), 'arg 0 .inner.y: expected number, got undefined');
  fails(() => v.echoMixed({ ...mixed, items: [1, 2, '3'] }), 'arg 0 .items[2]: expected number, got string');
  fails(() => v.echoMixed({ ...mixed, maybeName: 5 }), 'arg 0 .maybeName: expected string, got number 5');
  fails(() => v.echoMixed({ ...mixed, items: new ArrayBuffer(4) }), 'arg 0 .items: expected Array or Uint32Array, got ArrayBuffer');
  fails(() => v.echoListShape([{ tag: 'circle', value: 1 }, { tag: 'rect', value: { x: 1, y: '2' } }]), 'arg 0 [1].value.y: expected number, got string');
  fails(() => v.echoListShape([{ tag: 'circle', val: 1 }]), 'arg 0 [0].value: expected number, got undefined');
  fails(() => v.echoTriple([1, 'a']), 'arg 0: expected Array of 3 elements, got Array (length 2)');
  fails(() => v.echoOptionOptionU32({ tag: 'some', value: 'x' }), 'arg 0 .value: expected number, got string');
  fails(() => v.echoBool(1), 'arg 0: expected boolean, got number 1');
  fails(() => v.echoU32('1'), 'arg 0: expected number, got string');
  fails(() => v.echoSmallFlags({ read: 'yes' }), 'arg 0 .read: expected boolean or undefined, got string');
  fails(() => v.manyParams(...manyArgs.slice(0, 17), '7'), 'arg 17: expected number, got string');
  assert.equal(v.echoU32(5), 5);
});

test('a host import result that does not fit is a TypeError naming it', { needs: ['instances'] }, async () => {
  const victim = await instantiate({
    'weft:test/types': {},
    'weft:test/host': { ...host, echoPoint: () => ({ x: 1 }), echoListString: () => ['a', 2] },
  });
  assert.throws(
    () => victim.roundtrip.echoPoint({ x: 1, y: 2 }),
    (e) => e instanceof TypeError && e.message === 'result of weft:test/host#echo-point .y: expected number, got undefined',
  );
  const other = await instantiate({
    'weft:test/types': {},
    'weft:test/host': { ...host, echoListString: () => ['a', 2] },
  });
  assert.throws(
    () => other.roundtrip.echoListString(['a']),
    (e) => e instanceof TypeError && e.message === 'result of weft:test/host#echo-list-string [1]: expected string, got number 2',
  );
});

test('a trap is a WebAssembly.RuntimeError and poisons the instance', { needs: ['instances'] }, async () => {
  const victim = await instantiate(imports());
  assert.equal(victim.values.echoU32(1), 1);
  assert.throws(() => victim.values.trapNow(), WebAssembly.RuntimeError);
  assert.throws(() => victim.values.echoU32(1), WebAssembly.RuntimeError);
  assert.throws(() => victim.roundtrip.nop(), WebAssembly.RuntimeError);
  // Other instances are independent.
  assert.equal(inst.values.echoU32(2), 2);
  const fresh = await instantiate(imports());
  assert.equal(fresh.values.echoString('still fine'), 'still fine');
});

test('an exception thrown by an import propagates and poisons the instance', { needs: ['instances'] }, async () => {
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
});

test('instances do not share state', { needs: ['instances'] }, async () => {
  const a = await instantiate(imports());
  const b = await instantiate(imports());
  assert.notEqual(a.values, b.values);
  assert.equal(a.values.echoString('a'), 'a');
  assert.equal(b.values.echoString('b'), 'b');
});

function show(x) {
  let s;
  try {
    s = Object.is(x, -0) ? '-0' : JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    s = String(x);
  }
  s ??= String(x);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
