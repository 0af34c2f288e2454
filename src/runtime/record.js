// Recording (`weft transpile --record`, docs/record-replay.md): every call across the
// component's boundary, as WIT-level events in WAVE text, one per line. The generated
// code wraps each export function (`recordExport`) and each call of a host import
// (`recordImport`); both write to the module's `Recorder`, which the module exports as
// `$trace`. A module transpiled without `--record` has none of this.
//
// A trace:
//   // weft trace 1; world hello; component sha256:9f86…
//   > add(1, 2) -> 3                          an export call and its outcome
//   > greet("weft")                           an export call that calls imports:
//     < host#log("greeting weft") -> ()       each on its own line, indented,
//   -> "Hello, weft!"                         then the outcome
//   > [constructor]counter(5) -> #1           resources, streams and futures: ids
//   > fetch("a") -> task #2                   an async call: its task now,
//   task #2 -> "data"                         its outcome when it settles
//   < stream #4: [104, 105]                   what moves through streams and futures
//                                             (record-moves.js)
// `>` is a call into the component, `<` one out of it. An outcome is `-> VALUE` (WAVE),
// `-> ()` for a function without a result, `-> ok(…)` / `-> err(…)` for one whose result
// is a `result` (whether JS saw it returned or thrown), `-> trap "…"` for a trap, and
// `-> throw Name "…"` for anything else thrown.
//
// Replay (`weft replay`, replay.js): a recording module whose Recorder finds a trace at
// `globalThis[Symbol.for('weft.trace.replay')]` when it is made answers each host call
// from that trace instead of calling the host, and `$trace.replay()` makes the trace's
// export calls; every line the run writes is compared with the trace's, and the first
// that differs ends the replay with a report.
import { ComponentError } from './component-error.js';
import { recordMoves, recordTransfer } from './record-moves.js';
import { RecordTraceRef, Replay } from './replay.js';
import { waveWriteAs } from './wave.js';

/**
 * The trace of one instance. `fns` are the functions the code names by index: `{ name,
 * params: [{ name, type }], result, async? }`, types as `describe` writes them (wave.js);
 * `async`: the JS function returns a promise of its result.
 */
export class Recorder {
  constructor(header, fns) {
    this.fns = fns;
    for (const f of fns) {
      // `jco`: its values are in jco's shapes (`--compat jco`): `{ tag, val }`.
      f.key = f.jco ? 'val' : 'value';
      // Whether a call of the function moves streams or futures (their stand-ins; not
      // for jco's stream and future objects, which are written as ids only).
      f.moves = !f.jco && (f.params.some((p) => recordMoves(p.type)) || recordMoves(f.result));
    }
    this.lines = [];
    this.listeners = [];
    /** The calls under way, innermost last: `{ text, open, depth }`. */
    this.stack = [];
    /** The call being entered while its caller's line is written. */
    this.entering = null;
    this.ids = new WeakMap();
    this.primitiveIds = new Map();
    /** The value of each trace id. */
    this.objects = new Map();
    /** The type of each stream's and future's trace id. */
    this.types = new Map();
    /** The signal of each async export call's task, by trace id (replay aborts them). */
    this.signals = new Map();
    /** The task of the async host call just made (`recordHostFunc`). */
    this.lastTask = null;
    this.nextId = 1;
    this.handle = (_t, v) => `#${v instanceof RecordTraceRef ? v.id : this.idOf(v)}`;
    /** The export functions as wrapped, by name (what replay calls). */
    this.exportFns = new Map();
    this.byName = new Map(fns.map((f) => [f.name, f]));
    const sink = globalThis[Symbol.for('weft.trace.sink')];
    // With a sink the lines stream out and are not kept (a long run costs no memory).
    this.keep = typeof sink !== 'function';
    if (!this.keep) this.listeners.push(sink);
    // The trace's text, or `{ trace, only, host }` (`Replay`'s options).
    const given = globalThis[Symbol.for('weft.trace.replay')];
    const options = typeof given === 'string' ? { trace: given } : given;
    this.replaying = typeof options?.trace === 'string' ? new Replay(this, options) : null;
    this.header = `// weft trace 1; ${header}`;
    this.emit(this.header);
  }

