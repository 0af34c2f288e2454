// Serves an http handler program with `weft serve --port 0` and replays the requests of
// its expected.json entry with fetch against the real server: status, headers and body
// (exact or `bodyIncludes`, or a body cut short with `bodyFails`), compared by
// ../wasi-programs/expected.mjs. Default: the WASI 0.3 `http-service`
// (tests/wasi-p3-programs); `--p2`: the WASI 0.2 `http-proxy` (tests/wasi-programs).
// The requests include ones that trap: weft serve must log each with its request and
// answer the next request with a fresh instance. Then, on a second server with
// `--max-instance-reuse-count 2`, three `GET /count` must say 1, 2, 1 (an instance
// serves two requests), and the server must not have exited.
//   node tests/wasi-p3-programs/serve-cli.mjs [--weft PATH | --npm] [--p2]
// `--npm` serves with the npm package's CLI instead (`npx weft serve`:
// npm/transpiler/bin/weft.js on this node, with npm/wasi), the same checks.
// Ends with `weft-serve: N passed, M failed` (`npx-weft-serve: …` with `--npm`).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareResponse, handlerRequests, readExpected, readResponse } from '../wasi-programs/expected.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const wi = argv.indexOf('--weft');
const weft = wi >= 0 ? argv[wi + 1] : process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
const p2 = argv.includes('--p2');
const npm = argv.includes('--npm');
/** The CLI to run: the command and the arguments before `serve`. */
const [cli, cliArgs] = npm ? [process.execPath, [join(root, 'npm/transpiler/bin/weft.js')]] : [weft, []];
const [set, program] = p2 ? ['wasi-programs', 'http-proxy'] : ['wasi-p3-programs', 'http-service'];
const expected = await readExpected(set);
const requests = handlerRequests(p2 ? expected.http[program] : expected.programs[program]);

/** Starts `weft serve --port 0 … extra`; resolves to { base, log(), exited(), stop() }. */
async function start(extra = []) {
  const child = spawn(cli, [...cliArgs, 'serve', '--port', '0', ...extra, join(root, 'target', set, `${program}.wasm`)], {
    env: { ...process.env, WEFT_NODE: process.execPath },
    stdio: ['ignore', 'inherit', 'pipe'],
    // Its own process group: weft runs node, and both must stop at the end.
    detached: true,
  });
  let log = '';
  let exit = null;
  child.on('exit', (code, signal) => (exit = code ?? signal));
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`weft serve did not start: ${log}`)), 30000);
    child.stderr.on('data', (d) => {
      log += d;
      const m = /serving on (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`weft serve exited with ${code}: ${log}`)));
  });
  return { base, log: () => log, exited: () => exit, stop: () => process.kill(-child.pid, 'SIGTERM') };
}

let passed = 0;
let failed = 0;
/** Prints a check's result. @param {string} what @param {string[]} bad */
function report(what, bad) {
  if (bad.length) failed++;
  else passed++;
  console.log(`${bad.length ? 'FAIL' : 'ok  '} ${program} ${what}${bad.map((b) => `\n     ${b}`).join('')}`);
}

const server = await start();
try {
  for (const r of requests) {
    let bad;
    try {
      const res = await fetch(new URL(r.path, server.base), { method: r.method, headers: r.headers, body: r.body });
      bad = compareResponse(r.response, await readResponse(res));
    } catch (e) {
      bad = [`threw ${e?.stack ?? e}`];
    }
    report(`${r.method} ${r.path}`, bad);
  }
  // Each trap is logged with the request that caused it.
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const r of requests.filter((q) => /^\/trap/.test(q.path))) {
    const line = `${r.method} ${r.path} trapped; the next request gets a fresh instance`;
    report(`logs the trap of ${r.method} ${r.path}`, server.log().includes(line) ? [] : [`the log lacks ${JSON.stringify(line)}: ${JSON.stringify(server.log())}`]);
  }
  report('still serving', server.exited() === null ? [] : [`weft serve exited (${server.exited()})`]);
} finally {
  server.stop();
}

// --max-instance-reuse-count 2: an instance serves two requests, then a fresh one.
let reuse = null;
try {
  reuse = await start(['--max-instance-reuse-count', '2']);
  const counts = [];
  for (let i = 0; i < 3; i++) counts.push(await (await fetch(new URL('/count', reuse.base))).text());
  const want = ['count 1', 'count 2', 'count 1'];
  report('--max-instance-reuse-count 2: GET /count ×3', JSON.stringify(counts) === JSON.stringify(want) ? [] : [`got ${JSON.stringify(counts)}, expected ${JSON.stringify(want)}`]);
} catch (e) {
  report('--max-instance-reuse-count 2: GET /count ×3', [`threw ${e?.stack ?? e}`]);
} finally {
  reuse?.stop();
}
console.log(`${npm ? 'npx-weft-serve' : 'weft-serve'}: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
