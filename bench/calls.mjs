#!/usr/bin/env node
// JS-to-guest call overhead, in ns per call: `add(u32, u32)`, `echo-string` at 16 B,
// 1 KiB and 1 MiB, and `echo-list` (list<u8>) at 1 MiB, through weft's transpiled ESM,
// jco's transpiled ESM of the same component, and a floor: the same core wasm functions
// called directly from minimal hand-written JS (TextEncoder.encodeInto into linear memory
// and TextDecoder on the result for strings, typed-array copies for lists). Reports
// numbers only: it asserts nothing about time.
//
//   node bench/calls.mjs [--quick] [--json FILE] [--weft PATH] [--jco PATH] [--wasm-tools PATH]
//   (options: bench/lib.mjs)
//
// The component is bench/calls.wat, converted with `wasm-tools parse` into a temp dir;
// the floor's core module is the `(core module ...)` in that file, parsed on its own.
// Each cell is the median of several batches after a warm-up; a batch runs as many calls
// as fit in ~50 ms (~5 ms with --quick). Strings are ASCII.
//
// weft is `--weft`, else $WEFT, else target/release/weft, else target/debug/weft, else
// `cargo run -p weft-cli`. jco is `--jco`, else $JCO, else
// ~/.cache/weft/jco/node_modules/.bin/jco (its column is `-` when missing). wasm-tools is
// `--wasm-tools`, else $WASM_TOOLS, else ~/.cache/weft/tools/bin/wasm-tools, else PATH.
// Exits 1 if a build fails or an echo returns wrong data.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  KiB,
  MiB,
  benchOptions,
  coreModuleText,
  fmt,
  jcoPath,
  measure,
  printTable,
  ratio,
  root,
  run,
  tempDir,
  timing,
  wasmToolsPath,
  weftCommand,
  writeResult,
} from './lib.mjs';

const opts = benchOptions();
const T = timing(opts);
const out = tempDir('calls');

// --- build: the component, and its core module on its own ---------------------------
const wasmTools = wasmToolsPath(opts);
const watPath = join(root, 'bench/calls.wat');
const wat = readFileSync(watPath, 'utf8');
const component = join(out, 'calls.wasm');
run(wasmTools, ['parse', watPath, '-o', component]);
writeFileSync(join(out, 'core.wat'), coreModuleText(wat));
run(wasmTools, ['parse', join(out, 'core.wat'), '-o', join(out, 'core.wasm')]);

// --- the three implementations -------------------------------------------------------
async function weftExports() {
  const [cmd, ...pre] = weftCommand(opts);
  run(cmd, [...pre, 'transpile', component, '-o', join(out, 'weft'), '-q']);
  return import(pathToFileURL(join(out, 'weft/calls.js')).href);
}

async function jcoExports() {
  const jco = jcoPath(opts);
  if (!jco) throw new Error('jco not found (--jco, $JCO or ~/.cache/weft/jco)');
  run(jco, ['transpile', component, '-o', join(out, 'jco'), '--quiet']);
  return import(pathToFileURL(join(out, 'jco/calls.js')).href);
}

/** Minimal hand-written bindings straight onto the core module. */
async function floorExports() {
  const { instance: { exports: core } } = await WebAssembly.instantiate(readFileSync(join(out, 'core.wasm')));
  const { memory, cabi_realloc: realloc, echo, 'echo-post': post } = core;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  return {
    add: (a, b) => core.add(a, b) >>> 0,
    echoString(s) {
      const cap = s.length * 3;
      const p = realloc(0, 0, 1, cap);
      const { written } = enc.encodeInto(s, new Uint8Array(memory.buffer, p, cap));
      const r = echo(p, written);
      const view = new DataView(memory.buffer);
      const result = dec.decode(new Uint8Array(memory.buffer, view.getUint32(r, true), view.getUint32(r + 4, true)));
      post(r);
      return result;
    },
    echoList(bytes) {
      const p = realloc(0, 0, 1, bytes.length);
      new Uint8Array(memory.buffer, p, bytes.length).set(bytes);
      const r = echo(p, bytes.length);
      const view = new DataView(memory.buffer);
      const ptr = view.getUint32(r, true);
      const result = new Uint8Array(memory.buffer).slice(ptr, ptr + view.getUint32(r + 4, true));
      post(r);
      return result;
    },
  };
}

// --- the rows -------------------------------------------------------------------------
const ascii = (n) => {
  let s = '';
  for (let i = 0; s.length < n; i++) s += String.fromCharCode(32 + (i % 95));
  return s.slice(0, n);
};
const bytes = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
const sameBytes = (a, b) => a instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);

const rows = [
  { name: 'add(u32, u32)', call: (m) => () => m.add(0xffff_fff0, 7), ok: (r) => r === (0xffff_fff0 + 7) >>> 0 },
  ...[
    ['16 B', 16],
    ['1 KiB', KiB],
    ['1 MiB', MiB],
  ].map(([label, n]) => {
    const s = ascii(n);
    return { name: `echo-string, ${label}`, call: (m) => () => m.echoString(s), ok: (r) => r === s };
  }),
  (() => {
    const b = bytes(MiB);
    return { name: 'echo-list<u8>, 1 MiB', call: (m) => () => m.echoList(b), ok: (r) => sameBytes(r, b) };
  })(),
];

const impls = {};
const errors = [];
let failed = false;
for (const [name, load] of [
  ['weft', weftExports],
  ['jco', jcoExports],
  ['floor', floorExports],
]) {
  try {
    impls[name] = await load();
  } catch (e) {
    errors.push(`${name}: ${e.message}`);
    if (name !== 'jco' || !/not found/.test(e.message)) failed = true;
  }
}

const results = [];
for (const row of rows) {
  const cells = {};
  for (const [name, m] of Object.entries(impls)) {
    const f = row.call(m);
    if (!row.ok(f())) {
      errors.push(`${name}: ${row.name} returned wrong data`);
      failed = true;
      continue;
    }
    cells[name] = measure(f, T);
  }
  results.push([row.name, cells]);
}

const table = [['call', 'weft ns', 'jco ns', 'floor ns', 'weft/floor', 'jco/weft']];
for (const [name, c] of results) {
  table.push([name, fmt(c.weft), fmt(c.jco), fmt(c.floor), ratio(c.weft, c.floor), ratio(c.jco, c.weft)]);
}
console.log(`ns per call, median of ${T.batches} batches of ~${T.batchMs} ms after a warm-up; node ${process.version}`);
printTable(table);
for (const e of errors) console.log(e);
writeResult(opts, {
  title: 'Call overhead, JS to guest',
  unit: 'ns per call',
  columns: [
    { key: 'weft', label: 'weft' },
    { key: 'jco', label: 'jco 1.35' },
    { key: 'floor', label: 'floor' },
  ],
  rows: results.map(([name, c]) => ({ name, values: { weft: c.weft ?? null, jco: c.jco ?? null, floor: c.floor ?? null } })),
  notes: errors,
});
process.exitCode = failed ? 1 : 0;
