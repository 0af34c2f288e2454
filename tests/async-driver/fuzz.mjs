// The long mode of the async driver (scripts/async-fuzz runs it): rounds over every
// target with fresh seeds until the time is up, on one node, `--jobs` children at a
// time. Failures that no known bug of expected-failures.txt explains are printed at once
// with the command that replays them; known bugs are counted.
//
//   node tests/async-driver/fuzz.mjs [--hours H | --minutes M] [--seed-base N]
//        [--batch N] [--targets a,b,...] [--jobs N] [--node PATH] [--long] [--fifo] [--lowered]
//
// --seed-base  the first seed (default: from the clock; printed, so a pass can be redone)
// --batch      seeds per target per round (default 50)
// --targets    a comma-separated list (default: every target; `guests`, `spec` select a group)
// --lowered    weft's `--lowered` output (the node given must have multi-memory: 22 and later)
import { readExpectations, runBatch, knownBug } from './orchestrate.mjs';
import { listTargets } from './targets.mjs';
import { relative } from 'node:path';
import { root } from './targets.mjs';

const args = process.argv.slice(2);
const value = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const node = value('--node', process.execPath);
const minutes = Number(value('--minutes', String(Number(value('--hours', '1')) * 60)));
const batch = Number(value('--batch', '50'));
const jobs = Number(value('--jobs', '2'));
const long = args.includes('--long');
const extra = ['--fifo', '--lowered'].filter((f) => args.includes(f));
// The children (and the targets transpiled here) read it.
if (args.includes('--lowered')) process.env.WEFT_DRIVER_LOWERED = '1';
let seedBase = Number(value('--seed-base', String((Date.now() / 1000) % 1e6 | 0) * 1000));

const all = await listTargets();
const sel = value('--targets', 'all');
const targets = all.filter((t) => {
  if (sel === 'all') return true;
  return sel.split(',').some((s) => (s === 'guests' ? !t.startsWith('spec:') : s === 'spec' ? t.startsWith('spec:') : t === s));
});
const { bugs } = readExpectations();
const ids = [...bugs.keys()];
const major = Number(
  (await import('node:child_process')).execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim(),
);

console.log(
  `async-fuzz: node ${major}, ${targets.length} targets, ${batch} seeds each per round, from seed ${seedBase}, ${minutes} min${long ? ', --long' : ''}${extra.length ? `, ${extra.join(' ')}` : ''}`,
);
const deadline = Date.now() + minutes * 60_000;
const known = new Map();
let runs = 0;
let unknown = 0;
const runner = relative(process.cwd(), `${root}/tests/async-driver/run.mjs`);

for (let round = 0; Date.now() < deadline; round++) {
  const queue = targets.map((t) => [t, seedBase]);
  seedBase += batch;
  const work = async () => {
    while (queue.length && Date.now() < deadline) {
      const [target, from] = /** @type {[string, number]} */ (queue.shift());
      const results = await runBatch({ node, target, from, runs: batch, long, extra, hangMs: long ? 30_000 : 5_000 });
      for (const r of results) {
        runs++;
        for (const f of r.failures ?? []) {
          const id = knownBug(f, ids, bugs, major);
          if (id !== null) {
            known.set(id, (known.get(id) ?? 0) + 1);
            continue;
          }
          unknown++;
          console.log(`\nUNKNOWN ${target} --seed ${r.seed}: ${f.kind}: ${f.message.split('\n').slice(0, 8).join('\n    ')}`);
          console.log(`  replay: ${node} ${runner} --target '${target}' --seed ${r.seed}${long ? ' --long' : ''}${extra.map((f) => ` ${f}`).join('')} --trace`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, work));
  console.log(
    `round ${round}: ${runs} runs so far, ${unknown} unknown failures; known bugs: ${[...known].map(([id, n]) => `${id} ${n}`).join(', ') || 'none'}`,
  );
}
console.log(`async-fuzz: ${runs} runs, ${unknown} unknown failures`);
process.exitCode = unknown ? 1 : 0;
