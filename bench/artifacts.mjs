#!/usr/bin/env node
// Output size, transpile time and instantiation time of weft next to jco 1.35, for small
// and big real components. Reports numbers only: it asserts nothing about time.
//
//   node bench/artifacts.mjs [--quick] [--runs N] [--json FILE] [--weft PATH] [--jco PATH]
//                            [--wasm-tools PATH]      (common options: bench/lib.mjs)
//
// Components (a row each; a missing one is skipped with a note):
//   add.wat      tests/snapshots/add.wat: `add(u32, u32) -> u32` alone (the example)
//   calls.wat    bench/calls.wat, converted with `wasm-tools parse`: sync, ~15 exports of
//                every kind of value, no imports
//   compose-a    target/guests/compose-a.wasm (scripts/build-guests): the Rust guest with
//                the fewest exports that has strings (one interface: a `buffer` resource,
//                `shout(string) -> string`, `sum`, `buffer-drops`); no imports
//   compose      target/guests/compose.wasm: compose-a composed with a Rust caller (nested
//                components), 4 world exports with strings and lists; no imports
//   hello        target/wasi-programs/hello.wasm (scripts/build-wasi-programs): a Rust
//                `fn main` wasip2 command (std; imports wasi:cli, wasi:io, ...)
//   hello-js     componentize-js 0.23.0 build of bench/fixtures/js (~12 MB; WASI imports)
//   hello-py     componentize-py 0.25.1 build of bench/fixtures/py (~18 MB, 14 core modules)
// The last two come from scripts/bench-fixtures (cached; run it first). They are not built here.
//
// Tables:
// - Output size (bytes): the generated JS (every `.js` file of the output directory; the
//   `.d.ts` files are not counted), raw and gzip -9 (node:zlib), of weft's default ESM
//   output and jco's default output, and raw with each tool's `--minify` (weft: no
//   whitespace, names kept; jco: terser). Both write the same core `.wasm` files except that
//   modules below a size cutoff are inlined as base64 into the JS (weft: < 4096 bytes,
//   jco: its own cutoff), so the JS numbers include those. The core wasm column is the
//   total of all the component's core modules once (weft with `--base64-cutoff 0`).
// - Transpile time (ms, median of N runs; --quick: 1): weft native CLI
//   (`target/release/weft transpile`, a process: wall time), the npm wasm build
//   (npm/transpiler) in-process through its JS API `transpile(bytes, {name})` after
//   loading the wasm and one warm-up call, the same wasm build as a CLI process
//   (`node npm/transpiler/bin/weft.js transpile`, wall time: node start-up + wasm
//   compile + a cold call), `jco transpile` as a process (wall time) and jco's JS API
//   `transpile(bytes, {name})` in-process after one warm-up call. Process vs process and
//   in-process vs in-process are the fair comparisons.
// - Instantiation time (ms, median of N fresh node processes; --quick: 1): a tiny driver
//   times `await import(output.js)` (fetching and compiling the core wasm, instantiating,
//   loading the WASI host modules) to the module being ready; node's own start-up is not
//   counted. WASI commands are imported only: `run` is not called. weft's `@weft/wasi/p2/*`
//   imports resolve to npm/wasi and jco's `@bytecodealliance/preview2-shim/*` to the
//   preview2-shim jco 1.35 depends on, through node_modules symlinks in the temp dir. The
//   floor is what no JS glue can avoid: reading the same core modules (readFileSync) and
//   `WebAssembly.compile` of each (in parallel), nothing else. On node < 22 every process
//   gets --experimental-wasm-extended-const (componentize-py's modules need it).
//   weft --lowered: the same with the component's core instances linked into one core
//   module (`--lowered`, docs/lower.md), which needs multi-memory (node 22 and later; on
//   node 20 the column is empty with a note).
// - The lowered output's sizes: its JS (gzip -9) and its one core module beside the
//   core wasm column (every module once).
//
// Every implementation's output is checked once: the transpiled module's exports are
// called after the timed import (calls.wat: `add`; compose-a: `text.shout`; compose:
// `run`; hello: `run` exists; hello-js/py: `hello('weft')`), and the wasm build's files
// must equal the native CLI's byte for byte (only a note when npm/transpiler/wasm is
// older than the weft binary: a stale build, not a wrong result). Exits 1 if a build
// fails or a weft result is wrong; jco failures give a null cell and a note with jco's
// error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  MiB,
  benchOptions,
  cache,
  fmt,
  jcoPath,
  printTable,
  ratio,
  root,
  run,
  tempDir,
  wasmToolsPath,
  weftCommand,
  writeResult,
} from './lib.mjs';

