#!/usr/bin/env node
// Runs the web test suites (suites.mjs) in headless browsers: transpiles each suite's
// inputs with weft into a temporary directory (once), serves the repository and that
// directory over HTTP on 127.0.0.1, then, for each configuration (an engine, with JSPI or
// without), opens one page per suite and collects the results the page reports
// (web-tests/lib/test.js). Ends with a line per configuration and
// `web-tests: N passed, M failed, K skipped`; exits 1 on any failure.
//
//   node web-tests/run.mjs [options] [substring ...]   only the suites whose name contains one
//   node web-tests/run.mjs --list                       the suite names
//
//   --engine chromium|firefox|all   the engines (default chromium); Chromium is driven by
//                                   playwright-core, Firefox by puppeteer-core (driver/)
//   --jspi on|off|both              with JSPI (`WebAssembly.Suspending`, `.promising`; the
//                                   default), without, or both. Without: Chromium's pages
//                                   lose them before their scripts run, Firefox runs with
//                                   javascript.options.wasm_js_promise_integration false
//
// A configuration is named `<engine>/jspi` or `<engine>/no-jspi`, and every result line
// starts with it: `ok - firefox/no-jspi › <test>`. A suite with `needs` (suites.mjs) that
// a configuration lacks is reported there as skipped, with the reason.
//
// Environment: WEFT_CACHE (default ~/.cache/weft: playwright-core lives in
// $WEFT_CACHE/playwright, puppeteer-core in $WEFT_CACHE/puppeteer), WEFT_BIN (a weft
// binary to use instead of building target/release/weft), CHROMIUM (default
// /usr/bin/chromium), FIREFOX (default /usr/bin/firefox-esr), WEFT_WEB_VERBOSE=1 (echo
// every console message of the pages), WEFT_WEB_KEEP=1 (keep the temporary directory).
// A suite's `screenshot` ({ url, file, ready }) is taken after its tests, of `url` in a
// page of its own once `ready` (a function run in the page) is true, into
// target/web-tests/screenshots/<file> for chromium/jspi and
// target/web-tests/screenshots/<engine>-<jspi|no-jspi>/<file> for the others.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, launch } from './driver/index.mjs';
import { suites } from './suites.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
const verbose = process.env.WEFT_WEB_VERBOSE === '1';
const SUITE_TIMEOUT_MS = 180_000;

/** The command line: `--engine`, `--jspi` (`--opt value` or `--opt=value`), `--list`, substrings. */
function parseArgs(argv) {
  const options = { engine: 'chromium', jspi: 'on', list: false, filters: [] };
  const choices = { engine: [...Object.keys(ENGINES), 'all'], jspi: ['on', 'off', 'both'] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === '--list') options.list = true;
    else if (flag === '--engine' || flag === '--jspi') {
      const name = flag.slice(2);
      const value = inline ?? argv[++i];
      if (!choices[name].includes(value)) usage(`${flag} takes ${choices[name].join('|')}, not ${JSON.stringify(value ?? '')}`);
      options[name] = value;
    } else if (flag.startsWith('--')) usage(`unknown option ${flag}`);
    else options.filters.push(argv[i]);
  }
  return options;
}

function usage(message) {
  console.error(`web-tests: ${message}\nusage: node web-tests/run.mjs [--engine chromium|firefox|all] [--jspi on|off|both] [--list] [substring ...]`);
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));
if (options.list) {
  for (const s of suites) console.log(s.name);
  process.exit(0);
}
const selected = options.filters.length ? suites.filter((s) => options.filters.some((a) => s.name.includes(a))) : suites;
/** The configurations to run, in order: each engine with JSPI, then without. */
const jspiValues = { on: [true], off: [false], both: [true, false] }[options.jspi];
const configs = (options.engine === 'all' ? Object.keys(ENGINES) : [options.engine]).flatMap((engine) =>
  jspiValues.map((jspi) => ({ engine, jspi, name: `${engine}/${jspi ? 'jspi' : 'no-jspi'}` })),
);

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

/** An empty page of the server's origin, where the runner checks a browser's JSPI. */
const PROBE_PATH = '/web-tests/probe.html';

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
  } else if (pathname === PROBE_PATH) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>probe</title>');
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

// --- preparing the suites ------------------------------------------------------------

/**
 * Transpiles each selected suite's inputs and runs its `prepare`, once for every
 * configuration; the error of a suite that could not be prepared, by suite.
 */
async function prepareAll() {
  const errors = new Map();
  for (const suite of selected) {
    try {
      for (const t of suite.transpile ?? []) ctx.transpile(t);
      await suite.prepare?.(ctx);
    } catch (e) {
      errors.set(suite, e.message);
    }
  }
  return errors;
}

// --- what a configuration lacks --------------------------------------------------------

/**
 * What a suite may need (its `needs`), each a function of the configuration returning
 * why it is missing there (or nothing).
 */
const SUITE_NEEDS = {
  jspi: (config) => (config.jspi ? undefined : `needs JSPI (WebAssembly.Suspending and .promising), which ${config.name} lacks`),
};

