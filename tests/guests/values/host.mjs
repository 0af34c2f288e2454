// The JS side of the values guest's `weft:test/host` import, for values/test.mjs in node
// and in the page: instantiation mode passes the module's exports to `instantiate`; the
// ESM pages transpile the guest with `--map weft:test/*=/tests/guests/values/*.mjs`, so
// the guest imports this module. Every function records what it was given (in `saw`) and
// returns it (lists as plain arrays and `none` as `undefined`, which must be accepted
// too); the top-level `result`s throw `errResult` for `err`.
import { errResult } from '../testing.mjs';

/** Function name → the last argument it was given. */
export const saw = new Map();
/** How often `nop` ran. */
export const counts = { nop: 0 };

const typed = (x) => ArrayBuffer.isView(x) && !(x instanceof DataView);
const echo = (name) =>
  function (x) {
    if (arguments.length !== 1) throw new Error(`${name} got ${arguments.length} arguments`);
    saw.set(name, x);
    if (typed(x)) return Array.from(x);
    if (x === null) return undefined;
    return x;
  };
const result = (name) => (x) => {
  saw.set(name, x);
  if (x.tag === 'ok') return x.value;
  throw errResult(x.value);
};

export function nop() {
  counts.nop++;
}
export function fallible(x, fail) {
  saw.set('fallible', [x, fail]);
  if (fail) throw errResult(`failed: ${x}`);
  return x;
}
export function manyParams(...args) {
  saw.set('manyParams', args);
  return args;
}
export function splitU64(x) {
  saw.set('splitU64', x);
  return u64Parts(x);
}

/** What `split-u64` returns for `x`: its low 8, 16, 32 and 64 bits, unsigned then signed. */
export function u64Parts(x) {
  return [
    Number(BigInt.asUintN(8, x)),
    Number(BigInt.asUintN(16, x)),
    Number(BigInt.asUintN(32, x)),
    BigInt.asUintN(64, x),
    Number(BigInt.asIntN(8, x)),
    Number(BigInt.asIntN(16, x)),
    Number(BigInt.asIntN(32, x)),
    BigInt.asIntN(64, x),
  ];
}

export const echoResultU32String = result('echoResultU32String');
export const echoResultUnitString = result('echoResultUnitString');
export const echoResultString = result('echoResultString');
export const echoResult = result('echoResult');

export const echoBool = echo('echoBool');
export const echoS8 = echo('echoS8');
export const echoU8 = echo('echoU8');
export const echoS16 = echo('echoS16');
export const echoU16 = echo('echoU16');
export const echoS32 = echo('echoS32');
export const echoU32 = echo('echoU32');
export const echoS64 = echo('echoS64');
export const echoU64 = echo('echoU64');
export const echoF32 = echo('echoF32');
export const echoF64 = echo('echoF64');
export const echoChar = echo('echoChar');
export const echoString = echo('echoString');
export const echoListU8 = echo('echoListU8');
export const echoListS8 = echo('echoListS8');
export const echoListU16 = echo('echoListU16');
export const echoListS16 = echo('echoListS16');
export const echoListU32 = echo('echoListU32');
export const echoListS32 = echo('echoListS32');
export const echoListU64 = echo('echoListU64');
export const echoListS64 = echo('echoListS64');
export const echoListF32 = echo('echoListF32');
export const echoListF64 = echo('echoListF64');
export const echoListBool = echo('echoListBool');
export const echoListChar = echo('echoListChar');
export const echoListString = echo('echoListString');
export const echoListListU8 = echo('echoListListU8');
export const echoListPoint = echo('echoListPoint');
export const echoListShape = echo('echoListShape');
export const echoListOptionString = echo('echoListOptionString');
export const echoListResult = echo('echoListResult');
export const echoPoint = echo('echoPoint');
export const echoMixed = echo('echoMixed');
export const echoTriple = echo('echoTriple');
export const echoShape = echo('echoShape');
export const echoColor = echo('echoColor');
export const echoOptionU32 = echo('echoOptionU32');
export const echoOptionOptionU32 = echo('echoOptionOptionU32');
export const echoOptionString = echo('echoOptionString');
export const echoOptionPoint = echo('echoOptionPoint');
export const echoResults = echo('echoResults');
export const echoSmallFlags = echo('echoSmallFlags');
export const echoWideFlags = echo('echoWideFlags');
