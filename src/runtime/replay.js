// Replay (`weft replay`, docs/record-replay.md): a recording module whose `Recorder`
// (record.js) finds a trace at `globalThis[Symbol.for('weft.trace.replay')]` when it is
// made plays the host from it. `Replay` reads the trace's events as they are reached
// (the functions' types come from the recorder), answers each host call from them,
// gives the values of the host's streams and futures, reads the component's streams as
// the host did, aborts and cancels where the trace says, makes the trace's export calls,
// and compares every line the run writes with the trace's; the first that differs ends
// the replay with a report.
import { ComponentError } from './component-error.js';
import { recordChunkType } from './record-moves.js';
import { waveRead, waveReadAt } from './wave.js';

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
 * Failures that are the same in two engines' words: the wasm spec leaves a core trap's
 * message to the engine, so a trace recorded in Firefox (SpiderMonkey) says
 * `trap "unreachable executed"` where node and Chromium (V8) say `trap "unreachable"`.
 * Pairs, not one name per trap: SpiderMonkey's "index out of bounds" is V8's memory or
 * table message, V8's call_indirect message is either of SpiderMonkey's two.
 */
const RECORD_ENGINE_WORDS = [
  ...[
    ['unreachable', 'unreachable executed'],
    ['divide by zero', 'integer divide by zero'],
    ['divide result unrepresentable', 'integer overflow'],
    ['float unrepresentable in integer range', 'invalid conversion to integer'],
    ['memory access out of bounds', 'index out of bounds'],
    ['table index is out of bounds', 'index out of bounds'],
    ['null function or function signature mismatch', 'indirect call to null'],
    ['null function or function signature mismatch', 'indirect call signature mismatch'],
  ].map(([v8, sm]) => [`trap "${v8}"`, `trap "${sm}"`]),
  // Stack exhaustion is no trap in either: a RangeError in V8, an InternalError in SpiderMonkey.
  ['throw RangeError "Maximum call stack size exceeded"', 'throw InternalError "too much recursion"'],
];

/**
 * Whether a line the run wrote is the trace's line: the same text, or the same but for
 * a failure in another engine's words (`RECORD_ENGINE_WORDS`).
 * @param {string} traced @param {string} ran
 */