const opts = benchOptions({ runs: { type: 'string' } });
const runs = opts.quick ? 1 : Number(opts.runs ?? 7);
const work = tempDir('artifacts');
const notes = [];
const staleRows = []; // rows whose wasm-build output differs from a newer native CLI's
let failed = false;
const nodeFlags = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-wasm-extended-const'] : [];

// --- the components -------------------------------------------------------------------
const ok = (expr) => expr; // a check: JS source of an expression over the module `m`
const COMPONENTS = [
  { name: 'add.wat', file: 'add', wat: 'tests/snapshots/add.wat', check: ok('m.add(1, 2) === 3') },
  { name: 'calls.wat', file: 'calls', wat: 'bench/calls.wat', check: ok('m.add(1, 2) === 3') },
  { name: 'compose-a', path: 'target/guests/compose-a.wasm', check: ok("m.text.shout('weft') === 'WEFT'") },
  { name: 'compose', path: 'target/guests/compose.wasm', check: ok("m.run('weft') === 'WEFT!'") },
  {
    name: 'hello',
    path: 'target/wasi-programs/hello.wasm',
    check: ok("typeof Object.entries(m).find(([k]) => k.startsWith('wasi:cli/run@'))?.[1]?.run === 'function'"),
  },
  { name: 'hello-js', path: join(cache, 'bench/hello-js.wasm'), check: ok("m.hello('weft') === 'Hello, weft!'") },
  { name: 'hello-py', path: join(cache, 'bench/hello-py.wasm'), check: ok("m.hello('weft') === 'Hello, weft!'") },
];

/** The components that exist, with `wasm` (their path) and `file` (the output stem). */
function components() {
  const found = [];
  for (const c of COMPONENTS) {
    if (c.wat) {
      const wasm = join(work, `${c.file}.wasm`);
      run(wasmToolsPath(opts), ['parse', join(root, c.wat), '-o', wasm]);
      found.push({ ...c, wasm });
      continue;
    }
    const wasm = c.path.startsWith('/') ? c.path : join(root, c.path);
    if (existsSync(wasm)) found.push({ ...c, wasm, file: c.name });
    else {
      const how = c.path.includes('/bench/') ? 'scripts/bench-fixtures' : c.path.includes('guests') ? 'scripts/build-guests' : 'scripts/build-wasi-programs';
      notes.push(`${c.name}: skipped, ${wasm} is missing (build it with ${how}).`);
    }
  }
  return found;
}

// --- tools ------------------------------------------------------------------------------
const weft = weftCommand(opts);
const jco = jcoPath(opts);
/** The @bytecodealliance/jco package directory of the jco CLI. */
function jcoPackage() {
  let dir = dirname(realpathSync(jco));
  while (dir !== '/') {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === '@bytecodealliance/jco') return dir;
    dir = dirname(dir);
  }
  throw new Error(`no @bytecodealliance/jco package above ${jco}`);
}
const jcoPkg = jco ? jcoPackage() : undefined;
if (!jco) notes.push('jco not found (--jco, $JCO or ~/.cache/weft/jco): its columns are empty.');

