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
// The host, the floor, the rows and the timing of a row are engine-neutral, in
// bench/rows/imports.mjs (bench/browser/run.mjs runs the same rows in Chromium and
// Firefox); this script adds the build and the transpiled modules on disk.
//
// Exits 1 if a build fails or a driver reports a wrong result (weft or floor).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALL_COLUMNS, benchScript, cellRow, importJco, importWeft, loadImplementations, printCells, warmHarness, writeResult } from './lib.mjs';
import { floorInstantiate, importRows, runImportRow, transpiledInstantiate } from './rows/imports.mjs';

// --- build: the component, and its two core modules on their own ----------------------
const { opts, T, out, wat, component, coreModule } = benchScript('imports');
const [libcWasm, mainWasm] = ['libc', 'main'].map((n) => coreModule(wat.indexOf(`(core module $${n}`)));

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
  return transpiledInstantiate(instantiate, coreLoader(dir), 'value');
}

async function jcoInstantiate() {
  const dir = join(out, 'jco');
  const { instantiate } = await importJco(opts, component, dir, ['--instantiation', 'async']);
  return transpiledInstantiate(instantiate, coreLoader(dir), 'val');
}

async function floorLoader() {
  const [libc, main] = await Promise.all([libcWasm, mainWasm].map((f) => WebAssembly.compile(readFileSync(f))));
  return floorInstantiate(libc, main);
}

const { impls, errors, failed: loadFailed } = await loadImplementations([
  ['weft', weftInstantiate],
  ['jco', jcoInstantiate],
  ['floor', floorLoader],
]);
let failed = loadFailed;
await warmHarness();

// One instance per implementation for all rows (warm-up carries over), a fresh one after
// a row fails (a trap poisons the instance).
const instances = {};
const results = [];
for (const row of importRows) {
  const r = await runImportRow(row, impls, instances, T);
  errors.push(...r.errors);
  failed ||= r.failed;
  results.push([row.name, r.cells]);
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
