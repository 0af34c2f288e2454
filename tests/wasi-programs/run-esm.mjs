// ES module output with WASI imports left to weft's default mapping: `wasi:*` imports
// become `@weft/wasi/p2/…` / `@weft/wasi/p3/…` specifiers, resolved through a
// node_modules/@weft/wasi link to npm/wasi, with the shims' default configuration. Runs
// the `hello` program of each set and checks its stdout and exit code (expected.mjs).
//   node tests/wasi-programs/run-esm.mjs [--weft PATH]
// Ends with `weft-esm: N passed, M failed`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, readExpected } from './expected.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const wi = argv.indexOf('--weft');
const weft = wi >= 0 ? argv[wi + 1] : process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
const work = mkdtempSync(join(tmpdir(), 'weft-esm-'));
mkdirSync(join(work, 'node_modules/@weft'), { recursive: true });
symlinkSync(join(root, 'npm/wasi'), join(work, 'node_modules/@weft/wasi'), 'dir');
writeFileSync(join(work, 'package.json'), '{"type":"module"}');

let passed = 0;
let failed = 0;
for (const set of ['wasi-programs', 'wasi-p3-programs']) {
  const spec = (await readExpected(set)).programs.hello;
  const name = `${set}-hello`;
  let bad = [];
  try {
    execFileSync(weft, ['transpile', join(root, 'target', set, 'hello.wasm'), '-o', work, '--name', name, '-q']);
    const js = readFileSync(join(work, `${name}.js`), 'utf8');
    if (!js.includes("from \"@weft/wasi/p")) bad.push('the WASI imports are not mapped to @weft/wasi');
    const main = `const m = await import('./${name}.js');
      const run = Object.entries(m).find(([k]) => k.startsWith('wasi:cli/run@'))[1];
      await run.run();`;
    writeFileSync(join(work, `${name}-main.mjs`), main);
    const r = spawnSync(process.execPath, [`${name}-main.mjs`], { cwd: work, encoding: 'utf8' });
    // Not stderr: the process's, which node may write to as well.
    bad.push(...compare({ stdout: spec.stdout, exitCode: spec.exitCode }, { stdout: r.stdout, exitCode: r.status }));
    if (bad.length) bad.push(`stderr was ${JSON.stringify(r.stderr)}`);
  } catch (e) {
    bad = [`threw ${e?.stack ?? e}`];
  }
  if (bad.length) failed++;
  else passed++;
  console.log(`${bad.length ? 'FAIL' : 'ok  '} ${name} (ESM, default WASI mapping)${bad.map((b) => `\n     ${b}`).join('')}`);
}
rmSync(work, { recursive: true, force: true });
console.log(`weft-esm: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
