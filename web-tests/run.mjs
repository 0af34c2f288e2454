#!/usr/bin/env node
// Runs the web test suites (suites.mjs) in headless Chromium: transpiles each suite's
// inputs with weft into a temporary directory, serves the repository and that directory
// over HTTP on 127.0.0.1, opens one page per suite and collects the results the page
// reports (web-tests/lib/test.js). Ends with `web-tests: N passed, M failed`; exits 1
// on any failure.
//
//   node web-tests/run.mjs [substring ...]    only the suites whose name contains one
//   node web-tests/run.mjs --list             the suite names
//
// Environment: WEFT_CACHE (default ~/.cache/weft: playwright-core lives in
// $WEFT_CACHE/playwright), WEFT_BIN (a weft binary to use instead of building
// target/release/weft), CHROMIUM (default /usr/bin/chromium), WEFT_WEB_VERBOSE=1 (echo
// every console message of the pages), WEFT_WEB_KEEP=1 (keep the temporary directory).
// A suite's `screenshot` ({ url, file, ready }) is taken after its tests, of `url` in a
// page of its own once `ready` (a function run in the page) is true, into
// target/web-tests/screenshots/<file>.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suites } from './suites.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const verbose = process.env.WEFT_WEB_VERBOSE === '1';
const SUITE_TIMEOUT_MS = 180_000;

const args = process.argv.slice(2);
if (args.includes('--list')) {
  for (const s of suites) console.log(s.name);
  process.exit(0);
}
const selected = args.length ? suites.filter((s) => args.some((a) => s.name.includes(a))) : suites;

function sh(cmd, cmdArgs, options = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${r.error ?? `exit ${r.status}`})${r.stderr ? `\n${r.stderr}` : ''}`);
  }
  return r;
}

// --- weft and the guests -------------------------------------------------------------

let weft = process.env.WEFT_BIN;
if (!weft) {
  sh('cargo', ['build', '--release', '--quiet', '-p', 'weft-cli']);
  weft = join(root, 'target/release/weft');
}
// Inputs under target/ that are missing are built by the script that makes them.
const inputs = selected.flatMap((s) => s.transpile ?? []).map((t) => t.input);
const missing = (dir) => inputs.some((i) => i.startsWith(`target/${dir}/`) && !existsSync(join(root, i)));
if (missing('guests')) sh(join(root, 'scripts/build-guests'), []);
if (missing('wasi-programs')) sh(join(root, 'scripts/build-wasi-programs'), []);
if (missing('wasi-p3-programs')) sh(join(root, 'scripts/build-wasi-p3-programs'), []);

const tmp = mkdtempSync(join(tmpdir(), 'weft-web-'));

/** Request handlers (connect-style `(req, res, next)`) mounted by suites, by path prefix. */
const mounts = [];
/** What to do when the run ends (close a suite's servers). */
const cleanups = [];

/** The context a suite's `prepare` gets. */
const ctx = {
  root,
  tmp,
  /** The weft binary under test. */
  weft,
  cache,
  /** Runs `weft transpile <input> -o <tmp>/<out> ...args`. */
  transpile({ input, out, args: extra = [] }) {
    sh(weft, ['transpile', input, '-o', join(tmp, out), '-q', ...extra], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  },
  /** Runs node (the one running this script) with `nodeArgs`; returns its stdout. */
  node(nodeArgs) {
    return sh(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }).stdout;
  },
  /** Serves the paths under `prefix` with `handler(req, res, next)` (a Vite dev server's middlewares, say). */
  mount(prefix, handler) {
    mounts.push({ prefix, handler });
  },
  /** Runs `f` (which may return a promise) when the run ends. */
  cleanup(f) {
    cleanups.push(f);
  },
};

// --- the HTTP server -----------------------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.wat': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** `/out/<path>` is the temporary directory, anything else the repository. */
function fileFor(urlPath) {
  let base = root;
  let rest = urlPath;
  if (urlPath === '/out' || urlPath.startsWith('/out/')) {
    base = tmp;
    rest = urlPath.slice('/out'.length);
  }
  const file = resolve(base, `.${decodeURIComponent(rest)}`);
  return file === base || file.startsWith(base + sep) ? file : null;
}

/**
 * `/upstream/…`: the peer of the wasi:http client program, the same routes as the node
 * upstream of npm/wasi/test/http.test.js (same origin, so no CORS).
 */
async function upstream(req, res, path) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = Buffer.concat(chunks);
  const send = (text) => res.end(Buffer.from(text));
  if (path === '/get?x=1') {
    res.setHeader('x-server', 'node');
    send(`got ${req.method} x-test=${req.headers['x-test']}`);
  } else if (path === '/echo') {
    res.setHeader('content-type', req.headers['content-type'] ?? 'application/octet-stream');
    res.end(body);
  } else if (path === '/latin1') {
    res.setHeader('x-echo', req.headers['x-echo']);
    send('ok');
  } else if (path === '/method') {
    send(req.method);
  } else {
    res.statusCode = 404;
    send('nope');
  }
}

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  const mount = mounts.find((m) => pathname.startsWith(m.prefix));
  if (mount) {
    mount.handler(req, res, () => res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`));
    return;
  }
  if (pathname.startsWith('/upstream/')) {
    upstream(req, res, req.url.slice('/upstream'.length)).catch(() => res.destroy());
    return;
  }
  const file = fileFor(pathname);
  let stat;
  try {
    stat = file && statSync(file);
  } catch {
    stat = null;
  }
  if (pathname === '/favicon.ico') {
    res.writeHead(204).end();
  } else if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
  } else if (!stat?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`);
  } else {
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
/** The runner's HTTP server, for suites that attach to it (a Vite dev server's HMR socket). */
ctx.httpServer = server;
const origin = `http://127.0.0.1:${server.address().port}`;

// --- the browser ---------------------------------------------------------------------

const require = createRequire(join(cache, 'playwright/'));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.error(`playwright-core is not installed in ${cache}/playwright (run scripts/setup): ${e.message}`);
  process.exit(1);
}
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
console.log(`web-tests: Chromium ${browser.version()}, serving ${root} and ${tmp} at ${origin}`);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const skips = [];

