// The rows of the guest-to-JS table (bench/imports.wat's drivers), its host and its
// floor, engine-neutral: bench/imports.mjs runs them in node, bench/browser/page.mjs in
// a page. What a row measures: bench/imports.mjs's header.
import { compileCell, measure } from '../timing.mjs';
import { KiB, MiB } from './calls.mjs';

/** The interface the component imports, the key of its import object. */
export const IFACE = 'bench:imports/host';

// --- the host: the same trivial import implementations for every column --------------
class Counter {
  constructor(start) {
    this.value = start;
  }
  get() {
    return this.value;
  }
}

/** The import object of `bench:imports/host`; `valueKey` names a variant's payload. */
export function host(valueKey) {
  // Two literals rather than a computed key, so that both make the same plain object.
  const getVariant = valueKey === 'val' ? (x) => ({ tag: 'num', val: x }) : (x) => ({ tag: 'num', value: x });
  return {
    add: (a, b) => (a + b) >>> 0,
    echoString: (s) => s,
    echoBytes: (b) => b,
    echoU32s: (l) => l,
    echoMixed: (m) => m,
    echoPoints: (l) => l,
    getOption: (x) => x,
    getResult: (x) => x,
    getVariant,
    Counter,
  };
}

/**
 * An implementation transpiled in instantiation mode (weft `--instantiation`, jco
 * `--instantiation async`): a loader of fresh instances' exports. `instantiate` is the
 * module's export, `getCoreModule(path)` gives a core module's `WebAssembly.Module`;
 * `valueKey` as for `host`.
 */
export function transpiledInstantiate(instantiate, getCoreModule, valueKey) {
  return () => instantiate(getCoreModule, { [IFACE]: host(valueKey) });
}

/**
 * The floor: the component's two core modules (`libcModule`, `mainModule`, compiled)
 * instantiated directly with `floorImports`; a loader of fresh instances' exports,
 * named in camelCase as the transpiled modules name them.
 */
