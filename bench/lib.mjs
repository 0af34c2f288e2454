// Shared plumbing of node's benchmark scripts: tool lookup (weft, jco, wasm-tools), a temp
// output dir, the timing loop (bench/timing.mjs, re-exported: it is engine-neutral, the
// browser page uses it too), tables, the JSON result every script can write for
// `bench/run.mjs` (which assembles docs/benchmarks.md), and for the browser benchmarks a
// static file server and headless Chromium.
//
// Options every script accepts (see `benchOptions`):
//   --quick            few short batches (CI: keeps the scripts from rotting; numbers
//                      are not meaningful)
//   --json FILE        also write the result as JSON (the format of `writeResult`)
//   --weft PATH        weft CLI (else $WEFT, target/release/weft, target/debug/weft,
//                      else `cargo run -p weft-cli`)
//   --jco PATH         jco CLI (else $JCO, else ~/.cache/weft/jco/node_modules/.bin/jco;
//                      jco's column is `-` when missing)
//   --wasm-tools PATH  (else $WASM_TOOLS, ~/.cache/weft/tools/bin/weft-devtools, PATH)
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, ratio } from './format.mjs';
import { timing } from './timing.mjs';

// The engine-neutral parts, shared with the browser page (bench/browser/).
export { fmt, ratio } from './format.mjs';
export { cellFunction, compileCell, measure, measureAsync, timing, warmHarness } from './timing.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
export const KiB = 1024;
export const MiB = 1024 * KiB;

/** Parses the common options plus `extra` (a `parseArgs` options object). */
export function benchOptions(extra = {}) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      weft: { type: 'string' },
      jco: { type: 'string' },
      'wasm-tools': { type: 'string' },
      ...extra,
    },
  });
  return values;
}

export function firstExisting(...paths) {
  return paths.find((p) => p && existsSync(p));
}

/** Runs a command from the repository root; throws with its last stderr line. */
export function run(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (e) {
    const lines = String(e.stderr || e.message)
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    throw new Error(`${cmd} ${args[0]} failed: ${lines.slice(-1)[0] ?? e.message}`);
  }
}

/** A fresh temp dir (removed at exit) whose `.js` files are ES modules. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `weft-${prefix}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  return dir;
}

/** `[cmd, ...args]` that runs the weft CLI. */
export function weftCommand(opts) {
  const weft = firstExisting(
    opts.weft,
    process.env.WEFT,
    join(root, 'target/release/weft'),
    join(root, 'target/debug/weft'),
  );
  return weft ? [weft] : ['cargo', 'run', '--quiet', '-p', 'weft-cli', '--'];
}

/** Path of the jco CLI, or undefined. */
export function jcoPath(opts) {
  return firstExisting(opts.jco, process.env.JCO, join(cache, 'jco/node_modules/.bin/jco'));
}

export function wasmToolsPath(opts) {
  return (
    firstExisting(opts['wasm-tools'], process.env.WASM_TOOLS, join(cache, 'tools/bin/weft-devtools')) ?? 'wasm-tools'
  );
}

/** The text of the first balanced form starting with `head` at or after offset `from`. */
export function watForm(text, head, from = 0) {
  const start = text.indexOf(head, from);
  if (start < 0) throw new Error(`no \`${head}\` form in the text`);
  let depth = 0;
  let i = start;
  for (; i < text.length; i++) {
    if (text.startsWith(';;', i)) i = text.indexOf('\n', i);
    else if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) break;
  }
  return text.slice(start, i + 1);
}

/** The text of the first `(core module ...)` form in `wat` at or after `from`, as a plain `(module ...)`. */
export function coreModuleText(text, from = 0) {
  return '(module' + watForm(text, '(core module', from).slice('(core module'.length);
}

/**
 * Converts the hand-written component `bench/<name>.wat` into `out/<name>.wasm`.
 * Returns `{ wat, component, coreModule, nested }`: `coreModule(from)` parses the
 * first `(core module ...)` at or after text offset `from` on its own and returns its
 * .wasm path (the floor instantiates it directly); `nested(name)` does the same for a
 * nested `(component $name ...)`, named `name.wasm`.
 */
export function benchComponent(opts, out, name) {
  const wasmTools = wasmToolsPath(opts);
  const watPath = join(root, `bench/${name}.wat`);
  const wat = readFileSync(watPath, 'utf8');
  const component = join(out, `${name}.wasm`);
  run(wasmTools, ['parse', watPath, '-o', component]);
  /** Parses `text` into `out/<stem>.wasm`; returns the path. */
  const parsed = (text, stem) => {
    writeFileSync(join(out, `${stem}.wat`), text);
    run(wasmTools, ['parse', join(out, `${stem}.wat`), '-o', join(out, `${stem}.wasm`)]);
    return join(out, `${stem}.wasm`);
  };
  let n = 0;
  const coreModule = (from = 0) => parsed(coreModuleText(wat, from), `core${n++}`);
  const nested = (name) => parsed(watForm(wat, `(component $${name}`), name);
  return { wat, component, coreModule, nested };
}

/**
 * The start of a script measuring `bench/<name>.wat`: its options, timing, temp dir
 * and the component (`benchComponent`'s result).
 */
