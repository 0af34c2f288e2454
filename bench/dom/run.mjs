#!/usr/bin/env node
// The DOM benchmark (issue 16, item 4): js-framework-benchmark's keyed table, rendered
// and updated by a Rust guest in headless Chromium, in four variants measured in the
// same browser, operation by operation, interleaved:
//
//   weft     tests/guests/dom-bench: WIT that `weft webidl` made of @webref/idl
//            (bench/dom/gen-wit.sh), bound by `weft transpile --webidl` to the
//            platform (`node.appendChild(child)`, `node.textContent = s`)
//   imports  tests/guests/dom-bench-imports: the same Rust logic (dom-bench-core) through
//            a small hand-written interface over a JS handle table
//            (bench/dom/imports-host.js), transpiled by weft: today's way
//   jco      the weft variant's component transpiled by jco 1.35, whose `webidl:`
//            imports go through its `globalThisIdlProxy`
//   floor    the same logic in plain JS (bench/dom/floor.js)
//
// Each operation is timed as js-framework-benchmark sets it up: its setup operations
// run first (untimed, then a forced layout and a GC), then the operation is timed from
// JS: the export's call, then `document.body.offsetHeight` (a forced style and
// layout); paint is not included. Both times are reported (the call alone, and the call
// plus layout). After every operation each variant's table must equal the floor's
// (row count, the ids and labels of every row through a hash and of a few rows as
// text, the selected row, the first row's markup): a difference fails the run (exit
// 1), as does a build or transpile error of weft's variants; a time never does. jco's
// column is left empty, with its error, when jco cannot run it.
//
//   node bench/dom/run.mjs [--quick] [--json FILE] [--weft PATH] [--jco PATH]
//
// Needs target/guests/dom-bench*.wasm (scripts/build-guests; built when missing),
// @webref/idl, playwright-core and /usr/bin/chromium (scripts/setup; CHROMIUM=PATH
// overrides). --quick: 1 warm-up and 2 measured rounds (numbers not meaningful).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchOptions, cache, fmt, jcoPath, launchChromium, printTable, ratio, root, run, serveIsolated, tempDir, weftCommand, writeResult } from '../lib.mjs';

const opts = benchOptions();
const out = tempDir('dom');
const verbose = process.env.WEFT_BENCH_VERBOSE === '1';
const rounds = opts.quick ? { warmup: 1, measured: 2 } : { warmup: 3, measured: 15 };

// js-framework-benchmark's operations: `setup` runs untimed before the timed `op`;
// `row` is the table row whose id `op` gets. `calls`: the operations with a boundary
// crossing per row (the call-heavy ones, for the ≥ 2× targets).
const OPS = [
  { name: 'create 1,000 rows', setup: ['clear'], op: 'run', calls: true },
  { name: 'replace all 1,000 rows', setup: ['run'], op: 'run', calls: true },
  { name: 'update every 10th row', setup: ['run'], op: 'update', calls: true },
  { name: 'select a row', setup: ['run'], op: 'select', row: 1 },
  { name: 'swap rows 1 and 998', setup: ['run'], op: 'swapRows' },
  { name: 'remove a row', setup: ['run'], op: 'remove', row: 3 },
  { name: 'create 10,000 rows', setup: ['clear'], op: 'runLots', calls: true },
  { name: 'append 1,000 rows to 1,000', setup: ['run'], op: 'add', calls: true },
  { name: 'clear 1,000 rows', setup: ['run'], op: 'clear', calls: true },
];

const VARIANTS = [
  { key: 'weft', label: 'weft' },
  { key: 'imports', label: 'hand-written imports' },
  { key: 'jco', label: 'jco 1.35' },
  { key: 'floor', label: 'floor' },
];

