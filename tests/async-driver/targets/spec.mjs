// The components of the spec suite's async `.wast` files (the copy in the crates.io
// package wasm-tools 1.263.0, `tests/component-model/test/async`) as driver targets.
//
// Each component definition of a file (a `module` or `module_definition` command) is a
// target `spec:<file>#<k>`, whose script is the file's commands on its instances, in
// order. A run is either
// - a replay: the script as the suite runs it (fresh instances, each action awaited
//   before the next), under the randomized scheduler; `assert_return` values and
//   `assert_trap`s must come out as the file says (the spec lets any ready thread run
//   next, so a result must not depend on the schedule); or
// - chaos: 1 to 3 instances and a random program of the script's actions (with their
//   arguments) called concurrently, re-entrantly, some cancelled, with invariants only.
// Files whose components weft cannot transpile (🧵 threads) are left out.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { homedir } from 'node:os';
import { transpile } from '../world.mjs';
import { camel, mismatch, toJs } from '../../conformance/wast-values.mjs';

function specDir() {
  const cargo = process.env.CARGO_HOME ?? join(homedir(), '.cargo');
  const reg = join(cargo, 'registry/src');
  for (const d of existsSync(reg) ? readdirSync(reg) : []) {
    const p = join(reg, d, 'wasm-tools-1.263.0/tests/component-model/test');
    if (existsSync(p)) return p;
  }
  throw new Error('the wasm-tools 1.263.0 crate source is not unpacked: run scripts/setup');
}

function wasmTools() {
  const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
  const w = join(cache, 'tools/bin/weft-devtools');
  if (!existsSync(w)) throw new Error(`${w} is missing: run scripts/setup`);
  return w;
}

/** The commands of one `.wast` file (converted once into `dir`). */
function commandsOf(wast, dir) {
  const json = join(dir, 'commands.json');
  if (!existsSync(json) || statSync(json).mtimeMs < statSync(wast).mtimeMs) {
    mkdirSync(dir, { recursive: true });
    execFileSync(wasmTools(), ['json-from-wast', wast, '-o', json, '--wasm-dir', dir], { stdio: 'pipe' });
  }
  return JSON.parse(readFileSync(json, 'utf8')).commands;
}

/**
 * The component definitions of a file with their scripts: `{ file, k, wasm, script }`,
 * where script entries are `{ type: 'instance', name }` or `{ type: 'action', inst,
 * field, args, expect: { kind: 'return', values } | { kind: 'trap', text } | { kind: 'none' } }`.
 */
function definitionsOf(commands, dir) {
  const defs = [];
  const byName = new Map();
  /** instance name → [def, instance name] */
  const instOf = new Map();
  let current = null;
  let anon = 0;
  const add = (c) => {
    const d = { k: defs.length, wasm: join(dir, c.filename), script: [] };
    defs.push(d);
    return d;
  };
  for (const c of commands) {
    if (c.type === 'module') {
      const d = add(c);
      const name = c.name ?? `$anon${anon++}`;
      if (c.name) byName.set(c.name, d);
      d.script.push({ type: 'instance', name });
      instOf.set(name, d);
      current = name;
    } else if (c.type === 'module_definition') {
      byName.set(c.name, add(c));
    } else if (c.type === 'module_instance') {
      const d = byName.get(c.module);
      d.script.push({ type: 'instance', name: c.instance });
      instOf.set(c.instance, d);
      current = c.instance;
    } else if (c.action) {
      const name = c.action.module ?? current;
      const d = instOf.get(name);
      if (!d) continue;
      const expect =
        c.type === 'assert_return'
          ? { kind: 'return', values: c.expected }
          : c.type === 'assert_trap'
            ? { kind: 'trap', text: c.text }
            : { kind: 'none' };
      d.script.push({ type: 'action', inst: name, field: c.action.field, args: c.action.args, expect, line: c.line });
    }
  }
  return defs.filter((d) => d.script.some((e) => e.type === 'action'));
}

const transpiled = new Map();

/**
 * Every async spec component weft can transpile (of the file `only`, if given):
 * `{ name, file, k, outDir, probe, script }`.
 */