export function benchScript(name) {
  const opts = benchOptions();
  const out = tempDir(name);
  return { opts, T: timing(opts), out, ...benchComponent(opts, out, name) };
}

/** Transpiles `component` with weft into `dir` (`extra` flags) and imports the module. */
export async function importWeft(opts, component, dir, extra = []) {
  const [cmd, ...pre] = weftCommand(opts);
  run(cmd, [...pre, 'transpile', component, '-o', dir, '-q', ...extra]);
  return import(pathToFileURL(join(dir, `${basename(component, '.wasm')}.js`)).href);
}

/** Transpiles `component` with jco into `dir` (`extra` flags) and imports the module. */
export async function importJco(opts, component, dir, extra = []) {
  const jco = jcoPath(opts);
  if (!jco) throw new Error('jco not found (--jco, $JCO or ~/.cache/weft/jco)');
  run(jco, ['transpile', component, '-o', dir, '--quiet', ...extra]);
  return import(pathToFileURL(join(dir, `${basename(component, '.wasm')}.js`)).href);
}

/**
 * Loads each implementation (`[name, load]` pairs). Returns `{ impls, errors, failed }`:
 * a load that throws leaves its column empty with its error; it fails the run unless it
 * is jco's (jco may be missing, or unable to handle a component).
 */
export async function loadImplementations(loaders) {
  const impls = {};
  const errors = [];
  let failed = false;
  for (const [name, load] of loaders) {
    try {
      impls[name] = await load();
    } catch (e) {
      errors.push(`${name}: ${e.message}`);
      if (name !== 'jco') failed = true;
    }
  }
  return { impls, errors, failed };
}

/** Prints rows of strings as an aligned plain-text table (first column left-aligned). */
export function printTable(table) {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) {
    console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  }
}

/** The columns of a weft / jco / floor table (`writeResult`). */
export const CALL_COLUMNS = [
  { key: 'weft', label: 'weft' },
  { key: 'jco', label: 'jco 1.35' },
  { key: 'floor', label: 'floor' },
];

/** One row of such a table for `writeResult`: `cells` has `weft`, `jco`, `floor` ns. */
export function cellRow(name, cells, note) {
  return { name, values: { weft: cells.weft ?? null, jco: cells.jco ?? null, floor: cells.floor ?? null }, ...(note && { note }) };
}

/** Prints `[name, cells]` rows as the weft / jco / floor table with its two ratios. */
export function printCells(first, rows) {
  printTable([
    [first, 'weft ns', 'jco ns', 'floor ns', 'weft/floor', 'jco/weft'],
    ...rows.map(([name, c]) => [name, fmt(c.weft), fmt(c.jco), fmt(c.floor), ratio(c.weft, c.floor), ratio(c.jco, c.weft)]),
  ]);
}

/**
 * Writes a script's result for `bench/run.mjs` when `--json` was given. `result` is
 * `{ title, unit, description, columns, rows, notes }`:
 * - `columns`: `[{ key, label }]`, the numeric columns in order;
 * - `rows`: `[{ name, values: { [key]: number | null }, note? }]`;
 * - `targets` (optional): `[{ row, label, value, limit, op: '<=' | '>=' }]`, ratios
 *   the issue sets a target for, reported as met or not (never asserted);
 * - `notes`: strings, one per paragraph.
 */
export function writeResult(opts, result) {
  if (!opts.json) return;
  writeFileSync(opts.json, JSON.stringify({ node: process.version, quick: !!opts.quick, ...result }, null, 2) + '\n');
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wat': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * `serveFiles` of the repository at `/` and `out` at `/out/`, cross-origin isolated
 * (COOP, COEP, CORP) and uncached: a benchmark page's `performance.now()` then has the
 * engine's finest steps (Chromium 5 µs, Firefox 20 µs; 100 µs and 1 ms without).
 * @param {string} out
 */
export function serveIsolated(out) {
  return serveFiles(
    [
      ['/out/', out],
      ['/', root],
    ],
    {
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    },
  );
}

/**
 * Serves files on 127.0.0.1 (any free port) for a browser benchmark. `mounts`:
 * `[[prefix, dir], ...]`, the first whose prefix starts the path serves it (the path
 * after the prefix, below `dir`; nothing outside it); `headers` go on every file.
 * Resolves to `{ origin, close }`.
 */
export async function serveFiles(mounts, headers = {}) {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    const [prefix, dir] = mounts.find(([p]) => pathname.startsWith(p)) ?? [];
    const base = dir?.replace(/\/$/, '');
    const file = base && resolve(base, `.${decodeURIComponent(pathname.slice(prefix.length - 1))}`);
    let stat = null;
    try {
      stat = file?.startsWith(base + sep) ? statSync(file) : null;
    } catch {}
    if (!stat?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`);
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-length': stat.size, ...headers });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** Headless Chromium through playwright-core (both installed by scripts/setup;
 * CHROMIUM=PATH overrides the browser); `args` are added to the usual flags. */
export function launchChromium(args = []) {
  const { chromium } = createRequire(join(cache, 'playwright/'))('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...args],
  });
}

