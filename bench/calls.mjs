#!/usr/bin/env node
// JS-to-guest call overhead, in ns per call: `add(u32, u32)`, `echo-string` at 16 B,
// 1 KiB and 1 MiB, and `echo-list` (list<u8>) at 1 MiB, through weft's transpiled ESM,
// jco's transpiled ESM of the same component, and a floor: the same core wasm functions
// called directly from minimal hand-written JS (TextEncoder.encodeInto into linear memory
// and TextDecoder on the result for strings, typed-array copies for lists). Reports
// numbers only: it asserts nothing about time.
//
//   node bench/calls.mjs [--quick] [--weft PATH] [--jco PATH] [--wasm-tools PATH]
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
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    weft: { type: 'string' },
    jco: { type: 'string' },
    'wasm-tools': { type: 'string' },
  },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const BATCH_MS = opts.quick ? 5 : 50;
const BATCHES = opts.quick ? 3 : 9;

const out = mkdtempSync(join(tmpdir(), 'weft-calls-'));
process.on('exit', () => rmSync(out, { recursive: true, force: true }));
// Transpiled output is ESM in `.js` files.
writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');

function firstExisting(...paths) {
  return paths.find((p) => p && existsSync(p));
}
function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const lines = String(e.stderr || e.message).split('\n').map((l) => l.trim()).filter(Boolean);
    throw new Error(`${cmd} ${args[0]} failed: ${lines.slice(-1)[0] ?? e.message}`);
  }
}

// --- build: the component, and its core module on its own ---------------------------
const wasmTools =
  firstExisting(opts['wasm-tools'], process.env.WASM_TOOLS, join(homedir(), '.cache/weft/tools/bin/wasm-tools')) ??
  'wasm-tools';
const watPath = join(root, 'bench/calls.wat');
const wat = readFileSync(watPath, 'utf8');
const component = join(out, 'calls.wasm');
run(wasmTools, ['parse', watPath, '-o', component]);

/** The text of the first `(core module ...)` form in `wat`, as a plain `(module ...)`. */
function coreModuleText(text) {
  const start = text.indexOf('(core module');
  let depth = 0;
  let i = start;
  for (; i < text.length; i++) {
    if (text.startsWith(';;', i)) i = text.indexOf('\n', i);
    else if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) break;
  }
  return '(module' + text.slice(start + '(core module'.length, i + 1);
}
writeFileSync(join(out, 'core.wat'), coreModuleText(wat));
run(wasmTools, ['parse', join(out, 'core.wat'), '-o', join(out, 'core.wasm')]);

// --- the three implementations -------------------------------------------------------
async function weftExports() {
  const weft = firstExisting(
    opts.weft,
    process.env.WEFT,
    join(root, 'target/release/weft'),
    join(root, 'target/debug/weft'),
  );
  const [cmd, ...pre] = weft ? [weft] : ['cargo', 'run', '--quiet', '-p', 'weft-cli', '--'];
  run(cmd, [...pre, 'transpile', component, '-o', join(out, 'weft'), '-q']);
  return import(pathToFileURL(join(out, 'weft/calls.js')).href);
}

async function jcoExports() {
  const jco = firstExisting(opts.jco, process.env.JCO, join(homedir(), '.cache/weft/jco/node_modules/.bin/jco'));
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
const KiB = 1024;
const MiB = 1024 * KiB;
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

let sink = 0;
/** Median ns per call of `f` over BATCHES batches of ~BATCH_MS each, after a warm-up. */
function measure(f) {
  let n = 1;
  // Calibrate (this also warms up): double n until a batch takes BATCH_MS.
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) sink ^= f() ? 1 : 0;
    if (performance.now() - t >= BATCH_MS) break;
    n *= 2;
  }
  const per = [];
  for (let b = 0; b <= BATCHES; b++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) sink ^= f() ? 1 : 0;
    if (b > 0) per.push(((performance.now() - t) * 1e6) / n);
  }
  per.sort((x, y) => x - y);
  return per[per.length >> 1];
}

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
    cells[name] = measure(f);
  }
  results.push([row.name, cells]);
}

const ns = (x) => (x === undefined ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ratio = (a, b) => (a === undefined || b === undefined ? '-' : (a / b).toFixed(2) + '×');
const table = [['call', 'weft ns', 'jco ns', 'floor ns', 'weft/floor', 'jco/weft']];
for (const [name, c] of results) {
  table.push([name, ns(c.weft), ns(c.jco), ns(c.floor), ratio(c.weft, c.floor), ratio(c.jco, c.weft)]);
}
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log(
  `ns per call, median of ${BATCHES} batches of ~${BATCH_MS} ms after a warm-up; node ${process.version}`,
);
globalThis.__callsSink = sink; // keeps the results observable
for (const row of table) {
  console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}
for (const e of errors) console.log(e);
process.exitCode = failed ? 1 : 0;
