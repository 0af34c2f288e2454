#!/usr/bin/env node
// Async export round trip, in ns per awaited call: three `async func(x: u32) -> u32`
// exports lifted with the callback ABI (bench/async.wat), called from JS and awaited one
// at a time, through weft's transpiled ESM, jco's transpiled ESM of the same component, and
// a floor. Rows:
//   - `now`: the core function calls task.return at once and returns EXIT;
//   - `yield`: it returns YIELD; the callback (event NONE) calls task.return, EXIT;
//   - `wait`: it reads a fresh future<> (BLOCKED), joins it to a waitable set, writes it
//     (COMPLETED), returns WAIT on the set; the callback (FUTURE_READ) calls task.return.
// The floor is the core module instantiated with hand-written imports: task.return stores
// the result in the running call's record (context.get/set read and write that record too),
// and the export returns a resolved Promise of it on EXIT. That is all `now` needs; for
// `yield` the floor awaits one microtask before calling the callback; for `wait` it keeps a
// JS table of futures and waitable sets just big enough for this guest (a write that meets
// a pending read queues the FUTURE_READ event on the reader's set; WAIT takes a queued event
// at once, and the floor throws if none is queued, which this guest never does).
// A fourth column, weft --lowered: the component transpiled with `--lowered` (docs/lower.md;
// node 22 and later, which have multi-memory: empty on node 20), its handle table in core
// wasm, the runtime's waitables and sets in the module's slots (a wasm call per lookup).
// Reports numbers only: it asserts nothing about time.
//
//   node bench/async.mjs [--quick] [--json FILE] [--weft PATH] [--jco PATH] [--wasm-tools PATH]
//   (options: bench/lib.mjs)
//
// Each cell is the median of several batches after a warm-up (bench/lib.mjs
// `measureAsync`). Every implementation's result is checked once per row before timing
// (x + 1). Exits 1 if a build fails or a result is wrong; jco's cells are null with its
// error when it cannot transpile or load the component (jco 1.35 needs JSPI, so node 24).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CALL_COLUMNS,
  benchScript,
  cellRow,
  compileCell,
  importJco,
  importWeft,
  loadImplementations,
  measureAsync,
  printCells,
  warmHarness,
  writeResult,
} from './lib.mjs';


// --- build: the component, and its first core module on its own -----------------------
const { opts, T, out, component, coreModule } = benchScript('async');
const coreWasm = coreModule();

// --- the three implementations: each gives { now, yield, wait } ------------------------
const weftExports = async () => await importWeft(opts, component, join(out, 'weft'));
const weftLoweredExports = async () =>
  await importWeft(opts, component, join(out, 'weft-lowered'), ['--lowered']);
/** Whether this node compiles modules with several memories (`--lowered` output). */
const multiMemory = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 5, 2, 0, 0, 0, 0]));
const jcoExports = async () => await importJco(opts, component, join(out, 'jco'));

const EXIT = 0;
const YIELD = 1;
const WAIT = 2;
const BLOCKED = -1;
const COMPLETED = 0;
const FUTURE_READ = 4;