export function floorInstantiate(libcModule, mainModule) {
  return async () => {
    const libc = (await WebAssembly.instantiate(libcModule)).exports;
    const main = await WebAssembly.instantiate(mainModule, { libc, host: floorImports(libc, host('value')) });
    const exports = {};
    for (const [name, f] of Object.entries(main.exports)) {
      exports[name.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = f;
    }
    return exports;
  };
}

/**
 * Hand-written lowered imports of `h` for the core module $main: lift the arguments,
 * call `h`, lower the result into `libc`'s memory (through its cabi_realloc) and return
 * area. Only the checks that cost nothing are kept (no alignment or bounds checks:
 * typed arrays and DataView throw out of bounds).
 */
function floorImports(libc, h) {
  const { memory, cabi_realloc: realloc } = libc;
  const utf8 = new TextDecoder();
  const utf16 = new TextDecoder('utf-16le');
  const encoder = new TextEncoder();
  let dv = new DataView(memory.buffer);
  const view = () => (dv.buffer === memory.buffer ? dv : (dv = new DataView(memory.buffer)));
  const setList = (ret, ptr, len) => {
    const v = view();
    v.setUint32(ret, ptr, true);
    v.setUint32(ret + 4, len, true);
  };
  const lowerUtf8 = (s, ret) => {
    const cap = 3 * s.length;
    const p = realloc(0, 0, 1, cap);
    const { written } = encoder.encodeInto(s, new Uint8Array(memory.buffer, p, cap));
    setList(ret, p, written);
  };
  const table = [undefined]; // counter handles: objects, index 0 unused
  const free = [];
  return {
    add: (a, b) => h.add(a >>> 0, b >>> 0),
    'echo-string': (ptr, len, ret) => {
      lowerUtf8(h.echoString(utf8.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0))), ret >>> 0);
    },
    'echo-string16': (ptr, len, ret) => {
      const s = h.echoString(utf16.decode(new Uint8Array(memory.buffer, ptr >>> 0, 2 * (len >>> 0))));
      const p = realloc(0, 0, 2, 2 * s.length);
      const units = new Uint16Array(memory.buffer, p, s.length);
      for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
      setList(ret >>> 0, p, s.length);
    },
    'echo-bytes': (ptr, len, ret) => {
      const r = h.echoBytes(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0).slice());
      const p = realloc(0, 0, 1, r.length);
      new Uint8Array(memory.buffer, p, r.length).set(r);
      setList(ret >>> 0, p, r.length);
    },
    'echo-u32s': (ptr, len, ret) => {
      const r = h.echoU32s(new Uint32Array(memory.buffer, ptr >>> 0, len >>> 0).slice());
      const p = realloc(0, 0, 4, 4 * r.length);
      new Uint32Array(memory.buffer, p, r.length).set(r);
      setList(ret >>> 0, p, r.length);
    },
    'echo-mixed': (a, b, c, d, e, f, g, ch, ret) => {
      ch >>>= 0;
      if (ch >= 0x110000 || (ch >= 0xd800 && ch < 0xe000)) throw new WebAssembly.RuntimeError('invalid char');
      const m = h.echoMixed({ a: a & 0xff, b: (b << 16) >> 16, c: c >>> 0, d, e, f, g: g !== 0, h: String.fromCodePoint(ch) });
      const v = view();
      ret >>>= 0;
      v.setUint8(ret, m.a);
      v.setInt16(ret + 2, m.b, true);
      v.setUint32(ret + 4, m.c, true);
      v.setBigInt64(ret + 8, m.d, true);
      v.setFloat32(ret + 16, m.e, true);
      v.setFloat64(ret + 24, m.f, true);
      v.setUint8(ret + 32, m.g ? 1 : 0);
      v.setUint32(ret + 36, m.h.codePointAt(0), true);
    },
    'echo-points': (ptr, len, ret) => {
      ptr >>>= 0;
      len >>>= 0;
      let v = view();
      const points = new Array(len);
      for (let i = 0, q = ptr; i < len; i++, q += 24) {
        points[i] = { x: v.getUint32(q, true), y: v.getFloat64(q + 8, true), z: v.getUint16(q + 16, true) };
      }
      const r = h.echoPoints(points);
      const p = realloc(0, 0, 8, 24 * r.length);
      v = view();
      for (let i = 0, q = p; i < r.length; i++, q += 24) {
        const pt = r[i];
        v.setUint32(q, pt.x, true);
        v.setFloat64(q + 8, pt.y, true);
        v.setUint16(q + 16, pt.z, true);
      }
      setList(ret >>> 0, p, r.length);
    },
    'get-option': (x, ret) => {
      const r = h.getOption(x >>> 0);
      const v = view();
      v.setUint8(ret, r == null ? 0 : 1);
      if (r != null) v.setUint32(ret + 4, r, true);
    },
    'get-result': (x, ret) => {
      let r;
      try {
        r = h.getResult(x >>> 0);
      } catch (e) {
        if (e === null || typeof e !== 'object' || !('payload' in e)) throw e;
        view().setUint8(ret, 1);
        lowerUtf8(e.payload, ret + 4);
        return;
      }
      const v = view();
      v.setUint8(ret, 0);
      v.setUint32(ret + 4, r, true);
    },
    'get-variant': (x, ret) => {
      const r = h.getVariant(x >>> 0);
      const v = view();
      switch (r.tag) {
        case 'none':
          v.setUint8(ret, 0);
          break;
        case 'num':
          v.setUint8(ret, 1);
          v.setUint32(ret + 4, r.value, true);
          break;
        case 'text':
          v.setUint8(ret, 2);
          lowerUtf8(r.value, ret + 4);
          break;
        default:
          throw new TypeError('invalid variant tag');
      }
    },
    'counter-new': (start) => {
      const i = free.length > 0 ? free.pop() : table.length;
      table[i] = new h.Counter(start >>> 0);
      return i;
    },
    'counter-get': (i) => {
      const obj = table[i >>> 0];
      if (obj === undefined) throw new WebAssembly.RuntimeError('unknown handle');
      return obj.get();
    },
    'counter-drop': (i) => {
      const obj = table[i >>> 0];
      if (obj === undefined) throw new WebAssembly.RuntimeError('unknown handle');
      table[i] = undefined;
      free.push(i);
      if (typeof obj[Symbol.dispose] === 'function') obj[Symbol.dispose]();
    },
  };
}

