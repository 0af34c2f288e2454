// Runs the Component Model spec suite (the copy inside the crates.io package
// wasm-tools 1.263.0) against weft: every `.wast` file is converted with
// `wasm-tools json-from-wast` and run by spec.mjs in its own process with a timeout.
//
//   node tests/conformance/spec-suite.mjs <spec test dir> <wasm-tools> <weft>
//        [--markdown out.md] [--expect expected-failures.txt]
//        [--lowered] [--json results.json] [--beside lowered.json]
//
// Prints per-file and per-directive results and ends with `spec: N passed, M failed`
// (`spec (lowered): …` with --lowered, which transpiles every component with
// `--lowered`: its core instances linked into one module). --json writes the results;
// --beside puts those of another run (the lowered one) beside this run's in the
// markdown.
// Files listed in the suite's nyi.txt are reported separately and not counted. With
// --expect, files listed there (with a reason) are expected to fail: their failures
// are reported but not counted, and the exit code is non-zero when an unlisted file
// fails or a listed file passes completely.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const [testDir, wasmTools, weft, ...rest] = process.argv.slice(2);
const mdIndex = rest.indexOf('--markdown');
const markdown = mdIndex >= 0 ? rest[mdIndex + 1] : null;
const expectIndex = rest.indexOf('--expect');
const expected = new Map(
  expectIndex < 0
    ? []
    : readFileSync(rest[expectIndex + 1], 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))
        .map((l) => {
          const [file, ...why] = l.trim().split(/\s+/);
          return [file, why.join(' ')];
        }),
);
const only = process.env.WEFT_SPEC_ONLY;
const lowered = rest.includes('--lowered');
const argOf = (flag) => (rest.indexOf(flag) >= 0 ? rest[rest.indexOf(flag) + 1] : null);
const jsonOut = argOf('--json');
const beside = argOf('--beside') ? JSON.parse(readFileSync(argOf('--beside'), 'utf8')) : null;
const label = lowered ? 'spec (lowered)' : 'spec';

const nyi = new Set(
  readFileSync(join(testDir, 'nyi.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/^\.\//, '')),
);

function walk(d) {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.wast') ? [p] : [];
  });
}

