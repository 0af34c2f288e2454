// A WASI test program (target/<set>/<program>.wasm, built by scripts/build-wasi-programs
// or build-wasi-p3-programs, transpiled with --instantiation) against the browser shim
// (npm/wasi/src/p2/browser.js, or p3-browser.js for the 0.3 programs), checked against its
// entry in tests/<set>/expected.json by tests/wasi-programs/expected.mjs, as the node
// runners check theirs: stdout/stderr (exact or `stdoutIncludes`), exit code, files left
// in each preopen (an empty in-memory MemFs here); an entry with `expectedFailure` passes
// when it fails and fails when it passes; with `afterReturn`, stdout is read once complete
// (up to 5 s after `run` returned); with `closeOutput`, the sinks fail with EPIPE past
// the given byte counts. WASI 0.2 programs are transpiled with --async-imports for
// wasi:io's blocking calls and run with the shim's `jspi` option, so a `blocking-sleep`
// suspends the guest with JSPI; without JSPI such a program's test is skipped.
import { assert } from '../lib/assert.js';
import { config, params, test } from '../lib/test.js';
import { awaitAfterReturn, compare, exitCode, outputSink, readExpected, runExport } from '../../tests/wasi-programs/expected.mjs';

const program = params.get('program');
const set = params.get('set') ?? 'wasi-programs';
const p3 = set === 'wasi-p3-programs';
const section = params.get('section') ?? 'programs';
const raw = (await readExpected(set))[section][program];
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
    stdout: outputSink(stdout, spec.closeOutput?.stdout),
    stderr: outputSink(stderr, spec.closeOutput?.stderr),
  });
  const inst = await instantiate(getCoreModule, imports);
  const runIface = runExport(inst, p3);
  const code = await exitCode(() => runIface.run(), WasiExit);
  await awaitAfterReturn(spec, () => text(stdout));
  const files = {};
  for (const [guest, fs] of Object.entries(preopens)) {
    files[guest] = {};
    for (const f of Object.keys(spec.files?.[guest] ?? {})) {
      const bytes = fs.readFile(f);
      files[guest][f] = bytes === undefined ? null : new TextDecoder().decode(bytes);
    }
  }
  return { stdout: text(stdout), stderr: text(stderr), exitCode: code, files };
}

test(
  spec?.expectedFailure === undefined
    ? `${program}: output, exit code and files as expected.json says`
    : `${program}: fails, as expected.json's expectedFailure says: ${spec.expectedFailure}`,
  async () => {
    let r;
    try {
      r = await run();
    } catch (e) {
      if (spec.expectedFailure === undefined) throw e;
      return; // fails as expected.json says
    }
    let want = spec;
    if (spec.stdout !== undefined && REFUSED.test(spec.stdout)) {
      assert.ok(/^refused: ErrorCode::/m.test(r.stdout), `a refused request is an error: ${r.stdout}`);
      r.stdout = r.stdout.replace(REFUSED, 'refused: …');
      want = { ...spec, stdout: spec.stdout.replace(REFUSED, 'refused: …') };
    }
    const bad = compare(want, r);
    if (spec.expectedFailure !== undefined) {
      if (bad.length === 0) throw new Error('passed, but expected.json says it fails (`expectedFailure`): remove that');
      return;
    }
    if (bad.length) throw new Error(`differs from expected.json:\n  ${bad.join('\n  ')}`);
  },
  {
    skip:
      (spec?.needs ?? []).includes('blocking-sleep') &&
      typeof WebAssembly.Suspending !== 'function' &&
      'needs blocking-sleep: without JSPI a window cannot block',
  },
);
