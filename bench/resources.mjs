#!/usr/bin/env node
// JS-to-guest resource use, in ns: a guest-defined `resource counter { constructor(start:
// u32); get: func() -> u32; }` (bench/resources.wat: own handles; the rep is the address
// of a slot in the guest's memory, freed slots go on a free list), used from JS through
// weft's transpiled ESM, jco's transpiled ESM of the same component, and a floor. Rows:
//   - `new Counter(n)`, one `get()`, then `[Symbol.dispose]()` (both weft and jco expose
//     drop as `Symbol.dispose`, after the CM explainer's JS API), ns per round;
//   - `get()` on a live counter, ns per call;
//   - JS only (floor column): a new object registered with a FinalizationRegistry and
//     unregistered, the per-object bookkeeping weft and jco add for GC-driven drops.
// The floor is the component's first core module (the slots) called directly from
// minimal hand-written JS: a class whose objects hold an index into a JS handle table (an
// array of reps plus a free list of indices); `get` passes the rep, dispose frees the
// index and calls the guest's destructor. It registers no finalizer (weft and jco do, so
// a counter never disposed is still dropped). A fourth column, weft --lowered: the
// component transpiled with `--lowered`, its handle table in core wasm (docs/lower.md;
// node 22 and later, which have multi-memory: empty on node 20).
// Reports numbers only: it asserts nothing about time.
//
//   node bench/resources.mjs [--quick] [--json FILE] [--weft PATH] [--jco PATH] [--wasm-tools PATH]
//   (options: bench/lib.mjs)
//
// The floor, the rows and the timing of a row are engine-neutral, in
// bench/rows/resources.mjs (bench/browser/run.mjs runs the same rows in Chromium and
// Firefox); this script adds the build and the transpiled modules on disk.
//
// Each cell is the median of several batches after a warm-up (bench/lib.mjs `measure`).
// Every implementation is checked once per row before timing: `get` returns the start
// value, and the guest's `live` count is back where it was after dispose (the destructor
// ran). Exits 1 if a build fails or a check fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALL_COLUMNS, benchScript, cellRow, importJco, importWeft, loadImplementations, printCells, warmHarness, writeResult } from './lib.mjs';
import { FINALIZER_ROW, floorExports, multiMemory, resourceRows, runFinalizerRow, runResourceRow } from './rows/resources.mjs';

// --- build: the component, and its first core module on its own -----------------------
const { opts, T, out, component, coreModule } = benchScript('resources');
const coreWasm = coreModule();

// --- the implementations: each gives { Counter, live } ---------------------------------
const weftExports = async () => ({ ...(await importWeft(opts, component, join(out, 'weft'))).counters });
const weftLoweredExports = async () => ({
  ...(await importWeft(opts, component, join(out, 'weft-lowered'), ['--lowered'])).counters,
});
const jcoExports = async () => ({ ...(await importJco(opts, component, join(out, 'jco'))).counters });

const { impls, errors, failed: loadFailed } = await loadImplementations([
  ['weft', weftExports],
  ['jco', jcoExports],
  ['floor', () => floorExports(readFileSync(coreWasm))],
  ...(multiMemory ? [['weftLowered', weftLoweredExports]] : []),
]);
let failed = loadFailed;

await warmHarness();
const results = [];
for (const row of resourceRows) {
  const r = await runResourceRow(row, impls, T);
  errors.push(...r.errors);
  failed ||= r.failed;
  results.push([row.name, r.cells]);
}
results.push([FINALIZER_ROW, (await runFinalizerRow(T)).cells]);

console.log(`ns per round / call, median of ${T.batches} batches of ~${T.batchMs} ms after a warm-up; node ${process.version}`);
printCells('resource use', results);
if (multiMemory) {
  console.log('weft --lowered (handle table in core wasm), ns:');
  for (const [name, c] of results) if (c.weftLowered !== undefined) console.log(`  ${name}: ${c.weftLowered.toFixed(1)} (weft ${c.weft?.toFixed(1)})`);
}
for (const e of errors) console.log(e);
writeResult(opts, {
  title: 'Resources, JS to guest',
  unit: 'ns per round / call',
  description:
    'A guest-defined resource (own handles, rep = address of a slot in guest memory) used from JS: ' +
    'constructor + one method call + Symbol.dispose, and a method call on a live object. ' +
    'Floor: the core functions called directly, with a JS handle table (array + free list).',
  columns: [...CALL_COLUMNS, { key: 'weftLowered', label: 'weft --lowered' }],
  rows: results.map(([name, cells]) => {
    const row = cellRow(name, cells, name === FINALIZER_ROW ? 'no wasm: the per-object finalizer bookkeeping weft and jco do' : undefined);
    row.values.weftLowered = cells.weftLowered ?? null;
    return row;
  }),
  notes: [
    'The floor registers no FinalizationRegistry entry; weft and jco register one per object ' +
      '(so a counter never disposed is still dropped) and unregister it on dispose: the last row ' +
      'is what that costs on its own.',
    multiMemory
      ? 'weft --lowered: the same component with its handle table in core wasm (the module\'s ' +
        'resource.new/rep/drop; lifting and lowering handles through its exported table functions).'
      : `node ${process.version} has no multi-memory: the weft --lowered column is empty.`,
    ...errors,
  ],
});
process.exitCode = failed ? 1 : 0;