export async function specComponents(weft, outRoot, only = null) {
  const dir = join(specDir(), 'async');
  const out = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.wast') && (only === null || f === `${only}.wast`)).sort()) {
    const file = basename(f, '.wast');
    const work = join(outRoot, 'spec', file);
    let commands;
    try {
      commands = commandsOf(join(dir, f), work);
    } catch {
      continue;
    }
    for (const d of definitionsOf(commands, work)) {
      const name = `spec:${file}#${d.k}`;
      const outDir = join(work, `out${d.k}`);
      let probe = transpiled.get(name);
      if (probe === undefined) {
        try {
          probe = transpile(weft, d.wasm, outDir, 'c');
        } catch {
          probe = null;
        }
        transpiled.set(name, probe);
      }
      if (probe) out.push({ name, file, k: d.k, outDir, probe, script: d.script });
    }
  }
  return out;
}

/** A spec component as a target (see `prepareTarget`). */
export async function specTarget(name, weft, outRoot) {
  const all = await specComponents(weft, outRoot, name.slice('spec:'.length).split('#')[0]);
  const c = all.find((x) => x.name === name);
  if (!c) throw new Error(`unknown spec target ${name} (or weft cannot transpile it)`);
  return { name, probe: c.probe, outDir: c.outDir, scenario: (run, world) => specScenario(run, world, c) };
}

/** The export `field` of an instance's exports, or null. */
function exportOf(exports, field) {
  const f = exports[camel(field)] ?? exports[field];
  return typeof f === 'function' ? f : null;
}

/** Consumes what an export returned when the host must read it (a stream). */
function continuation(run, label) {
  return (v) => {
    if (v instanceof ReadableStream) {
      const policy = run.rng.weighted([
        [3, { kind: 'all' }],
        [1, { kind: 'some', n: 1 }],
        [1, { kind: 'cancel' }],
      ]);
      return run.consume(`${label} stream`, v, policy);
    }
    return undefined;
  };
}

function specScenario(run, world, c) {
  return async () => {
    const rng = run.rng;
    const replay = rng.chance(0.4);
    run.note(replay ? 'replay' : 'chaos');
    const instances = [];
    if (replay) {
      const named = new Map();
      const script = async () => {
        for (const e of c.script) {
          if (e.type === 'instance') {
            run.note(`instantiate ${e.name}`);
            const made = await world.instantiate({});
            named.set(e.name, made.exports);
            instances.push(...made.instances);
            continue;
          }
          const fn = exportOf(named.get(e.inst), e.field);
          if (fn === null) {
            run.fail('crash', `no export ${e.field}`);
            return;
          }
          const args = e.args.map(toJs);
          const label = `${e.field}@${e.line}`;
          const call = run.call(label, () => fn(...args), { cancel: 0, expectFailure: true, then: continuation(run, label) });
          if (call.promise) await call.promise.catch(() => {});
          if (e.expect.kind === 'return') {
            let why = null;
            if (call.state !== 'resolved') why = `expected a result, got ${call.value?.name}: ${call.value?.message}`;
            else if (e.expect.values.length === 0) why = call.value === undefined ? null : `expected no result, got ${call.value}`;
            else if (e.expect.values[0].type === 'result') why = null; // (ComponentError shapes: not replayed)
            else why = mismatch(call.value, e.expect.values[0]);
            if (why) run.fail('replay-mismatch', `line ${e.line} ${e.field}: ${why}`);
          } else if (e.expect.kind === 'trap') {
            if (!(call.state === 'rejected' && call.value instanceof WebAssembly.RuntimeError)) {
              run.fail('replay-mismatch', `line ${e.line} ${e.field}: expected a trap (${e.expect.text}), got ${call.state} ${call.value?.message ?? call.value}`);
            }
          }
        }
      };
      run.track('replay', script());
      return { instances, strict: false };
    }
    // Chaos: the script's actions on 1 to 3 instances, concurrently.
    const actions = c.script.filter((e) => e.type === 'action');
    const apis = [];
    for (let k = rng.range(1, 3); k > 0; k--) {
      const made = await world.instantiate({});
      apis.push(made.exports);
      instances.push(...made.instances);
    }
    const count = run.long ? rng.range(3, 30) : rng.range(2, 10);
    for (let i = 0; i < count; i++) {
      const a = rng.pick(actions);
      const api = rng.pick(apis);
      const burst = rng.chance(0.2) ? rng.range(2, 3) : 1;
      const at = rng.weighted([[3, 0], [4, rng.range(1, 15)]]);
      run.at(at, () => {
        const fn = exportOf(api, a.field);
        if (fn === null) return;
        for (let b = 0; b < burst; b++) {
          const args = a.args.map(toJs);
          run.call(a.field, (o) => fn(...args, o), { cancel: 0.3, expectFailure: true, then: continuation(run, a.field) });
        }
      });
    }
    return { instances, strict: false };
  };
}
