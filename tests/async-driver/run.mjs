// Runs the random-schedule async driver on one target for a range of seeds, one run
// after the other in this process, each in a fresh copy of the component's module (its
// own scheduler), so that a run depends on its seed alone and `--seed N` replays it.
//
//   node tests/async-driver/run.mjs --target NAME [--seed N | --from N --runs M]
//        [--long] [--fifo] [--lowered] [--json] [--trace] [--weft PATH]
//
// --target   a guest (async-basics, async-pair-a, async-pair-b, async-compose) or a
//            spec component (`spec:<file>` or `spec:<file>#<k>`; --list prints them all)
// --seed N   one run (replay); --from N --runs M: seeds N .. N+M-1 (default 1, 20)
// --long     bigger programs and budgets
// --fifo     the runtime's own scheduling order (no randomized seams)
// --lowered  weft's `--lowered` output (node 22 and later: multi-memory)
// --json     one JSON line per run (for async-driver.test.mjs and scripts/async-fuzz)
// --trace    print the trace of every failing run
//
// Exit code 1 when a run failed. Node's uncaught exceptions and unhandled rejections are
// caught here and charged to the run in progress.
import { Rng, hashString } from './prng.mjs';
import { Run, FAILURES } from './engine.mjs';
import { World } from './world.mjs';
import { listTargets, prepareTarget } from './targets.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
if (flag('--lowered')) process.env.WEFT_DRIVER_LOWERED = '1';
const value = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

if (flag('--list')) {
  for (const t of await listTargets({ weft: value('--weft') })) console.log(t);
  process.exit(0);
}

const targetName = value('--target');
if (!targetName) {
  console.error('usage: run.mjs --target NAME [--seed N | --from N --runs M] [--long] [--fifo] [--lowered] [--json] [--trace]');
  process.exit(2);
}
const json = flag('--json');
const long = flag('--long');
const fifo = flag('--fifo');
const showTrace = flag('--trace');
const seeds = [];
if (value('--seed') !== undefined) seeds.push(Number(value('--seed')));
else {
  const from = Number(value('--from', '1'));
  const runs = Number(value('--runs', '20'));
  for (let s = from; s < from + runs; s++) seeds.push(s);
}

// A reader that went away (`| head`) ends the run.
process.stdout.on('error', () => process.exit(process.exitCode ?? 0));

/** @type {Run | null} */
let current = null;
process.on('uncaughtException', (e) => {
  if (current) current.fail('uncaught', `${e?.name}: ${e?.message}\n${e?.stack ?? ''}`);
  else process.stderr.write(`uncaught exception outside a run: ${e?.stack ?? e}\n`);
});
process.on('unhandledRejection', (e) => {
  if (current) current.fail('unhandled', `${e?.name}: ${e?.message}\n${e?.stack ?? ''}`);
  else process.stderr.write(`unhandled rejection outside a run: ${e?.stack ?? e}\n`);
});

const target = await prepareTarget(targetName, { weft: value('--weft') });

let failed = 0;
for (const seed of seeds) {
  if (json) process.stdout.write(`${JSON.stringify({ start: seed })}\n`);
  const t0 = performance.now();
  const world = await World.load(target.probe, target.outDir);
  const root = new Rng((hashString(targetName) ^ Math.imul(seed, 0x9e3779b1)) >>> 0);
  const run = new Run(world, root.fork(), { long });
  world.rng = fifo ? null : root.fork();
  current = run;
  try {
    const scope = await target.scenario(run, world)();
    await run.finish(scope);
  } catch (e) {
    run.fail('crash', `${e?.stack ?? e}`);
  }
  // Late errors (a microtask after the last check) still count for this run.
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  current = null;
  world.teardown();
  const ms = Math.round(performance.now() - t0);
  const ok = run.failures.length === 0;
  if (!ok) failed++;
  const outcomes = {};
  for (const c of run.calls) {
    const k = c.state === 'resolved' ? 'value' : c.state === 'rejected' ? c.outcome : 'pending';
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  }
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ target: targetName, seed, ok, ms, calls: run.calls.length, outcomes, failures: run.failures, trace: ok ? undefined : run.trace })}\n`,
    );
  } else {
    const summary = Object.entries(outcomes).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${targetName} --seed ${seed} (${ms} ms; ${run.calls.length} calls: ${summary})`);
    for (const f of run.failures) console.log(`  ${f.kind} (${FAILURES[f.kind] ?? f.kind}): ${f.message.split('\n').slice(0, 12).join('\n    ')}`);
    if (!ok && showTrace) for (const line of run.trace) console.log(`    | ${line}`);
  }
}
if (!json) console.log(`${targetName}: ${seeds.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
// Pending host promises (a call that never settled) must not keep the process alive.
setImmediate(() => process.exit());
