// A WASI test program (target/<set>/<program>.wasm, built by scripts/build-wasi-programs
// or build-wasi-p3-programs, transpiled with --instantiation) against the browser shim
// (npm/wasi/src/p2/browser.js, or p3/ for the 0.3 programs), checked against its entry
// in tests/<set>/expected.json, the same way the sets' run-node.mjs check it in node:
// stdout/stderr (exact or `stdoutIncludes`), exit code, files left in each preopen (an
// empty in-memory MemFs here). WASI 0.2 programs are transpiled with --async-imports for
// wasi:io's blocking calls and run with the shim's `jspi` option, so a `blocking-sleep`
// suspends the guest with JSPI; without JSPI such a program's test is skipped.
import { assert } from '../lib/assert.js';
import { config, params, test } from '../lib/test.js';

const program = params.get('program');
const set = params.get('set') ?? 'wasi-programs';
const p3 = set === 'wasi-p3-programs';
const section = params.get('section') ?? 'programs';
const raw = (await (await fetch(`/tests/${set}/expected.json`)).json())[section][program];
// The http client's peers: this server's /upstream routes, and a port nothing listens on.
const vars = { '{upstream}': `${location.origin}/upstream`, '{refused}': 'http://127.0.0.1:9/' };
const spec = { ...raw, env: Object.fromEntries(Object.entries(raw?.env ?? {}).map(([k, v]) => [k, vars[v] ?? v])) };
// A browser cannot tell a refused connection from other network errors: fetch fails
// with one TypeError, which the shim reports as `internal-error`. That line is checked
// for being an error, the rest of the output exactly.
const REFUSED = /^refused: .*$/m;
const { wasiImports, WasiExit, MemFs } = await import(`/npm/wasi/src/${p3 ? 'p3-browser.js' : 'p2/browser.js'}`);
const { instantiate } = await import(new URL(`${program}.js`, config.out));
const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));
const text = (chunks) => new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));

async function run() {
  const preopens = Object.fromEntries((spec.preopens ?? []).map((p) => [p, new MemFs()]));
  const stdout = [];
  const stderr = [];
  const imports = wasiImports({
    args: spec.args,
    env: spec.env,
    preopens,
    stdin: new TextEncoder().encode(spec.stdin ?? ''),
    jspi: !p3 && typeof WebAssembly.Suspending === 'function',
    stdout: (b) => stdout.push(b.slice()),
    stderr: (b) => stderr.push(b.slice()),
  });
  const inst = await instantiate(getCoreModule, imports);
  const runName = p3 ? /^wasi:cli\/run@0\.3\.\d+$/ : /^wasi:cli\/run@0\.2\.\d+$/;
  const runIface = Object.entries(inst).find(([k]) => runName.test(k))?.[1];
  assert.ok(runIface, `a ${runName} export (exports: ${Object.keys(inst).join(', ')})`);
  let exitCode = 0;
  try {
    await runIface.run();
  } catch (e) {
    if (e instanceof WasiExit) exitCode = e.code;
    else if (e?.name === 'ComponentError') exitCode = 1;
    else throw e;
  }
  const files = {};
  for (const [guest, fs] of Object.entries(preopens)) {
    files[guest] = {};
    for (const f of Object.keys(spec.files?.[guest] ?? {})) {
      const bytes = fs.readFile(f);
      files[guest][f] = bytes === undefined ? null : new TextDecoder().decode(bytes);
    }
  }
  return { stdout: text(stdout), stderr: text(stderr), exitCode, files };
}

test(
  `${program}: output, exit code and files as expected.json says`,
  async () => {
    const r = await run();
    if (spec.stdout !== undefined && REFUSED.test(spec.stdout)) {
      assert.ok(/^refused: ErrorCode::/m.test(r.stdout), `a refused request is an error: ${r.stdout}`);
      assert.equal(r.stdout.replace(REFUSED, 'refused: …'), spec.stdout.replace(REFUSED, 'refused: …'), 'stdout');
    } else if (spec.stdout !== undefined) assert.equal(r.stdout, spec.stdout, 'stdout');
    for (const line of spec.stdoutIncludes ?? []) assert.ok(r.stdout.includes(line), `stdout includes ${JSON.stringify(line)}`);
    if (spec.stderr !== undefined) assert.equal(r.stderr, spec.stderr, 'stderr');
    assert.equal(r.exitCode, spec.exitCode, 'exit code');
    for (const [guest, files] of Object.entries(spec.files ?? {})) {
      for (const [f, contents] of Object.entries(files)) assert.equal(r.files[guest][f], contents, `${guest}/${f}`);
    }
  },
  { skip: (spec?.needs ?? []).includes('blocking-sleep') && typeof WebAssembly.Suspending !== 'function' },
);
