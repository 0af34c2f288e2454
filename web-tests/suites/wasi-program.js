// A WASI 0.2 test program of tests/wasi-programs/<program> (a `wasi:cli/run` command,
// transpiled with --instantiation) against the browser shim npm/wasi/src/p2/browser.js.
// suites.mjs adds one page per program once the shim and the program's expected.json
// exist.
//
// Provisional until the shim's options are settled (adjust `run` below, only): the
// program gets `expected.args`/`env`/`stdin`; its stdout and stderr are collected
// through `stdout(bytes)`/`stderr(bytes)` callbacks; `wasi:cli/exit` with a non-zero
// code throws an error carrying `code` (or `exitCode`). The page checks `stdout`,
// `stderr` and `exitCode` of expected.json where they are given.
import { assert } from '../lib/assert.js';
import { config, params, test } from '../lib/test.js';

const program = params.get('program');
const expected = await (await fetch(`/tests/wasi-programs/${program}/expected.json`)).json();
const { wasiImports } = await import('/npm/wasi/src/p2/browser.js');
const { instantiate } = await import(new URL(`${program}.js`, config.out));
const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));

async function run() {
  const out = { stdout: [], stderr: [] };
  const imports = wasiImports({
    args: expected.args ?? [program],
    env: expected.env ?? {},
    stdin: expected.stdin === undefined ? undefined : new TextEncoder().encode(expected.stdin),
    stdout: (bytes) => out.stdout.push(bytes.slice()),
    stderr: (bytes) => out.stderr.push(bytes.slice()),
  });
  const inst = await instantiate(getCoreModule, imports);
  const runIface = Object.entries(inst).find(([k]) => k.startsWith('wasi:cli/run@'))?.[1] ?? inst.run;
  let exitCode = 0;
  try {
    await runIface.run();
  } catch (e) {
    exitCode = e?.code ?? e?.exitCode;
    if (typeof exitCode !== 'number') throw e;
  }
  const text = (chunks) => new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  return { exitCode, stdout: text(out.stdout), stderr: text(out.stderr) };
}

test(`${program}: output and exit code as expected.json says`, async () => {
  const got = await run();
  for (const key of ['stdout', 'stderr', 'exitCode']) {
    if (key in expected) assert.deepEqual(got[key], expected[key], key);
  }
});
