// The `fs` program of tests/<set>/ (target/<set>/fs.wasm, transpiled with
// --instantiation) with its preopen `/data` in the Origin Private File System. WASI 0.3
// (set wasi-p3-programs, p3 browser shim): once with `OpfsFs` (every call answered from
// OPFS) and once with `OpfsMirror` (the tree loaded into memory, written back by
// `flush()`); WASI 0.2 (set wasi-programs, p2 browser shim): with `OpfsMirror`. Checks
// stdout, stderr, the exit code and the files in OPFS against tests/<set>/expected.json
// (with tests/wasi-programs/expected.mjs, as the node runners check theirs), and that the
// OPFS directory holds no other files (the program removes everything else it makes).
import { assert } from '../lib/assert.js';
import { config, params, test } from '../lib/test.js';
import { compare, exitCode, readExpected, runExport } from '../../tests/wasi-programs/expected.mjs';

const program = params.get('program') ?? 'fs';
const set = params.get('set') ?? 'wasi-p3-programs';
const spec = (await readExpected(set)).programs[program];
const p3 = set === 'wasi-p3-programs';
const { wasiImports, WasiExit, OpfsMirror } = await import(`/npm/wasi/src/${p3 ? 'p3-browser.js' : 'p2/browser.js'}`);
const { OpfsFs } = await import('/npm/wasi/src/p3-browser.js'); // also the test's view of OPFS
const { instantiate } = await import(new URL(`${program}.js`, config.out));
const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));
const dec = new TextDecoder();
const text = (chunks) => dec.decode(new Uint8Array(chunks.flatMap((c) => [...c])));

/** Runs the program with `preopens`; returns its output and exit code. */
async function run(preopens) {
  const stdout = [];
  const stderr = [];
  const imports = wasiImports({
    args: spec.args,
    env: spec.env,
    preopens,
    stdout: (b) => stdout.push(b.slice()),
    stderr: (b) => stderr.push(b.slice()),
  });
  const inst = await instantiate(getCoreModule, imports);
  const runIface = runExport(inst, p3);
  const code = await exitCode(() => runIface.run(), WasiExit);
  return { stdout: text(stdout), stderr: text(stderr), exitCode: code };
}

/** The files of an OPFS tree as `{ 'a/b': text }`. */
function flat(tree, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(tree)) {
    if (v instanceof Uint8Array) out[`${prefix}${k}`] = dec.decode(v);
    else flat(v, `${prefix}${k}/`, out);
  }
  return out;
}

/** Checks a run's result and the files of the OPFS tree that was its `/data`. */
function check(r, tree) {
  const files = flat(tree);
  const bad = compare(spec, { ...r, files: { '/data': files } });
  if (bad.length) throw new Error(`differs from expected.json:\n  ${bad.join('\n  ')}`);
  assert.deepEqual(Object.keys(files).sort(), Object.keys(expectedFiles()).sort(), 'the files left in OPFS');
}

const expectedFiles = () => spec.files?.['/data'] ?? {};

// OpfsFs answers WASI 0.3 only.
if (p3) test(`${program}: /data is an OpfsFs; output as expected.json says, OPFS holds the files it lists`, async () => {
  const dir = await OpfsFs.open(`opfs-program/${set}/opfsfs`);
  await dir.clear();
  const r = await run(Object.fromEntries((spec.preopens ?? []).map((p) => [p, dir])));
  check(r, await dir.toTree());
  // A fresh OpfsFs on the same directory (what a later page load would see).
  assert.equal(dec.decode(await new OpfsFs(`opfs-program/${set}/opfsfs`).readFile('result.txt')), expectedFiles()['result.txt']);
  await dir.clear();
});

test(`${program}: /data is an OpfsMirror; after flush() OPFS holds the files expected.json lists`, async () => {
  const opfs = await OpfsFs.open(`opfs-program/${set}/mirror`);
  await opfs.clear();
  await opfs.writeFile('stale/old.txt', 'removed by the flush');
  const mirror = await OpfsMirror.load(`opfs-program/${set}/mirror`);
  await mirror.flush();
  // The program wants an empty /data: start from the loaded directory, emptied by the embedder.
  mirror.root.entries.clear();
  const r = await run(Object.fromEntries((spec.preopens ?? []).map((p) => [p, mirror])));
  await mirror.flush();
  check(r, await opfs.toTree());
  await opfs.clear();
});