/** Minimal hand-written host for the core module's callback-ABI exports. */
async function floorExports() {
  let task = null; // the running call: { result, context }
  const table = [null]; // futures' ends and waitable sets; index 0 is never used
  const free = [];
  const add = (entry) => {
    if (free.length > 0) {
      const i = free.pop();
      table[i] = entry;
      return i;
    }
    return table.push(entry) - 1;
  };
  const remove = (i) => {
    table[i] = null;
    free.push(i);
  };
  const imports = {
    'task.return': (v) => {
      task.result = v >>> 0;
    },
    'context.get': () => task.context,
    'context.set': (v) => {
      task.context = v;
    },
    'waitable-set.new': () => add({ events: [] }),
    'waitable.join': (w, s) => {
      table[w].set = table[s];
    },
    'future.new': () => {
      const reader = { reading: false, set: null };
      const r = add(reader);
      const w = add({ reader, r });
      return (BigInt(w) << 32n) | BigInt(r);
    },
    'future.read': (r) => {
      table[r].reading = true;
      return BLOCKED;
    },
    'future.write': (w) => {
      const { reader, r } = table[w];
      if (!reader.reading) throw new Error('floor: a future write with no pending read');
      reader.reading = false;
      reader.set.events.push([FUTURE_READ, r, COMPLETED]);
      return COMPLETED;
    },
    'future.drop-readable': remove,
    'future.drop-writable': remove,
  };
  const { instance: { exports: core } } = await WebAssembly.instantiate(readFileSync(coreWasm), {
    '': imports,
  });

  /** The callback loop after a first code other than EXIT. */
  async function loop(t, code, callback) {
    for (;;) {
      let event = [0, 0, 0];
      if ((code & 0xf) === YIELD) await null;
      else if ((code & 0xf) === WAIT) {
        event = table[code >>> 4].events.shift();
        if (!event) throw new Error('floor: WAIT with no event queued');
      } else throw new Error(`floor: callback code ${code}`);
      task = t;
      code = callback(...event);
      task = null;
      if (code === EXIT) return t.result;
    }
  }

  const lift = (start, callback) => (x) => {
    const t = (task = { result: undefined, context: 0 });
    const code = start(x);
    task = null;
    return code === EXIT ? Promise.resolve(t.result) : loop(t, code, callback);
  };
  return {
    now: lift(core.now, core['now-cb']),
    yield: lift(core.yield, core['yield-cb']),
    wait: lift(core.wait, core['wait-cb']),
  };
}

// --- the rows --------------------------------------------------------------------------
const rows = [
  ['now: task.return, EXIT', 'now'],
  ['yield: YIELD, then task.return in the callback', 'yield'],
  ['wait: WAIT on a ready future, task.return in the callback', 'wait'],
];

const { impls, errors, failed: loadFailed } = await loadImplementations([
  ['weft', weftExports],
  ['jco', jcoExports],
  ['floor', floorExports],
  ...(multiMemory ? [['weftLowered', weftLoweredExports]] : []),
]);
let failed = loadFailed;

await warmHarness();
const results = [];
for (const [row, fn] of rows) {
  const cells = {};
  for (const [name, m] of Object.entries(impls)) {
    // compiled for its cell (bench/lib.mjs `compileCell`): no call site shared between implementations
    const f = compileCell(`${name}: ${row}`, { m }, `((x) => () => m.${fn}((x = (x + 1) & 0xffff)))(0)`);
    let got;
    try {
      got = await m[fn](41);
    } catch (e) {
      got = e.message;
    }
    if (got !== 42) {
      errors.push(`${name}: ${fn}(41) gave ${got}, not 42`);
      if (name !== 'jco') failed = true;
      continue;
    }
    cells[name] = await measureAsync(f, T);
  }
  results.push([row, cells]);
}

console.log(`ns per awaited call, median of ${T.batches} batches of ~${T.batchMs} ms after a warm-up; node ${process.version}`);
printCells('async export', results);
if (multiMemory) {
  console.log('weft --lowered (handle table in core wasm), ns:');
  for (const [name, c] of results) if (c.weftLowered !== undefined) console.log(`  ${name}: ${c.weftLowered.toFixed(1)} (weft ${c.weft?.toFixed(1)})`);
}
for (const e of errors) console.log(e);
writeResult(opts, {
  title: 'Async export round trip',
  unit: 'ns per awaited call',
  description:
    'async func(x: u32) -> u32 lifted with the callback ABI, called and awaited one at a time. ' +
    'Floor: the core module with hand-written imports (task.return stores the result; the export ' +
    'returns a resolved Promise of it; YIELD awaits one microtask; WAIT takes an already queued event).',
  columns: [...CALL_COLUMNS, { key: 'weftLowered', label: 'weft --lowered' }],
  rows: results.map(([name, cells]) => {
    const row = cellRow(
      name,
      cells,
      name === rows[1][0] && cells.jco !== undefined
        ? 'jco 1.35 resumes a yielded task from a setTimeout tick loop, hence ~1 ms'
        : undefined,
    );
    row.values.weftLowered = cells.weftLowered ?? null;
    return row;
  }),
  notes: [
    multiMemory
      ? 'weft --lowered: the same component linked into one core module, its handle table ' +
        "in core wasm (the runtime's future ends and waitable sets in the module's slots)."
      : `node ${process.version} has no multi-memory: the weft --lowered column is empty.`,
    ...errors,
  ],
});
process.exitCode = failed ? 1 : 0;
