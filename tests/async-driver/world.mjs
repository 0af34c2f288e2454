// A "world": one loaded copy of a transpiled component's JS module, with its own copy of
// the runtime (its own scheduler `sched`), plus a probe into the runtime's state.
//
// The probe needs no hook in src/runtime and costs generated code nothing: the driver
// transpiles the component itself (instantiation mode) and writes a test-only copy of
// the module, `<name>.probe.mjs`, with a few lines appended (PROBE below) that export the
// module-level runtime state (`sched`, `releaseWaiters`, the `WaitableSet` class) and
// rebind the module's `AsyncInstance` class (a class declaration is a mutable binding) to
// a subclass that records every instance `instantiate()` makes. Each `load` imports the
// probe file under a new query string: a new module record, hence a fresh scheduler, for
// a run that must not inherit a trapped or leaking one.
//
// Randomized scheduling (the spec lets any ready thread run next, and lets a waitable set
// deliver any of its pending events: definitions.py `Store.tick` picks
// `random.choice(candidates)`, `WaitableSet.get_pending_event` shuffles) is installed on
// the same state from outside: `sched.waiting.push` inserts a new waiter at a random
// position (the scheduler resumes the first ready thread in that list), and
// `WaitableSet.prototype.getPendingEvent` shuffles the set's elements first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PROBE = `
;export const __weftProbe = {
  sched: typeof sched === 'undefined' ? null : sched,
  releaseWaiters: typeof releaseWaiters === 'undefined' ? null : releaseWaiters,
  WaitableSet: typeof WaitableSet === 'undefined' ? null : WaitableSet,
  instances: [],
};
if (typeof AsyncInstance !== 'undefined') {
  AsyncInstance = class extends AsyncInstance {
    constructor(...args) {
      super(...args);
      __weftProbe.instances.push(this);
    }
  };
}
`;

/**
 * Transpiles `wasm` into `outDir` (instantiation mode) unless the output is newer than
 * both the input and the weft binary; writes the probe copy. Returns the probe file.
 * The files are written in a scratch directory and renamed into place, so that a reader
 * never sees half a file. With WEFT_DRIVER_PREPARED set (the children of
 * orchestrate.mjs, whose parent transpiled everything first), an existing output is used
 * as it is: the weft binary may be rebuilt while a long pass runs.
 */
/** Whether the driver runs weft's `--lowered` output (`run.mjs --lowered`, `fuzz.mjs --lowered`). */
export const lowered = () => process.env.WEFT_DRIVER_LOWERED === '1';

export function transpile(weft, wasm, outDir, name) {
  const js = join(outDir, `${name}.js`);
  const probe = join(outDir, `${name}.probe.mjs`);
  if (process.env.WEFT_DRIVER_PREPARED && existsSync(probe)) return probe;
  const fresh =
    existsSync(probe) &&
    existsSync(js) &&
    statSync(js).mtimeMs >= statSync(wasm).mtimeMs &&
    statSync(js).mtimeMs >= statSync(weft).mtimeMs;
  if (!fresh) {
    mkdirSync(outDir, { recursive: true });
    const scratch = mkdtempSync(join(outDir, '.tmp-'));
    try {
      const flags = ['--instantiation', '--name', name, '-q', '--no-typescript', ...(lowered() ? ['--lowered'] : [])];
      execFileSync(weft, ['transpile', wasm, '-o', scratch, ...flags], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const text = readFileSync(join(scratch, `${name}.js`), 'utf8');
      // The runtime's declarations, which hold both, are printed compactly (one line).
      if (!/(^|[;}])const sched ?= ?\{/m.test(text)) throw new Error(`${wasm}: no scheduler in the output (not an async component?)`);
      if (!/(^|[;}])class AsyncInstance\b/m.test(text)) throw new Error(`${wasm}: no AsyncInstance class in the output`);
      writeFileSync(join(scratch, `${name}.probe.mjs`), text + PROBE);
      // Core modules first, the probe last: a reader that finds the probe finds the rest.
      const files = readdirSync(scratch).sort((a, b) => (a.endsWith('.probe.mjs') ? 1 : 0) - (b.endsWith('.probe.mjs') ? 1 : 0));
      for (const f of files) renameSync(join(scratch, f), join(outDir, f));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return probe;
}

/** Compiled core modules, shared by every copy of every world. */
const coreModules = new Map();
let copies = 0;

export class World {
  /**
   * @param {string} probeFile from `transpile` @param {string} outDir
   */
  static async load(probeFile, outDir) {
    const mod = await import(`${pathToFileURL(probeFile).href}?copy=${++copies}`);
    return new World(mod, outDir);
  }

  constructor(mod, outDir) {
    this.mod = mod;
    this.outDir = outDir;
    this.probe = mod.__weftProbe;
    if (!this.probe?.sched) throw new Error('the probe found no scheduler');
    /** The generator the seams draw from (null: the runtime's own FIFO order). */
    this.rng = null;
    /** Set once anything went wrong in this world: the next run loads a new copy. */
    this.dirty = false;
    /** Instantiations in progress. */
    this.busy = 0;
    this.installSeams();
  }

  getCoreModule = (p) => {
    const path = join(this.outDir, p);
    let m = coreModules.get(path);
    if (!m) {
      m = WebAssembly.compile(readFileSync(path));
      coreModules.set(path, m);
    }
    return m;
  };

  /** Instantiates the component; returns `{ exports, instances }` (the new AsyncInstances). */
  async instantiate(imports) {
    const before = this.probe.instances.length;
    // Compiling takes real time, not turns: a run is not idle meanwhile.
    this.busy++;
    try {
      const exports = await this.mod.instantiate(this.getCoreModule, imports);
      return { exports, instances: this.probe.instances.slice(before) };
    } finally {
      this.busy--;
    }
  }

  installSeams() {
    const world = this;
    const waiting = this.probe.sched.waiting;
    Object.defineProperty(waiting, 'push', {
      configurable: true,
      writable: true,
      value(...threads) {
        for (const t of threads) {
          if (world.rng === null) Array.prototype.push.call(this, t);
          else this.splice(world.rng.int(this.length + 1), 0, t);
        }
        return this.length;
      },
    });
    const WS = this.probe.WaitableSet;
    if (WS !== null && !WS.prototype.__weftShuffled) {
      const get = WS.prototype.getPendingEvent;
      WS.prototype.getPendingEvent = function getPendingEvent() {
        if (world.rng !== null && this.elems.length > 1) world.rng.shuffle(this.elems);
        return get.call(this);
      };
      WS.prototype.__weftShuffled = true;
    }
  }

  /**
   * Ends what the run left running in this copy of the runtime (a yield loop that was
   * never cancelled goes on forever, one macrotask per turn): every waiting thread is
   * forgotten, so that the next run, in its own copy, has the event loop to itself.
   */
  teardown() {
    this.rng = null;
    this.sched.waiting.length = 0;
    this.sched.roots.clear();
  }

  get sched() {
    return this.probe.sched;
  }

  /**
   * Whether the scheduler has nothing to run: no tick queued (micro or macro), no JSPI
   * stack resuming. Returns also the waiting threads that are ready although no tick is
   * queued (a missed wakeup: nothing would ever run them).
   */
  idle() {
    const s = this.sched;
    const busy = s.queued || s.turnQueued || s.resumeQueue.length > 0 || s.resuming !== null;
    const stranded = busy ? [] : s.waiting.filter((t) => t.ready !== null && safeReady(t));
    return { idle: !busy, stranded };
  }

  /**
   * What is left over once every call settled and the scheduler is idle. `scope` is the
   * AsyncInstances to check one by one (their handle tables, thread tables, locks);
   * `strict` adds the per-instance checks and an empty waiting list.
   * @returns {string[]} one line per leak
   */
  leaks(instances, { strict }) {
    const s = this.sched;
    const out = [];
    if (s.roots.size) out.push(`sched.roots: ${s.roots.size} top-level calls still registered`);
    if (s.hostPending) out.push(`sched.hostPending: ${s.hostPending} host operations still counted`);
    if (s.depth) out.push(`sched.depth: ${s.depth}`);
    if (s.current !== null) out.push('sched.current: a thread is still current');
    if (s.resumeQueue.length) out.push(`sched.resumeQueue: ${s.resumeQueue.length} entries`);
    if (s.resuming !== null) out.push('sched.resuming: a JSPI stack is still marked resuming');
    // A thread the guest left suspended (🧵: no thread resumes it) or waiting (a task
    // that returned and yields on for good) keeps its JSPI call open, as the spec lets
    // it: not a leak of weft's (`strict` counts the waiting ones below).
    const unsettled = [...s.inflight].filter((t) => !t.suspended && !s.waiting.includes(t)).length;
    if (unsettled) out.push(`sched.inflight: ${unsettled} JSPI calls never settled`);
    if (this.probe.releaseWaiters?.size) out.push(`releaseWaiters: ${this.probe.releaseWaiters.size} entries`);
    if (!strict) return out;
    if (s.waiting.length) out.push(`sched.waiting: ${s.waiting.length} threads still waiting (${describeWaiting(s.waiting)})`);
    instances.forEach((inst, k) => {
      const name = `instance ${k}`;
      const held = inst.handles.array.map((e, i) => [i, e]).filter(([i, e]) => i > 0 && e !== null && e !== undefined);
      if (held.length) out.push(`${name}: handle table holds ${held.map(([i, e]) => `${i}:${kindOf(e)}`).join(', ')}`);
      const threads = inst.threads.array.filter((e, i) => i > 0 && e !== null && e !== undefined);
      if (threads.length) out.push(`${name}: thread table holds ${threads.length} threads`);
      if (inst.exclusive !== null) out.push(`${name}: the exclusive lock is still held`);
      if (inst.waitingToEnter) out.push(`${name}: waitingToEnter = ${inst.waitingToEnter}`);
      if (!inst.mayLeave) out.push(`${name}: mayLeave is false`);
      // (The driver turns off whatever backpressure it turned on before its run ends.)
      if (inst.backpressure !== 0) out.push(`${name}: backpressure = ${inst.backpressure}`);
    });
    return out;
  }
}

function safeReady(t) {
  try {
    return t.ready();
  } catch {
    return false;
  }
}

function kindOf(e) {
  if (e === null || typeof e !== 'object') return typeof e;
  const c = e.constructor?.name ?? 'object';
  if (c === 'End') return `${e.stream ? 'stream' : 'future'}-${e.readable ? 'readable' : 'writable'}`;
  return c;
}

export function describeWaiting(ts) {
  return ts
    .slice(0, 5)
    .map((t) => {
      const inst = t.task?.inst;
      const bp = inst ? ` (instance backpressure ${inst.backpressure}, lock ${inst.exclusive === null ? 'free' : inst.exclusive === t ? 'own' : 'held'})` : '';
      return `${t.entering ? 'entering' : 'waiting'}${t.task?.lift ? ` mode ${t.task.lift.mode}` : ''}${bp}`;
    })
    .join(', ');
}
