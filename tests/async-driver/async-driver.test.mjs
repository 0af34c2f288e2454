// The random-schedule async driver, short mode (CI): one test per (target, batch of
// fixed seeds) of plan.mjs, each batch run in a child process (run.mjs --json, two at a
// time; WEFT_DRIVER_JOBS changes that) under a watchdog. A test fails on any failure
// that expected-failures.txt does not list for it, and when it is listed but every run
// passed (the bug was fixed: take it off the list).
//
//   node --test --test-reporter=tap tests/async-driver/async-driver.test.mjs
//
// With WEFT_DRIVER_LOWERED=1 (node 22 and later), the same runs against weft's
// `--lowered` output, each test named `<name> [lowered]` and expected to fail as
// `<name>` (the runtime is the same; the tables and waitable sets are the module's).
//
// Needs target/debug/weft (cargo build -p weft-cli; WEFT_BIN overrides), the guests
// (scripts/build-guests) and scripts/setup's wasm-tools and spec suite. A failing seed
// replays with `node tests/async-driver/run.mjs --target <target> --seed <n> --trace`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ciPlan } from './plan.mjs';
import { judge, readExpectations, runBatch } from './orchestrate.mjs';
import { lowered } from './world.mjs';

const major = Number(process.versions.node.split('.')[0]);
const { bugs, tests } = readExpectations();
const plan = await ciPlan();
const jobs = Number(process.env.WEFT_DRIVER_JOBS ?? 2);

// Start every batch now, `jobs` at a time, in plan order; the tests await them in order.
const pending = plan.map(() => {
  let resolve;
  const p = new Promise((r) => (resolve = r));
  return { p, resolve };
});
let next = 0;
async function worker() {
  while (next < plan.length) {
    const i = next++;
    const b = plan[i];
    const t0 = Date.now();
    const results = await runBatch({ target: b.target, from: b.from, runs: b.runs, hangMs: 5000 });
    pending[i].resolve({ results, ms: Date.now() - t0 });
  }
}
for (let k = 0; k < jobs; k++) void worker();

const listed = new Set(tests.keys());
for (const [i, b] of plan.entries()) {
  listed.delete(b.name);
  test(`${b.name}${lowered() ? ' [lowered]' : ''}`, async (t) => {
    const { results, ms } = await pending[i].p;
    const ids = tests.get(b.name) ?? [];
    const { unexpected, seen, stale } = judge(results, ids, bugs, major);
    t.diagnostic(`${results.length} runs in ${ms} ms${seen.size ? `; expected failures: ${[...seen].join(' ')}` : ''}`);
    if (unexpected.length) {
      const lines = unexpected.slice(0, 6).map((f) => `--seed ${f.seed}: ${f.kind}: ${f.message.split('\n').slice(0, 4).join(' / ')}`);
      assert.fail(
        `${unexpected.length} unexpected failures (replay: node tests/async-driver/run.mjs --target '${b.target}' --seed N${lowered() ? ' --lowered' : ''} --trace)\n${lines.join('\n')}`,
      );
    }
    assert.ok(!stale, `listed in expected-failures.txt with ${ids.join(' ')}, but every run passed: take it off the list`);
  });
}

test('expected-failures.txt names only tests of the plan', () => {
  assert.deepEqual([...listed], []);
});
