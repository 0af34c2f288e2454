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
//
// Replay (`weft replay`): a recording module whose Recorder finds a trace at
// `globalThis[Symbol.for('weft.trace.replay')]` when it is made answers each host call
// from that trace instead of calling the host, and `$trace.replay()` makes the trace's
// export calls; every line the run writes is compared with the trace's, and the first
// that differs ends the replay with a report.
import { ComponentError } from './component-error.js';
import { waveRead, waveReadAt, waveWriteAs } from './wave.js';

/**
 * The trace of one instance. `fns` are the functions the code names by index: `{ name,
 * params: [{ name, type }], result, async? }`, types as `describe` writes them (wave.js);
 * `async`: the JS function returns a promise of its result.
 */
export class Recorder {
  constructor(header, fns) {
    this.fns = fns;
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

  /** The value of trace id `id`: what had it, or else a new stand-in object for it. */
  objectOf(id) {
    if (!this.objects.has(id)) this.adopt(id, { [Symbol.dispose]() {} });
    return this.objects.get(id);
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
  value(type, v, root) {
    try {
      return waveWriteAs(type, v, this.handle, root);
    } catch (e) {
      return `<${(e instanceof Error ? e.message : String(e)).replace(/[\r\n]/g, ' ')}>`;
    }
  }

  /** Opens the call `f(args)` (`dir` `>` or `<`); its line is written when it ends or
   * when a call nests in it. */
  enter(dir, f, args) {
    const text = `${dir} ${f.name}(${f.params.map((p, i) => this.value(p.type, args[i], p.name)).join(', ')})`;
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

  /** The outcome of a call of `f` that returned `v`. */
  returned(f, v) {
    if (f.result === null) return '()';
    if (f.result.kind === 'result') {
      const { ok } = f.result;
      return ok === null ? 'ok' : `ok(${this.value(ok, v, 'result')})`;
    }
    return this.value(f.result, v, 'result');
  }

  /** The outcome of a call of `f` that threw `e`; `isErr`: `e` is the `err` of a
   * `result`, its `payload` (an export's `ComponentError`, what a host import threw with
   * a `payload`). */
  threw(f, e, isErr) {
    if (isErr && f.result?.kind === 'result') {
      const { err } = f.result;
      return err === null ? 'err' : `err(${this.value(err, e.payload, 'err')})`;
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
    if (rec.replaying?.failed) throw rec.replaying.failed;
    let v;
    try {
      v = fn.apply(this, args);
    } catch (e) {
      rec.leave(rec.threw(f, e, e instanceof ComponentError));
      throw e;
    }
    return recordOutcome(rec, f, v, (e) => e instanceof ComponentError);
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
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
  let v;
  try {
    v = rec.replaying ? rec.replaying.answer(f, rec.stack.at(-1).text, call) : call();
  } catch (e) {
    rec.leave(rec.threw(f, e, hasErrPayload(e)));
    throw e;
  }
  return recordOutcome(rec, f, v, hasErrPayload);
}

/**
 * Ends the innermost call, which returned `v`: its value, or for a promise (an async
 * call) `task #N` now and `task #N -> …` once it settles; `isErr(e)`: whether a
 * rejection is the `err` of a `result`.
 */
function recordOutcome(rec, f, v, isErr) {
  // (A promise from a function that is not async is a `future` value: a trace id.)
  if (!f.async || !(v instanceof Promise)) {
    rec.leave(rec.returned(f, v));
    return v;
  }
  const task = rec.idOf(v);
  rec.leave(`task #${task}`);
  return v.then(
    (x) => {
      rec.nested(`task #${task} -> ${rec.returned(f, x)}`);
      return x;
    },
    (e) => {
      rec.nested(`task #${task} -> ${rec.threw(f, e, isErr(e))}`);
      throw e;
    },
  );
}

/**
 * Two lines of a report, each cut to a window around where they first differ when it is
 * long (a list of 100,000 bytes that differs in one).
 */
function recordClip(a, b) {
  const max = 240;
  if (a.length <= max && b.length <= max) return [a, b];
  let d = 0;
  while (d < a.length && d < b.length && a[d] === b[d]) d++;
  const from = Math.max(0, d - 80);
  const cut = (s) => {
    const end = Math.min(s.length, from + max);
    return `${from > 0 ? `…(${from} characters) ` : ''}${s.slice(from, end)}${end < s.length ? ` …(${s.length - end} more)` : ''}`;
  };
  return [cut(a), cut(b)];
}

/**
 * Whether a function's name matches a pattern: the name, an interface (its functions),
 * or either with one `*` standing for any text.
 */
function recordMatches(pattern, name) {
  const matches = (p, s) => {
    const star = p.indexOf('*');
    if (star < 0) return p === s;
    const [head, tail] = [p.slice(0, star), p.slice(star + 1)];
    return s.length >= head.length + tail.length && s.startsWith(head) && s.endsWith(tail);
  };
  if (matches(pattern, name)) return true;
  const hash = name.lastIndexOf('#');
  return !pattern.includes('#') && hash > 0 && matches(pattern, name.slice(0, hash));
}

/** A trace id read from a trace, before the value it stands for is needed. */
class RecordTraceRef {
  constructor(id) {
    this.id = id;
  }
}

const recordTraceRef = (_type, id) => new RecordTraceRef(id);

/** Ends a replay where the run first differs from the trace (`report` says where). */
export class ReplayMismatch extends Error {
  constructor(report) {
    super(report);
    this.name = 'ReplayMismatch';
  }
}

/**
 * A trace being replayed: its events, parsed as they are reached (the functions' types
 * come from the recorder), each written again the way the recorder writes it, so a
 * hand-written trace (its own spacing, a flat `some`, no `>` before a top-level call)
 * compares with what the run writes.
 */
class Replay {
  /**
   * `options`: `{ trace, only, host }`: the trace's text; `only`, patterns of the export
   * calls to make (the others, with what happens inside them, are left out); `host`,
   * patterns of the host functions the real host answers (their calls are neither
   * answered from the trace nor compared with it). A pattern is a function's name
   * (`iface#f`), an interface (`iface`: its functions), with one `*` for any text.
   */
  constructor(rec, { trace: text, only = [], host = [] }) {
    this.rec = rec;
    this.only = only;
    this.hostPatterns = host;
    /** The tasks of calls left out or answered by the real host, whose lines are too. */
    this.unchecked = new Set();
    /** `{ no, text }` per event line (comments and blank lines left out). */
    this.lines = [];
    this.header = null;
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      const t = line.trim();
      if (i === 0 && t.startsWith('// weft trace ')) this.header = t;
      if (t === '' || t.startsWith('//')) return;
      this.lines.push({ no: i + 1, text: t });
    });
    this.pos = 0;
    /** The expected event at `pos`, parsed (`peek`). */
    this.next = null;
    /** The functions of the trace's calls open at `pos`, innermost last, and its tasks. */
    this.open = [];
    this.tasks = new Map();
    this.calls = 0;
    /** The first difference, once there is one. */
    this.failed = null;
    /** The async host calls that have not settled, by trace id. */
    this.hostTasks = new Map();
    /** The trace's top-level call the run is in, for the report. */
    this.within = null;
  }

  /** The expected event at `pos`, as the recorder would write it, or null at the end. */
  peek() {
    while (this.next === null && this.pos < this.lines.length) {
      const exp = this.wrap(() => this.parse(this.lines[this.pos]));
      if (!this.leftOut(exp)) this.next = exp;
    }
    return this.next;
  }

  /**
   * Whether an expected line is left out (and passed over): a call the real host
   * answers, a settled task of one, or a top-level export call `only` leaves out, with
   * the lines inside it.
   */
  leftOut(exp) {
    const hostCall = exp.kind === 'call' && exp.dir === '<' && this.byHost(exp.f.name);
    const skipped = this.skipping !== undefined
      || hostCall
      || (exp.kind === 'task' && this.unchecked.has(exp.settles))
      || (exp.kind === 'call' && exp.dir === '>' && this.open.length === 0 && this.only.length > 0
        && !this.only.some((p) => recordMatches(p, exp.f.name)));
    if (!skipped) return false;
    // Keep the structure: which calls are open, which tasks are whose.
    if (exp.kind === 'call' && !exp.opens) this.outcomeOf(exp);
    if (exp.task !== undefined) this.unchecked.add(exp.task);
    if (exp.opens) {
      this.open.push(exp.f);
      this.skipping ??= this.open.length;
    }
    if (exp.closes) {
      this.open.pop();
      if (this.skipping !== undefined && this.open.length < this.skipping) this.skipping = undefined;
    }
    this.pos++;
    return true;
  }

  /** Compares a line the run wrote with the next expected one. */
  check(line) {
    if (this.failed) return;
    if (this.uncheckedLine(line)) return;
    const exp = this.peek();
    // A call's line is written when it makes a call: say which.
    const actual = this.rec.entering ? `${line}, which calls ${this.rec.entering}` : line;
    if (exp === null) this.fail(null, 'the trace ends here', actual);
    if (exp.kind === 'call' && !exp.opens) this.outcomeOf(exp);
    if (exp.canonical !== line) this.fail(exp.line, exp.canonical, actual);
    if (exp.opens) this.open.push(exp.f);
    if (exp.closes) this.open.pop();
    if (exp.task !== undefined) this.tasks.set(exp.task, exp.f);
    this.pos++;
    this.next = null;
    this.settleReached();
  }

  /** Settles the async host call whose `task #N -> …` line is next, as that line says. */
  settleReached() {
    const exp = this.pos < this.lines.length ? this.peek() : null;
    if (exp?.kind !== 'task') return;
    const settle = this.hostTasks.get(exp.settles);
    if (!settle) return;
    this.hostTasks.delete(exp.settles);
    try {
      settle.resolve(this.outcomeValue(settle.f, exp.outcome));
    } catch (e) {
      settle.reject(e);
    }
  }

  /** Whether the real host answers the host function `name` (`host`'s patterns). */
  byHost(name) {
    return this.hostPatterns.some((p) => recordMatches(p, name));
  }

  /**
   * Whether a line the run wrote is not compared: a call to a function the real host
   * answers, or a settled task of one.
   */
  uncheckedLine(line) {
    const t = line.trimStart();
    const call = /^< ([^(]*)\(/.exec(t);
    if (call && this.byHost(call[1])) {
      const task = / -> task #(\d+)$/.exec(t);
      if (task) this.unchecked.add(Number(task[1]));
      return true;
    }
    const settled = /^task #(\d+) -> /.exec(t);
    return settled !== null && this.unchecked.has(Number(settled[1]));
  }

  /**
   * What the host returned (or threw) for the call `text` of `f`, per the trace; a
   * function the real host answers is called (`call`).
   */
  answer(f, text, call) {
    if (this.failed) throw this.failed;
    if (this.byHost(f.name)) return call();
    const exp = this.peek();
    const indent = '  '.repeat(this.rec.stack.length - 1);
    if (exp === null || exp.kind !== 'call' || exp.call !== indent + text) {
      if (exp?.kind === 'call' && !exp.opens) this.outcomeOf(exp);
      this.fail(exp?.line ?? null, exp === null ? 'the trace ends here' : exp.canonical, indent + text);
    }
    if (exp.opens) {
      this.fail(exp.line, exp.canonical, `${indent}${text} (replaying a host's calls back into the component is not supported yet)`);
    }
    const o = this.outcomeOf(exp);
    if (o.kind !== 'task') return this.outcomeValue(f, o);
    // An async host call: a promise, under the trace's id, that settles when the replay
    // reaches the trace's `task #N -> …` line (`settleReached`).
    let settle;
    const p = new Promise((resolve, reject) => {
      settle = { resolve, reject, f };
    });
    this.rec.adopt(o.task, p);
    this.hostTasks.set(o.task, settle);
    return p;
  }

  /** What a host call of `f` whose outcome is `o` returns (or throws). */
  outcomeValue(f, o) {
    switch (o.kind) {
      case 'unit':
        return undefined;
      case 'trap':
        throw new WebAssembly.RuntimeError(o.message);
      case 'throw': {
        const e = new Error(o.message);
        e.name = o.name;
        throw e;
      }
      default: {
        const v = this.live(o.value);
        if (f.result.kind !== 'result') return v;
        if (v.tag === 'err') throw new ComponentError(v.value);
        return v.value;
      }
    }
  }

  /**
   * `v` with each trace id in it made the value it stands for (`objectOf`): done when
   * the value goes to the run, so a new id gets its value in the order the run meets it.
   */
  live(v) {
    if (v instanceof RecordTraceRef) return this.rec.objectOf(v.id);
    if (Array.isArray(v)) return v.map((x) => this.live(x));
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, this.live(x)]));
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.live(x)]));
    }
    return v;
  }

  fail(line, expected, actual) {
    const at = line === null ? 'at the end of the trace' : `at line ${line.no} of the trace`;
    const within = this.within && this.within !== line ? `, in the call of line ${this.within.no} (${this.within.text})` : '';
    const [e, a] = recordClip(expected.trimStart(), actual.trimStart());
    this.failed = new ReplayMismatch(`the run differs from the trace ${at}${within}:\n  trace: ${e}\n  run:   ${a}`);
    throw this.failed;
  }

  /** Makes the trace's export calls in order; resolves to `{ ok, calls, report }`. */
  async run() {
    const rec = this.rec;
    const notes = [];
    const [, world, hash] = /; world (\S+); component (\S+)$/.exec(rec.header) ?? [];
    const [, tWorld, tHash] = /; world (\S+); component (\S+)$/.exec(this.header ?? '') ?? [];
    if (tHash && tHash !== hash) notes.push(`a different build of the component than the trace's (${tHash}, now ${hash})`);
    if (tWorld && tWorld !== world) notes.push(`the trace's world is ${tWorld}, the component's ${world}`);
    try {
      while (!this.failed) {
        const exp = this.peek();
        if (exp === null) break;
        if (exp.kind !== 'call' || exp.dir !== '>' || this.open.length > 0) {
          // A line the run writes on its own (an async task's calls, a settled task):
          // wait for it, as long as the run is doing something.
          await this.progress(exp);
          continue;
        }
        const fn = rec.exportFns.get(exp.f.name);
        this.within = exp.line;
        this.calls++;
        let v;
        try {
          v = fn(...exp.args.map((a) => this.live(a)));
        } catch (e) {
          if (e instanceof ReplayMismatch) throw e;
        }
        // An async call runs on; its outcome is a line of the trace to come.
        if (v instanceof Promise) v.catch(() => {});
        if (this.failed) throw this.failed;
      }
    } catch (e) {
      if (!(e instanceof ReplayMismatch)) throw e;
    }
    const ok = !this.failed;
    const head = ok ? `replayed ${this.calls} call${this.calls === 1 ? '' : 's'}: as in the trace` : this.failed.message;
    return { ok, calls: this.calls, report: [head, ...notes.map((n) => `note: ${n}`)].join('\n') };
  }

  /**
   * Waits until the run writes the next line (which `check` compares with `exp`); the
   * run doing nothing more while the page's tasks run (a few rounds of timers) is a
   * difference.
   */
  async progress(exp) {
    const at = this.pos;
    for (let idle = 0; idle < 20 && this.pos === at && !this.failed; idle++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (this.failed) throw this.failed;
    if (this.pos === at) this.fail(exp.line, exp.canonical, '(nothing: the run waits for something the trace does not give it)');
  }

  /**
   * An expected event line: `{ kind: 'call' | 'close' | 'task', canonical, … }`;
   * `canonical` is the line as the recorder writes it (indented by the calls open).
   */
  parse(line) {
    const rec = this.rec;
    const indent = '  '.repeat(this.open.length);
    const t = line.text;
    if (t.startsWith('->')) {
      const f = this.open.at(-1);
      if (f === undefined) throw new Error(`line ${line.no}: an outcome with no call open`);
      const outcome = this.outcome(f, t.slice(2).trim(), line);
      const task = outcome.kind === 'task' ? outcome.task : undefined;
      return { kind: 'close', line, f, closes: true, outcome, task, canonical: `${'  '.repeat(this.open.length - 1)}-> ${outcome.text}` };
    }
    const task = /^task #(\d+) -> (.*)$/.exec(t);
    if (task) {
      const f = this.tasks.get(Number(task[1]));
      if (f === undefined) throw new Error(`line ${line.no}: task #${task[1]} was not started`);
      const outcome = this.outcome(f, task[2], line);
      return { kind: 'task', line, f, settles: Number(task[1]), outcome, canonical: `${indent}task #${task[1]} -> ${outcome.text}` };
    }
    let dir = '>';
    let rest = t;
    if (t.startsWith('> ') || t.startsWith('< ')) {
      dir = t[0];
      rest = t.slice(2);
    } else if (this.open.length > 0) {
      throw new Error(`line ${line.no}: expected '> call', '< call', '-> outcome' or 'task #N -> outcome'`);
    }
    const paren = rest.indexOf('(');
    if (paren < 0) throw new Error(`line ${line.no}: expected a call, name(arguments)`);
    const name = rest.slice(0, paren).trim();
    const f = rec.byName.get(name);
    if (f === undefined) {
      const what = dir === '>' ? 'export' : 'import';
      throw new Error(`line ${line.no}: the component has no ${what} \`${name}\``);
    }
    const args = [];
    let at = paren + 1;
    const skip = () => {
      while (rest[at] === ' ') at++;
    };
    f.params.forEach((p, i) => {
      const r = waveReadAt(p.type, rest, at, { handle: recordTraceRef });
      args.push(r.value);
      at = r.end;
      skip();
      if (i < f.params.length - 1) {
        if (rest[at] !== ',') throw new Error(`line ${line.no}: expected ',' after argument ${p.name}`);
        at++;
      }
    });
    skip();
    if (rest[at] !== ')') throw new Error(`line ${line.no}: expected ')' after the ${f.params.length} arguments of ${name}`);
    at++;
    skip();
    const call = `${indent}${dir} ${name}(${f.params.map((p, i) => rec.value(p.type, args[i], p.name)).join(', ')})`;
    if (at === rest.length) return { kind: 'call', line, dir, f, args, call, opens: true, outcome: null, canonical: call };
    if (!rest.startsWith('->', at)) throw new Error(`line ${line.no}: expected '->' and the outcome, or nothing`);
    // The outcome is read when it is reached (`outcomeOf`): the ids in an export's
    // result are the run's by then.
    const outcomeText = rest.slice(at + 2).trim();
    return { kind: 'call', line, dir, f, args, call, outcomeText, outcome: undefined, canonical: `${call} -> ${outcomeText}` };
  }

  /** The outcome of an expected one-line call, read once; sets its `canonical`. */
  outcomeOf(exp) {
    if (exp.outcome === undefined) {
      exp.outcome = this.wrap(() => this.outcome(exp.f, exp.outcomeText, exp.line));
      exp.canonical = `${exp.call} -> ${exp.outcome.text}`;
      if (exp.outcome.kind === 'task') exp.task = exp.outcome.task;
    }
    return exp.outcome;
  }

  /** `f()`, a trace that does not read ending the replay. */
  wrap(f) {
    try {
      return f();
    } catch (e) {
      this.failed = new ReplayMismatch(`the trace does not read: ${e.message}`);
      throw this.failed;
    }
  }

  /** An outcome of a call of `f`: `{ kind, text }` and what it holds (trace ids as
   * `RecordTraceRef`s). */
  outcome(f, text, line) {
    const rec = this.rec;
    const str = { kind: 'string' };
    try {
      if (text === '()') return { kind: 'unit', text };
      const task = /^task #(\d+)$/.exec(text);
      if (task) return { kind: 'task', task: Number(task[1]), text };
      if (text.startsWith('trap ')) {
        const message = waveRead(str, text.slice(5));
        return { kind: 'trap', message, text: `trap ${rec.value(str, message)}` };
      }
      const thrown = /^throw ([A-Za-z_$][\w$]*) (.*)$/.exec(text);
      if (thrown) {
        const message = waveRead(str, thrown[2]);
        return { kind: 'throw', name: thrown[1], message, text: `throw ${thrown[1]} ${rec.value(str, message)}` };
      }
      if (f.result === null) throw new Error(`${f.name} has no result: its outcome is () (or trap, throw)`);
      const value = waveRead(f.result, text, { handle: recordTraceRef });
      return { kind: 'value', value, text: rec.value(f.result, value, 'result') };
    } catch (e) {
      throw new Error(`line ${line.no}: ${e.message}`);
    }
  }
}
