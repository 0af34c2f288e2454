#!/usr/bin/env node
// The call-overhead benchmarks in the browsers (issue 22): the rows of bench/calls.mjs
// (JS to guest), bench/imports.mjs (guest to JS) and bench/resources.mjs, in headless
// Chromium and Firefox, each engine in one page where weft's transpiled modules, jco's,
// and the floor (the same core wasm from minimal hand-written JS) are all timed, one
// after the other, as node's scripts time them. The rows, the floors and the timing loop
// are the same modules node's scripts use (bench/rows/, bench/timing.mjs); page.mjs runs
// them. Reports ns per call per (row, implementation, engine); asserts nothing about time.
//
//   node bench/browser/run.mjs [--quick] [--json FILE] [--engine chromium|firefox|all]
//                              [--weft PATH] [--jco PATH] [--wasm-tools PATH]
//                              [--only TEXT] [--repeat N]
//
// The components are bench/{calls,imports,resources}.wat, converted with `wasm-tools
// parse`; weft (the release CLI, else as bench/lib.mjs finds it) and jco 1.35 (as
// bench/lib.mjs finds it) transpile them into a temp dir (imports.wat in instantiation
// mode, as bench/imports.mjs does; resources.wat also with `--lowered`), which a server on
// 127.0.0.1 serves at /out/, the repository at /. Each engine starts through
// web-tests/driver/ (`launch`, with JSPI as the engine ships it), opens
// bench/browser/page.html, loads every implementation, then times the rows one
// `evaluate` each. jco's cells of an engine are empty, with its error, when jco's output
// cannot run there.
//
// The clock. Both engines coarsen `performance.now()`; the server sends COOP/COEP
// headers, so the page is cross-origin isolated, where the clock is finest. Observed
// (page.mjs `clockStep`, the smallest step seen; the report prints it for each run):
// Chromium 5 µs (100 µs without isolation), Firefox ESR 20 µs (1 ms without isolation).
// A batch lasts at least 50 clock steps and 50 ms (the median of 9 batches), so a step is
// at most 2% of a batch; guest-to-JS drivers are sized to >= max(1 ms, 10 steps). A cell
// runs 300 ms before its batches (page.mjs `WARMUP_MS` says why), and each row is timed
// twice in turn, a cell keeping its lower median (page.mjs `ROUNDS` says why).
// --only TEXT times only the rows whose name contains TEXT, and --repeat N times each row
// N times in turn (a row's spread between runs, for bench/notes.md; the report then
// holds each run as a row of its own).
// --quick: 3 batches of ~5 ms, no warm-up (numbers not meaningful; CI keeps the code
// working). A full run takes ~8 minutes on 2 cores (~4 per engine), --quick ~20 s.
//
// Exits 1 if an engine cannot start, a build fails, or weft or the floor returns a wrong
// result in a row (every cell's result is checked before it is timed).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchComponent, benchOptions, cache, CALL_COLUMNS, cellRow, jcoPath, printCells, run, serveIsolated, tempDir, weftCommand, writeResult } from '../lib.mjs';
import { launch } from '../../web-tests/driver/index.mjs';

