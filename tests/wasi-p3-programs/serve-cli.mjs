// Serves an http handler program with `weft serve --port 0` and replays the requests of
// its expected.json entry with fetch against the real server: status, headers and body
// (exact or `bodyIncludes`), compared by ../wasi-programs/expected.mjs. Default: the
// WASI 0.3 `http-service` (tests/wasi-p3-programs); `--p2`: the WASI 0.2 `http-proxy`
// (tests/wasi-programs).
//   node tests/wasi-p3-programs/serve-cli.mjs [--weft PATH] [--p2]
// Ends with `weft-serve: N passed, M failed`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareResponse, handlerRequests, readExpected } from '../wasi-programs/expected.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const wi = argv.indexOf('--weft');
const weft = wi >= 0 ? argv[wi + 1] : process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
const p2 = argv.includes('--p2');
const [set, program] = p2 ? ['wasi-programs', 'http-proxy'] : ['wasi-p3-programs', 'http-service'];
const expected = await readExpected(set);
const requests = handlerRequests(p2 ? expected.http[program] : expected.programs[program]);

const child = spawn(weft, ['serve', '--port', '0', join(root, 'target', set, `${program}.wasm`)], {
  env: { ...process.env, WEFT_NODE: process.execPath },
  stdio: ['ignore', 'inherit', 'pipe'],
  // Its own process group: weft runs node, and both must stop at the end.
  detached: true,
});
let log = '';
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

let passed = 0;
let failed = 0;
for (const r of requests) {
  let bad;
  try {
    const res = await fetch(new URL(r.path, base), { method: r.method, headers: r.headers, body: r.body });
    bad = compareResponse(r.response, { status: res.status, headers: res.headers, body: await res.text() });
  } catch (e) {
    bad = [`threw ${e?.stack ?? e}`];
  }
  if (bad.length) failed++;
  else passed++;
  console.log(`${bad.length ? 'FAIL' : 'ok  '} ${program} ${r.method} ${r.path}${bad.map((b) => `\n     ${b}`).join('')}`);
}
process.kill(-child.pid, 'SIGTERM');
console.log(`weft-serve: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
