#!/usr/bin/env node
// The playground's targets (issue 17), in headless Chromium:
//
//   - navigation to the first transpile of the hello example ready (a fresh browser
//     context each round, so nothing is cached), target ≤ 1 s;
//   - transpiling components of about 100 KB in the page (the worker's own time for
//     `transpile()`, as the page's stats line shows it) against the native CLI's
//     `weft transpile` of the same file (process wall time, what a user waits for),
//     target ≤ 2×;
//   - the transpiler's wasm as the page downloads it, raw and gzip -9, target ≤ 1.5 MB
//     gzipped.
//
//   node bench/playground/run.mjs [--quick] [--json FILE] [--weft PATH]
//
// Builds playground/dist (scripts/build-playground) from the current transpiler wasm
// (npm/transpiler/wasm: scripts/bench builds it fresh), and needs playwright-core
// and /usr/bin/chromium (scripts/setup; CHROMIUM=PATH overrides). Never fails on a time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchOptions, fmt, launchChromium, printTable, ratio, root, serveFiles, tempDir, weftCommand, writeResult } from '../lib.mjs';

const opts = benchOptions();
const rounds = opts.quick ? 1 : 7;
const dist = join(root, 'playground/dist');
// Built every time (vite takes seconds; scripts/build-playground rebuilds the transpiler
// wasm when missing): a dist left from an older checkout once made this table report
// 1.44 MB for a build whose wasm was 1.51 MB.
{
  const r = spawnSync(join(root, 'scripts/build-playground'), [], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scripts/build-playground failed');
}

/** The components timed, ~100 KB each (the hello WAT for scale). */
const INPUTS = [
  'examples/hello/hello.wat',
  'target/guests/async-basics.wasm',
  'target/wasi-p3-programs/stdio-streams.wasm',
  'target/wasi-programs/fs.wasm',
  'target/wasi-p3-programs/http-service.wasm',
].filter((f) => existsSync(join(root, f)));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await serveFiles([['/', dist]]);
const { origin } = server;
const browser = await launchChromium();

/** Waits until the page shows a finished transpile of `name` (the stats line's
 * `data-ms`, which the caller removed first); the worker's time for it in ms. */
async function transpiled(page, name) {
  await page.waitForFunction((n) => window.playground?.out?.name === n && document.getElementById('stats').dataset.ms !== undefined, name, { timeout: 60_000 });
  return Number(await page.locator('#stats').getAttribute('data-ms'));
}
const clearStats = (page) => page.evaluate(() => delete document.getElementById('stats').dataset.ms);

try {
  // 1. Navigation to the first transpile, cold.
  const loads = [];
  for (let i = 0; i < rounds; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${origin}/index.html`);
    await transpiled(page, 'hello');
    loads.push(Date.now() - t0);
    await context.close();
  }

  // 2. Transpile times in the page and natively.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/index.html`);
  await transpiled(page, 'hello');
  const [weft, ...weftArgs] = weftCommand(opts);
  const out = tempDir('playground-bench');
  const rows = [];
  for (const input of INPUTS) {
    const file = join(root, input);
    const name = input.split('/').pop();
    const stem = name.replace(/\.\w+$/, '');
    await clearStats(page);
    await page.locator('#open').setInputFiles(file);
    await transpiled(page, stem);
    const inPage = [];
    for (let i = 0; i < Math.max(3, rounds); i++) {
      await clearStats(page);
      await page.getByRole('button', { name: 'Transpile' }).click();
      inPage.push(await transpiled(page, stem));
    }
    const native = [];
    for (let i = 0; i < Math.max(3, rounds); i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(weft, [...weftArgs, 'transpile', file, '-o', join(out, stem), '-q']);
      if (r.status !== 0) throw new Error(`weft transpile ${input}: ${r.stderr}`);
      native.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    rows.push({ name: `${input} (${Math.round(statSync(file).size / 1024)} KB)`, values: { page: median(inPage), native: median(native) } });
  }
  await context.close();

  // 3. The wasm the page downloads.
  const wasm = readdirSync(join(dist, 'assets')).find((f) => /^weft_bg-.*\.wasm$/.test(f));
  const bytes = readFileSync(join(dist, 'assets', wasm));
  const gz = gzipSync(bytes, { level: 9 }).length;

  const load = median(loads);
  console.log(`navigation to the first transpile of hello: ${load} ms (median of ${rounds})`);
  printTable([['component', 'page ms', 'native CLI ms', 'page/native'], ...rows.map((r) => [r.name, fmt(r.values.page), fmt(r.values.native), ratio(r.values.page, r.values.native)])]);
  console.log(`transpiler wasm: ${bytes.length} bytes, gzip -9 ${gz} bytes`);

  const version = browser.version();
  writeResult(opts, {
    title: 'The playground (headless Chromium)',
    tables: [
      {
        title: 'The playground: loading, and transpiling in the page',
        unit: `ms, median of ${rounds} loads and of ${Math.max(3, rounds)} transpiles`,
        description: 'First row: from navigation to the first transpile of the hello example shown, in a fresh browser context (nothing cached; the page, its worker and the 3.7 MiB transpiler wasm fetched from a local server and compiled). Other rows: the worker\'s time for `transpile()` of each file opened in the page (as its stats line shows it), and the native CLI\'s `weft transpile` of the same file as a process (wall time, what a user waits for).',
        columns: [
          { key: 'page', label: 'in the page' },
          { key: 'native', label: 'native CLI' },
        ],
        rows: [{ name: 'navigation to the first transpile of hello', values: { page: load, native: null } }, ...rows],
        targets: [
          { row: 'navigation to the first transpile of hello', label: 'time', value: load, limit: 1000, unit: 'ms', op: '<=' },
          ...rows.filter((r) => !r.name.includes('.wat')).map((r) => ({ row: r.name, label: 'page/native', value: r.values.page / r.values.native, limit: 2, op: '<=' })),
        ],
        notes: [`Headless Chromium ${version}. The transpiler runs in a Web Worker (playground/src/transpile-worker.js), the wasm build of \`scripts/build-npm\`; the native CLI is the ${opts.quick ? 'debug' : 'release'} build.`],
      },
      {
        title: 'The playground: the transpiler\'s wasm as the page downloads it',
        unit: 'bytes',
        description: 'playground/dist/assets/weft_bg-*.wasm, the wasm32 build of crates/wasm (opt-level "z", fat LTO, one codegen unit, panic=abort, stripped; wasm-bindgen --target web).',
        columns: [{ key: 'bytes', label: 'bytes' }],
        rows: [
          { name: 'raw', values: { bytes: bytes.length } },
          { name: 'gzip -9', values: { bytes: gz } },
        ],
        targets: [{ row: 'gzip -9', label: 'size', value: gz / 1e6, limit: 1.5, unit: 'MB', op: '<=' }],
        notes: ['What it is made of and what was done to shrink it: bench/notes.md, "The playground\'s transpiler wasm".'],
      },
    ],
  });
} finally {
  await browser.close();
  server.close();
}