function recordSameLine(traced, ran) {
  if (traced === ran) return true;
  for (const [x, y] of RECORD_ENGINE_WORDS) {
    for (const [p, q] of [[x, y], [y, x]]) {
      const i = traced.indexOf(p);
      if (i >= 0 && ran.startsWith(q, i) && traced.slice(0, i) === ran.slice(0, i) && traced.slice(i + p.length) === ran.slice(i + q.length)) return true;
    }
  }
  return false;
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

/**
 * The stream, future or task (`stream #4`) an event line is of (`< stream #4: …`,
 * `task #3 -> …`, `> task #3 cancel`), or null for a call or an outcome.
 */
function recordEventOf(text) {
  const m = /^(?:[<>] )?(stream|future|task) #(\d+)(?::| )/.exec(text);
  if (m === null || (m[1] === 'task' && !/^(?:task #\d+ -> |[<>] task #\d+ cancel$)/.test(text))) return null;
  return `${m[1]} #${m[2]}`;
}

/**
 * `v` of type `t` (weft's native shapes, as the trace is read) in jco's (`--compat
 * jco`, docs/js-api.md): `{ tag, val }` for variants, results and `option<option<…>>`,
 * `undefined` for none, an `Array` for a fixed-length list.
 */
function recordJcoShapes(t, v) {
  if (t === null || t === undefined) return v;
  const isObj = v !== null && typeof v === 'object';
  switch (t.kind) {
    case 'list':
      if (Array.isArray(v)) return v.map((x) => recordJcoShapes(t.element, x));
      return t.length != null && ArrayBuffer.isView(v) ? Array.from(v) : v;
    case 'tuple':
      return Array.isArray(v) ? v.map((x, i) => recordJcoShapes(t.types[i], x)) : v;
    case 'record':
      return isObj ? Object.fromEntries(t.fields.map((f) => [f.js ?? f.name, recordJcoShapes(f.type, v[f.js ?? f.name])])) : v;
    case 'variant': {
      const c = isObj ? t.cases.find((x) => x.name === v.tag) : undefined;
      return c?.type ? { tag: v.tag, val: recordJcoShapes(c.type, v.value) } : v;
    }
    case 'result': {
      const payload = isObj && (v.tag === 'ok' || v.tag === 'err') ? t[v.tag] : null;
      return payload ? { tag: v.tag, val: recordJcoShapes(payload, v.value) } : v;
    }
    case 'option':
      if (t.type.kind === 'option') return isObj && v.tag === 'some' ? { tag: 'some', val: recordJcoShapes(t.type, v.value) } : v;
      return v === null ? undefined : recordJcoShapes(t.type, v);
    case 'map':
      return v instanceof Map ? new Map([...v].map(([k, x]) => [recordJcoShapes(t.key, k), recordJcoShapes(t.value, x)])) : v;
    default:
      return v;
  }
}

/** A trace id read from a trace, before the value it stands for is needed. */
export class RecordTraceRef {
  constructor(id, type) {
    this.id = id;
    this.type = type;
  }
}

const recordTraceRef = (type, id) => new RecordTraceRef(id, type);

/**
 * A host's stream in a replay (a trace id of a stream the host gave): an async
 * iterable whose values are the trace's `> stream #N: …` lines, each given when the
 * replay reaches it (`Replay.feedNow`).
 */
class ReplaySource {
  constructor(replay) {
    this.replay = replay;
    /** The read waiting for the trace: `{ resolve, reject }`. */
    this.pending = null;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next() {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.replay.feed();
    });
  }

  /** The component dropped the stream: a read waiting ends (as a ReadableStream's). */
  return() {
    this.pending?.resolve({ done: true, value: undefined });
    this.pending = null;
    return Promise.resolve({ done: true, value: undefined });
  }
}

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
export class Replay {
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
    /** The host's streams and futures the trace feeds (`standIn`), by trace id. */
    this.sources = new Map();
    this.futures = new Map();
    /** The component's streams the replay reads as the trace says the host did. */
    this.readables = new Map();
    /** The controller of each signal given to an async export call. */
    this.controllers = new Map();
    this.feedQueued = false;
    /** How many times the trace has the host read each component's stream. */
    this.hostReads = new Map();
    for (const { text: t } of this.lines) {
      const read = /^< stream #(\d+)(?::| end$| trap | throw )/.exec(t);
      if (read) this.hostReads.set(Number(read[1]), (this.hostReads.get(Number(read[1])) ?? 0) + 1);
    }
  }

  /** A stand-in for the host's stream or future `id` of type `type`, or null. */
  standIn(id, type) {
    if (type?.kind === 'stream') {
      const source = new ReplaySource(this);
      this.sources.set(id, source);
      this.rec.types.set(id, type);
      return source;
    }
    if (type?.kind === 'future') {
      let settle;
      const p = new Promise((resolve, reject) => {
        settle = { resolve, reject };
      });
      this.futures.set(id, settle);
      this.rec.types.set(id, type);
      return p;
    }
    return null;
  }

  /** Acts for the host on the trace's next line, soon (`feedNow`). */
  feed() {
    if (this.feedQueued) return;
    this.feedQueued = true;
    // Not inside the line's check: what the host does runs the component again.
    queueMicrotask(() => {
      this.feedQueued = false;
      this.feedNow();
    });
  }

  /**
   * Acts for the host (`act`) on the trace's next lines, as long as they are the
   * host's doing: in the trace's order, as what the host did followed from what it saw
   * before (a WASI shim settles its future after it has read the stream's end), and
   * all of such a run of lines at once, as the host did them before the component ran
   * again (an error for a future, and the end of the stream it belongs to).
   */
  feedNow() {
    if (this.failed) return;
    try {
      for (const { exp, first } of this.window()) {
        const hosts = (exp.kind === 'task' && this.hostTasks.has(exp.settles)) || (exp.kind === 'move' && exp.dir === '>');
        if (!hosts) break;
        if (first) this.act(exp);
      }
    } catch {
      // `failed` says why (a trace that does not read); the replay's loop reports it.
    }
  }

  /**
   * Does what the host did on the trace's line `exp`, if it is the host's to do and
   * not done yet: settles an async host call, gives a value of a host's stream or
   * future, reads or cancels a component's stream, aborts an export call. What the
   * host does is then recorded and compared as the run's own line.
   */
  act(exp) {
    if (exp.kind === 'task') {
      const settle = this.hostTasks.get(exp.settles);
      if (!settle) return;
      this.hostTasks.delete(exp.settles);
      try {
        settle.resolve(this.outcomeValue(settle.f, exp.outcome));
      } catch (e) {
        settle.reject(e);
      }
      return;
    }
    if (exp.kind !== 'move') return;
    const { what, dir, id, event } = exp;
    if (what === 'task') {
      if (dir === '<') return; // The component cancels: its own line.
      const c = this.controllers.get(this.rec.signals.get(id));
      if (c === undefined) this.fail(exp.line, exp.canonical, `(task #${id} is no async export call the replay made: it aborts only those)`);
      c.abort();
    } else if (what === 'future' && dir === '>') {
      const settle = this.futures.get(id);
      if (!settle) return;
      this.futures.delete(id);
      if (event === 'fail') settle.reject(this.error(exp.failure));
      else settle.resolve(this.live(exp.value));
    } else if (what === 'stream' && dir === '>' && event !== 'cancel') {
      const source = this.sources.get(id);
      const read = source?.pending;
      if (!read) return;
      source.pending = null;
      if (event === 'fail') read.reject(this.error(exp.failure));
      else if (event === 'end') read.resolve({ done: true, value: undefined });
      else read.resolve({ done: false, value: exp.type.type === null ? undefined : this.live(exp.value) });
    } else if (what === 'stream' && dir === '>' && event === 'cancel') {
      // The host cancelled a component's stream (not one it passed on: locked).
      const r = this.readables.get(id);
      if (!r || r.cancelled || r.stream.locked) return;
      r.cancelled = true;
      r.stream.cancel().catch(() => {});
    }
  }

  /**
   * Reads the component's stream `id` as the host did: with a read always waiting (as
   * hosts read, and weft's WASI shims do), as many times as the trace has the host
   * read it (`< stream #N: …` and its end); a stream the host passed on (locked) is
   * read where it went.
   */
  readOn(id) {
    const r = this.readables.get(id);
    if (!r || r.busy || r.cancelled || r.stream.locked || this.failed) return;
    if (r.reads >= (this.hostReads.get(id) ?? 0)) return;
    r.busy = true;
    r.reads++;
    const reader = r.stream.getReader();
    reader.read().then(
      (x) => {
        reader.releaseLock();
        r.busy = false;
        if (!x.done) this.readOn(id);
      },
      () => {},
    );
  }

  /** The error a failure read from the trace (`trap "…"`, `throw Name "…"`) is. */
  error(failure) {
    if (failure.kind === 'trap') return new WebAssembly.RuntimeError(failure.message);
    const e = new Error(failure.message);
    e.name = failure.name;
    return e;
  }

  /** The expected event at `pos`, as the recorder would write it, or null at the end. */
  peek() {
    while (this.next === null && this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      if (line.done) {
        this.pos++;
        continue;
      }
      const exp = line.exp ?? this.wrap(() => this.parse(line));
      if (!this.leftOut(exp)) this.next = exp;
    }
    return this.next;
  }

  /**
   * The events the run may write next, from `pos` up to the next call or outcome line
   * (an event of a stream, a future or a task: between two calls, those of different
   * ones may come in any order, as the host's promises and the scheduler's turns fall;
   * each one's own in order): `{ i, exp, first }`, `first` when no earlier event of
   * the window is of the same stream, future or task. A call line at `pos` is the only
   * one.
   */
  *window() {
    if (this.peek() === null) return;
    const seen = new Set();
    for (let i = this.pos; i < this.lines.length && i < this.pos + 64; i++) {
      const line = this.lines[i];
      if (line.done) continue;
      if (line.exp === undefined) {
        try {
          line.exp = this.parse(line);
        } catch {
          return; // Not readable yet (a stream the run has not made): later.
        }
      }
      const exp = line.exp;
      if (this.ofLeftOut(exp)) continue;
      const of = recordEventOf(line.text);
      if (of === null) {
        if (i === this.pos) yield { i, exp, first: true };
        return;
      }
      yield { i, exp, first: !seen.has(of) };
      seen.add(of);
    }
  }

  /**
   * Whether an event is of a call left out (`only`, `host`): a stream or future the run
   * does not have, the outcome or the abort of a task whose call was passed over.
   */
  ofLeftOut(exp) {
    if (exp.kind === 'task') return this.unchecked.has(exp.settles);
    return exp.kind === 'move' && (exp.unknown === true || (exp.what === 'task' && this.unchecked.has(exp.id)));
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
      || this.ofLeftOut(exp)
      || (exp.kind === 'call' && exp.dir === '>' && this.open.length === 0 && this.only.length > 0
        && !this.only.some((p) => recordMatches(p, exp.f.name)));
    if (!skipped) return false;
    // Keep the structure: which calls are open, which tasks are whose.
    if (exp.kind === 'call' && !exp.opens) this.outcomeOf(exp);
    if (exp.task !== undefined) {
      // Its outcome's line is read (the function's types) and left out too.
      this.tasks.set(exp.task, exp.f);
      this.unchecked.add(exp.task);
    }
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
    if (!recordSameLine(exp.canonical, line)) {
      if (!this.eventLater(line, actual)) this.fail(exp.line, exp.canonical, actual);
      this.feed();
      return;
    }
    if (exp.opens) this.open.push(exp.f);
    if (exp.closes) this.open.pop();
    if (exp.task !== undefined) this.tasks.set(exp.task, exp.f);
    this.pos++;
    this.next = null;
    this.feed();
  }

  /**
   * Whether `line`, an event of a stream, future or task the run wrote, is the next
   * event of that one in the trace, which has it later (then taken as seen): the
   * events of different streams, futures and tasks may come in another order than the
   * trace's, as the host's promises and the scheduler's turns fall, each one's own in
   * order (indentation aside). The component dropping a host's stream whose next
   * event is its end is that end (the component never sees an end after it dropped the
   * stream; a recording does not write a drop after the end). An event that differs
   * from that one's next in the trace ends the replay there.
   */
  eventLater(line, actual) {
    const t = line.trimStart();
    const of = recordEventOf(t);
    if (of === null) return false;
    for (let j = this.pos; j < this.lines.length && j < this.pos + 1024; j++) {
      const l = this.lines[j];
      if (l.done || recordEventOf(l.text) !== of) continue;
      if (l.exp === undefined) l.exp = this.wrap(() => this.parse(l));
      const exp = l.exp;
      const dropped = exp.kind === 'move' && exp.dir === '>' && exp.what === 'stream' && (exp.event === 'end' || exp.event === 'fail') && t === `< stream #${exp.id} cancel`;
      if (!dropped && !recordSameLine(exp.canonical.trimStart(), t)) this.fail(l, exp.canonical, actual);
      l.done = true;
      if (j === this.pos) this.next = null;
      return true;
    }
    return false;
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
    const call = /^< ([^(\s]*)\(/.exec(t);
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
    const o = exp.opens ? this.insideHostCall(exp, indent, text) : this.outcomeOf(exp);
    if (o.kind !== 'task') return this.outcomeValue(f, o);
    // An async host call: a promise, under the trace's id, that settles when the replay
    // reaches the trace's `task #N -> …` line (`feedNow`).
    let settle;
    const p = new Promise((resolve, reject) => {
      settle = { resolve, reject, f };
    });
    this.rec.adopt(o.task, p);
    this.hostTasks.set(o.task, settle);
    return p;
  }

  /**
   * A host call the trace has on several lines (`exp`, its first): what the host did
   * inside it, done now, in order, and then its outcome. The host may call back into
   * the component (each call made as the trace has it, its own host calls answered in
   * turn) and cancel a stream the component gave it (a WASI shim refusing a write).
   */
  insideHostCall(exp, indent, text) {
    // The call's line first (compared with `exp`): what the host does comes inside it.
    this.rec.openOuter();
    for (;;) {
      const e = this.peek();
      if (e === null) this.fail(null, `the outcome of line ${exp.line.no}`, `${indent}${text}`);
      if (e.kind === 'close') return e.outcome;
      const at = this.pos;
      if (e.kind === 'call' && e.dir === '>') this.callExport(e);
      else if (e.kind === 'move' && e.what === 'stream' && e.dir === '>' && e.event === 'cancel') this.act(e);
      else this.fail(e.line, e.canonical, `${indent}${text} (in a host call, the replay makes the host's calls into the component and cancels streams; not this)`);
      if (this.failed) throw this.failed;
      // What the host did wrote nothing (the component has no such stream): it differs.
      if (this.pos === at) this.fail(e.line, e.canonical, '(nothing)');
    }
  }

  /**
   * Makes the trace's export call `exp` (its arguments made live; an async one with a
   * signal `> task #N cancel` aborts); what it returns or throws is the run's to write
   * (its lines say how it ended), a difference excepted.
   */
  callExport(exp) {
    const fn = this.rec.exportFns.get(exp.f.name);
    if (fn === undefined) this.fail(exp.line, exp.canonical, `(${exp.f.name} is not a function the component exports)`);
    const args = exp.args.map((a, i) => this.shaped(exp.f, exp.f.params[i].type, this.live(a)));
    if (exp.f.async) {
      const c = new AbortController();
      this.controllers.set(c.signal, c);
      args.push({ signal: c.signal });
    }
    let v;
    try {
      v = fn(...args);
    } catch (e) {
      if (e instanceof ReplayMismatch) throw e;
    }
    // An async call runs on; its outcome is a line of the trace to come.
    if (v instanceof Promise) v.catch(() => {});
  }

  /** What a host call of `f` whose outcome is `o` returns (or throws). */
  outcomeValue(f, o) {
    switch (o.kind) {
      case 'unit':
        return undefined;
      case 'trap':
      case 'throw':
        throw this.error(o);
      default: {
        const v = this.live(o.value);
        if (f.result.kind !== 'result') return this.shaped(f, f.result, v);
        if (v.tag === 'err') throw new ComponentError(this.shaped(f, f.result.err, v.value));
        return this.shaped(f, f.result.ok, v.value);
      }
    }
  }

  /** `v` (of type `t`, read from the trace) in the shapes `f`'s values have. */
  shaped(f, t, v) {
    return f.jco ? recordJcoShapes(t, v) : v;
  }

  /**
   * `v` with each trace id in it made the value it stands for (`objectOf`): done when
   * the value goes to the run, so a new id gets its value in the order the run meets it.
   */
  live(v) {
    if (v instanceof RecordTraceRef) return this.rec.objectOf(v.id, v.type);
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
        this.within = exp.line;
        this.calls++;
        this.callExport(exp);
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
    this.feed();
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
    const move = /^([<>]) (stream|future|task) #(\d+)(:?) *(.*)$/.exec(t);
    if (move) return this.parseMove(line, indent, move);
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

  /**
   * A line of what moved through a stream or future, or of an export call aborted
   * (record-moves.js): `{ kind: 'move', dir, what, id, event, value | failure, type,
   * canonical }`, `event` one of `value`, `end`, `cancel`, `fail`.
   */
  parseMove(line, indent, [, dir, what, idText, colon, rest]) {
    const rec = this.rec;
    const id = Number(idText);
    const exp = { kind: 'move', line, dir, what, id, event: 'value', type: null };
    const head = `${indent}${dir} ${what} #${id}`;
    if (what === 'task') {
      // `>`: the host aborted an export call; `<`: the component cancelled a host call.
      if (colon || rest !== 'cancel') throw new Error(`line ${line.no}: expected '${dir} task #${id} cancel'`);
      return { ...exp, event: 'cancel', canonical: `${head} cancel` };
    }
    const type = rec.types.get(id);
    if (type?.kind !== what) {
      // One of a call left out (`only`, `host`): left out with it.
      if (this.only.length > 0 || this.hostPatterns.length > 0) return { ...exp, unknown: true, canonical: head };
      throw new Error(`line ${line.no}: the run has no ${what} #${id} (yet)`);
    }
    exp.type = type;
    if (colon) {
      const t = what === 'stream' ? recordChunkType(type) : type.type;
      if (t === null) {
        if (rest !== '()') throw new Error(`line ${line.no}: the value of a future<_> is ()`);
        return { ...exp, value: undefined, canonical: `${head}: ()` };
      }
      try {
        exp.value = waveRead(t, rest, { handle: recordTraceRef });
      } catch (e) {
        throw new Error(`line ${line.no}: ${e.message}`);
      }
      return { ...exp, canonical: `${head}: ${rec.value(t, exp.value)}` };
    }
    if (what === 'stream' && (rest === 'end' || rest === 'cancel')) return { ...exp, event: rest, canonical: `${head} ${rest}` };
    const failure = this.failureOf(rest, line);
    if (failure === null) {
      const events = what === 'stream' ? "': value', 'end', 'cancel', 'trap \"…\"' or 'throw Name \"…\"'" : "': value', 'trap \"…\"' or 'throw Name \"…\"'";
      throw new Error(`line ${line.no}: expected ${events} after ${what} #${id}`);
    }
    return { ...exp, event: 'fail', failure, canonical: `${head} ${failure.text}` };
  }

  /** `trap "…"` or `throw Name "…"` read (`{ kind, message, name?, text }`), or null. */
  failureOf(text, line) {
    const str = { kind: 'string' };
    try {
      if (text.startsWith('trap ')) {
        const message = waveRead(str, text.slice(5));
        return { kind: 'trap', message, text: `trap ${this.rec.value(str, message)}` };
      }
      const thrown = /^throw ([A-Za-z_$][\w$]*) (.*)$/.exec(text);
      if (thrown) {
        const message = waveRead(str, thrown[2]);
        return { kind: 'throw', name: thrown[1], message, text: `throw ${thrown[1]} ${this.rec.value(str, message)}` };
      }
    } catch (e) {
      throw new Error(`line ${line.no}: ${e.message}`);
    }
    return null;
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
    const failure = this.failureOf(text, line);
    if (failure !== null) return failure;
    try {
      if (text === '()') return { kind: 'unit', text };
      const task = /^task #(\d+)$/.exec(text);
      if (task) return { kind: 'task', task: Number(task[1]), text };
      if (f.result === null) throw new Error(`${f.name} has no result: its outcome is () (or trap, throw)`);
      const value = waveRead(f.result, text, { handle: recordTraceRef });
      return { kind: 'value', value, text: rec.value(f.result, value, 'result') };
    } catch (e) {
      throw new Error(`line ${line.no}: ${e.message}`);
    }
  }
}