/** Why `suite` cannot run in `config`, or undefined. */
function missingNeeds(suite, config) {
  const reasons = (suite.needs ?? []).map((n) => {
    if (!(n in SUITE_NEEDS)) throw new Error(`suite ${JSON.stringify(suite.name)}: unknown need ${JSON.stringify(n)}`);
    return SUITE_NEEDS[n](config);
  });
  return reasons.filter(Boolean).join('; ') || undefined;
}

/**
 * Whether pages of the server's origin, and dedicated workers they start, have JSPI in
 * `browser`: `{ page, worker }`.
 */
async function probeJspi(browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}${PROBE_PATH}`);
    return await page.evaluate(async () => {
      const src = "postMessage(typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function')";
      const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
      const inWorker = await new Promise((ok, fail) => {
        worker.onmessage = (e) => ok(e.data);
        worker.onerror = (e) => fail(new Error(`the probe worker failed: ${e.message}`));
      });
      worker.terminate();
      return { page: typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function', worker: inWorker };
    });
  } finally {
    await context.close();
  }
}

// --- running the suites ----------------------------------------------------------------

/** Where `config`'s screenshots go: chromium/jspi's at the top, the others' in a folder each. */
function screenshotDir(config) {
  const top = join(root, 'target/web-tests/screenshots');
  return config.name === 'chromium/jspi' ? top : join(top, config.name.replace('/', '-'));
}

/** Saves a screenshot of `page` as <screenshot folder of `config`>/<file>. */
async function screenshot(config, page, file, what = '') {
  const dir = screenshotDir(config);
  mkdirSync(dir, { recursive: true });
  await page.screenshot(join(dir, file));
  console.log(`  screenshot${what}: ${join(dir, file).slice(root.length + 1)}`);
}

/** Runs `suite` in `browser` (configuration `config`); its results. */
async function runSuite(browser, config, suite, start) {
  if (suite.driver) return runDriver(browser, config, suite, start);
  const query = new URLSearchParams({ suite: `/${suite.module}`, ...suite.params });
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs = [];
  page.onConsole((type, text) => {
    if (text.startsWith('WEFT-TEST ') || text === 'WEFT-DONE') return;
    logs.push(`[${type}] ${text}`);
    if (verbose) console.log(`  | [${type}] ${text}`);
  });
  const pageErrors = [];
  page.onError((e) => pageErrors.push(e));
  let results;
  try {
    await page.goto(`${origin}/web-tests/lib/page.html?${query}`);
    await page.waitForFunction(() => window.__done === true, null, { timeout: SUITE_TIMEOUT_MS });
    results = await page.evaluate(() => window.__results);
  } catch (e) {
    // A page whose script never yields cannot answer: what it reported before is lost then.
    const partial = await withTimeout(page.evaluate(() => window.__results ?? []), 10_000).catch(() => []);
    results = [...partial, { name: '(the page did not finish)', ok: false, error: e.message }];
  }
  for (const e of pageErrors) results.push({ name: '(uncaught error in the page)', ok: false, error: `${e.name}: ${e.message}` });
  if (suite.screenshot) {
    const { url, file, ready } = suite.screenshot;
    const shot = await context.newPage();
    try {
      await shot.setViewport({ width: 900, height: 420 });
      await shot.goto(`${origin}${url}`);
      if (ready) await shot.waitForFunction(ready, null, { timeout: 30_000 });
      await screenshot(config, shot, file, ` of ${url}`);
    } catch (e) {
      results.push({ name: `(screenshot of ${url})`, ok: false, error: e.message });
    }
  }
  return finish(config, suite, context, start, logs, results);
}

/** `promise`, or a rejection once `ms` passed. */
function withTimeout(promise, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Ends a suite: closes its context, shows its pages' console if a test failed (unless
 * it was echoed already), prints its time; its results. */
async function finish(config, suite, context, start, logs, results) {
  await context.close();
  if (!verbose && results.some((r) => !r.ok) && logs.length) {
    console.log(`  console of ${suite.name}:\n${logs.map((l) => `  | ${l}`).join('\n')}`);
  }
  console.log(`  (${config.name} › ${suite.name}: ${((Date.now() - start) / 1000).toFixed(1)} s)`);
  return results;
}

/**
 * A suite that drives pages from here, as a person would (`suite.driver`: a module whose
 * default export gets `{ context, origin, test, screenshot, engine, jspi }`, the context
 * of driver/index.mjs): `test(name, fn, { skip })` runs `fn` and records it (`skip`, a
 * reason, records it as skipped instead), `screenshot(page, file)` saves one. A fresh
 * browser context per suite; its pages' console is shown on failure as for the other
 * suites.
 */
async function runDriver(browser, config, suite, start) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const logs = [];
  const results = [];
  context.onConsole((type, text) => {
    logs.push(`[${type}] ${text}`);
    if (verbose) console.log(`  | [${type}] ${text}`);
  });
  context.onError((e) => results.push({ name: '(uncaught error in a page)', ok: false, error: String(e) }));
  const test = async (name, fn, { skip } = {}) => {
    if (skip) {
      results.push({ name, ok: true, skipped: true, reason: skip });
      return;
    }
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
    await drive({ context, origin, test, screenshot: (page, file) => screenshot(config, page, file), engine: config.engine, jspi: config.jspi });
  } catch (e) {
    results.push({ name: '(the driver failed)', ok: false, error: e.stack ?? String(e) });
  }
  return finish(config, suite, context, start, logs, results);
}

/** Counts of one configuration, and the lines naming its failures and skips. */
function tally(config) {
  return { config, passed: 0, failed: 0, skipped: 0, failures: [], skips: [], ms: 0 };
}

/** Prints `results` of `suite` in `config`'s tally `t`, one TAP line each. */
function record(t, suite, results) {
  const where = `${t.config.name} › ${suite.name}`;
  if (results.length === 0) results.push({ name: '(no tests ran)', ok: false, error: 'the suite registered no test' });
  for (const r of results) {
    if (r.skipped) {
      t.skipped++;
      t.skips.push(`${where} › ${r.name}${r.reason ? `: ${r.reason}` : ''}`);
      console.log(`ok - ${t.config.name} › ${r.name} # SKIP${r.reason ? ` ${r.reason}` : ''}`);
    } else if (r.ok) {
      t.passed++;
      console.log(`ok - ${t.config.name} › ${r.name} (${r.ms} ms)`);
    } else {
      t.failed++;
      t.failures.push(`${where} › ${r.name}`);
      console.log(`not ok - ${t.config.name} › ${r.name}\n${String(r.error).replace(/^/gm, '    ')}`);
    }
  }
}

