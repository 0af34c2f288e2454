// `weft lower` on every valid component of the spec suite (wasm-tools 1.263.0) and on the
// given component files (the repo's guests, WASI programs, cases): each must either lower
// (its header then compiles with the machine's C compiler) or be refused with a reason
// (exit 1) — never a bug (exit 70) or a crash. One line per component, then
// `weft-lower: N passed, M failed`, and the tally of the reasons.
//
//   node tests/lower-host/lower-all.mjs <spec test dir> <wasm-tools> <weft> [component...]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const [testDir, wasmTools, weft, ...extra] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'weft-lower-'));

function walk(d) {
  return readdirSync(d)
    .sort()
    .flatMap((f) => {
      const p = join(d, f);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.wast') ? [p] : [];
    });
}

/** The valid components a spec file defines: (label, path). */
function specComponents(file) {
  const rel = relative(testDir, file);
  const dir = join(work, rel.replace(/[/.]/g, '_'));
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'commands.json');
  try {
    execFileSync(wasmTools, ['json-from-wast', file, '-o', json, '--wasm-dir', dir], { stdio: 'pipe' });
  } catch {
    return [];
  }
  const { commands } = JSON.parse(readFileSync(json, 'utf8'));
  return commands
    .filter((c) => (c.type === 'module' || c.type === 'module_definition') && c.filename)
    .map((c) => [`${rel}:${c.line}`, join(dir, c.filename)]);
}

const components = [...walk(testDir).flatMap(specComponents), ...extra.map((p) => [p, p])];
const reasons = new Map();
let passed = 0;
let failed = 0;
let lowered = 0;
for (const [label, path] of components) {
  const out = join(work, 'out');
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync(weft, ['lower', path, '-o', out, '--name', 'c', '-q'], { encoding: 'utf8' });
  if (r.status === 0) {
    // The header compiles, as a C host would include it, with those of the components
    // it exports (lowered beside it), all in one translation unit.
    const main = join(out, 'main.c');
    const headers = readdirSync(out).filter((f) => f.endsWith('.h'));
    writeFileSync(main, `${headers.map((h) => `#include "${h}"\n`).join('')}int main(void) { return 0; }\n`);
    const cc = spawnSync('cc', ['-std=c11', '-Wall', '-Werror', '-fsyntax-only', main], { encoding: 'utf8' });
    if (cc.status === 0) {
      console.log(`ok: ${label} lowered`);
      passed++;
      lowered++;
    } else {
      console.log(`FAILED: ${label}: its header does not compile: ${cc.stderr.trim().split('\n')[0]}`);
      failed++;
    }
  } else if (r.status === 1) {
    const why = r.stderr.trim().split('\n').pop().replace(/^\s*\d+: /, '');
    // Tally by the reason's start (names of types and functions vary).
    const kind = why.replace(/\(.*$/, '').replace(/`[^`]*`/g, '…').trim();
    reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
    console.log(`ok: ${label} refused: ${why}`);
    passed++;
  } else {
    console.log(`FAILED: ${label}: weft lower exited with ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    failed++;
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`\nlowered ${lowered} of ${components.length}; refused:`);
for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${k}`);
console.log(`weft-lower: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;

