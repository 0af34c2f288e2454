// The `maps` guest: `map<K, V>` as a JS `Map`, through an export (`maps`) and
// through an import implemented here (`mapRoundtrip` calls `map-host`).
import { assert, loadGuest, test } from '../testing.mjs';

const U32_MAX = 4294967295;
const S64_MIN = -(2n ** 63n);
const S64_MAX = 2n ** 63n - 1n;
const bigMap = new Map(Array.from({ length: 2000 }, (_, i) => [`key ${i} 🔑`, i * 2654435761 >>> 0]));

// [function, argument, expected result (defaults to the argument)]. The guest keeps
// maps in a BTreeMap, so entries come back sorted by key: `Map`s compare regardless
// of order.
const cases = [
  ['echoMap', new Map()],
  ['echoMap', new Map([['a', 1]])],
  [
    'echoMap',
    new Map([
      ['', 0],
      ['zebra', U32_MAX],
      ['😀 astral', 7],
      ['é', 1],
    ]),
  ],
  ['echoMap', bigMap],
  ['echoMap', { x: 1, y: 2 }, new Map([['x', 1], ['y', 2]])],
  ['echoMapU32', new Map()],
  [
    'echoMapU32',
    new Map([
      [0, []],
      [U32_MAX, ['a', '', 'b😀']],
      [5, ['five']],
    ]),
  ],
  ['echoMapRecord', new Map()],
  [
    'echoMapRecord',
    new Map([
      ['one', { count: 1, total: 10n }],
      ['max', { count: U32_MAX, total: 2n ** 64n - 1n }],
    ]),
  ],
  ['echoListMap', []],
  [
    'echoListMap',
    [
      new Map(),
      new Map([
        [0, true],
        [255, false],
      ]),
      new Map([[7, true]]),
    ],
  ],
  ['echoOptionMap', null],
  ['echoOptionMap', undefined, null],
  ['echoOptionMap', new Map()],
  [
    'echoOptionMap',
    new Map([
      [S64_MIN, 'min'],
      [-1n, 'minus one'],
      [0n, ''],
      [S64_MAX, 'max 😀'],
    ]),
  ],
  [
    'invert',
    new Map([
      ['a', 1],
      ['b', 2],
    ]),
    new Map([
      [1, 'a'],
      [2, 'b'],
    ]),
  ],
  ['invert', new Map(), new Map()],
];

// The JS side of `weft:test/map-host`: records what it was given and returns it
// (`invert` swaps keys and values, like the guest). Maps are returned as plain objects
// where the keys are strings, which must be accepted too.
const saw = new Map();
const hostEcho = (name) => (x) => {
  saw.set(name, x);
  return x;
};
const host = {
  echoMap(x) {
    saw.set('echoMap', x);
    return Object.fromEntries(x);
  },
  echoMapU32: hostEcho('echoMapU32'),
  echoMapRecord: hostEcho('echoMapRecord'),
  echoListMap: hostEcho('echoListMap'),
  echoOptionMap: hostEcho('echoOptionMap'),
  invert(x) {
    saw.set('invert', x);
    return new Map([...x].map(([k, v]) => [v, k]));
  },
};

const { instance: inst } = await loadGuest('maps', () => ({ 'weft:test/map-types': {}, 'weft:test/map-host': host }));

test('exports: interfaces by short and full name', () => {
  assert.equal(inst['weft:test/maps'], inst.maps);
  assert.equal(inst['weft:test/map-roundtrip'], inst.mapRoundtrip);
});

for (const iface of ['maps', 'mapRoundtrip']) {
  test(`${iface}: maps of every kind`, () => {
    for (const [name, arg, ...rest] of cases) {
      const expected = rest.length ? rest[0] : arg;
      saw.clear();
      const got = inst[iface][name](arg);
      assert.deepEqual(got, expected, `${iface}.${name}`);
      if (iface === 'mapRoundtrip') {
        const given = saw.get(name);
        if (arg instanceof Map || (arg && typeof arg === 'object' && !Array.isArray(arg))) {
          assert.ok(given instanceof Map, `host.${name} is given a Map`);
        }
        if (name !== 'invert') assert.deepEqual(given, expected, `host.${name} given`);
      }
    }
  });
}

test('map results are Map objects', () => {
  assert.ok(inst.maps.echoMap({}) instanceof Map);
  assert.ok(inst.maps.echoOptionMap(new Map()) instanceof Map);
  assert.ok(inst.maps.echoListMap([new Map()])[0] instanceof Map);
});

test('wrong key or value types are TypeErrors', () => {
  assert.throws(() => inst.maps.echoMap(new Map([['a', 1n]])), TypeError);
  assert.throws(() => inst.maps.echoOptionMap(new Map([[1, 'one']])), TypeError);
  assert.equal(inst.maps.echoMap(new Map([['ok', 1]])).get('ok'), 1);
});

// A map's entries are named by their position in its iteration order, as the
// `[key, value]` pairs they are: `[1][0]` is the second entry's key.
test('a value that is not a map, or entries of the wrong types, name their path', () => {
  const fails = (f, message) => assert.throws(f, (e) => e instanceof TypeError && e.message === message, message);
  fails(() => inst.maps.echoMap(new Map([['a', 1], ['b', 1n]])), 'arg 0 [1][1]: expected number, got bigint');
  // A plain object's keys are strings.
  fails(() => inst.maps.echoMapU32({ 1: ['x'] }), 'arg 0 [0][0]: expected number, got string');
  fails(() => inst.maps.echoMapU32(new Map([[1, ['x', 2]]])), 'arg 0 [0][1][1]: expected string, got number 2');
  // An Array, a Set or a class instance is not a map (their entries are not the map's).
  fails(() => inst.maps.echoMap([['a', 1]]), 'arg 0: expected Map or plain object, got Array (length 1)');
  fails(() => inst.maps.echoMap(new Set(['a'])), 'arg 0: expected Map or plain object, got Set');
  fails(() => inst.maps.echoMap(new (class Box {})()), 'arg 0: expected Map or plain object, got object');
  fails(() => inst.maps.echoListMap([new Map([[1, true]]), new Map([[2, 'yes']])]), 'arg 0 [1][0][1]: expected boolean, got string');
  assert.deepEqual(inst.maps.echoMap(Object.assign(Object.create(null), { k: 3 })), new Map([['k', 3]]));
});
