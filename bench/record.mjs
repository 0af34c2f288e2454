#!/usr/bin/env node
// The cost of recording (`--record`, docs/record-replay.md): ns per JS-to-guest call of
// bench/calls.wat's exports, transpiled by weft without and with `--record`, in the same
// process. The recording streams to a sink that drops each line (what `weft run
// --record` does with a file, minus the write), so the trace's memory does not grow with
// the number of calls timed. Rows: scalars (`add`), a record of 8 mixed fields, strings
// and `list<u8>` at 16 B, 1 KiB and 64 KiB (the cost should grow with the size, not
// faster). Reports numbers only: it asserts nothing about time.
//
//   node bench/record.mjs [--quick] [--json FILE] [--weft PATH]   (options: bench/lib.mjs)
import { join } from 'node:path';
import { KiB, benchScript, cellFunction, fmt, importWeft, measure, printTable, warmHarness, writeResult } from './lib.mjs';

const { opts, T, out, component } = benchScript('calls');

// The recorded module streams its lines here (set before it is instantiated).
let lines = 0;
globalThis[Symbol.for('weft.trace.sink')] = () => {
  lines++;
};
const plain = await importWeft(opts, component, join(out, 'weft'));
const recorded = await importWeft(opts, component, join(out, 'weft-record'), ['--record']);

const ascii = (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(32 + (i % 95))).join('');
const bytes = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
const r8 = { a: 200, b: -12345, c: 0xdead_beef, d: -(2n ** 40n) - 1n, e: 1.5, f: Math.PI, g: true, h: '\u{1F600}' };
const sizes = [['16 B', 16], ['1 KiB', KiB], ['64 KiB', 64 * KiB]];
const rows = [
  { name: 'add(u32, u32)', reps: 100, call: 'm.add(0xffff_fff0, 7)' },
  { name: 'echo-record(r8)', reps: 100, x: r8, call: 'm.shapes.echoRecord(x)' },
  ...sizes.map(([label, n]) => ({ name: `echo-string, utf8, ${label}`, x: ascii(n), call: 'm.echoString(x)', bytes: n })),
  ...sizes.map(([label, n]) => ({ name: `echo-list<u8>, ${label}`, x: bytes(n), call: 'm.echoList(x)', bytes: n })),
];

await warmHarness();
const results = [];
for (const row of rows) {
  const values = {};
  for (const [key, m] of [['weft', plain], ['recorded', recorded]]) {
    const reps = row.reps ?? 1;
    const f = cellFunction(`${key}: ${row.name}`, row.call, m, row.x, reps);
    f();
    values[key] = (await measure(f, T)) / reps;
  }
  results.push({ name: row.name, values, bytes: row.bytes });
}
if (lines === 0) throw new Error('the recorded module wrote no lines');

console.log(`ns per call, median of ${T.batches} batches of ~${T.batchMs} ms after a warm-up; node ${process.version}`);
printTable([
  ['call', 'weft ns', 'recorded ns', 'recorded/weft'],
  ...results.map((r) => [r.name, fmt(r.values.weft), fmt(r.values.recorded), `${(r.values.recorded / r.values.weft).toFixed(2)}×`]),
]);

// Targets: small values ≤ 3× the unrecorded call; large ones linear in their size (the
// recording's own cost per byte at 64 KiB at most 1.5× that at 1 KiB).
const find = (name) => results.find((r) => r.name === name).values;
const ratio = (name) => find(name).recorded / find(name).weft;
const perByte = (name, n) => (find(name).recorded - find(name).weft) / n;
const targets = [
  ...['add(u32, u32)', 'echo-record(r8)', 'echo-string, utf8, 16 B', 'echo-list<u8>, 16 B'].map((row) => ({
    row, label: 'recorded/unrecorded', value: ratio(row), limit: 3, op: '<=',
  })),
  ...['echo-string, utf8', 'echo-list<u8>'].map((what) => ({
    row: `${what}, 64 KiB`,
    label: "recording's ns per byte / the same at 1 KiB",
    value: perByte(`${what}, 64 KiB`, 64 * KiB) / perByte(`${what}, 1 KiB`, KiB),
    limit: 1.5,
    op: '<=',
  })),
];
for (const t of targets) console.log(`${t.row}: ${t.label} ${t.value.toFixed(2)} (target ≤ ${t.limit})`);
writeResult(opts, {
  title: 'Recording cost (--record), JS to guest',
  unit: 'ns per call',
  description:
    'Each row is an export of bench/calls.wat, transpiled by weft without `--record` (weft) and with it (recorded), ' +
    'in the same process; the recording streams each line to a sink that drops it.',
  columns: [
    { key: 'weft', label: 'weft' },
    { key: 'recorded', label: 'weft --record' },
  ],
  rows: results.map(({ name, values }) => ({ name, values })),
  targets,
  notes: [],
});
