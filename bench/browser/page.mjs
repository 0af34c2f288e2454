// The page of the browser call benchmark (bench/browser/run.mjs drives it): the rows of
// bench/calls.mjs, bench/imports.mjs and bench/resources.mjs, run by the same engine-
// neutral modules (bench/rows/, bench/timing.mjs) on weft's and jco's transpiled modules
// and on the floors, all in this page. The runner calls, through the driver's
// `evaluate`:
//
//   window.bench.load({ quick, modules })   loads every implementation; returns the
//       engine's facts (user agent, clock resolution, cross-origin isolation), the row
//       names of each table and the load errors
//   window.bench.row(table, i)              times row i of `table` (calls, imports,
//       resources) on every implementation: `{ name, cells, note, errors, failed }`
//
// one row per call, so that no single evaluation runs for long (a driver may time an
// evaluation out; a browser may warn about a slow script). `modules` names, by URL path,
// each table's transpiled modules and the core modules of its floor (run.mjs's `MODULES`).
import { timing, warmHarness } from '../timing.mjs';
import { callRows, floorExports as callsFloor, runCallRow } from '../rows/calls.mjs';
import { floorInstantiate, importRows, runImportRow, transpiledInstantiate } from '../rows/imports.mjs';
import { FINALIZER_ROW, floorExports as resourcesFloor, multiMemory, resourceRows, runFinalizerRow, runResourceRow } from '../rows/resources.mjs';

/**
 * The smallest step of `performance.now()` seen in 200 steps (or 1 s), in ms: engines
 * coarsen the clock against timing attacks (more without cross-origin isolation, which
 * run.mjs's server enables). A batch is made long enough that a step does not matter.
 */
function clockStep() {
  let step = Infinity;
  const start = performance.now();
  for (let seen = 0; seen < 200 && performance.now() - start < 1000; seen++) {
    const t0 = performance.now();
    let t1;
    while ((t1 = performance.now()) === t0);
    step = Math.min(step, t1 - t0);
  }
  return step;
}

const bytes = async (path) => new Uint8Array(await (await fetch(path)).arrayBuffer());

/** `load()`'s value, or an error naming `what`. */
async function attempt(what, load, errors) {
  try {
    return await load();
  } catch (e) {
    errors.push(`${what}: ${e?.message ?? e}`);
    return undefined;
  }
}

/**
 * Puts the implementations that loaded into an object, in `loaders`' order; a `[name,
 * load]` pair whose `load` is falsy is skipped (its module was not built: the runner
 * reports why).
 */
async function loadAll(table, loaders, errors) {
  const impls = {};
  for (const [name, load] of loaders) {
    if (!load) continue;
    const m = await attempt(`${name}: ${table}`, load, errors);
    if (m !== undefined) impls[name] = m;
  }
  return impls;
}

/**
 * How long a cell runs before its batches are timed. One batch (node's warm-up) was not
 * enough in Firefox: a row measured right after rows that took other paths of the
 * runtime's shared helpers was slow the first time only (weft's UTF-16 16 B echo 2.4×
 * the floor right after the UTF-8 rows; 1.1× on its own, or a second time), which looks
 * like a helper's compiled code being dropped and recompiled off the main thread, late
 * on a loaded machine. With 300 ms it was 1.3×.
 */
const WARMUP_MS = 300;

/**
 * How many times `row` times a row, each implementation's cell keeping its lowest
 * median. One round was not enough in either engine: a row right after rows that took
 * other paths of the runtime's shared helpers was sometimes slow the first time only,
 * after its warm-up too (Chromium: guest-to-JS UTF-16 16 chars 1.97× the floor, then
 * 1.19×, 1.14×, 1.16× when the same row was timed four times in turn), which looks like
 * a helper recompiled off the main thread while the batches ran. Every implementation
 * gets the same rounds.
 */
const ROUNDS = 2;

let state;

