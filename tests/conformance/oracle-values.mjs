// The JS values of the oracle's cases: tests/conformance/oracle_js.py writes them as
// JSON with tags (its header lists them), `revive` makes them real values: bigints,
// numbers by their bits, typed arrays, Maps, objects with other prototypes, Arrays with
// holes, Proxies with a lying `length` or whose every trap throws, getters that throw or
// answer differently on their second read.

/** What the values themselves throw (a getter, a Proxy trap, `valueOf`). */
export const SENTINEL = new Error('thrown by the value itself (oracle sentinel)');

/** A Proxy handler whose every trap throws SENTINEL. */
const throwingHandler = new Proxy({}, { get: () => () => { throw SENTINEL; } });

let longString;

function f64(hex) {
  return new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer).getFloat64(0, true);
}

/** Makes `o[key]` a getter: `first` on the first read, then `second` (or a throw). */
function flipper(o, key, first, second) {
  const raise = second !== null && typeof second === 'object' && '$raise' in second;
  const next = raise ? undefined : revive(second);
  let reads = 0;
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get() {
      if (reads++ === 0) return first;
      if (raise) throw SENTINEL;
      return next;
    },
  });
}

function thrower(o, key) {
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get() {
      throw SENTINEL;
    },
  });
}

/** The JS value of a case's JSON. */
export function revive(v) {
  if (Array.isArray(v)) return v.map(revive);
  if (v === null || typeof v !== 'object') return v;
  if ('$big' in v) return BigInt(v.$big);
  if ('$f64' in v) return f64(v.$f64);
  if ('$ta' in v) {
    const C = v.$ta === 'Buffer' ? Buffer : globalThis[v.$ta];
    if ('n' in v) return v.$ta === 'Buffer' ? Buffer.alloc(v.n) : new C(v.n);
    return C.from(v.v.map(revive));
  }
  if ('$map' in v) return new Map(v.$map.map(([k, x]) => [revive(k), revive(x)]));
  if ('$obj' in v) {
    const own = Object.fromEntries(v.$obj.map(([k, x]) => [k, revive(x)]));
    if (v.proto === 'null') return Object.assign(Object.create(null), own);
    if (v.proto === 'inherit') return Object.create(own);
    if (v.proto === 'other') return Object.assign(Object.create({}), own);
    return own;
  }
  if ('$arr' in v) {
    const a = v.$arr.map(revive);
    if ('hole' in v) delete a[v.hole];
    if ('throw' in v) thrower(a, v.throw);
    if ('flip' in v) flipper(a, v.flip[0], a[v.flip[0]], v.flip[1]);
    return a;
  }
  if ('$len' in v) {
    const a = revive(v.$len[0]);
    const n = revive(v.$len[1]);
    return new Proxy(a, { get: (t, k, r) => (k === 'length' ? n : Reflect.get(t, k, r)) });
  }
  if ('$proxy' in v) return new Proxy(v.$proxy === 'array' ? [] : {}, throwingHandler);
  if ('$undef' in v) return undefined;
  if ('$sym' in v) return Symbol('oracle');
  if ('$fn' in v) return function oracle() {};
  if ('$set' in v) return new Set([1]);
  if ('$ab' in v) return new ArrayBuffer(4);
  if ('$dv' in v) return new DataView(new ArrayBuffer(4));
  if ('$date' in v) return new Date(0);
  if ('$strobj' in v) return new String(v.$strobj);
  if ('$numobj' in v) return new Number(v.$numobj);
  if ('$valueOf' in v) return { valueOf() { throw SENTINEL; }, toString() { throw SENTINEL; } };
  if ('$long' in v) return (longString ??= 'a'.repeat(2 ** 27));
  const o = Object.fromEntries(
    Object.entries(v).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, revive(x)]),
  );
  if ('$throw' in v) thrower(o, v.$throw);
  if ('$flip' in v) flipper(o, v.$flip[0], o[v.$flip[0]], v.$flip[1]);
  return o;
}

/** `v` with float typed arrays made Arrays: isDeepStrictEqual compares typed arrays
 * byte by byte, and NaN payloads are not preserved (docs/js-api.md), so a NaN must
 * equal any NaN. */
export function comparable(v) {
  if (v instanceof Float32Array || v instanceof Float64Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(comparable);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [comparable(k), comparable(x)]));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, comparable(x)]));
  }
  return v;
}

/** A short description of a JSON case value, for messages. */
export function show(v, max = 240) {
  const s = JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