// --- build and transpile ------------------------------------------------------------
const guests = join(root, 'target/guests');
const wasm = { weft: join(guests, 'dom-bench.wasm'), imports: join(guests, 'dom-bench-imports.wasm') };
if (!existsSync(wasm.weft) || !existsSync(wasm.imports)) {
  const r = spawnSync(join(root, 'scripts/build-guests'), [], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/build-guests failed');
}
const webref = join(cache, 'webref/node_modules/@webref/idl');
const [weftCmd, ...weftPre] = weftCommand(opts);
const errors = []; // failures of the run
const jcoErrors = []; // why jco's column is empty
const modules = {}; // variant key -> URL path of its module

function transpileWeft(key, input, extra) {
  const dir = join(out, key);
  run(weftCmd, [...weftPre, 'transpile', input, '-o', dir, '-q', ...extra]);
  modules[key] = `/out/${key}/${input.split('/').pop().replace(/\.wasm$/, '.js')}`;
}
try {
  transpileWeft('weft', wasm.weft, ['--webidl', webref]);
} catch (e) {
  errors.push(`weft: ${e.message}`);
}
try {
  transpileWeft('imports', wasm.imports, ['--map', 'weft:dom-bench/dom=/bench/dom/imports-host.js']);
} catch (e) {
  errors.push(`imports: ${e.message}`);
}
const jco = jcoPath(opts);
if (!jco) {
  jcoErrors.push('jco not found (--jco, $JCO or ~/.cache/weft/jco)');
} else {
  try {
    run(jco, ['transpile', wasm.weft, '-o', join(out, 'jco'), '--quiet']);
    modules.jco = '/out/jco/dom-bench.js';
  } catch (e) {
    jcoErrors.push(`jco transpile: ${e.message}`);
  }
}

// --- the server: the repository at /, the transpiled modules at /out/ -----------------
// Cross-origin isolated, so that performance.now() has 5 µs steps, not 100 µs.
const server = await serveIsolated(out);
const { origin } = server;

// --- the browser -----------------------------------------------------------------------
const browser = await launchChromium([
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--js-flags=--expose-gc',
]);
const chromiumVersion = browser.version();

/** Opens the page of a variant; `{ page, isolated }` or throws with the page's error. */
async function open(key) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => verbose && console.log(`[${key}] ${m.text()}`));
  const query = key === 'floor' ? 'variant=floor' : `module=${encodeURIComponent(modules[key])}`;
  await page.goto(`${origin}/bench/dom/page.html?${query}`);
  await page.waitForFunction(() => window.__ready, undefined, { timeout: 60_000 }).catch((e) => {
    throw new Error(pageErrors[0] ?? e.message);
  });
  const ready = await page.evaluate(() => window.__ready);
  if (ready.error) throw new Error(ready.error);
  return { page, isolated: ready.crossOriginIsolated, pageErrors };
}

const pages = {};
for (const { key } of VARIANTS) {
  if (key !== 'floor' && !modules[key]) continue;
  try {
    pages[key] = await open(key);
  } catch (e) {
    (key === 'jco' ? jcoErrors : errors).push(`${key}: loading the page: ${e.message.split('\n')[0]}`);
  }
}

// --- the rounds ------------------------------------------------------------------------
const times = {}; // `${key} ${op}` -> { script: [], total: [] }
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
let order = Object.keys(pages);
if (pages.floor) {
  for (let round = 0; round < rounds.warmup + rounds.measured; round++) {
    for (const op of OPS) {
      const results = {};
      for (const key of order) {
        if (!pages[key]) continue;
        try {
          results[key] = await pages[key].page.evaluate(([s, o, r]) => window.__step(s, o, r), [op.setup, op.op, op.row]);
        } catch (e) {
          const msg = `${key}: ${op.name} (round ${round}) threw: ${e.message.split('\n')[0]}`;
          (key === 'jco' ? jcoErrors : errors).push(msg);
          delete pages[key];
        }
      }
      const expected = results.floor?.summary;
      for (const [key, r] of Object.entries(results)) {
        if (key === 'floor') continue;
        if (expected && !same(r.summary, expected)) {
          const msg = `${key}: ${op.name} (round ${round}): the table differs from the floor's: ${JSON.stringify(r.summary)} vs ${JSON.stringify(expected)}`;
          (key === 'jco' ? jcoErrors : errors).push(msg);
          delete pages[key];
          continue;
        }
        if (round >= rounds.warmup) {
          const t = (times[`${key} ${op.name}`] ??= { script: [], total: [] });
          t.script.push(r.script);
          t.total.push(r.total);
        }
      }
      if (results.floor && round >= rounds.warmup) {
        const t = (times[`floor ${op.name}`] ??= { script: [], total: [] });
        t.script.push(results.floor.script);
        t.total.push(results.floor.total);
      }
      if (!pages.floor) break;
    }
    // Rotate who goes first, so that no variant always follows the same one.
    order = Object.keys(pages);
    for (let i = 0; i <= round % Math.max(order.length, 1); i++) order.push(order.shift());
  }
}
const isolated = Object.values(pages).every((p) => p.isolated);
await browser.close();
server.close();