async function load({ quick, modules }) {
  const step = clockStep();
  // Batches of >= 50 clock steps (a 1 ms step: >= 50 ms; a 5 µs one: the usual 50 ms),
  // after >= WARMUP_MS of warm-up (see there).
  const T = timing({ quick }, { minBatchMs: quick ? 0 : 50 * step, warmupMs: WARMUP_MS });
  const errors = [];
  const { calls, imports, resources } = modules;

  const callImpls = await loadAll(
    'calls',
    [
      ['weft', calls.weft && (() => import(calls.weft))],
      ['jco', calls.jco && (() => import(calls.jco))],
      ['floor', async () => callsFloor(await bytes(calls.core))],
    ],
    errors,
  );

  // Core modules of the instantiation-mode modules, compiled once per URL.
  const compiled = new Map();
  const coreLoader = (moduleUrl) => (path) => {
    const url = new URL(path, new URL(moduleUrl, location.href)).href;
    if (!compiled.has(url)) compiled.set(url, WebAssembly.compileStreaming(fetch(url)));
    return compiled.get(url);
  };
  const importLoaders = await loadAll(
    'imports',
    [
      ['weft', imports.weft && (async () => transpiledInstantiate((await import(imports.weft)).instantiate, coreLoader(imports.weft), 'value'))],
      ['jco', imports.jco && (async () => transpiledInstantiate((await import(imports.jco)).instantiate, coreLoader(imports.jco), 'val'))],
      [
        'floor',
        async () => {
          const [libc, main] = await Promise.all([imports.libc, imports.main].map((u) => WebAssembly.compileStreaming(fetch(u))));
          return floorInstantiate(libc, main);
        },
      ],
    ],
    errors,
  );

  const resourceImpls = await loadAll(
    'resources',
    [
      ['weft', resources.weft && (async () => ({ ...(await import(resources.weft)).counters }))],
      ['jco', resources.jco && (async () => ({ ...(await import(resources.jco)).counters }))],
      ['floor', async () => resourcesFloor(await bytes(resources.core))],
      ...(multiMemory ? [['weftLowered', resources.weftLowered && (async () => ({ ...(await import(resources.weftLowered)).counters }))]] : []),
    ],
    errors,
  );

  await warmHarness();
  state = {
    T,
    // `row`'s rounds: one in the short mode, whose numbers mean nothing.
    rounds: quick ? 1 : ROUNDS,
    minDriverMs: Math.max(1, 10 * step),
    calls: { rows: callRows(), impls: callImpls },
    imports: { rows: importRows, loaders: importLoaders, instances: {} },
    resources: { rows: [...resourceRows, { name: FINALIZER_ROW }], impls: resourceImpls },
  };
  return {
    userAgent: navigator.userAgent,
    clockStepMs: step,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    jspi: typeof WebAssembly.Suspending === 'function',
    multiMemory,
    batchMs: T.batchMs,
    batches: T.batches,
    rows: Object.fromEntries(['calls', 'imports', 'resources'].map((t) => [t, state[t].rows.map((r) => r.name)])),
    errors,
  };
}

async function row(table, i) {
  const rounds = [];
  for (let k = 0; k < state.rounds; k++) rounds.push(await rowOnce(table, i));
  const [first] = rounds;
  const cells = {};
  for (const r of rounds) {
    for (const [impl, ns] of Object.entries(r.cells)) cells[impl] = Math.min(cells[impl] ?? Infinity, ns);
  }
  return { ...first, cells, errors: [...new Set(rounds.flatMap((r) => r.errors))], failed: rounds.some((r) => r.failed) };
}

async function rowOnce(table, i) {
  const { T } = state;
  const { rows } = state[table];
  const r = rows[i];
  switch (table) {
    case 'calls':
      return runCallRow(r, state.calls.impls, T);
    case 'imports':
      return runImportRow(r, state.imports.loaders, state.imports.instances, T, state.minDriverMs);
    case 'resources':
      return r.name === FINALIZER_ROW ? runFinalizerRow(T) : runResourceRow(r, state.resources.impls, T);
    default:
      throw new Error(`unknown table ${table}`);
  }
}

window.bench = { load, row };
window.__ready = true;