/** Runs every selected suite in one configuration: its tally. */
async function runConfig(config, prepareErrors) {
  const t = tally(config);
  const start = Date.now();
  const fail = (name, error) => record(t, { name: '(the browser)' }, [{ name, ok: false, error }]);
  let browser;
  try {
    browser = await launch(config.engine, { jspi: config.jspi, cache });
  } catch (e) {
    console.log(`\n# ${config.name}`);
    fail('(launching the browser)', e.stack ?? String(e));
    return t;
  }
  try {
    let jspi;
    try {
      jspi = await probeJspi(browser);
    } catch (e) {
      console.log(`\n# ${config.name}: ${browser.version}`);
      fail('(probing JSPI in a page and a worker)', e.stack ?? String(e));
      return t;
    }
    const has = (b) => (b ? 'has JSPI' : 'has no JSPI');
    console.log(`\n# ${config.name}: ${browser.version}, JSPI ${browser.jspiSwitch}; a page ${has(jspi.page)}, a worker ${has(jspi.worker)}`);
    if (jspi.page !== config.jspi) {
      fail('(JSPI as configured)', `a page of ${config.name} ${has(jspi.page)}: the configuration cannot run (its suites were not run)`);
      return t;
    }
    for (const suite of selected) {
      console.log(`\n# ${config.name} › ${suite.name}`);
      const lacking = missingNeeds(suite, config);
      if (lacking) record(t, suite, [{ name: '(the suite)', ok: true, skipped: true, reason: lacking }]);
      else if (prepareErrors.has(suite)) record(t, suite, [{ name: '(preparing the suite)', ok: false, error: prepareErrors.get(suite) }]);
      else {
        const results = await runSuite(browser, config, suite, Date.now()).catch((e) => [
          { name: '(running the suite)', ok: false, error: e.stack ?? String(e) },
        ]);
        record(t, suite, results);
      }
    }
  } finally {
    await browser.close();
    t.ms = Date.now() - start;
  }
  return t;
}

const tallies = [];
let prepareMs = 0;
try {
  const t0 = Date.now();
  const prepareErrors = await prepareAll();
  prepareMs = Date.now() - t0;
  console.log(`web-tests: ${selected.length} suites prepared in ${(prepareMs / 1000).toFixed(1)} s; serving ${root} and ${tmp} at ${origin}`);
  for (const config of configs) tallies.push(await runConfig(config, prepareErrors));
} finally {
  for (const f of cleanups) await f();
  server.close();
  if (process.env.WEFT_WEB_KEEP === '1') console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

const skips = tallies.flatMap((t) => t.skips);
const failures = tallies.flatMap((t) => t.failures);
if (skips.length) console.log(`\nskipped:\n${skips.map((s) => `  ${s}`).join('\n')}`);
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`\nsuites prepared (transpiled, built) in ${(prepareMs / 60_000).toFixed(1)} min`);
for (const t of tallies) {
  console.log(`web-tests ${t.config.name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped in ${(t.ms / 60_000).toFixed(1)} min`);
}
const sum = (k) => tallies.reduce((n, t) => n + t[k], 0);
const skipped = sum('skipped');
console.log(`web-tests: ${sum('passed')} passed, ${sum('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(sum('failed') ? 1 : 0);
