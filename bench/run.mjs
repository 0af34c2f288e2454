#!/usr/bin/env node
// Runs every benchmark script of bench/ on node 24 and node 20 and writes one report
// (docs/benchmarks.md by default): the issue's targets with the ratios measured in
// this run (one column per node and per browser engine), the call rows side by side in
// node 24, Chromium and Firefox (bench/browser/run.mjs), then every table, then
// bench/notes.md (the explanation of each gap). The
// numbers are reported, never asserted; a script that fails (a build error, a wrong
// result) makes this exit 1 after the report is written.
//
//   node bench/run.mjs [--quick] [--out FILE] [--node PATH]... [--weft PATH] [--jco PATH]
//
// `scripts/bench` is the one command: it installs what the suite needs (jco, node 24,
// the large fixtures, the release CLI and the npm wasm build) and runs this.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cache, fmt, root, tempDir } from './lib.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    node: { type: 'string', multiple: true },
    weft: { type: 'string' },
    jco: { type: 'string' },
    // Only the scripts whose file name contains one of these (a partial report).
    only: { type: 'string', multiple: true },
  },
});
const out = opts.out ?? join(root, 'docs/benchmarks.md');
const tmp = tempDir('bench-run');

// The scripts, in report order. `nodes: 1` runs on the first node only (it measures
// the tools, not the engine).
const SCRIPTS = [
  { file: 'calls.mjs' },
  { file: 'record.mjs' },
  { file: 'imports.mjs' },
  { file: 'compose.mjs' },
  { file: 'resources.mjs' },
  { file: 'async.mjs' },
  { file: 'stream64.mjs' },
  { file: 'artifacts.mjs', nodes: 1 },
  { file: 'programs.mjs' },
  // Headless browsers, not node: the engine is the browser's.
  { file: 'browser/run.mjs', nodes: 1 },
  { file: 'dom/run.mjs', nodes: 1 },
  { file: 'playground/run.mjs', nodes: 1 },
].filter((s) => !opts.only || opts.only.some((o) => s.file.includes(o)));

const nodes = opts.node ?? [join(cache, 'node24/node_modules/.bin/node'), process.execPath].filter((p) => existsSync(p));