const opts = benchOptions({
  engine: { type: 'string', default: 'all' },
  only: { type: 'string' },
  repeat: { type: 'string', default: '1' },
});
const repeat = Number(opts.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat: expected a positive integer, got ${opts.repeat}`);
const engines = opts.engine === 'all' ? ['chromium', 'firefox'] : [opts.engine];
const out = tempDir('browser');
const verbose = process.env.WEFT_BENCH_VERBOSE === '1';
const started = Date.now();

// --- build: the components, their floors' core modules, the transpiled modules --------
const errors = []; // failures of the run
const buildNotes = []; // why a column is empty in every engine (jco missing, a transpile error)
const [weftCmd, ...weftPre] = weftCommand(opts);
const jco = jcoPath(opts);

/** Transpiles `component` into `out/<dir>` with weft or jco; the module's URL path, or undefined. */
function transpile(tool, component, dir, extra = []) {
  const stem = component.split('/').pop().replace(/\.wasm$/, '');
  try {
    if (tool === 'jco') {
      if (!jco) throw new Error('jco not found (--jco, $JCO or ~/.cache/weft/jco)');
      run(jco, ['transpile', component, '-o', join(out, dir), '--quiet', ...extra]);
    } else {
      run(weftCmd, [...weftPre, 'transpile', component, '-o', join(out, dir), '-q', ...extra]);
    }
    return `/out/${dir}/${stem}.js`;
  } catch (e) {
    (tool === 'jco' ? buildNotes : errors).push(`${tool}: ${dir}: ${e.message}`);
    return undefined;
  }
}

/** `bench/<name>.wat` converted into out/<name>/ (bench/lib.mjs `benchComponent`). */
function component(name) {
  mkdirSync(join(out, name));
  return benchComponent(opts, join(out, name), name);
}

const calls = component('calls');
const imports = component('imports');
const resources = component('resources');
const urlOf = (path) => `/out/${path.slice(out.length + 1)}`;
// What page.mjs loads (`load`'s `modules`): URL paths under /out/.
const MODULES = {
  calls: {
    weft: transpile('weft', calls.component, 'calls/weft'),
    jco: transpile('jco', calls.component, 'calls/jco'),
    core: urlOf(calls.coreModule()),
  },
  imports: {
    weft: transpile('weft', imports.component, 'imports/weft', ['--instantiation']),
    jco: transpile('jco', imports.component, 'imports/jco', ['--instantiation', 'async']),
    libc: urlOf(imports.coreModule(imports.wat.indexOf('(core module $libc'))),
    main: urlOf(imports.coreModule(imports.wat.indexOf('(core module $main'))),
  },
  resources: {
    weft: transpile('weft', resources.component, 'resources/weft'),
    weftLowered: transpile('weft', resources.component, 'resources/weft-lowered', ['--lowered']),
    jco: transpile('jco', resources.component, 'resources/jco'),
    core: urlOf(resources.coreModule()),
  },
};
const buildSecs = (Date.now() - started) / 1000;

// --- the server: the repository at /, the temp dir at /out/, cross-origin isolated -----
const server = await serveIsolated(out);

// --- the tables of one engine ------------------------------------------------------------
const TABLES = [
  {
    key: 'calls',
    title: 'Call overhead, JS to guest',
    unit: 'ns per call',
    columns: CALL_COLUMNS,
  },
  {
    key: 'imports',
    title: 'Call overhead, guest to JS',
    unit: 'ns per import call',
    columns: CALL_COLUMNS,
  },
  {
    key: 'resources',
    title: 'Resources, JS to guest',
    unit: 'ns per round / call',
    columns: [...CALL_COLUMNS, { key: 'weftLowered', label: 'weft --lowered' }],
  },
];

/** Runs every row in `engine`; `{ engine, version, ..., tables }` or `{ engine, error }`. */
async function runEngine(engine) {
  const t0 = Date.now();
  let browser;
  try {
    browser = await launch(engine, { jspi: true, cache });
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors = [];
    page.onError((e) => pageErrors.push(e.message));
    page.onConsole((type, text) => verbose && console.log(`[${engine} ${type}] ${text}`));
    await page.goto(`${server.origin}/bench/browser/page.html`);
    await page.waitForFunction(() => window.__ready === true, undefined, { timeout: 60_000 }).catch((e) => {
      throw new Error(pageErrors[0] ?? e.message);
    });
    const facts = await page.evaluate((config) => window.bench.load(config), { quick: !!opts.quick, modules: MODULES });
    const loadErrors = facts.errors.filter((e) => !e.startsWith('jco:'));
    if (loadErrors.length) errors.push(...loadErrors.map((e) => `${engine}: ${e}`));
    console.log(
      `${browser.version}: clock step ${fmtStep(facts.clockStepMs)}, ${facts.crossOriginIsolated ? '' : 'not '}cross-origin isolated, ` +
        `JSPI ${facts.jspi ? 'on' : 'off'}, batches of ~${Math.round(facts.batchMs)} ms`,
    );
    const tables = [];
    for (const t of TABLES) {
      const rows = [];
      const notes = [...buildNotes.filter((n) => n.includes(` ${t.key}/`)), ...facts.errors.filter((e) => e.endsWith(`: ${t.key}`) || e.includes(`: ${t.key}:`))];
      const chosen = [...facts.rows[t.key].entries()].filter(([, name]) => opts.only === undefined || name.includes(opts.only));
      for (const [i, name] of chosen.flatMap((row) => Array(repeat).fill(row))) {
        let r;
        try {
          r = await page.evaluate(([table, index]) => window.bench.row(table, index), [t.key, i]);
        } catch (e) {
          r = { name, cells: {}, errors: [`${name}: the page threw: ${e.message.split('\n')[0]}`], failed: true };
        }
        if (r.failed) errors.push(...r.errors.map((e) => `${engine}: ${t.key}: ${e}`));
        notes.push(...r.errors);
        rows.push(r);
        if (verbose) console.log(`[${engine}] ${t.key}: ${name}: ${JSON.stringify(r.cells)}`);
      }
      console.log(`${t.title}, ${browser.version}:`);
      printCells(t.key === 'imports' ? 'import call' : 'call', rows.map((r) => [r.name, r.cells]));
      for (const r of rows) if (r.note) console.log(`${r.name}: ${r.note}`);
      for (const n of notes) console.log(n);
      tables.push({
        title: t.title,
        unit: t.unit,
        columns: t.columns,
        rows: rows.map((r) => {
          const row = cellRow(r.name, r.cells, r.note);
          if (t.key === 'resources') row.values.weftLowered = r.cells.weftLowered ?? null;
          return row;
        }),
        notes,
      });
    }
    const secs = (Date.now() - t0) / 1000;
    console.log(`-- ${browser.version}: ${secs.toFixed(1)} s\n`);
    return {
      engine,
      version: browser.version,
      jspi: browser.jspiSwitch,
      userAgent: facts.userAgent,
      clockStepMs: facts.clockStepMs,
      crossOriginIsolated: facts.crossOriginIsolated,
      batchMs: facts.batchMs,
      batches: facts.batches,
      seconds: secs,
      tables,
    };
  } catch (e) {
    errors.push(`${engine}: ${e.message}`);
    return { engine, version: browser?.version ?? engine, error: e.message };
  } finally {
    await browser?.close().catch(() => {});
  }
}

function fmtStep(ms) {
  return ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

const results = [];
for (const engine of engines) results.push(await runEngine(engine));
server.close();

const seconds = (Date.now() - started) / 1000;
for (const e of errors) console.log(`error: ${e}`);
console.log(`browser call benchmarks: ${seconds.toFixed(1)} s (build ${buildSecs.toFixed(1)} s)`);
writeResult(opts, {
  title: 'Call overhead in the browsers',
  engines: results,
  seconds,
  notes: [...buildNotes, ...errors],
});
process.exitCode = errors.length ? 1 : 0;