async function runSuite(suite) {
  const start = Date.now();
  try {
    for (const t of suite.transpile ?? []) ctx.transpile(t);
    await suite.prepare?.(ctx);
  } catch (e) {
    return [{ name: '(preparing the suite)', ok: false, error: e.message }];
  }
  if (suite.driver) return runDriver(suite, start);
  const query = new URLSearchParams({ suite: `/${suite.module}`, ...suite.params });
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('WEFT-TEST ') || text === 'WEFT-DONE') return;
    logs.push(`[${m.type()}] ${text}`);
    if (verbose) console.log(`  | [${m.type()}] ${text}`);
  });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  page.on('crash', () => pageErrors.push(new Error('the page crashed')));
  let results;
  try {
    await page.goto(`${origin}/web-tests/lib/page.html?${query}`);
    await page.waitForFunction(() => window.__done === true, null, { timeout: SUITE_TIMEOUT_MS, polling: 100 });
    results = await page.evaluate(() => window.__results);
  } catch (e) {
    const partial = await page.evaluate(() => window.__results ?? []).catch(() => []);
    results = [...partial, { name: '(the page did not finish)', ok: false, error: e.message }];
  }
  for (const e of pageErrors) results.push({ name: '(uncaught error in the page)', ok: false, error: `${e.name}: ${e.message}` });
  if (suite.screenshot) {
    const { url, file, ready } = suite.screenshot;
    const shot = await context.newPage();
    try {
      await shot.setViewportSize({ width: 900, height: 420 });
      await shot.goto(`${origin}${url}`);
      if (ready) await shot.waitForFunction(ready, null, { timeout: 30_000, polling: 100 });
      await screenshot(shot, file, ` of ${url}`);
    } catch (e) {
      results.push({ name: `(screenshot of ${url})`, ok: false, error: e.message });
    }
  }
  return finish(suite, context, start, logs, results);
}

/** Saves a screenshot of `page` as target/web-tests/screenshots/<file>. */
async function screenshot(page, file, what = '') {
  const dir = join(root, 'target/web-tests/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, file) });
  console.log(`  screenshot${what}: target/web-tests/screenshots/${file}`);
}

/** Ends a suite: closes its context, shows its pages' console if a test failed (unless
 * it was echoed already), prints its time; its results. */
async function finish(suite, context, start, logs, results) {
  await context.close();
  if (!verbose && results.some((r) => !r.ok) && logs.length) {
    console.log(`  console of ${suite.name}:\n${logs.map((l) => `  | ${l}`).join('\n')}`);
  }
  console.log(`  (${suite.name}: ${((Date.now() - start) / 1000).toFixed(1)} s)`);
  return results;
}

/**
 * A suite that drives pages from here, as a person would (`suite.driver`: a module whose
 * default export gets `{ context, origin, test, screenshot }`): `test(name, fn)` runs
 * `fn` and records it, `screenshot(page, file)` saves one into
 * target/web-tests/screenshots/. A fresh browser context per suite; its pages' console
 * is shown on failure as for the other suites.
 */
async function runDriver(suite, start) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const logs = [];
  const results = [];
  context.on('console', (m) => {
    logs.push(`[${m.type()}] ${m.text()}`);
    if (verbose) console.log(`  | [${m.type()}] ${m.text()}`);
  });
  context.on('weberror', (e) => results.push({ name: '(uncaught error in a page)', ok: false, error: String(e.error()) }));
  const test = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - t0 });
    } catch (e) {
      results.push({ name, ok: false, error: e.stack ?? String(e) });
    }
  };
  try {
    const { default: drive } = await import(join(root, suite.driver));
    await drive({ context, origin, test, screenshot: (page, file) => screenshot(page, file) });
  } catch (e) {
    results.push({ name: '(the driver failed)', ok: false, error: e.stack ?? String(e) });
  }
  return finish(suite, context, start, logs, results);
}

try {
  for (const suite of selected) {
    console.log(`\n# ${suite.name}`);
    const results = await runSuite(suite);
    if (results.length === 0) results.push({ name: '(no tests ran)', ok: false, error: 'the suite registered no test' });
    for (const r of results) {
      if (r.skipped) {
        skipped++;
        skips.push(`${suite.name} › ${r.name}${r.reason ? `: ${r.reason}` : ''}`);
        console.log(`ok - ${r.name} # SKIP${r.reason ? ` ${r.reason}` : ''}`);
      } else if (r.ok) {
        passed++;
        console.log(`ok - ${r.name} (${r.ms} ms)`);
      } else {
        failed++;
        failures.push(`${suite.name} › ${r.name}`);
        console.log(`not ok - ${r.name}\n${String(r.error).replace(/^/gm, '    ')}`);
      }
    }
  }
} finally {
  await browser.close();
  for (const f of cleanups) await f();
  server.close();
  if (process.env.WEFT_WEB_KEEP === '1') console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

if (skips.length) console.log(`\nskipped:\n${skips.map((s) => `  ${s}`).join('\n')}`);
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`\nweb-tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