  /**
   * Replays the export calls of the trace given before the module loaded (the host
   * calls inside them were answered from it as they came): resolves to `{ ok, calls,
   * report }`, `report` a readable account (where the run first differs, if it does).
   */
  async replay() {
    if (!this.replaying) throw new Error('no trace to replay: set globalThis[Symbol.for(\'weft.trace.replay\')] to its text before the module loads');
    return this.replaying.run();
  }

  /** The trace so far, one event per line. */
  text() {
    return this.lines.map((l) => `${l}\n`).join('');
  }

  /** Calls `listener(line)` for every line so far, then for each new one. */
  subscribe(listener) {
    for (const l of this.lines) listener(l);
    this.listeners.push(listener);
  }

  emit(line) {
    if (this.keep || this.lines.length === 0) this.lines.push(line);
    for (const l of this.listeners) l(line);
    if (this.replaying && line !== this.header) this.replaying.check(line);
  }

  /** The trace id of a handle, stream or future (the same object: the same id). */
  idOf(v) {
    const table = v !== null && (typeof v === 'object' || typeof v === 'function') ? this.ids : this.primitiveIds;
    let id = table.get(v);
    if (id === undefined) {
      id = this.nextId++;
      table.set(v, id);
      // Replay reads ids back (`objectOf`); a recording keeps no value alive.
      if (this.replaying) this.objects.set(id, v);
    }
    return id;
  }

  /**
   * The value of trace id `id` (of type `type`): what had it, or else a new stand-in
   * for it (a stream or future the trace feeds, `Replay.standIn`).
   */
  objectOf(id, type) {
    if (!this.objects.has(id)) this.adopt(id, this.replaying?.standIn(id, type) ?? { [Symbol.dispose]() {} });
    return this.objects.get(id);
  }

  /**
   * Gives `stand` (what stands for a stream or future of type `type` in a recording)
   * the trace id `id` of what it stands for; `hostHolds`: the host gets `stand`, so
   * it is what the id names in a replay (a component's stream the replay reads).
   */
  alias(stand, id, type, hostHolds) {
    this.ids.set(stand, id);
    this.types.set(id, type);
    if (this.replaying && hostHolds) {
      this.objects.set(id, stand);
      if (stand instanceof ReadableStream) {
        this.replaying.readables.set(id, { stream: stand, busy: false, reads: 0, cancelled: false });
        // After this call's line is written (a chunk's line comes after it).
        queueMicrotask(() => this.replaying.readOn(id));
      }
    }
  }

  /** Gives `value` the trace id `id` (replay: a value the trace made). */
  adopt(id, value) {
    this.ids.set(value, id);
    this.objects.set(id, value);
    this.nextId = Math.max(this.nextId, id + 1);
  }

  /**
   * The WAVE text of `v` of `type`, or when it is not one a note of why, `<…>`, on one
   * line (an event is one line).
   */
  value(type, v, root, key) {
    try {
      return waveWriteAs(type, v, this.handle, root, key);
    } catch (e) {
      return `<${(e instanceof Error ? e.message : String(e)).replace(/[\r\n]/g, ' ')}>`;
    }
  }

  /** Opens the call `f(args)` (`dir` `>` or `<`); its line is written when it ends or
   * when a call nests in it. */
  enter(dir, f, args) {
    let text = `${dir} ${f.name}(`;
    const params = f.params;
    for (let i = 0; i < params.length; i++) text += `${i > 0 ? ', ' : ''}${this.value(params[i].type, args[i], params[i].name, f.key)}`;
    text += ')';
    this.entering = text;
    this.openOuter();
    this.entering = null;
    this.stack.push({ text, open: false, depth: this.stack.length });
  }