/** Wall time in ms of a process; throws with its last stderr line. */
function wall(cmd, args, options = {}) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...options });
  const ms = performance.now() - t;
  if (r.status !== 0) {
    const err = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').filter(Boolean);
    throw new Error(`${err.filter((l) => /error/i.test(l)).slice(-1)[0] ?? err.slice(-1)[0]}`.trim());
  }
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const repeat = (n, f) => Array.from({ length: n }, f);
async function repeatAsync(n, f) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}
const outDir = (impl, c) => join(work, impl, c.file);
const weftTranspile = (c, dir, extra = []) => wall(weft[0], [...weft.slice(1), 'transpile', c.wasm, '-o', dir, '--name', c.file, '-q', ...extra]);
const jcoTranspile = (c, dir, extra = []) => wall(jco, ['transpile', c.wasm, '-o', dir, '--name', c.file, '--quiet', ...extra]);

// --- output size ------------------------------------------------------------------------
function filesUnder(dir, ext) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, ext));
    else if (e.name.endsWith(ext)) out.push(p);
  }
  return out;
}
const total = (files, f = (b) => b.length) => files.reduce((s, p) => s + f(readFileSync(p)), 0);
/** Whether this node compiles modules with several memories (`--lowered` output). */
const multiMemory = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 5, 2, 0, 0, 0, 0]));
const jsSize = (dir) => ({ raw: total(filesUnder(dir, '.js')), gz: total(filesUnder(dir, '.js'), (b) => gzipSync(b, { level: 9 }).length) });

// --- transpile time -----------------------------------------------------------------------
async function loadWasmApi() {
  const api = await import(pathToFileURL(join(root, 'npm/transpiler/src/index.js')).href);
  if (!existsSync(join(root, 'npm/transpiler/wasm/weft_bg.wasm'))) run(join(root, 'scripts/build-npm'), [], { stdio: 'inherit' });
  await api.init();
  return api;
}

/** Whether the npm wasm build is older than the native weft binary (someone rebuilt one). */
function wasmIsStale() {
  const bin = weft[0] === 'cargo' ? undefined : weft[0];
  return !!bin && statSync(join(root, 'npm/transpiler/wasm/weft_bg.wasm')).mtimeMs < statSync(bin).mtimeMs;
}

/** The wasm build's files must equal what the native CLI wrote into `dir`. */
function sameAsNative(files, dir) {
  for (const [name, bytes] of Object.entries(files)) {
    const p = join(dir, name);
    if (!existsSync(p) || Buffer.compare(readFileSync(p), Buffer.from(bytes)) !== 0) return name;
  }
  return undefined;
}

async function transpileTimes(c, wasmApi, jcoApi) {
  const cell = {};
  const bytes = readFileSync(c.wasm);
  const attempt = async (key, who, f) => {
    try {
      cell[key] = await f();
    } catch (e) {
      cell[key] = null;
      notes.push(`${c.name}, transpile, ${key}: ${e.message.split('\n')[0]}`);
      if (who === 'weft') failed = true;
    }
  };
  await attempt('native', 'weft', () => median(repeat(runs, () => weftTranspile(c, outDir('weft', c)))));
  await attempt('wasmApi', 'weft', async () => {
    const first = await wasmApi.transpile(bytes, { name: c.file });
    if (!first.files[`${c.file}.js`]) throw new Error(`the wasm build wrote no ${c.file}.js`);
    const differs = sameAsNative(first.files, outDir('weft', c));
    if (differs && wasmIsStale()) {
      staleRows.push(c.name);
    } else if (differs) throw new Error(`the wasm build's ${differs} differs from the native CLI's`);
    return median(await repeatAsync(runs, async () => {
      const t = performance.now();
      await wasmApi.transpile(bytes, { name: c.file });
      return performance.now() - t;
    }));
  });
  await attempt('wasmCli', 'weft', () =>
    median(repeat(runs, () => wall(process.execPath, [join(root, 'npm/transpiler/bin/weft.js'), 'transpile', c.wasm, '-o', join(work, 'wasm-cli', c.file), '--name', c.file, '-q']))),
  );
  if (!jco) return cell;
  await attempt('jco', 'jco', () => median(repeat(runs, () => jcoTranspile(c, outDir('jco', c)))));
  await attempt('jcoApi', 'jco', async () => {
    await jcoApi.transpile(bytes, { name: c.file });
    return median(await repeatAsync(runs, async () => {
      const t = performance.now();
      await jcoApi.transpile(bytes, { name: c.file });
      return performance.now() - t;
    }));
  });
  return cell;
}

