// Assertions for pages: a small subset of node:assert/strict (equal, deepEqual, ok,
// throws, rejects, notEqual, match). No dependencies; plain ES module. The guests' tests
// use it in the page through tests/guests/testing-page.mjs.

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

/** A short, readable rendering of `x` (bigints with `n`, -0, typed arrays, Maps and Sets by name). */
export function show(x, max = 120) {
  let s;
  try {
    if (Object.is(x, -0)) s = '-0';
    else if (typeof x === 'bigint') s = `${x}n`;
    else if (typeof x === 'string') s = JSON.stringify(x);
    else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
      s = `${x.constructor.name}(${x.length}) [${Array.from(x.slice(0, 16), (v) => show(v)).join(', ')}${x.length > 16 ? ', ...' : ''}]`;
    } else if (x instanceof Error) s = `${x.name}: ${x.message}`;
    else if (typeof x === 'function') s = `[function ${x.name}]`;
    else if (typeof x === 'symbol') s = x.toString();
    else {
      s = JSON.stringify(x, (_, v) => {
        if (typeof v === 'bigint') return `${v}n`;
        if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
        if (Object.is(v, -0)) return '-0';
        if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${Array.from(v, (e) => (typeof e === 'bigint' ? `${e}n` : e))}]`;
        if (v instanceof Map) return { [`Map(${v.size})`]: [...v] };
        if (v instanceof Set) return { [`Set(${v.size})`]: [...v] };
        return v;
      });
    }
  } catch {
    s = String(x);
  }
  s ??= String(x);
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

function fail(message, fallback) {
  throw new AssertionError(message ? `${message}: ${fallback}` : fallback);
}

/** Deep strict equality as node's `assert.deepStrictEqual` sees it, for plain data. */
export function isDeepEqual(a, b, seen = new Map()) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length || a.byteLength !== b.byteLength) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
  if ((a instanceof Map || a instanceof Set) && !sameEntries(a, b, seen)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!isDeepEqual(a[k], b[k], seen)) return false;
  }
  return true;
}

/**
 * Whether Maps (or Sets) `a` and `b` hold the same entries, in any order: a key matches
 * as `b.has` sees it, or an object key one of `b`'s by deep equality; values deep-equal.
 */
function sameEntries(a, b, seen) {
  if (a.size !== b.size) return false;
  const get = (m, k) => (m instanceof Map ? m.get(k) : k);
  const objectKeys = [...b.keys()].filter((k) => typeof k === 'object' && k !== null && !a.has(k));
  for (const k of a.keys()) {
    if (b.has(k)) {
      if (!isDeepEqual(get(a, k), get(b, k), seen)) return false;
      continue;
    }
    const i = objectKeys.findIndex((bk) => isDeepEqual(k, bk) && isDeepEqual(get(a, k), get(b, bk)));
    if (i < 0) return false;
    objectKeys.splice(i, 1);
  }
  return true;
}

/** Whether `error` matches `expected`: a class, a predicate, an object or a RegExp. */
function matches(error, expected) {
  if (expected === undefined) return true;
  if (expected instanceof RegExp) return expected.test(String(error?.message ?? error));
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof expected) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    return expected(error) === true;
  }
  if (typeof expected === 'object') {
    return Object.keys(expected).every((k) => isDeepEqual(error?.[k], expected[k]));
  }
  return false;
}

export const assert = {
  ok(value, message) {
    if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
  },
  notEqual(actual, expected, message) {
    if (Object.is(actual, expected)) fail(message, `expected anything but ${show(expected)}`);
  },
  deepEqual(actual, expected, message) {
    if (!isDeepEqual(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
  },
  match(actual, re, message) {
    if (!re.test(actual)) fail(message, `${show(actual)} does not match ${re}`);
  },
  throws(fn, expected, message) {
    if (typeof expected === 'string') [expected, message] = [undefined, expected];
    try {
      fn();
    } catch (e) {
      if (!matches(e, expected)) fail(message, `threw the wrong error: ${show(e)}`);
      return e;
    }
    fail(message, 'expected an exception, none was thrown');
  },
  async rejects(promiseOrFn, expected, message) {
    if (typeof expected === 'string') [expected, message] = [undefined, expected];
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (e) {
      if (!matches(e, expected)) fail(message, `rejected with the wrong error: ${show(e)}`);
      return e;
    }
    fail(message, 'expected a rejection, the promise resolved');
  },
};

export default assert;
