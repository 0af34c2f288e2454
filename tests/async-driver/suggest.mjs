// Runs the CI plan like async-driver.test.mjs and prints, for expected-failures.txt, the
// test lines its known bugs explain, and every failure no known bug explains. For
// maintaining the list: run it on node 20 and node 24 and merge the test lines.
//
//   node tests/async-driver/suggest.mjs [--jobs N]
import { ciPlan } from './plan.mjs';
import { knownBug, readExpectations, runBatch } from './orchestrate.mjs';

const args = process.argv.slice(2);
const jobs = Number(args[args.indexOf('--jobs') + 1] || 2);
const major = Number(process.versions.node.split('.')[0]);
const { bugs } = readExpectations();
const ids = [...bugs.keys()];
const plan = await ciPlan();
const lines = [];
const unknown = [];
let next = 0;
async function worker() {
  while (next < plan.length) {
    const b = plan[next++];
    const results = await runBatch({ target: b.target, from: b.from, runs: b.runs, hangMs: 5000 });
    const seen = new Set();
    for (const r of results) {
      for (const f of r.failures ?? []) {
        const id = knownBug(f, ids, bugs, major);
        if (id === null) unknown.push(`${b.target} --seed ${r.seed}: ${f.kind}: ${f.message.split('\n')[0].slice(0, 200)}`);
        else seen.add(id);
      }
    }
    if (seen.size) lines.push([plan.indexOf(b), `${b.name} | ${[...seen].sort().join(' ')}`]);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
console.log(`# node ${major}: tests the known bugs explain`);
for (const [, l] of lines.sort((a, b) => a[0] - b[0])) console.log(l);
console.log(`\n# failures no known bug explains: ${unknown.length}`);
for (const u of unknown) console.log(u);
