#!/usr/bin/env node
// Guest-to-guest call cost in a composed component, in ns per call, next to the JS-to-guest
// cost of the same payloads: a 1 KiB string (`echo-string`) and a list of 10,000 u32
// (`echo-list`), through weft's transpiled ESM, jco's transpiled ESM of the same component,
// and a floor. Reports numbers only: it asserts nothing about time.
//
//   node bench/compose.mjs [--quick] [--json FILE] [--weft PATH] [--jco PATH] [--wasm-tools PATH]
//   (options: bench/lib.mjs)
//
// The component is bench/compose.wat (converted with `wasm-tools parse` into a temp dir):
// an outer component instantiating component A (the echoes) and component B (drivers
// `run-string(n)` / `run-list(n)` calling A's echo n times on a payload in B's memory),
// exporting B's drivers and A's echoes. A call from B to A goes through a fused adapter
// (weft: a JS trampoline moving the values memory to memory; jco: wasmtime's adapter
// compiled to core wasm).
//
// Rows:
// - guest→guest: one driver call of N echoes, timed, divided by N;
// - lowered: the same, the component transpiled with `--lowered` (its core instances
//   linked into one core module; node 22 and later, which have multi-memory);
// - JS→guest: the outer component's A export called from JS (a JS string / Uint32Array).
// Floors: guest→guest instantiates A's and B's core modules directly, B's echo imports
// being hand-written JS that copies the argument into A's memory (A's cabi_realloc,
// Uint8Array.set), calls A's core echo, copies the result back into B's memory (B's
// cabi_realloc), writes B's out-pointer and calls A's post-return (no UTF-8 validation);
// JS→guest is bench/calls.mjs's floor on A's core module (encodeInto / TextDecoder,
// typed-array copies).
//
// Each cell is the median of several batches after a warm-up; a batch runs as many calls
// as fit in ~50 ms (~5 ms with --quick). The result also carries the target:
// weft's guest-to-guest cost ≤ 2× its JS-to-guest cost for the same payload.
//
// Tools are found as in bench/calls.mjs (bench/lib.mjs). Exits 1 if a build fails or a
// call returns wrong data (a driver checks every result's length, the bytes of its
// instance's first result, and returns a checksum of one element per result).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  CALL_COLUMNS,
  KiB,
  benchScript,
  cellRow,
  compileCell,
  importJco,
  importWeft,
  loadImplementations,
  measure,
  printCells,
  run,
  warmHarness,
  writeResult,
} from './lib.mjs';

const N = 100; // echoes per driver call

// --- build: the component, its three core modules and its two components on their own
const { opts, T, out, wat, component, coreModule, nested } = benchScript('compose');
/** The `index`-th `(core module ...)` of compose.wat (A's, B's lib, B's main), compiled. */
function compiledCore(index) {
  let from = -1;
  for (let i = 0; i <= index; i++) from = wat.indexOf('(core module', from + 1);
  return new WebAssembly.Module(readFileSync(coreModule(from)));
}
const coreA = compiledCore(0);
const coreBLib = compiledCore(1);
const coreBMain = compiledCore(2);
const componentA = nested('A');
const componentB = nested('B');

/**
 * A and B transpiled separately (instantiation mode) and instantiated from JS, B's
 * imports being A's exports: `linked` passes the export functions themselves (weft
 * links them directly, crates/js/src/link.rs), `viaJs` passes JS functions calling them.
 */
async function separateModules(importer, dir) {
  const mod = async (component) => {
    const d = join(out, dir, basename(component, '.wasm'));
    const { instantiate } = await importer(component, d);
    const load = (p) => WebAssembly.compile(readFileSync(join(d, p)));
    return (imports) => instantiate(load, imports);
  };
  const [makeA, makeB] = [await mod(componentA), await mod(componentB)];
  const a = await makeA({});
  const linked = await makeB({ 'echo-string': { default: a.echoString }, 'echo-list': { default: a.echoList } });
  const viaJs = await makeB({
    'echo-string': { default: (s) => a.echoString(s) },
    'echo-list': { default: (l) => a.echoList(l) },
  });
  return { linked, viaJs };
}

// --- the three implementations -------------------------------------------------------
async function weftExports() {
  const outer = await importWeft(opts, component, join(out, 'weft'));
  const separate = await separateModules((c, d) => importWeft(opts, c, d, ['--instantiation']), 'weft-separate');
  const lowered = multiMemory ? await importWeft(opts, component, join(out, 'weft-lowered'), ['--lowered']) : undefined;
  return { ...outer, ...separate, lowered };
}

/** Whether this node compiles modules with several memories (`--lowered` output). */
const multiMemory = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 5, 2, 0, 0, 0, 0]));

async function jcoExports() {
  const outer = await importJco(opts, component, join(out, 'jco'));
  // jco has no direct links: its B always calls A's exports through JS.
  const { viaJs } = await separateModules(
    (c, d) => importJco(opts, c, d, ['--instantiation', 'async']),
    'jco-separate',
  );
  return { ...outer, viaJs };
}

