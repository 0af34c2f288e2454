#!/usr/bin/env node
// Guest-to-JS call overhead, in ns per import call: a guest calls host (JS) imports in
// core-wasm loops, through weft's transpiled JS, jco's transpiled JS of the same
// component, and a floor: the same core modules instantiated directly with hand-written
// import functions doing the minimum the Canonical ABI needs (TextDecoder / encodeInto
// with the guest's cabi_realloc for strings, typed-array copies for lists, DataView for
// records and return areas, an array as the resource table). Reports numbers only: it
// asserts nothing about time.
//
//   node bench/imports.mjs [--quick] [--json FILE] [--weft PATH] [--jco PATH] [--wasm-tools PATH]
//   (options: bench/lib.mjs)
//
// The component is bench/imports.wat (its header lists the imports and drivers),
// converted with `wasm-tools parse` into a temp dir; the floor's two core modules are the
// `(core module ...)` forms of that file, parsed on their own. weft and jco transpile it
// in instantiation mode (`weft transpile --instantiation`, `jco transpile --instantiation
// async`), so the same host import object is passed to both.
//
// Each exported driver `run-*(n, ..., check)` calls its import n times and returns how
// many calls came back right. A row first runs its driver with `check = 1` (every returned
// byte, element and field compared in the guest) and n = 3; then n is doubled until one
// driver call takes >= 1 ms, and the cell is `measure` of one driver call (check = 0:
// lengths and scalars only) divided by n. The host functions return their argument (the
// same string, typed array, object), identical for all three except the variant case
// (`{ tag, value }` for weft and the floor, jco's `{ tag, val }`). Strings are ASCII.
//
// Exits 1 if a build fails or a driver reports a wrong result (weft or floor).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CALL_COLUMNS,
  KiB,
  MiB,
  benchScript,
  cellRow,
  compileCell,
  importJco,
  importWeft,
  loadImplementations,
  measure,
  printCells,
  warmHarness,
  writeResult,
} from './lib.mjs';

const IFACE = 'bench:imports/host';

// --- build: the component, and its two core modules on their own ----------------------
const { opts, T, out, wat, component, coreModule } = benchScript('imports');
const [libcWasm, mainWasm] = ['libc', 'main'].map((n) => coreModule(wat.indexOf(`(core module $${n}`)));

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
function host(valueKey) {
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

// --- the three implementations: each loads to an async `() => exports` (new instance) --
const compiled = new Map();
const coreLoader = (dir) => (path) => {
  const file = join(dir, path);
  if (!compiled.has(file)) compiled.set(file, WebAssembly.compile(readFileSync(file)));
  return compiled.get(file);
};

async function weftInstantiate() {
  const dir = join(out, 'weft');
  const { instantiate } = await importWeft(opts, component, dir, ['--instantiation']);
  return () => instantiate(coreLoader(dir), { [IFACE]: host('value') });
}

async function jcoInstantiate() {
  const dir = join(out, 'jco');
  const { instantiate } = await importJco(opts, component, dir, ['--instantiation', 'async']);
  return () => instantiate(coreLoader(dir), { [IFACE]: host('val') });
}

async function floorInstantiate() {
  const libcModule = await WebAssembly.compile(readFileSync(libcWasm));
  const mainModule = await WebAssembly.compile(readFileSync(mainWasm));
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
const rows = [
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

/** The smallest power-of-two n for which one `f(n, 0)` takes at least 1 ms. */
function callsPerDriver(f) {
  for (let n = 1; ; n *= 2) {
    const t = performance.now();
    f(n, 0);
    if (performance.now() - t >= 1 || n >= 2 ** 30) return n;
  }
}

const { impls, errors, failed: loadFailed } = await loadImplementations([
  ['weft', weftInstantiate],
  ['jco', jcoInstantiate],
  ['floor', floorInstantiate],
]);
let failed = loadFailed;
await warmHarness();

// One instance per implementation for all rows (warm-up carries over), a fresh one after
// a row fails (a trap poisons the instance).
const instances = {};
const results = [];
for (const row of rows) {
  const cells = {};
  for (const [name, instantiate] of Object.entries(impls)) {
    try {
      const f = row.drive((instances[name] ??= await instantiate()));
      const ok = f(3, 1);
      if (ok !== 3) throw new Error(`${ok} of 3 calls came back right`);
      const n = callsPerDriver(f);
      cells[name] = (await measure(compileCell(`${name}: ${row.name}`, { f, n }, '() => f(n, 0)'), T)) / n;
    } catch (e) {
      delete instances[name];
      errors.push(`${name}: ${row.name}: ${e.message}`);
      if (name !== 'jco') failed = true;
    }
  }
  results.push([row.name, cells]);
}

console.log(
  `ns per import call (one driver call of >= 1 ms / its n), median of ${T.batches} batches of ~${T.batchMs} ms; node ${process.version}`,
);
printCells('import call', results);
for (const e of errors) console.log(e);
writeResult(opts, {
  title: 'Call overhead, guest to JS',
  unit: 'ns per import call',
  description:
    'A guest calls a JS import n times in a core-wasm loop (bench/imports.wat); one driver call / n. ' +
    'Host functions return their argument. Floor: the same core modules with hand-written import functions.',
  columns: CALL_COLUMNS,
  rows: results.map(([name, cells]) => cellRow(name, cells)),
  notes: errors,
});
process.exitCode = failed ? 1 : 0;
