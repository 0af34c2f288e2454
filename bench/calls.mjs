#!/usr/bin/env node
// JS-to-guest call overhead, in ns per call, of the exports of bench/calls.wat: scalars
// (`add`), strings (utf8 and utf16 at 16 B, 1 KiB, 1 MiB), lists (`list<u8>`,
// `list<u32>`, `list<point>` of a small mixed record), a record of 8 mixed scalar fields,
// and `option`, `result` (ok, and err caught) and `variant` returns; through weft's
// transpiled ESM, jco's transpiled ESM of the same component, and a floor: the same core
// wasm functions called directly from minimal hand-written JS. Reports numbers only: it
// asserts nothing about time.
//
//   node bench/calls.mjs [--quick] [--json FILE] [--weft PATH] [--jco PATH] [--wasm-tools PATH]
//   (options: bench/lib.mjs)
//
// The rows, the floor and the timing of a row are engine-neutral, in bench/rows/calls.mjs
// (bench/browser/run.mjs runs the same rows in Chromium and Firefox); this script adds
// what only node has: the build, the transpiled modules on disk, and the floor's `Buffer`
// forms.
//
// The component is bench/calls.wat, converted with `wasm-tools parse` into a temp dir;
// the floor's core module is the `(core module ...)` in that file, parsed on its own.
// Each cell is the median of several batches after a warm-up; a batch runs as many calls
// as fit in ~50 ms (~5 ms with --quick). Strings are ASCII. Every cell's result is
// checked once before it is timed.
//
// How a cell is timed (and why weft's `add` once beat the floor): each cell, i.e. each
// (row, implementation) pair, is its own function compiled from its own source text
// (`cellFunction`), so no call site's type feedback is shared between implementations.
// With one closure per row shared by the three (`() => m.add(...)`), the first
// implementation measured saw monomorphic call sites and was inlined, the later ones
// did not: weft's `add` (measured first) took ~3 ns and the floor's ~7 ns, and whichever
// went first won (with the floor first: floor ~3 ns, weft ~6 ns). For the same reason a
// few throwaway cells are timed first (`warmHarness`), so that `measure`'s own call of
// the cell is not inlined for the first real cell only. A cell makes `reps` calls in a
// loop (100 for the rows of a few ns) so that the harness's call of the cell and the
// boxing of its result are spread over many calls.
//
// The floor: each core export is bound once to a const (no lookup on the exports object
// per call) and wrapped in the least JS that gives the same JS value: `>>> 0` for u32;
// `encodeInto` into linear memory and a default `TextDecoder` for utf8 strings; typed-
// array copies (`set`, `slice`) for `list<u8>` and `list<u32>`; DataView reads of the
// canonical layout for records, options, results and variants (the record's 8 fields go
// in as flat arguments); `{ tag, value }` for a variant (weft's shape; jco's is
// `{ tag, val }`); an `Error` with `payload` thrown for `result`'s err. Where a row lists
// several floors the cell is the fastest portable one, and its note gives each one's time:
// - utf8 strings: portable (above); Node's `Buffer` (`write(s, 'utf8')`, `toString('utf8')`
//   on a Buffer view of memory) is timed for reference, not counted (node only);
// - utf16 strings: portable (a `charCodeAt` loop into a Uint16Array view, `TextDecoder`
//   ('utf-16le')); Node's `Buffer` (`write(s, 'utf16le')`, `toString('utf16le')`) for
//   reference, not counted;
// - `list<point>`: DataView, and Uint32/Float64/Uint16Array views of memory.
//
// weft is `--weft`, else $WEFT, else target/release/weft, else target/debug/weft, else
// `cargo run -p weft-cli`. jco is `--jco`, else $JCO, else
// ~/.cache/weft/jco/node_modules/.bin/jco (its column is `-` when missing). wasm-tools is
// `--wasm-tools`, else $WASM_TOOLS, else ~/.cache/weft/tools/bin/weft-devtools, else PATH.
// Exits 1 if a build fails or a call returns wrong data (a jco failure only nulls its cell).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALL_COLUMNS, benchScript, cellRow, importJco, importWeft, loadImplementations, printCells, warmHarness, writeResult } from './lib.mjs';
import { callRows, floorExports, runCallRow } from './rows/calls.mjs';

const { opts, T, out, component, coreModule } = benchScript('calls');
const coreWasm = coreModule();

// --- the three implementations (the floor and the rows: bench/rows/calls.mjs) ---------
const weftExports = () => importWeft(opts, component, join(out, 'weft'));
const jcoExports = () => importJco(opts, component, join(out, 'jco'));

/** The floor, plus node's `Buffer` codecs as reference forms of the string rows. */
const floorWithBuffer = () =>
  floorExports(readFileSync(coreWasm), ({ memory, realloc, echo, echo16, echoVia }) => ({
    echoStringBuffer(s) {
      const cap = s.length * 3;
      const p = realloc(0, 0, 1, cap);
      const written = Buffer.from(memory.buffer, p, cap).write(s, 'utf8');
      return echoVia(echo, p, written, (q, n) => Buffer.from(memory.buffer, q, n).toString('utf8'));
    },
    echoString16Buffer(s) {
      const n = s.length;
      const p = realloc(0, 0, 2, 2 * n);
      Buffer.from(memory.buffer, p, 2 * n).write(s, 'utf16le');
      return echoVia(echo16, p, n, (q, m) => Buffer.from(memory.buffer, q, 2 * m).toString('utf16le'));
    },
  }));

const rows = callRows({
  reference: { utf8: { Buffer: 'm.echoStringBuffer(x)' }, utf16: { Buffer: 'm.echoString16Buffer(x)' } },
});

const { impls, errors, failed: loadFailed } = await loadImplementations([
  ['weft', weftExports],
  ['jco', jcoExports],
  ['floor', floorWithBuffer],
]);
let failed = loadFailed;

await warmHarness();
const results = [];
for (const row of rows) {
  const r = await runCallRow(row, impls, T);
  errors.push(...r.errors);
  failed ||= r.failed;
  results.push(r);
}

console.log(`ns per call, median of ${T.batches} batches of ~${T.batchMs} ms after a warm-up; node ${process.version}`);
printCells('call', results.map(({ name, cells }) => [name, cells]));
for (const { name, note } of results) if (note) console.log(`${name}: ${note}`);
for (const e of errors) console.log(e);
writeResult(opts, {
  title: 'Call overhead, JS to guest',
  unit: 'ns per call',
  columns: CALL_COLUMNS,
  rows: results.map(({ name, cells, note }) => cellRow(name, cells, note)),
  notes: errors,
});
process.exitCode = failed ? 1 : 0;