/** B's imports of A's echoes as hand-written memory-to-memory copies (the floor's adapter). */
function floorAdapter(a, b) {
  const bytes = (mem, p, n) => new Uint8Array(mem.buffer, p, n);
  // (ptr, len, out) in B's memory; `size` bytes per element, `align` their alignment.
  const adapt = (echo, size, align) => (ptr, len, outPtr) => {
    const n = len * size;
    const ap = a.cabi_realloc(0, 0, align, n);
    bytes(a.memory, ap, n).set(bytes(b.memory, ptr, n));
    const r = echo(ap, len);
    const av = new DataView(a.memory.buffer);
    const rp = av.getUint32(r, true);
    const rl = av.getUint32(r + 4, true);
    const bp = b.cabi_realloc(0, 0, align, rl * size);
    bytes(b.memory, bp, rl * size).set(bytes(a.memory, rp, rl * size));
    const bv = new DataView(b.memory.buffer);
    bv.setUint32(outPtr, bp, true);
    bv.setUint32(outPtr + 4, rl, true);
    a['echo-post'](r);
  };
  return { 'echo-string': adapt(a['echo-string'], 1, 1), 'echo-list': adapt(a['echo-list'], 4, 4) };
}

/** Minimal hand-written bindings straight onto the core modules. */
async function floorExports() {
  const a = (await WebAssembly.instantiate(coreA)).exports;
  const lib = (await WebAssembly.instantiate(coreBLib)).exports;
  const main = (await WebAssembly.instantiate(coreBMain, { lib, a: floorAdapter(a, lib) })).exports;
  // Separate modules: the same hand-written adapter is the floor of both ways of linking.
  const b = { runString: (n) => main['run-string'](n) >>> 0, runList: (n) => main['run-list'](n) >>> 0 };
  const { memory, cabi_realloc: realloc, 'echo-post': post } = a;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  /** The (ptr, len) pair at `r` in A's memory. */
  const pair = (r) => {
    const view = new DataView(memory.buffer);
    return [view.getUint32(r, true), view.getUint32(r + 4, true)];
  };
  return {
    ...b,
    lowered: b,
    linked: b,
    viaJs: b,
    echoString(s) {
      const cap = s.length * 3;
      const p = realloc(0, 0, 1, cap);
      const { written } = enc.encodeInto(s, new Uint8Array(memory.buffer, p, cap));
      const r = a['echo-string'](p, written);
      const [rp, rl] = pair(r);
      const result = dec.decode(new Uint8Array(memory.buffer, rp, rl));
      post(r);
      return result;
    },
    echoList(list) {
      const p = realloc(0, 0, 4, list.length * 4);
      new Uint32Array(memory.buffer, p, list.length).set(list);
      const r = a['echo-list'](p, list.length);
      const [rp, rl] = pair(r);
      const result = new Uint32Array(memory.buffer, rp, rl).slice();
      post(r);
      return result;
    },
  };
}

// --- the payloads (the same as B's start function writes into B's memory) ------------
const STRING_BYTES = KiB;
const LIST_LEN = 10_000;
const stringByte = (i) => 32 + (i % 95);
const listElem = (i) => Math.imul(i, 0x9e3779b9) >>> 0;
const str = String.fromCharCode(...Array.from({ length: STRING_BYTES }, (_, i) => stringByte(i)));
const list = Uint32Array.from({ length: LIST_LEN }, (_, i) => listElem(i));

/** The drivers' checksum for n echoes: length + element (k mod 1024 / 8192) of the k-th result. */
function checksum(n, len, elem, mask) {
  let sum = 0;
  for (let k = 0; k < n; k++) sum = (sum + len + elem(k & mask)) >>> 0;
  return sum;
}
const sameU32 = (a, b) => a instanceof Uint32Array && a.length === b.length && a.every((x, i) => x === b[i]);

