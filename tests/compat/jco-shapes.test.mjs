// `--compat jco` against jco 1.35 itself: the `values` and `maps` guests transpiled by
// both (in instantiation mode; `maps` into `jco-maps/` and `weft-maps/`), called with the
// same jco-shaped inputs; every result, or the
// error thrown, must be the same (a TypeError by its class only: weft's name the value's
// path, docs/js-api.md "Values from JS", where jco's are whatever the engine says).
//
//   WEFT_JCO_OUT=<dir holding jco/ and weft/> node --test tests/compat/jco-shapes.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, inspect } from 'node:util';

const base = process.env.WEFT_JCO_OUT;
const load = async (dir, name = 'values') => {
  const { instantiate } = await import(pathToFileURL(join(base, dir, `${name}.js`)).href);
  const echo = new Proxy({}, { get: (_, k) => (k === 'then' ? undefined : (...a) => a[0]) });
  const imports = { 'weft:test/host': echo, 'weft:test/types': {}, 'weft:test/map-host': echo, 'weft:test/map-types': {} };
  return instantiate((p) => WebAssembly.compile(readFileSync(join(base, dir, p))), imports);
};
const jco = (await load('jco'))['weft:test/values'];
const weft = (await load('weft'))['weft:test/values'];
const cases = [
  ['echoBool', true], ['echoS8', -5], ['echoU64', 2n ** 64n - 1n], ['echoF32', 1.5], ['echoChar', '😀'],
  ['echoString', 'héllo'], ['echoListU8', new Uint8Array([1, 2])], ['echoListU32', new Uint32Array([7])],
  ['echoListU64', new BigUint64Array([1n])], ['echoListF64', new Float64Array([0.5])], ['echoListBool', [true, false]],
  ['echoListChar', ['a', '😀']], ['echoListString', ['a', 'b']], ['echoListListU8', [new Uint8Array([1])]],
  ['echoListPoint', [{ x: 1, y: 2 }]], ['echoListShape', [{ tag: 'circle', val: 1.5 }, { tag: 'empty' }]],
  ['echoListOptionString', ['x', undefined]], ['echoListResult', [{ tag: 'ok', val: 1 }, { tag: 'err', val: 'e' }]],
  ['echoPoint', { x: -1, y: 5 }], ['echoTriple', [1, 'two', 3.5]],
  ['echoShape', { tag: 'rect', val: { x: 1, y: 2 } }], ['echoShape', { tag: 'empty' }], ['echoColor', 'dark-blue'],
  ['echoOptionU32', 5], ['echoOptionU32', undefined], ['echoOptionOptionU32', { tag: 'some', val: 3 }],
  ['echoOptionOptionU32', { tag: 'some', val: undefined }], ['echoOptionOptionU32', undefined], ['echoOptionString', 'x'],
  ['echoOptionPoint', { x: 1, y: 1 }], ['echoResultU32String', { tag: 'ok', val: 3 }], ['echoResultUnitString', { tag: 'ok', val: undefined }],
  ['echoResultString', { tag: 'ok', val: 'ok' }], ['echoResult', { tag: 'ok', val: undefined }],
  ['echoResults', [{ tag: 'ok', val: undefined }, { tag: 'err', val: 'e' }, { tag: 'ok', val: 's' }, { tag: 'ok', val: 4 }]],
  ['echoSmallFlags', { read: true, write: false, exec: true }], ['echoWideFlags', { flagA: true, flagT: true }],
  // jco's integers are strict (out of range, or not an integer: a TypeError, where weft's
  // native mode wraps as ToInt8 … ToBigUint64 do), and a 64-bit one may be a Number.
  ['echoS8', 300], ['echoS8', -129], ['echoS8', 1.5], ['echoU64', 5], ['echoU64', -1n], ['echoU64', 2n ** 64n],
  ['echoU64', 2 ** 53], ['echoListU32', [1, -1]], ['echoListU32', [2 ** 32]],
  // A `result` that is not an object tagged `ok` or `err` is its `ok` payload.
  ['echoResultU32String', 7], ['echoResultString', 'bare'], ['echoListResult', [1, { tag: 'err', val: 'e' }]],
];
const diffs = [];
const thrown = (e) => (e instanceof TypeError ? 'throws TypeError' : `throws ${e.constructor.name}: ${e.payload ?? e.message}`);
for (const [f, arg] of cases) {
  let a, b;
  try { a = jco[f](arg); } catch (e) { a = thrown(e); }
  try { b = weft[f](arg); } catch (e) { b = thrown(e); }
  if (!isDeepStrictEqual(a, b)) diffs.push(`${f}(${inspect(arg)}): jco ${inspect(a, { depth: 5 })}, weft ${inspect(b, { depth: 5 })}`);
}
for (const f of ['fallible']) {
  for (const args of [[1, false], [2, true]]) {
    let a, b;
    try { a = jco[f](...args); } catch (e) { a = `throws ${e.constructor.name} payload=${inspect(e.payload)}`; }
    try { b = weft[f](...args); } catch (e) { b = `throws ${e.constructor.name} payload=${inspect(e.payload)}`; }
    if (!isDeepStrictEqual(a, b)) diffs.push(`${f}${inspect(args)}: jco ${inspect(a)}, weft ${inspect(b)}`);
  }
}
// Maps: a `Map` only (weft's own mode also takes a plain object).
const jcoMaps = (await load('jco-maps', 'maps'))['weft:test/maps'];
const weftMaps = (await load('weft-maps', 'maps'))['weft:test/maps'];
for (const [f, arg] of [
  ['echoMap', new Map([['a', 1], ['b', 2]])], ['echoMap', { a: 1 }], ['echoMap', [['a', 1]]],
  ['echoMapU32', new Map([[7, ['x']]])], ['echoOptionMap', undefined], ['invert', new Map([['k', 3]])],
]) {
  let a, b;
  try { a = jcoMaps[f](arg); } catch (e) { a = thrown(e); }
  try { b = weftMaps[f](arg); } catch (e) { b = thrown(e); }
  if (!isDeepStrictEqual(a, b)) diffs.push(`maps.${f}(${inspect(arg)}): jco ${inspect(a, { depth: 5 })}, weft ${inspect(b, { depth: 5 })}`);
}
test('weft --compat jco returns what jco 1.35 returns', () => {
  assert.deepEqual(diffs, []);
});
