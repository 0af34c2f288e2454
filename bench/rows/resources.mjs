// The rows of the resources table (bench/resources.wat's `counter`) and its floor,
// engine-neutral: bench/resources.mjs runs them in node, bench/browser/page.mjs in a
// page. What each row measures: bench/resources.mjs's header.
import { compileCell, measure } from '../timing.mjs';

/**
 * The floor: a JS handle table (reps + free indices) over the core slots of the
 * component's first core module (`coreBytes`, its .wasm). Gives `{ Counter, live }`,
 * as the transpiled modules' `counters` do.
 */
export async function floorExports(coreBytes) {
  const { instance: { exports: core } } = await WebAssembly.instantiate(coreBytes);
  const reps = [];
  const free = [];
  const handle = Symbol('handle');
  class Counter {
    constructor(start) {
      const rep = core.new(start);
      let h;
      if (free.length > 0) reps[(h = free.pop())] = rep;
      else h = reps.push(rep) - 1;
      this[handle] = h;
    }
    get() {
      return core.get(reps[this[handle]]) >>> 0;
    }
    [Symbol.dispose]() {
      const h = this[handle];
      if (h < 0) return;
      this[handle] = -1;
      const rep = reps[h];
      reps[h] = 0;
      free.push(h);
      core.drop(rep);
    }
  }
  return { Counter, live: () => core.live() >>> 0 };
}

/** Whether this engine compiles modules with several memories (`--lowered` output). */
export const multiMemory = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 5, 2, 0, 0, 0, 0]));

// --- the rows: `call(m, label)` gives the timed function (compiled for its cell,
// bench/timing.mjs `compileCell`), `check(m)` checks it once -----------------------------
export const resourceRows = [
  {
    name: 'new Counter + get() + dispose',
    call: (m, label) =>
      compileCell(label, { m }, '() => { const c = new m.Counter(42); const v = c.get(); c[Symbol.dispose](); return v; }'),
    check(m) {
      const before = m.live();
      const v = this.call(m, 'check')();
      return v === 42 && m.live() === before;
    },
  },
  {
    name: 'get() on a live counter',
    call: (m, label) => compileCell(label, { c: (m.keep ??= new m.Counter(0xffff_fff0)) }, '() => c.get()'),
    check(m) {
      const v = this.call(m, 'check')();
      return v === 0xffff_fff0 && m.live() === 1;
    },
  },
];

/**
 * Times one row on every implementation (`impls`: `{ name: { Counter, live } }`).
 * Returns `{ name, cells, errors, failed }`; a check that fails (a wrong value, or the
 * destructor not run) empties its cell and fails the run.
 */
export async function runResourceRow(row, impls, T) {
  const cells = {};
  const errors = [];
  let failed = false;
  for (const [name, m] of Object.entries(impls)) {
    let ok;
    try {
      ok = row.check(m);
    } catch (e) {
      errors.push(`${name}: ${row.name} threw: ${e.message}`);
    }
    if (!ok) {
      if (ok === false) errors.push(`${name}: ${row.name} returned a wrong value or did not run the destructor`);
      failed = true;
      continue;
    }
    cells[name] = await measure(row.call(m, `${name}: ${row.name}`), T);
  }
  return { name: row.name, cells, errors, failed };
}

export const FINALIZER_ROW = 'JS only: new object + FinalizationRegistry register + unregister';

/**
 * What a FinalizationRegistry entry per object costs, in JS alone (weft and jco register
 * one per counter and unregister it on dispose; the floor does not): the row
 * `FINALIZER_ROW`, in the floor's column.
 */
export async function runFinalizerRow(T) {
  const registry = new FinalizationRegistry(() => {});
  class Plain {
    constructor(rep) {
      this.rep = rep;
    }
  }
  const floor = await measure(() => {
    const o = new Plain(1);
    registry.register(o, 1, o);
    registry.unregister(o);
    return o;
  }, T);
  return { name: FINALIZER_ROW, cells: { floor }, errors: [], failed: false };
}