// --- the rows -------------------------------------------------------------------------
// `call` is the timed expression (over `m`, `N`, `str`, `list`); `only` names the member of
// `m` it needs (skipped where missing); `perCall` divides a timed call by its echoes.
const rows = [
  {
    name: 'guest→guest echo-string, 1 KiB',
    call: 'm.runString(N)',
    ok: (r) => r === checksum(N, STRING_BYTES, stringByte, 1023),
    perCall: N,
  },
  {
    name: 'guest→guest echo-list<u32>, 10,000',
    call: 'm.runList(N)',
    ok: (r) => r === checksum(N, LIST_LEN, listElem, 8191),
    perCall: N,
  },
  ...[
    ['lowered (--lowered)', 'lowered'],
    ['separate modules, linked', 'linked'],
    ['separate modules, through JS', 'viaJs'],
  ].flatMap(([label, key]) => [
    {
      name: `${label}: echo-string, 1 KiB`,
      call: `m.${key}.runString(N)`,
      only: key,
      ok: (r) => r === checksum(N, STRING_BYTES, stringByte, 1023),
      perCall: N,
    },
    {
      name: `${label}: echo-list<u32>, 10,000`,
      call: `m.${key}.runList(N)`,
      only: key,
      ok: (r) => r === checksum(N, LIST_LEN, listElem, 8191),
      perCall: N,
    },
  ]),
  { name: 'JS→guest echo-string, 1 KiB', call: 'm.echoString(str)', ok: (r) => r === str, perCall: 1 },
  {
    name: 'JS→guest echo-list<u32>, 10,000',
    call: 'm.echoList(list)',
    ok: (r) => sameU32(r, list),
    perCall: 1,
  },
];
// The targets, per payload (row indexes): guest-to-guest ≤ 2× JS-to-guest (issue 11), and
// lowered ≤ 1× (issue 21, for adapters in wasm).
const targetPairs = [
  [0, 8, 2],
  [1, 9, 2],
  [2, 8, 1],
  [3, 9, 1],
  [4, 8, 2],
  [5, 9, 2],
];

const { impls, errors, failed: loadFailed } = await loadImplementations([
  ['weft', weftExports],
  ['jco', jcoExports],
  ['floor', floorExports],
]);
let failed = loadFailed;

await warmHarness();
const results = [];
for (const row of rows) {
  const cells = {};
  for (const [name, m] of Object.entries(impls)) {
    if (row.only && !m[row.only]) continue; // a way this implementation cannot call (jco has no direct links)
    // compiled for its cell (bench/lib.mjs `compileCell`): no call site shared between implementations
    const f = compileCell(`${name}: ${row.name}`, { m, N, str, list }, `() => ${row.call}`);
    let good;
    try {
      good = row.ok(f());
    } catch (e) {
      errors.push(`${name}: ${row.name} threw: ${e.message}`);
      good = undefined;
    }
    if (good === false) errors.push(`${name}: ${row.name} returned wrong data`);
    if (!good) {
      if (name !== 'jco') failed = true;
      continue;
    }
    cells[name] = (await measure(f, T)) / row.perCall;
  }
  results.push([row.name, cells]);
}

const targets = targetPairs.map(([g, j, limit]) => {
  const [row, cells] = results[g];
  const js = results[j][1].weft;
  const value = cells.weft != null && js != null ? cells.weft / js : null;
  return { row, label: 'guest-to-guest / JS-to-guest', value, limit, op: '<=' };
});

console.log(
  `ns per call (guest→guest: a driver call of ${N} echoes / ${N}), median of ${T.batches} batches ` +
    `of ~${T.batchMs} ms after a warm-up; node ${process.version}`,
);
printCells('call', results);
for (const t of targets) {
  const v = t.value == null ? '-' : t.value.toFixed(2) + '×';
  console.log(`weft ${t.label}, ${t.row.replace('guest→guest ', '')}: ${v} (target ${t.op} ${t.limit}×)`);
}
for (const e of errors) console.log(e);
writeResult(opts, {
  title: 'Guest-to-guest calls (composed component)',
  unit: 'ns per call',
  description:
    `bench/compose.wat: component B calls component A's echo through a fused adapter (guest→guest rows: ` +
    `one driver call of ${N} echoes, divided by ${N}); JS→guest rows call A's export from JS with the same payload.`,
  columns: CALL_COLUMNS,
  rows: results.map(([name, cells]) => cellRow(name, cells)),
  targets,
  notes: [
    'The guest→guest floor is a hand-written JS import in B copying memory to memory with Uint8Array.set; ' +
      'it does not validate UTF-8, which the canonical ABI requires of a string adapter ' +
      '(weft checks both the argument and the result).',
    'Lowered: the outer component transpiled with `--lowered` (A\'s and B\'s core instances linked into one ' +
      'core module, docs/lower.md), its fused adapter compiled to core wasm (weft-lower\'s adapter.rs, UTF-8 ' +
      'validated as the JS adapter does): a call from B to A is a wasm call. Node 20 has no multi-memory: its ' +
      'lowered cells are empty.',
    'Separate modules: A and B transpiled on their own (instantiation mode) and B instantiated with A\'s ' +
      'export functions as its imports. weft links them directly (a twin import trampoline calls A\'s core ' +
      'function and copies memory to memory, crates/js/src/link.rs); "through JS" passes JS functions that ' +
      'call A\'s exports, so every value becomes a JS string or Uint32Array on the way. jco has no direct ' +
      'links: its cell is in the "through JS" rows only.',
    "jco 1.35's fused adapter is core wasm over one memory: it reaches the other instance's memory through " +
      'imported JS functions (`augments` "mem1 I32Load" / "mem1 I32Store"), one call per u32 of the list; its ' +
      'utf8-to-utf8 string transcode is a plain Uint8Array.set (no UTF-8 validation).',
    ...errors,
  ],
});
process.exitCode = failed ? 1 : 0;