const files = walk(testDir).map((f) => relative(testDir, f)).sort().filter((f) => !only || f.includes(only));
const KINDS = ['assert_return', 'assert_trap', 'assert_invalid', 'assert_malformed', 'assert_unlinkable', 'assert_uninstantiable', 'other'];
const results = [];
const work = mkdtempSync(join(tmpdir(), 'weft-spec-'));
for (const file of files) {
  const dir = join(work, file.replace(/[/.]/g, '_'));
  const json = join(dir, 'commands.json');
  mkdirSync(dir, { recursive: true });
  const row = { file, nyi: nyi.has(file), counts: {}, failures: [], error: null };
  for (const k of KINDS) row.counts[k] = [0, 0];
  try {
    execFileSync(wasmTools, ['json-from-wast', join(testDir, file), '-o', json, '--wasm-dir', dir], { stdio: 'pipe' });
  } catch (e) {
    row.error = `json-from-wast failed: ${String(e.stderr).trim().split('\n')[0]}`;
    console.log(`${file}: ${row.error}`);
    results.push(row);
    continue;
  }
  const run = spawnSync(process.env.WEFT_NODE || process.execPath, [join(import.meta.dirname, 'spec.mjs'), json, weft], {
    encoding: 'utf8',
    env: lowered ? { ...process.env, WEFT_TRANSPILE_FLAGS: '--lowered' } : process.env,
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });
  for (const line of run.stdout.split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    const k = KINDS.includes(r.kind) ? r.kind : 'other';
    row.counts[k][r.pass ? 0 : 1]++;
    if (!r.pass) row.failures.push(`${file}:${r.line} ${r.kind}: ${r.message}`);
  }
  if (run.status !== 0 || run.error) {
    row.error = run.error ? String(run.error) : `runner exited with ${run.status}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  }
  results.push(row);
  const [p, f] = Object.values(row.counts).reduce((a, [x, y]) => [a[0] + x, a[1] + y], [0, 0]);
  console.log(`${row.nyi ? '(nyi) ' : ''}${file}: ${p} passed, ${f} failed${row.error ? ` — ${row.error}` : ''}`);
}
rmSync(work, { recursive: true, force: true });

const failedFile = (r) => r.error || Object.values(r.counts).some(([, f]) => f > 0);
const counted = results.filter((r) => !r.nyi && !expected.has(r.file));
const expectedRows = results.filter((r) => !r.nyi && expected.has(r.file));
const stale = expectedRows.filter((r) => !failedFile(r)).map((r) => r.file);
const totals = Object.fromEntries(KINDS.map((k) => [k, [0, 0]]));
for (const r of counted) for (const k of KINDS) {
  totals[k][0] += r.counts[k][0];
  totals[k][1] += r.counts[k][1];
}
console.log('\nper directive (nyi files and expected failures excluded):');
for (const k of KINDS) console.log(`  ${k}: ${totals[k][0]} passed, ${totals[k][1]} failed`);
const failures = counted.flatMap((r) => r.failures);
if (failures.length) {
  console.log('\nfailures:');
  for (const f of failures.slice(0, 400)) console.log(`  ${f}`);
}
const passed = KINDS.reduce((s, k) => s + totals[k][0], 0);
const failed = KINDS.reduce((s, k) => s + totals[k][1], 0) + counted.filter((r) => r.error).length;

if (expected.size) {
  const n = expectedRows.reduce((s, r) => s + Object.values(r.counts).reduce((a, [, f]) => a + f, 0), 0);
  console.log(`\nexpected failures: ${n} directives in ${expectedRows.filter(failedFile).length} listed files`);
  if (stale.length) console.log(`listed as failing but passing (remove from the list): ${stale.join(', ')}`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ totals, results }));
if (markdown) {
  const passedAll = KINDS.reduce((s, k) => s + totals[k][0], 0);
  const failedAll = KINDS.reduce((s, k) => s + totals[k][1], 0);
  const sum = (t, i) => KINDS.reduce((s, k) => s + t[k][i], 0);
  const besideRows = new Map((beside?.results ?? []).map((r) => [r.file, r]));
  // A file's passed/total over every directive, in the run beside this one.
  const besideCell = (file) => {
    const r = besideRows.get(file);
    if (!r) return '—';
    const [p, f] = Object.values(r.counts).reduce((a, [x, y]) => [a[0] + x, a[1] + y], [0, 0]);
    return `${p}/${p + f}${r.error ? ' (error)' : ''}`;
  };
  const lines = [
    '# Conformance',
    '',
    'Regenerate with `scripts/conformance docs` (all suites; the oracle part runs 100,000 cases).',
    '',
    '## Component Model spec suite',
    '',
    'The `.wast` files of the spec copy inside the crates.io package wasm-tools 1.263.0',
    '(`tests/component-model/test`), converted by `wasm-tools json-from-wast`, each',
    'component transpiled by weft in instantiation mode and run in node 24. Traps must be',
    "weft's `Trap` with the cause the spec names (see `TRAP_CAUSES` in",
    '`tests/conformance/spec.mjs`); invalid and malformed components must be refused.',
    '',
    `**${passedAll} passed, ${failedAll} failed** outside the expected failures below.`,
    ...(beside
      ? [
          '',
          'Beside it, the lowered mode (`weft transpile --lowered`: every core instance of a',
          'component linked into one core module by weft-lower, multi-memory; docs/lower.md),',
          `on the same files and node: **${sum(beside.totals, 0)} passed, ${sum(beside.totals, 1)} failed**.`,
          'The web tests run the whole suite lowered in Chromium as well, one test per',
          'directive (`node web-tests/run.mjs lowered`: `spec suite: all, --lowered files`).',
        ]
      : []),
    '',
    beside ? '| directive | passed | failed | lowered: passed | lowered: failed |' : '| directive | passed | failed |',
    beside ? '|---|---|---|---|---|' : '|---|---|---|',
    ...KINDS.map((k) =>
      beside
        ? `| ${k} | ${totals[k][0]} | ${totals[k][1]} | ${beside.totals[k][0]} | ${beside.totals[k][1]} |`
        : `| ${k} | ${totals[k][0]} | ${totals[k][1]} |`,
    ),
    '',
    'Per file (passed/total per directive). Files marked nyi are in the suite\'s own',
    '`nyi.txt`; the others with a note are expected failures listed in',
    '`tests/conformance/spec-expected-failures.txt`.',
    '',
    '| file | ' + KINDS.join(' | ') + (beside ? ' | lowered (all)' : '') + ' | note |',
    '|---|' + KINDS.map(() => '---|').join('') + (beside ? '---|' : '') + '---|',
  ];
  for (const r of results) {
    const note = r.nyi ? 'in the suite\'s nyi.txt' : expected.get(r.file) ?? '';
    const cells = KINDS.map((k) => `${r.counts[k][0]}/${r.counts[k][0] + r.counts[k][1]}`);
    if (beside) cells.push(besideCell(r.file));
    lines.push(`| ${r.file} | ${cells.join(' | ')} | ${note} |`);
  }
  writeFileSync(markdown, `${lines.join('\n')}\n`);
}
console.log(`\n${label}: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || stale.length > 0 ? 1 : 0;
