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
// `>` is a call into the component, `<` one out of it. An outcome is `-> VALUE` (WAVE),
// `-> ()` for a function without a result, `-> ok(…)` / `-> err(…)` for one whose result
// is a `result` (whether JS saw it returned or thrown), `-> trap "…"` for a trap, and
// `-> throw Name "…"` for anything else thrown.
import { ComponentError } from './component-error.js';
import { waveWrite } from './wave.js';

/**
 * The trace of one instance. `fns` are the functions the code names by index: `{ name,
 * params: [{ name, type }], result }`, types as `describe` writes them (wave.js).
 */
export class Recorder {
  constructor(header, fns) {
    this.fns = fns;
    this.lines = [];
    this.listeners = [];
    /** The calls under way, innermost last: `{ text, open, depth }`. */
    this.stack = [];
    this.ids = new WeakMap();
    this.primitiveIds = new Map();
    this.nextId = 1;
    this.handle = (_t, v) => `#${this.idOf(v)}`;
    const sink = globalThis[Symbol.for('weft.trace.sink')];
    if (typeof sink === 'function') this.listeners.push(sink);
    this.emit(`// weft trace 1; ${header}`);
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
    this.lines.push(line);
    for (const l of this.listeners) l(line);
  }

  /** The trace id of a handle, stream or future (the same object: the same id). */
  idOf(v) {
    const table = v !== null && (typeof v === 'object' || typeof v === 'function') ? this.ids : this.primitiveIds;
    let id = table.get(v);
    if (id === undefined) {
      id = this.nextId++;
      table.set(v, id);
    }
    return id;
  }

  /** The WAVE text of `v` of `type`, or a comment-like placeholder when it is not one. */
  value(type, v, root) {
    try {
      return waveWrite(type, v, { handle: this.handle, root });
    } catch (e) {
      return `<${e instanceof Error ? e.message : String(e)}>`;
    }
  }

  /** Opens the call `f(args)` (`dir` `>` or `<`); its line is written when it ends or
   * when a call nests in it. */
  enter(dir, f, args) {
    const text = `${dir} ${f.name}(${f.params.map((p, i) => this.value(p.type, args[i], p.name)).join(', ')})`;
    this.openOuter();
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

  /** The outcome of a call of `f` that returned `v`. */
  returned(f, v) {
    if (f.result === null) return '()';
    if (f.result.kind === 'result') {
      const { ok } = f.result;
      return ok === null ? 'ok' : `ok(${this.value(ok, v, 'result')})`;
    }
    return this.value(f.result, v, 'result');
  }

  /** The outcome of a call of `f` that threw `e`; `payload` is its `err` payload, if it
   * is one (an export's `ComponentError`, what a host import threw with a `payload`). */
  threw(f, e, isErr, payload) {
    if (isErr && f.result?.kind === 'result') {
      const { err } = f.result;
      return err === null ? 'err' : `err(${this.value(err, payload, 'err')})`;
    }
    if (e instanceof WebAssembly.RuntimeError) return `trap ${this.value({ kind: 'string' }, e.message)}`;
    const name = e instanceof Error ? e.name : typeof e;
    const message = e instanceof Error ? e.message : String(e);
    return `throw ${name} ${this.value({ kind: 'string' }, message)}`;
  }
}

/** `fn` (the export `rec.fns[i]`), recording each call: arguments, then the outcome. */
export function recordExport(rec, i, fn) {
  const f = rec.fns[i];
  const wrapped = function (...args) {
    rec.enter('>', f, args);
    let v;
    try {
      v = fn.apply(this, args);
    } catch (e) {
      rec.leave(rec.threw(f, e, e instanceof ComponentError, e?.payload));
      throw e;
    }
    if (v instanceof Promise) {
      // An async call: `-> task #N` now, `task #N -> …` when it settles.
      const task = rec.idOf(v);
      rec.leave(`task #${task}`);
      const settle = (outcome) => rec.nested(`task #${task} -> ${outcome}`);
      return v.then(
        (x) => (settle(rec.returned(f, x)), x),
        (e) => {
          settle(rec.threw(f, e, e instanceof ComponentError, e?.payload));
          throw e;
        },
      );
    }
    rec.leave(rec.returned(f, v));
    return v;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  return wrapped;
}

/** Calls the host import `rec.fns[i]` (`call()`, with `args`), recording the call. */
export function recordImport(rec, i, args, call) {
  const f = rec.fns[i];
  rec.enter('<', f, args);
  let v;
  try {
    v = call();
  } catch (e) {
    // As the trampoline takes it: a thrown `payload` is a `result`'s `err`.
    const isErr = e !== null && typeof e === 'object' && 'payload' in e;
    rec.leave(rec.threw(f, e, isErr, e?.payload));
    throw e;
  }
  rec.leave(rec.returned(f, v));
  return v;
}