  /** Writes the line of the innermost call, if not yet: something happens inside it. */
  openOuter() {
    const outer = this.stack.at(-1);
    if (outer && !outer.open) {
      this.emit(`${'  '.repeat(outer.depth)}${outer.text}`);
      outer.open = true;
    }
  }

  /** An event inside the calls under way (`task #N -> …`). */
  nested(text) {
    this.openOuter();
    this.emit(`${'  '.repeat(this.stack.length)}${text}`);
  }

  /** Ends the innermost call with `outcome` (the text after `-> `). */
  leave(outcome) {
    const call = this.stack.pop();
    const indent = '  '.repeat(call.depth);
    this.emit(call.open ? `${indent}-> ${outcome}` : `${indent}${call.text} -> ${outcome}`);
  }

  /** `trap "…"` or `throw Name "…"`: what a failure `e` is written as. */
  failure(e) {
    if (e instanceof WebAssembly.RuntimeError) return `trap ${this.value({ kind: 'string' }, e.message)}`;
    const name = e instanceof Error ? e.name : typeof e;
    const message = e instanceof Error ? e.message : String(e);
    return `throw ${name} ${this.value({ kind: 'string' }, message)}`;
  }

  /**
   * A function's result `v` crossing the boundary (`dir`), its streams and futures
   * replaced by their stand-ins (`recordTransfer`): for a `result`, its `ok` value.
   */
  moved(f, v, dir) {
    const t = recordResultType(f);
    return t === null ? v : recordTransfer(this, t, v, dir);
  }

  /** The outcome of a call of `f` that returned `v`. */
  returned(f, v) {
    if (f.result === null) return '()';
    if (f.result.kind === 'result') {
      const { ok } = f.result;
      return ok === null ? 'ok' : `ok(${this.value(ok, v, 'result', f.key)})`;
    }
    return this.value(f.result, v, 'result', f.key);
  }

  /** The outcome of a call of `f` that threw `e`; `isErr`: `e` is the `err` of a
   * `result`, its `payload` (an export's `ComponentError`, what a host import threw with
   * a `payload`). */
  threw(f, e, isErr) {
    if (isErr && f.result?.kind === 'result') {
      const { err } = f.result;
      return err === null ? 'err' : `err(${this.value(err, e.payload, 'err', f.key)})`;
    }
    return this.failure(e);
  }
}

/** The type of what a call of `f` returns in JS: for a `result`, its `ok` type. */
const recordResultType = (f) => (f.result?.kind === 'result' ? f.result.ok : f.result);