// --- instantiation time ---------------------------------------------------------------------
const DRIVER = `// Times importing a transpiled module to ready, then checks it: prints {ms, ok}.
const [url, check] = process.argv.slice(2);
const t = performance.now();
const m = await import(url);
const ms = performance.now() - t;
let ok;
try { ok = new Function('m', 'return ' + check)(m) === true || 'check returned false'; } catch (e) { ok = String(e); }
console.log(JSON.stringify({ ms, ok }));
`;
const FLOOR = `// Reads the core modules and compiles each (in parallel): prints {ms, ok}.
import { readFileSync } from 'node:fs';
const files = process.argv.slice(2);
const t = performance.now();
const modules = await Promise.all(files.map((f) => WebAssembly.compile(readFileSync(f))));
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, ok: modules.length === files.length || 'missing modules' }));
`;

/** node_modules links for the WASI hosts of both outputs, and the driver scripts. */
function setUpRunDir() {
  mkdirSync(join(work, 'node_modules/@weft'), { recursive: true });
  mkdirSync(join(work, 'node_modules/@bytecodealliance'), { recursive: true });
  symlinkSync(join(root, 'npm/wasi'), join(work, 'node_modules/@weft/wasi'), 'dir');
  if (jcoPkg) {
    const shim = [join(jcoPkg, 'node_modules/@bytecodealliance/preview2-shim'), join(jcoPkg, '../preview2-shim')].find(existsSync);
    if (shim) symlinkSync(shim, join(work, 'node_modules/@bytecodealliance/preview2-shim'), 'dir');
    else notes.push(`no @bytecodealliance/preview2-shim next to ${jcoPkg}: jco's WASI outputs cannot load.`);
  }
  writeFileSync(join(work, 'driver.mjs'), DRIVER);
  writeFileSync(join(work, 'floor.mjs'), FLOOR);
}