// --- the rows: `drive(m)` is `(n, check) => calls that came back right` ---------------
export const importRows = [
  { name: 'add(u32, u32) -> u32', drive: (m) => (n, check) => m.runAdd(n, check) },
  ...[
    ['16 B', 16],
    ['1 KiB', KiB],
    ['1 MiB', MiB],
  ].map(([label, len]) => ({
    name: `echo-string, ${label}`,
    drive: (m) => (n, check) => m.runEchoString(n, len, check),
  })),
  ...[
    ['16', 16],
    ['1 Ki', KiB],
    ['1 Mi', MiB],
  ].map(([label, len]) => ({
    name: `echo-string utf16, ${label} chars`,
    drive: (m) => (n, check) => m.runEchoString16(n, len, check),
  })),
  { name: 'echo-list<u8>, 1 MiB', drive: (m) => (n, check) => m.runEchoBytes(n, MiB, check) },
  { name: 'echo-list<u32>, 256 Ki', drive: (m) => (n, check) => m.runEchoU32s(n, 256 * KiB, check) },
  { name: 'echo record, 8 mixed fields', drive: (m) => (n, check) => m.runEchoMixed(n, check) },
  { name: 'echo list<record>, 10,000', drive: (m) => (n, check) => m.runEchoPoints(n, 10_000, check) },
  { name: 'option<u32> (some)', drive: (m) => (n, check) => m.runGetOption(n, check) },
  { name: 'result<u32, string> (ok)', drive: (m) => (n, check) => m.runGetResult(n, check) },
  { name: 'variant (num case)', drive: (m) => (n, check) => m.runGetVariant(n, check) },
  { name: 'resource: new + get + drop', drive: (m) => (n, check) => m.runCounter(n, check) },
];

/**
 * The smallest power-of-two n for which one `f(n, 0)` takes at least `minMs` (1 ms; a
 * page with a coarse clock asks for more, so that a tick does not end the search early).
 */
function callsPerDriver(f, minMs) {
  for (let n = 1; ; n *= 2) {
    const t = performance.now();
    f(n, 0);
    if (performance.now() - t >= minMs || n >= 2 ** 30) return n;
  }
}

/**
 * Times one row on every implementation (`loaders`: `{ name: () => exports }`, fresh
 * instances). `instances` keeps one instance per implementation across rows (warm-up
 * carries over), dropped after a row fails (a trap poisons the instance). Returns
 * `{ name, cells: { name: ns per import call }, errors, failed }`; a jco failure only
 * empties its cell. `minDriverMs`: see `callsPerDriver`.
 */
export async function runImportRow(row, loaders, instances, T, minDriverMs = 1) {
  const cells = {};
  const errors = [];
  let failed = false;
  for (const [name, instantiate] of Object.entries(loaders)) {
    try {
      const f = row.drive((instances[name] ??= await instantiate()));
      const ok = f(3, 1);
      if (ok !== 3) throw new Error(`${ok} of 3 calls came back right`);
      const n = callsPerDriver(f, minDriverMs);
      cells[name] = (await measure(compileCell(`${name}: ${row.name}`, { f, n }, '() => f(n, 0)'), T)) / n;
    } catch (e) {
      delete instances[name];
      errors.push(`${name}: ${row.name}: ${e.message}`);
      if (name !== 'jco') failed = true;
    }
  }
  return { name: row.name, cells, errors, failed };
}