/** `fn` (the export `rec.fns[i]`), recording each call: arguments, then the outcome. */
export function recordExport(rec, i, fn) {
  const f = rec.fns[i];
  const wrapped = function (...args) {
    rec.enter('>', f, args);
    if (rec.replaying?.failed) throw rec.replaying.failed;
    // An async call's `{ signal }` (after the parameters): the host aborting it.
    const signal = f.async ? args[f.params.length]?.signal : undefined;
    let task;
    if (signal instanceof AbortSignal) {
      signal.addEventListener('abort', () => task !== undefined && rec.nested(`> task #${task} cancel`), { once: true });
    }
    if (f.moves) for (let i = 0; i < f.params.length; i++) args[i] = recordTransfer(rec, f.params[i].type, args[i], '>');
    let v;
    try {
      v = fn.apply(this, args);
    } catch (e) {
      rec.leave(rec.threw(f, e, e instanceof ComponentError));
      throw e;
    }
    const r = recordOutcome(rec, f, v, (e) => e instanceof ComponentError, '<');
    if (signal instanceof AbortSignal && r !== v) {
      task = rec.idOf(v);
      if (rec.replaying) rec.signals.set(task, signal);
      if (signal.aborted) rec.nested(`> task #${task} cancel`);
    }
    return r;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  // (jco's async exports are `instanceof AsyncFunction`: so is their wrapper.)
  if (Object.getPrototypeOf(fn) !== Object.getPrototypeOf(wrapped)) Object.setPrototypeOf(wrapped, Object.getPrototypeOf(fn));
  rec.exportFns.set(f.name, wrapped);
  return wrapped;
}

/**
 * `dispose` (an exported resource class's `[Symbol.dispose]`), recording each call as
 * the drop `rec.fns[i]` (`> …#[resource-drop]r(#N) -> ()`); replay makes the drops the
 * trace has through it.
 */
export function recordDispose(rec, i, dispose) {
  const f = rec.fns[i];
  const drop = recordExport(rec, i, (self) => dispose.call(self));
  return function () {
    return drop(this);
  };
}

/**
 * Whether a host function's throw is the `err` of a `result`: `errPayload`'s rule
 * (imports.js), stated apart so that code generated without `--record` stays as it was.
 */
const hasErrPayload = (e) => e !== null && typeof e === 'object' && 'payload' in e;

/**
 * Calls the host import `rec.fns[i]` (`call()`, with `args`), recording the call; a
 * replay answers it from the trace instead.
 */
export function recordImport(rec, i, args, call) {
  const f = rec.fns[i];
  rec.enter('<', f, args);
  // (`call` reads the arguments from `args`: it gets the stand-ins.)
  if (f.moves) for (let k = 0; k < f.params.length; k++) args[k] = recordTransfer(rec, f.params[k].type, args[k], '<');
  let v;
  try {
    v = rec.replaying ? rec.replaying.answer(f, rec.stack.at(-1).text, call) : call();
  } catch (e) {
    rec.leave(rec.threw(f, e, hasErrPayload(e)));
    throw e;
  }
  return recordOutcome(rec, f, v, hasErrPayload, '>');
}

/**
 * Ends the innermost call, which returned `v`: its value, or for a promise (an async
 * call) `task #N` now and `task #N -> …` once it settles; `isErr(e)`: whether a
 * rejection is the `err` of a `result`; `dir`, the way the result goes (`<` out of the
 * component, `>` into it). Returns what the caller gets (with stand-ins for streams
 * and futures).
 */
function recordOutcome(rec, f, v, isErr, dir) {
  // (A promise from a function that is not async is a `future` value: a trace id.)
  if (!f.async || !(v instanceof Promise)) {
    const text = rec.returned(f, v);
    // The stand-ins have the ids before the line is written (a replay reads it).
    if (f.moves) v = rec.moved(f, v, dir);
    rec.leave(text);
    return v;
  }
  const task = rec.idOf(v);
  rec.leave(`task #${task}`);
  // (`recordHostFunc` reads it: the call's task, and whether it settled.)
  const state = { task, settled: false, cancelled: false };
  rec.lastTask = state;
  return v.then(
    (x) => {
      state.settled = true;
      // A future an async export returns: the promise took its value (JS promises
      // adopt promises), which is written as the future's, after the task's line.
      if (dir === '<' && f.moves && recordResultType(f)?.kind === 'future' && !(x instanceof Promise)) x = Promise.resolve(x);
      const text = rec.returned(f, x);
      if (f.moves) x = rec.moved(f, x, dir);
      rec.nested(`task #${task} -> ${text}`);
      return x;
    },
    (e) => {
      state.settled = true;
      rec.nested(`task #${task} -> ${rec.threw(f, e, isErr(e))}`);
      throw e;
    },
  );
}

/**
 * `func`, a `hostFunc` (an async host call as the async ABI makes it, task.js), writing
 * the component cancelling the call before the host's promise settled: `< task #N
 * cancel`. (The host is not told: its promise's outcome is still written when it comes.)
 */
export function recordHostFunc(rec, func) {
  return (onStart, onResolve, caller) => {
    rec.lastTask = null;
    const cancel = func(onStart, onResolve, caller);
    const state = rec.lastTask;
    return () => {
      if (state !== null && !state.settled && !state.cancelled) {
        state.cancelled = true;
        rec.nested(`< task #${state.task} cancel`);
      }
      cancel();
    };
  };
}