function nodeVersion(node) {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

/** Runs one script on one node; its JSON result, or `{ error }`. */
function runScript(script, node, i) {
  const json = join(tmp, `${i}-${script.file.replaceAll('/', '-')}.json`);
  const args = [join(root, 'bench', script.file), '--json', json];
  if (opts.quick) args.push('--quick');
  if (opts.weft) args.push('--weft', opts.weft);
  if (opts.jco) args.push('--jco', opts.jco);
  const t = Date.now();
  const r = spawnSync(node, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  process.stdout.write(r.stdout);
  if (r.status !== 0) process.stderr.write(r.stderr);
  console.log(`-- ${script.file} on ${nodeVersion(node)}: exit ${r.status} in ${secs} s\n`);
  const result = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined;
  if (r.status !== 0) {
    const last = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
    return { ...(result ?? { title: script.file }), error: `exit ${r.status}: ${last}` };
  }
  return result ?? { title: script.file, error: 'no JSON result written' };
}

/**
 * The tables of a result (a script writes one table, or several under `tables`); none
 * for bench/browser/run.mjs's, whose tables are per engine (`engines`, `engineRuns`).
 */
function tablesOf(result) {
  if (result.engines) return [];
  if (result.tables) return result.tables.map((t) => ({ node: result.node, ...t }));
  return [result];
}

/**
 * The browser engines' runs of bench/browser/run.mjs, each as a run of its own:
 * `{ label, version, facts, error, results }`, where `results` are its tables (the
 * titles of node's, so that `targets` finds the same rows).
 */
function engineRuns(runs) {
  const browser = runs[0]?.results.find((r) => r.engines);
  if (!browser) return [];
  return browser.engines.map((e) => ({ label: e.version, facts: e, error: e.error, results: e.tables ?? [] }));
}

// --- run -------------------------------------------------------------------------------
const runs = []; // { node, version, results: [...] }
let failed = false;
for (const [n, node] of nodes.entries()) {
  const results = [];
  for (const [i, script] of SCRIPTS.entries()) {
    if (script.nodes === 1 && n > 0) continue;
    const r = runScript(script, node, `${n}-${i}`);
    if (r.error) failed = true;
    results.push(r);
  }
  runs.push({ node, version: nodeVersion(node), results });
}

// --- targets ---------------------------------------------------------------------------
const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** Every table row of a run, with its table's title. */
function* rowsOf(run) {
  for (const r of run.results) {
    for (const t of tablesOf(r)) for (const row of t.rows ?? []) yield { table: t.title, row, t };
  }
}

/**
 * The issue's targets, checked against the first node's run: `[target, measured,
 * met]` rows. A target whose rows are missing reports `-` (not met).
 */
function targets(run) {
  const out = [];
  const rows = [...rowsOf(run)];
  const find = (table, name) => rows.find((r) => r.table.startsWith(table) && r.row.name === name)?.row;
  const add = find('Call overhead, JS to guest', 'add(u32, u32)');
  const addFloor = add && num(add.values.weft) / num(add.values.floor);
  out.push(['`add(u32, u32)` ≤ 1.3× the floor', ratioText(addFloor), addFloor <= 1.3]);
  const addJco = add && num(add.values.jco) / num(add.values.weft);
  out.push(['`add(u32, u32)` ≥ 100× faster than jco', ratioText(addJco), addJco >= 100]);
  for (const { table, row } of rows) {
    if (!/^Call overhead/.test(table) || !/^echo[- ](string|list)/.test(row.name)) continue;
    const r = num(row.values.weft) / num(row.values.floor);
    out.push([`${table.replace('Call overhead, ', '')}: ${row.name} ≤ 1.5× the floor`, ratioText(r), r <= 1.5]);
  }
  for (const r of run.results) {
    for (const table of tablesOf(r)) {
      for (const t of table.targets ?? []) {
        const met = t.op === '>=' ? t.value >= t.limit : t.value <= t.limit;
        // A ratio (`×`), or a quantity in `t.unit` (ms, MB).
        const limit = t.unit ? `${t.limit} ${t.unit}` : `${t.limit}×`;
        const measured = t.unit ? (Number.isFinite(t.value) ? `${Number(t.value.toPrecision(3))} ${t.unit}` : '-') : ratioText(t.value);
        out.push([`${table.title}, ${t.row}: ${t.label} ${t.op === '>=' ? '≥' : '≤'} ${limit}`, measured, met]);
      }
    }
  }
  return out;
}

function ratioText(x) {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : '-';
}

// --- report ----------------------------------------------------------------------------
function mdTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

function renderTable(t) {
  const cols = t.columns ?? [];
  const keys = cols.map((c) => c.key);
  const ratios = keys.includes('weft') && keys.includes('floor');
  const vsJco = keys.includes('weft') && keys.includes('jco');
  const vsImports = keys.includes('weft') && keys.includes('imports');
  const header = ['', ...cols.map((c) => c.label)];
  if (ratios) header.push('weft/floor');
  if (vsImports) header.push('imports/weft');
  if (vsJco) header.push('jco/weft');
  const footnotes = [];
  const body = (t.rows ?? []).map((row) => {
    const v = row.values ?? {};
    let name = row.name;
    if (row.note) {
      footnotes.push(row.note);
      name += ` [${footnotes.length}]`;
    }
    const cells = [name, ...keys.map((k) => fmt(num(v[k])))];
    if (ratios) cells.push(ratioText(num(v.weft) / num(v.floor)));
    if (vsImports) cells.push(ratioText(num(v.imports) / num(v.weft)));
    if (vsJco) cells.push(ratioText(num(v.jco) / num(v.weft)));
    return cells;
  });
  const parts = [`### ${t.title}${t.unit ? ` (${t.unit})` : ''}`];
  if (t.description) parts.push(t.description);
  if (t.error) parts.push(`**The script failed:** ${t.error}`);
  if (body.length) parts.push(mdTable(header, body));
  if (footnotes.length) parts.push(footnotes.map((n, i) => `[${i + 1}] ${n}`).join('  \n'));
  for (const n of t.notes ?? []) parts.push(`- ${n}`);
  return parts.join('\n\n');
}

/** The table titled `title` of a run (node's or an engine's), or undefined. */
function tableOf(run, title) {
  for (const r of run.results) for (const t of tablesOf(r)) if (t.title === title) return t;
  return undefined;
}

/** The call tables in every engine that bench/browser/run.mjs measures too. */
const ENGINE_TABLES = ['Call overhead, JS to guest', 'Call overhead, guest to JS', 'Resources, JS to guest'];

/**
 * The section that puts the call rows side by side: weft/floor, then jco/weft, in each
 * of `columns` (`{ label, run }`: the first node, then each browser engine).
 */
function byEngine(columns) {
  const parts = [
    '## Call overhead by engine',
    `The call rows in ${columns.map((c) => c.label).join(', ')}: each engine's ratios are of its own ` +
      'weft, jco and floor cells, measured in one process (node) or one page (browsers; bench/browser/run.mjs). ' +
      'The ns of every cell are in the tables of each engine below.',
  ];
  for (const title of ENGINE_TABLES) {
    const tables = columns.map((c) => tableOf(c.run, title));
    const names = [...new Set(tables.flatMap((t) => (t?.rows ?? []).map((r) => r.name)))];
    const value = (t, name, key) => num(t?.rows?.find((r) => r.name === name)?.values?.[key]);
    const body = names
      .map((name) => [
        name,
        ...tables.map((t) => ratioText(value(t, name, 'weft') / value(t, name, 'floor'))),
        ...tables.map((t) => ratioText(value(t, name, 'jco') / value(t, name, 'weft'))),
      ])
      .filter((cells) => cells.slice(1).some((c) => c !== '-'));
    const header = ['', ...columns.map((c) => `${c.label}: weft/floor`), ...columns.map((c) => `${c.label}: jco/weft`)];
    parts.push(`### ${title}`, mdTable(header, body));
  }
  const browser = runs[0].results.find((r) => r.engines);
  if (browser.error) parts.push(`**bench/browser/run.mjs failed:** ${browser.error}`);
  for (const n of browser.notes ?? []) parts.push(`- ${n}`);
  return parts.join('\n\n').split('\n');
}

/** An engine's section: how it ran (version, JSPI, clock), then its tables. */
function engineSection(e) {
  const f = e.facts;
  const lines = [`## ${e.label} (headless, bench/browser/run.mjs)`];
  if (f.clockStepMs !== undefined) {
    const step = f.clockStepMs >= 1 ? `${f.clockStepMs} ms` : `${Math.round(f.clockStepMs * 1000)} µs`;
    lines.push(
      '',
      `JSPI ${f.jspi}; \`performance.now()\` steps of ${step}, ${f.crossOriginIsolated ? '' : 'not '}cross-origin isolated; ` +
        `a cell is the median of ${f.batches} batches of ~${Math.round(f.batchMs)} ms; ${Math.round(f.seconds)} s for the engine; ${f.userAgent}.`,
    );
  }
  if (e.error) lines.push('', `**The engine's run failed:** ${e.error}`);
  for (const t of e.results) lines.push('', renderTable(t));
  return lines;
}

const jcoVersion = (() => {
  try {
    return JSON.parse(readFileSync(join(cache, 'jco/node_modules/@bytecodealliance/jco/package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
})();

const lines = [];
lines.push('# Benchmarks');
lines.push('');
lines.push(
  `Generated by \`scripts/bench${opts.quick ? ' --quick' : ''}\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: ` +
    `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
    `${runs.map((r) => `node ${r.version}`).join(', ')}; jco ${jcoVersion}. ` +
    'Every table is one run of one script; weft, jco and the floor of a row are measured in the same process ' +
    '(in a browser, the same page), one after the other. Nothing here is asserted: CI runs the suite with `--quick` so it never rots, and ' +
    'those numbers are not meaningful. The floor is the same core wasm called from minimal hand-written JS ' +
    '(bench/README.md says how each is built).',
);
if (opts.quick) lines.push('', '**Quick mode: 3 batches of ~5 ms per cell; do not read these numbers.**');
lines.push('', '## Targets', '');
// One row per target, one column per node and per browser engine (the tool targets are
// measured on the first node; the engines have the call rows only).
const engines = engineRuns(runs);
const columns = [...runs.map((r) => ({ label: `node ${r.version}`, run: r })), ...engines.map((e) => ({ label: e.label, run: e }))];
const byTarget = new Map();
for (const [n, { run }] of columns.entries()) {
  for (const [t, m, ok] of targets(run)) {
    if (!byTarget.has(t)) byTarget.set(t, columns.map(() => '-'));
    byTarget.get(t)[n] = `${m}${ok ? '' : ' **missed**'}`;
  }
}
lines.push(
  mdTable(
    ['target', ...columns.map((c) => c.label)],
    [...byTarget].map(([t, cells]) => [t, ...cells]),
  ),
);
lines.push('', 'Where a target is not met, [the notes below](#gaps-and-plans) say why and what is planned.');
if (runs.length && engines.length) lines.push('', ...byEngine(columns.filter((c, i) => i === 0 || i >= runs.length)));
for (const run of runs) {
  lines.push('', `## node ${run.version}`);
  for (const r of run.results) for (const t of tablesOf(r)) lines.push('', renderTable({ ...t, error: r.error }));
}
for (const e of engines) lines.push('', ...engineSection(e));
const notes = join(root, 'bench/notes.md');
if (existsSync(notes)) lines.push('', readFileSync(notes, 'utf8').trim());
writeFileSync(out, lines.join('\n') + '\n');
console.log(`wrote ${out}`);
process.exitCode = failed ? 1 : 0;
