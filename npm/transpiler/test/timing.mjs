// Prints the wasm size and, for a few components, the transpile time of the wasm build
// (in-process API calls after init, and `npx weft` wall time) next to the native CLI's
// wall time and `jco transpile` 1.35's (installed by scripts/setup; skipped for inputs
// jco does not take, such as .wat). Informational: no assertions.
// `node npm/transpiler/test/timing.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { init, transpile } from '../src/index.js';
import { homedir } from 'node:os';
import { nativeBin, npmBin, pkg, root } from './common.js';

const jco = `${process.env.WEFT_CACHE ?? `${homedir()}/.cache/weft`}/jco/node_modules/.bin/jco`;

const wasm = readFileSync(`${pkg}wasm/weft_bg.wasm`);
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`wasm: ${kib(wasm.length)} raw, ${kib(gzipSync(wasm, { level: 9 }).length)} gzip -9`);

const t = performance.now();
await init();
console.log(`wasm init (read + compile + instantiate): ${(performance.now() - t).toFixed(0)} ms`);

const tmp = mkdtempSync(`${tmpdir()}/weft-npm-timing-`);
const best = (n, f) => Math.min(...Array.from({ length: n }, f));
const wall = (cmd, args) => () => {
  const s = performance.now();
  const r = spawnSync(cmd, args, { cwd: root });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return performance.now() - s;
};

const picks = [
  'examples/hello/hello.wat',
  'target/guests/values.wasm',
  'target/guests/resources.wasm',
  'target/guests/async-compose.wasm',
  'target/guests/compose.wasm',
].filter((p) => existsSync(`${root}${p}`));

console.log(`native: ${nativeBin.replace(root, '')} (best of 3, wall time incl. process start)`);
console.log(`${'component'.padEnd(34)} ${'size'.padStart(9)} ${'native'.padStart(9)} ${'wasm API'.padStart(9)} ${'npx weft'.padStart(9)} ${'jco'.padStart(9)}`);
for (const p of picks) {
  const bytes = readFileSync(`${root}${p}`);
  const native = best(3, wall(nativeBin, ['transpile', p, '-o', `${tmp}/n`, '-q']));
  let api = Infinity;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    await transpile(bytes, { inputName: p, wat: p.endsWith('.wat') });
    api = Math.min(api, performance.now() - s);
  }
  const cli = best(3, wall(process.execPath, [npmBin, 'transpile', p, '-o', `${tmp}/w`, '-q']));
  let jcoMs = NaN;
  if (existsSync(jco) && p.endsWith('.wasm')) {
    try {
      jcoMs = best(3, wall(jco, ['transpile', p, '-o', `${tmp}/j`, '-q']));
    } catch {
      jcoMs = NaN;
    }
  }
  const ms = (x) => (Number.isNaN(x) ? '—' : `${x.toFixed(0)} ms`).padStart(9);
  console.log(`${p.padEnd(34)} ${kib(statSync(`${root}${p}`).size).padStart(9)} ${ms(native)} ${ms(api)} ${ms(cli)} ${ms(jcoMs)}`);
}
rmSync(tmp, { recursive: true, force: true });
