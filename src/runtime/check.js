// Validation of JS values before they are lowered into a guest (docs/js-api.md, "Values
// from JS"): the generated code tests each value inline (`typeof`, `Array.isArray`, a
// tag's `switch`) and calls these helpers for the tests that are not one expression and
// to throw. Nothing of the guest runs until every value of a call has passed, so a value
// that does not fit is a TypeError (or a RangeError for a length) that leaves the
// instance usable. Messages name the value by its path (`arg 0 .items[3].name`), which
// the generated code builds only once a test has failed.
import { borrowRep } from './wrappers.js';
import { End } from './stream.js';

/**
 * Throws `TypeError('<path>: expected <expected>, got <what v is>')`.
 * @param {string} path @param {string} expected @param {unknown} v
 * @returns {never}
 */
export function checkFail(path, expected, v) {
  throw new TypeError(`${path}: expected ${expected}, got ${checkKind(v)}`);
}

/**
 * `checkFail` for a value that is none of an enum's cases, `cases` its module table
 * (`enumN`): `expected one of 'a', 'b', …` with at most 12 cases shown, then how many
 * there are. The list is made here, on failure, not printed at every check of the enum.
 * @param {string} path @param {readonly string[]} cases @param {unknown} v
 * @returns {never}
 */
export function checkEnumFail(path, cases, v) {
  const shown = cases.slice(0, 12).map((c) => `'${c}'`).join(', ');
  checkFail(path, `one of ${shown}${cases.length > 12 ? `, … (${cases.length} cases)` : ''}`, v);
}

/**
 * The index of enum value `v` in `index` (a module's `enumNIndex`) as it is lowered. The
 * check before the call accepted it; a value read again (a getter) may not be a case.
 * @param {Map<unknown, number>} index @param {unknown} v @returns {number}
 */
export function enumIndex(index, v) {
  const d = index.get(v);
  if (d === undefined) throw new TypeError('invalid enum value');
  return d;
}

/**
 * The case index of variant tag `tag` in `index` (a module's `enumNIndex` of the
 * variant's case names) as the variant is lowered; the check before the call accepted
 * the tag, a tag read again (a getter) may be none of the cases.
 * @param {Map<unknown, number>} index @param {unknown} tag @returns {number}
 */
export function tagIndex(index, tag) {
  const d = index.get(tag);
  if (d === undefined) invalidTag();
  return /** @type {number} */ (d);
}

/**
 * Throws for a variant whose `tag`, read again as it is lowered (a getter), is none of
 * its cases; the check before the call accepted the first read. @returns {never}
 */
export function invalidTag() {
  throw new TypeError('invalid variant tag');
}

/**
 * `--compat jco`: throws for an integer of type `type` that is not an integer in
 * `[lo, hi]` (jco rejects what weft's native mode wraps as `ToUint8` … `ToBigUint64` do).
 * @param {string} path @param {string} type @param {string} range @param {unknown} v
 * @returns {never}
 */
export function checkIntRange(path, type, range, v) {
  const what = typeof v === 'number' || typeof v === 'bigint' ? `${typeof v} ${String(v)}` : checkKind(v);
  throw new TypeError(`${path}: invalid ${type} value: expected an integer in ${range}, got ${what}`);
}

/**
 * Throws for a list whose `length` is not an array length (a Proxy can answer anything)
 * or which has more elements than the canonical ABI can hold (`max`).
 * @param {string} path @param {unknown} n @param {number} max
 * @returns {never}
 */
export function checkLength(path, n, max) {
  if (typeof n !== 'number' || n >>> 0 !== n) {
    throw new RangeError(`${path}: expected a length that is an integer in [0, 2^32 - 1], got ${checkKind(n)}`);
  }
  throw new RangeError(`${path}: a list of ${n} elements is too long for the canonical ABI (at most ${max})`);
}

/**
 * Throws for a value that failed `typeof v === 'string' && v.length <= 134217727`: not a
 * string (TypeError), or longer than MAX_STRING_BYTE_LENGTH in UTF-16 (RangeError).
 * @param {string} path @param {unknown} v
 * @returns {never}
 */
export function checkString(path, v) {
  if (typeof v !== 'string') checkFail(path, 'string', v);
  throw new RangeError(`${path}: a string of ${v.length} UTF-16 code units is too long for the canonical ABI`);
}

/**
 * What `v` is, for messages: `undefined`, `null`, `number 1.5`, `string`, `Array (length
 * 3)`, `ArrayBuffer`, `object`, … Never throws (a Proxy's traps are not trusted).
 * @param {unknown} v @returns {string}
 */
export function checkKind(v) {
  if (v === null) return 'null';
  const t = typeof v;
  if (t === 'number') return `number ${v}`;
  if (t === 'boolean') return `boolean ${v}`;
  if (t !== 'object') return t;
  try {
    if (Array.isArray(v)) return `Array (length ${v.length})`;
    const tag = Object.prototype.toString.call(v).slice(8, -1);
    return tag === 'Object' ? 'object' : tag;
  } catch {
    return 'object';
  }
}

/**
 * Whether `v` is a string of exactly one Unicode scalar value (a `char`).
 * @param {unknown} v @returns {boolean}
 */
export function isChar(v) {
  if (typeof v !== 'string') return false;
  if (v.length === 1) return (v.charCodeAt(0) & 0xf800) !== 0xd800;
  return v.length === 2 && /** @type {number} */ (v.codePointAt(0)) > 0xffff;
}

/**
 * Whether `v` is a plain object (its prototype `Object.prototype` or null): what a
 * `map` accepts besides a `Map`.
 * @param {unknown} v @returns {boolean}
 */
export function isPlainObject(v) {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * What is wrong with `v` as a `stream` ('' when nothing): it must be a stream end weft
 * made, a `ReadableStream` (anything with `getReader`) that no reader has locked, or an
 * async or sync iterable object.
 * @param {unknown} v @returns {string}
 */
export function streamProblem(v) {
  const s = /** @type {any} */ (v);
  if (v !== null && typeof v === 'object') {
    if (v instanceof End) return '';
    if (typeof s.getReader === 'function') {
      return s.locked === true ? 'the ReadableStream is locked to a reader' : '';
    }
    if (typeof s[Symbol.asyncIterator] === 'function' || typeof s[Symbol.iterator] === 'function') return '';
  }
  return `expected ReadableStream or iterable, got ${checkKind(v)}`;
}

/**
 * What is wrong with `obj` as a handle of the guest resource `type` ('' when nothing):
 * not an object of its class, moved or disposed; or, with `seen` (the handles passed
 * earlier in the same call, each mapped to whether it was passed as owned), one this
 * call moves twice, or lends and moves. `obj` joins `seen`.
 * @param {unknown} obj @param {{ name: string }} type @param {boolean} own
 * @param {Map<unknown, boolean> | null} seen
 * @returns {string}
 */
export function handleProblem(obj, type, own, seen) {
  try {
    borrowRep(/** @type {object} */ (obj), type);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (seen !== null) {
    const before = seen.get(obj);
    if (before === true) return `the ${type.name} resource is passed as owned earlier in this call`;
    if (before === false && own) return `the ${type.name} resource is borrowed earlier in this call, so it cannot be passed as owned`;
    seen.set(obj, own);
  }
  return '';
}

/**
 * Throws `TypeError('<path>: <problem>')`.
 * @param {string} path @param {string} problem
 * @returns {never}
 */
export function checkProblem(path, problem) {
  throw new TypeError(`${path}: ${problem}`);
}