// --- the report ------------------------------------------------------------------------
const median = (xs) => {
  if (!xs?.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const alive = (key) => Object.keys(times).some((k) => k.startsWith(`${key} `));
function tableOf(kind) {
  return OPS.map((op) => {
    const values = {};
    for (const { key } of VARIANTS) values[key] = alive(key) ? median(times[`${key} ${op.name}`]?.[kind]) : null;
    return { name: op.name, values };
  });
}
const total = tableOf('total');
const script = tableOf('script');

for (const [title, rows] of [['call + forced layout, ms', total], ['call alone, ms', script]]) {
  console.log(`\nDOM operations (${title})`);
  printTable([
    ['', ...VARIANTS.map((v) => v.label), 'weft/floor', 'imports/weft', 'jco/weft'],
    ...rows.map((r) => [
      r.name,
      ...VARIANTS.map((v) => fmt(r.values[v.key])),
      ratio(r.values.weft, r.values.floor),
      ratio(r.values.imports, r.values.weft),
      ratio(r.values.jco, r.values.weft),
    ]),
  ]);
}
for (const e of jcoErrors) console.log(`jco: ${e}`);
for (const e of errors) console.error(`error: ${e}`);

const targets = [];
for (const [i, op] of OPS.entries()) {
  const v = total[i].values;
  if (v.weft != null && v.floor != null) targets.push({ row: op.name, label: 'weft/floor', value: v.weft / v.floor, limit: 1.3, op: '<=' });
  if (!op.calls) continue;
  targets.push({ row: op.name, label: 'imports/weft', value: v.imports != null && v.weft != null ? v.imports / v.weft : NaN, limit: 2, op: '>=' });
  targets.push({ row: op.name, label: 'jco/weft', value: v.jco != null && v.weft != null ? v.jco / v.weft : NaN, limit: 2, op: '>=' });
}

const columns = VARIANTS.map(({ key, label }) => ({ key, label }));
const measured = `median of ${rounds.measured} rounds after ${rounds.warmup} warm-up${rounds.warmup > 1 ? 's' : ''}`;
const common = [
  `Headless Chromium ${chromiumVersion}${isolated ? ' (cross-origin isolated: 5 µs timer)' : ' (not cross-origin isolated: 100 µs timer)'}, one page per variant, the variants interleaved operation by operation. Each operation is set up as js-framework-benchmark does (\`create\`: clear first; the others: 1,000 rows first), untimed, followed by a forced layout and a GC; the table is checked to be the floor's after every operation.`,
  'Variants: **weft**, the Rust guest `tests/guests/dom-bench` importing WIT that `weft webidl dom html --interface Document --interface HTMLElement` made of @webref/idl, transpiled with `--webidl` (each DOM call is the platform member itself); **hand-written imports**, the same Rust logic (`dom-bench-core`) through a 12-function WIT interface implemented by hand-written JS over a handle table (`bench/dom/imports-host.js`), transpiled by weft; **jco 1.35**, the weft variant\'s component transpiled by jco, its `webidl:` imports through jco\'s `globalThisIdlProxy`; **floor**, the same logic in plain JS (`bench/dom/floor.js`). A created row is 10 boundary crossings for weft (clone, 2 × first-child, next-sibling, 2 × text, append, and 3 handle drops), 9 for the imports; a removed row 2 drops.',
];
common.push(
  'Where weft\'s time goes, per crossing (the generated trampolines of `webidl:` methods): a `CallContext` per call; each borrowed node lifted through the handle table with lend tracking (`liftBorrow`: the `Handle`, its type, a lend count and the context\'s `lenders`, undone by `endCall`), then mapped from its rep to the platform object through `HostReps`; each returned node is a new `Handle` plus a `WeakMap` lookup or insert in `HostReps`; each dropped handle a `WeakMap.delete` and a `Symbol.dispose` probe on the DOM node. The hand-written imports index an array. The WIT shape adds crossings the imports do not make: `appendChild`, `insertBefore` and `removeChild` return the node (a new handle the guest drops), and setting `className` on a `node` takes an `as-element` cast (a new handle, and its drop). Strings (the id and label of a row) are lifted alike in both (`TextDecoder`).',
  'The hand-written imports are transpiled by weft too, and their trampolines (`u32` handles, strings) cost about what weft\'s own do, so `imports/weft ≥ 2×` cannot hold here: with layout counted both stay near the floor. jco\'s `webidl:` path runs every member access through a `Proxy` `get` trap (a regex replace of the name, a new `Proxy` around each function and result), which shows in the call-alone table.',
  'jco runs this component only because the guest avoids two things its proxy mishandles: an `undefined` argument (an `option` that is none) throws in the proxy\'s `apply` trap (`Cannot read properties of undefined (reading \'Symbol(isProxy)\')`, from `createElement(tag, undefined)`), so the guest passes an empty options record; and a WebIDL union (`setAttribute`\'s `TrustedType or DOMString`) reaches the platform as jco\'s `{ tag, val }` object, so the guest sets `ariaHidden` instead. weft\'s case-keeping names did not get in the way for the members used (jco 1.35\'s proxy restores `HTML` and `DOM` only; `base-URI` would reach the platform as `baseUri`).',
);
if (jcoErrors.length) common.push(`jco: ${jcoErrors[0]}`);
writeResult(opts, {
  title: 'DOM (headless Chromium)',
  tables: [
    {
      title: 'DOM operations in headless Chromium: js-framework-benchmark\'s keyed table, call + forced layout',
      unit: `ms, ${measured}`,
      description: 'The time from calling the operation to the end of a forced style and layout (`document.body.offsetHeight`); paint is not included.',
      columns,
      rows: total,
      targets,
      notes: common,
    },
    {
      title: 'DOM operations in headless Chromium: the call alone',
      unit: `ms, ${measured}`,
      description: 'The same runs: the operation\'s call only, without the layout it leaves to do.',
      columns,
      rows: script,
    },
  ],
});
if (errors.length) process.exitCode = 1;
