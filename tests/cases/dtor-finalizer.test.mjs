import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const dir = process.env.WEFT_OUT;

// Runs in a child node with --expose-gc (a failure there must not take this process
// down): makes objects per `SCENARIO`, lets them be collected, and prints what the
// destructor logged and whether the instance is poisoned.
const child = `
const { instantiate } = await import(process.env.MODULE);
const log = [];
const inst = await instantiate(undefined, { log: { default: (rep) => log.push(rep) } });
const seen = new FinalizationRegistry((rep) => collected.add(rep));
const collected = new Set();
function drop(rep) {
  seen.register(inst.make(rep), rep);
}
async function collect(rep) {
  for (let i = 0; i < 100 && !collected.has(rep); i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  if (!collected.has(rep)) throw new Error('rep ' + rep + ' was not collected');
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
}
const scenario = process.env.SCENARIO;
if (scenario === 'poisoned') {
  // Poison the instance through a trap from [Symbol.dispose], then let another
  // object be collected and dispose a third: neither destructor runs.
  const kept = inst.make(4);
  drop(3);
  try { inst.make(1)[Symbol.dispose](); } catch {}
  kept[Symbol.dispose]();
  await collect(3);
} else {
  const rep = Number(scenario);
  drop(rep);
  await collect(rep);
}
let poisoned = false;
try { inst.fine(); } catch (e) { poisoned = e.message === 'cannot enter component instance: it trapped earlier'; }
console.log(JSON.stringify({ log, poisoned }));
`;

function run(scenario) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', child], {
    env: { ...process.env, MODULE: `${dir}/inst/dtor-finalizer.js`, SCENARIO: scenario },
    encoding: 'utf8',
    timeout: 60000,
  });
  assert.equal(r.status, 0, `the child exited with ${r.status} ${r.signal ?? ''}:\n${r.stderr}`);
  return { ...JSON.parse(r.stdout), stderr: r.stderr };
}

test('a collected object runs its destructor', () => {
  const r = run('5');
  assert.deepEqual(r.log, [5]);
  assert.equal(r.poisoned, false);
  assert.equal(r.stderr, '');
});

test('a destructor that traps from the finalizer poisons the instance and is reported, not thrown', () => {
  const r = run('1');
  assert.deepEqual(r.log, [1]);
  assert.equal(r.poisoned, true);
  assert.match(r.stderr, /weft: the destructor of a collected `r` resource .* failed; its component instance is poisoned/);
  assert.match(r.stderr, /RuntimeError: unreachable/);
});

test('a core exception from a destructor run by the finalizer is reported as a trap', () => {
  const r = run('2');
  assert.deepEqual(r.log, [2]);
  assert.equal(r.poisoned, true);
  assert.match(r.stderr, /Trap: a core wasm exception was not caught inside the component/);
});

test('no destructor runs once the instance is poisoned: not from the finalizer, not from [Symbol.dispose]', () => {
  const r = run('poisoned');
  assert.deepEqual(r.log, [1]);
  assert.equal(r.poisoned, true);
  assert.equal(r.stderr, '');
});