/** One fresh node process: the `{ms, ok}` it prints, or throws with its error. */
function timeProcess(args) {
  const r = spawnSync(process.execPath, [...nodeFlags, ...args], { cwd: work, encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !line?.startsWith('{')) {
    const err = (r.stderr || `exit ${r.status}`).trim().split('\n').filter(Boolean);
    throw new Error(err.find((l) => /Error|error:/.test(l)) ?? err.slice(-1)[0]);
  }
  const res = JSON.parse(line);
  if (res.ok !== true) throw new Error(`wrong result: ${res.ok}`);
  return res.ms;
}

function instantiationTimes(c, hasJco) {
  const cell = {};
  const jsUrl = (impl) => pathToFileURL(join(outDir(impl, c), `${c.file}.js`)).href;
  const floorFiles = filesUnder(outDir('floor', c), '.wasm');
  const impls = [
    ['weft', 'weft', () => ['driver.mjs', jsUrl('weft'), c.check]],
    ...(hasJco ? [['jco', 'jco', () => ['driver.mjs', jsUrl('jco'), c.check]]] : []),
    ['floor', 'weft', () => ['floor.mjs', ...floorFiles]],
    ...(multiMemory ? [['weftLowered', 'weft', () => ['driver.mjs', jsUrl('weft-lowered'), c.check]]] : []),
  ];
  for (const [key, who, args] of impls) {
    try {
      cell[key] = median(repeat(runs, () => timeProcess(args())));
    } catch (e) {
      cell[key] = null;
      notes.push(`${c.name}, instantiation, ${key}: ${e.message}`);
      if (who === 'weft') failed = true;
    }
  }
  return cell;
}

// --- main -------------------------------------------------------------------------------------
const list = components();
setUpRunDir();
if (!multiMemory) notes.push(`node ${process.version} has no multi-memory: the weft --lowered instantiation column is empty.`);
const wasmApi = await loadWasmApi();
const jcoApi = jcoPkg ? await import(pathToFileURL(join(jcoPkg, 'dist/api.js')).href) : undefined;
const results = [];
for (const c of list) {
  const r = { c, size: {}, time: {}, inst: {} };
  results.push(r);
  r.time = await transpileTimes(c, wasmApi, jcoApi);
  weftTranspile(c, outDir('floor', c), ['--base64-cutoff', '0', '--no-typescript']);
  r.coreWasm = total(filesUnder(outDir('floor', c), '.wasm'));
  if (r.time.native !== null) {
    r.size.weft = jsSize(outDir('weft', c));
    weftTranspile(c, outDir('weft-min', c), ['--minify']);
    r.size.weftMin = jsSize(outDir('weft-min', c));
    try {
      weftTranspile(c, outDir('weft-lowered', c), ['--lowered']);
      r.size.weftLoweredGz = jsSize(outDir('weft-lowered', c)).gz;
      weftTranspile(c, outDir('floor-lowered', c), ['--lowered', '--base64-cutoff', '0', '--no-typescript']);
      r.loweredWasm = total(filesUnder(outDir('floor-lowered', c), '.wasm'));
    } catch (e) {
      // A component `--lowered` refuses (a core module or component the host gives).
      notes.push(`${c.name}, --lowered: ${e.message}`);
    }
  }
  if (r.time.jco !== null && r.time.jco !== undefined) {
    r.size.jco = jsSize(outDir('jco', c));
    try {
      jcoTranspile(c, outDir('jco-min', c), ['--minify']);
      r.size.jcoMin = jsSize(outDir('jco-min', c));
    } catch (e) {
      notes.push(`${c.name}, jco --minify: ${e.message}`);
    }
  }
  r.inst = instantiationTimes(c, r.size.jco !== undefined);
}

if (staleRows.length) {
  notes.push(`${staleRows.join(', ')}: the npm wasm build's output differs from the native CLI's, and npm/transpiler/wasm/weft_bg.wasm is older than the weft binary (rebuild it with scripts/build-npm); timed anyway.`);
}

// --- tables -------------------------------------------------------------------------------------
const v = (x) => x ?? null;
const size = {
  title: 'Output size',
  unit: 'bytes',
  columns: [
    { key: 'weft', label: 'weft JS' },
    { key: 'jco', label: 'jco 1.35 JS' },
    { key: 'weftGz', label: 'weft JS gzip' },
    { key: 'jcoGz', label: 'jco 1.35 JS gzip' },
    { key: 'weftMin', label: 'weft --minify' },
    { key: 'jcoMin', label: 'jco --minify' },
    { key: 'coreWasm', label: 'core wasm (all modules)' },
    { key: 'weftLoweredGz', label: 'weft --lowered JS gzip' },
    { key: 'loweredWasm', label: '--lowered core wasm (one module)' },
  ],
  rows: results.map(({ c, size: s, coreWasm, loweredWasm }) => ({
    name: c.name,
    values: {
      weft: v(s.weft?.raw),
      jco: v(s.jco?.raw),
      weftGz: v(s.weft?.gz),
      jcoGz: v(s.jco?.gz),
      weftMin: v(s.weftMin?.raw),
      jcoMin: v(s.jcoMin?.raw),
      coreWasm,
      weftLoweredGz: v(s.weftLoweredGz),
      loweredWasm: v(loweredWasm),
    },
  })),
  targets: results
    .filter(({ size: s }) => s.weft && s.jco)
    .map(({ c, size: s }) => ({ row: c.name, label: 'weft JS / jco JS', value: s.weft.raw / s.jco.raw, limit: 0.1, op: '<=' })),
  notes: [
    "JS: every .js file of the output directory (raw, and gzip -9 with node:zlib), weft's default ESM vs jco's default output; .d.ts files are not counted. Core modules below weft's base64 cutoff (4096 bytes) or jco's are inlined into the JS; the core wasm column counts every core module once.",
  ],
};
const transpile = {
  title: 'Transpile time',
  unit: 'ms',
  columns: [
    { key: 'native', label: 'weft CLI (native, process)' },
    { key: 'wasmCli', label: 'weft npm wasm CLI (process)' },
    { key: 'jco', label: 'jco 1.35 CLI (process)' },
    { key: 'wasmApi', label: 'weft npm wasm API (in-process)' },
    { key: 'jcoApi', label: 'jco 1.35 API (in-process)' },
  ],
  rows: results.map(({ c, time: t }) => ({
    name: c.name,
    values: { native: v(t.native), wasmCli: v(t.wasmCli), jco: v(t.jco), wasmApi: v(t.wasmApi), jcoApi: v(t.jcoApi) },
  })),
  targets: results.flatMap(({ c, time: t }) => [
    ...(t.jco && t.native ? [{ row: c.name, label: '`jco transpile` / native `weft transpile` (processes)', value: t.jco / t.native, limit: 20, op: '>=' }] : []),
    ...(t.jco && t.wasmCli ? [{ row: c.name, label: '`jco transpile` / npm `weft transpile` (wasm build; processes)', value: t.jco / t.wasmCli, limit: 5, op: '>=' }] : []),
  ]),
  notes: [
    `Median of ${runs} run(s). Processes: wall time including node's (or the native binary's) start-up; the wasm CLI also compiles the 4.5 MiB transpiler wasm each time. In-process: one call of \`transpile(bytes, {name})\` after loading and one warm-up call.`,
  ],
};
const inst = {
  title: 'Instantiation time',
  unit: 'ms',
  columns: [
    { key: 'weft', label: 'weft' },
    { key: 'jco', label: 'jco 1.35' },
    { key: 'floor', label: 'floor (read + WebAssembly.compile)' },
    { key: 'weftLowered', label: 'weft --lowered' },
  ],
  rows: results.map(({ c, inst: i }) => ({
    name: c.name,
    values: { weft: v(i.weft), jco: v(i.jco), floor: v(i.floor), weftLowered: v(i.weftLowered) },
  })),
  notes: [
    `Median of ${runs} fresh node process(es): \`await import(output.js)\` to ready (WASI commands are imported, \`run\` is not called); node start-up not counted. Floor: reading the same core modules and \`WebAssembly.compile\` of each, in parallel.${nodeFlags.length ? ' Processes run with --experimental-wasm-extended-const.' : ''}`,
  ],
};
const tables = [size, transpile, inst];

for (const t of tables) {
  console.log(`\n${t.title} (${t.unit}); node ${process.version}`);
  const keys = t.columns.map((col) => col.key);
  const extra = t === size ? [['weft/jco', 'weft', 'jco'], ['gz weft/jco', 'weftGz', 'jcoGz']] : t === transpile ? [['jco/native', 'jco', 'native'], ['jco/wasmCli', 'jco', 'wasmCli'], ['jcoApi/wasmApi', 'jcoApi', 'wasmApi']] : [['weft/floor', 'weft', 'floor'], ['jco/weft', 'jco', 'weft'], ['lowered/weft', 'weftLowered', 'weft']];
  printTable([
    ['component', ...t.columns.map((col) => col.label), ...extra.map(([l]) => l)],
    ...t.rows.map((r) => [r.name, ...keys.map((k) => fmt(r.values[k])), ...extra.map(([, a, b]) => ratio(r.values[a], r.values[b]))]),
  ]);
}
for (const n of notes) console.log(n);
writeResult(opts, {
  title: 'Output size, transpile and instantiation',
  description: 'Generated JS size, transpile time and instantiation time of weft vs jco 1.35, small and large real components.',
  tables,
  notes,
});
process.exitCode = failed ? 1 : 0;
