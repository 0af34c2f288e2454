// WAVE, the Component Model's text syntax for values (wasm-wave 0.263's README and
// wave_ebnf.md), for the JS values of weft's native shapes (docs/js-api.md): what
// recording writes (issue 20) and replay reads. `waveWrite` prints what wasm-wave's
// writer prints for the same value; `waveRead` takes everything its parser takes.
//
// Types are the JSON descriptors the transpiler's `describe` makes of WIT types
// (crates/js/src/describe.rs): `{ kind: 'u8' }` …, `{ kind: 'list', element, length? }`,
// `{ kind: 'record', fields: [{ name, js, type }] }`, `{ kind: 'tuple', types }`,
// `{ kind: 'variant', cases: [{ name, type | null }] }`, `{ kind: 'enum', cases }`,
// `{ kind: 'option', type }`, `{ kind: 'result', ok, err }`, `{ kind: 'flags', flags:
// [{ name, js }] }`, `{ kind: 'map', key, value }`; `name` is the WIT name (`field-a`),
// `js` the JS property (`fieldA`). Handles, streams and futures have no WAVE form.

/**
 * Thrown for text that is not a WAVE value of the type (`offset`: where in the text,
 * in UTF-16 code units, also at the end of the message), or a JS value that is not one.
 */
export class WaveError extends Error {
  constructor(message, offset) {
    super(offset === undefined ? message : `${message} at ${offset}`);
    this.name = 'WaveError';
    this.offset = offset;
  }
}

const WAVE_KEYWORDS = new Set(['true', 'false', 'inf', 'nan', 'some', 'none', 'ok', 'err']);
const WAVE_TYPED = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array,
  s32: Int32Array, u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
};
const WAVE_INT_RANGE = {
  u8: [0n, 0xffn], s8: [-0x80n, 0x7fn], u16: [0n, 0xffffn], s16: [-0x8000n, 0x7fffn],
  u32: [0n, 0xffffffffn], s32: [-0x80000000n, 0x7fffffffn],
  u64: [0n, 0xffffffffffffffffn], s64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

/** Whether `option<t>` is `null` / the value (else `{ tag }` objects, for `option<option<…>>`). */
const waveNullable = (t) => t.kind !== 'option';

// ---------------------------------------------------------------- writing

/**
 * The WAVE text of JS value `v` of type `t`. A value of a kind WAVE has no form for
 * (`own`, `borrow`, `stream`, `future`, `error-context`) is an error, or with
 * `options.handle` the text `handle(type, value, path)` gives for it (a placeholder
 * to show, an id in a trace).
 */
export function waveWrite(t, v, options = {}) {
  const out = new WaveText(options.handle);
  waveWriteValue(t, v, out, 'value');
  return out.parts.join('');
}

/** The text being written, and the hook for values without a WAVE form. */
class WaveText {
  constructor(handle) {
    this.parts = [];
    this.handle = handle;
  }

  push(...parts) {
    this.parts.push(...parts);
  }
}

function waveFail(path, what, v) {
  throw new WaveError(`${path}: expected ${what}, got ${v === null ? 'null' : typeof v}`);
}

function waveWriteValue(t, v, out, path) {
  switch (t.kind) {
    case 'list':
      return waveWriteList(t, v, out, path);
    case 'tuple':
      return waveWriteTuple(t, v, out, path);
    case 'record':
      return waveWriteRecord(t, v, out, path);
    case 'flags':
      if (v === null || typeof v !== 'object') waveFail(path, 'flags', v);
      return out.push('{', t.flags.filter((f) => v[f.js]).map((f) => f.name).join(', '), '}');
    case 'enum':
      if (!t.cases.includes(v)) waveFail(path, `one of ${t.cases.join(', ')}`, v);
      return out.push(waveLabel(v));
    case 'variant':
      return waveWriteCase(t.cases.find((c) => c.name === v?.tag), v, out, path, 'a variant case');
    case 'option':
      if (waveIsNone(t, v)) return out.push('none');
      out.push('some(');
      waveWriteValue(t.type, waveNullable(t.type) ? v : v.value, out, `${path}.value`);
      return out.push(')');
    case 'result': {
      const c = v?.tag === 'ok' ? { name: 'ok', type: t.ok } : v?.tag === 'err' ? { name: 'err', type: t.err } : undefined;
      return waveWriteCase(c, v, out, path, 'a result', true);
    }
    case 'map':
      return waveWriteMap(t, v, out, path);
    case 'own':
    case 'borrow':
    case 'future':
    case 'stream':
    case 'error-context':
      if (!out.handle) throw new WaveError(`${path}: a value of type ${t.kind} has no WAVE form`);
      return out.push(out.handle(t, v, path));
    default:
      return out.push(waveWritePrimitive(t.kind, v, path));
  }
}

function waveWriteList(t, v, out, path) {
  if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) waveFail(path, 'a list', v);
  out.push('[');
  for (let i = 0; i < v.length; i++) {
    if (i) out.push(', ');
    waveWriteValue(t.element, v[i], out, `${path}[${i}]`);
  }
  return out.push(']');
}

function waveWriteTuple(t, v, out, path) {
  if (!Array.isArray(v) || v.length !== t.types.length) waveFail(path, `a tuple of ${t.types.length}`, v);
  out.push('(');
  t.types.forEach((e, i) => {
      if (i) out.push(', ');
      waveWriteValue(e, v[i], out, `${path}[${i}]`);
    });
  return out.push(')');
}

function waveWriteRecord(t, v, out, path) {
  if (v === null || typeof v !== 'object') waveFail(path, 'a record', v);
  out.push('{');
  let first = true;
  for (const f of t.fields) {
    const x = v[f.js];
    // A field that is `none` is left out (wasm-wave's writer does the same).
    if (f.type.kind === 'option' && waveIsNone(f.type, x)) continue;
    out.push(first ? '' : ', ', f.name, ': ');
    first = false;
    waveWriteValue(f.type, x, out, `${path}.${f.js}`);
  }
  return out.push(first ? ':}' : '}');
}

/** A variant's or result's case `c` (undefined: `v` is none of them), and its payload. */
function waveWriteCase(c, v, out, path, what, keyword = false) {
  if (c === undefined) waveFail(path, what, v);
  out.push(keyword ? c.name : waveLabel(c.name));
  if (c.type == null) return;
  out.push('(');
  waveWriteValue(c.type, v.value, out, `${path}.value`);
  out.push(')');
}

function waveWriteMap(t, v, out, path) {
  if (!(v instanceof Map)) waveFail(path, 'a Map', v);
  // A Map's keys are distinct already (and compared as WAVE compares them).
  out.push('{');
  let i = 0;
  for (const [k, x] of v) {
    if (i) out.push(', ');
    waveWriteValue(t.key, k, out, `${path}[${i}][0]`);
    out.push(': ');
    waveWriteValue(t.value, x, out, `${path}[${i++}][1]`);
  }
  return out.push('}');
}

function waveIsNone(t, v) {
  return waveNullable(t.type) ? v === null || v === undefined : v?.tag === 'none';
}

/** A case or enum label, `%` before a keyword. */
const waveLabel = (l) => (WAVE_KEYWORDS.has(l) ? `%${l}` : l);

function waveWritePrimitive(t, v, path) {
  switch (t) {
    case 'bool':
      if (typeof v !== 'boolean') waveFail(path, 'a boolean', v);
      return v ? 'true' : 'false';
    case 's64':
    case 'u64':
      if (typeof v !== 'bigint') waveFail(path, 'a bigint', v);
      return waveInRange(t, v, path).toString();
    case 'f32':
    case 'f64':
      if (typeof v !== 'number') waveFail(path, 'a number', v);
      return waveFloat(v, t === 'f32');
    case 'char':
      if (typeof v !== 'string' || [...v].length !== 1) waveFail(path, 'a char', v);
      return `'${waveEscape(v)}'`;
    case 'string':
      if (typeof v !== 'string') waveFail(path, 'a string', v);
      return `"${waveEscape(v)}"`;
    default:
      if (!(t in WAVE_INT_RANGE)) throw new WaveError(`${path}: unknown type ${t}`);
      if (typeof v !== 'number' || !Number.isInteger(v)) waveFail(path, 'an integer', v);
      return waveInRange(t, BigInt(v), path).toString();
  }
}

function waveInRange(t, v, path) {
  const [lo, hi] = WAVE_INT_RANGE[t];
  if (v < lo || v > hi) throw new WaveError(`${path}: ${v} is out of the range of ${t}`);
  return v;
}

/**
 * A float as Rust's `Display` prints it (what wasm-wave writes): the shortest digits
 * that read back as the same value (of an `f32`, for `f32`), never an exponent;
 * `nan`, `inf`, `-inf`, `-0`.
 */
export function waveFloat(x, f32) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let s = String(x);
  if (f32) {
    for (let p = 1; p <= 9; p++) {
      const t = x.toPrecision(p);
      if (Math.fround(Number(t)) === x) {
        s = String(Number(t));
        break;
      }
    }
  }
  return wavePlainDecimal(s);
}

/** `1.5e-7` → `0.00000015`, `1e+21` → `1000000000000000000000`. */
function wavePlainDecimal(s) {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', e] = m;
  const digits = int + frac;
  const point = int.length + Number(e);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The text of a char or string between its quotes, escaped as wasm-wave's writer does
 * (Rust's `char::escape_debug`): `\\ \" \' \t \r \n`, and as `\u{…}` what is not
 * printable (control, format, private-use and unassigned characters, separators other
 * than the space) or extends a grapheme (a combining accent). A lone surrogate (which
 * only a JS string can hold) is written as U+FFFD, as lowering it into a guest does.
 */
const WAVE_ESCAPED = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{Grapheme_Extend}]/u;

function waveEscape(s) {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '\\' || ch === '"' || ch === "'") out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n';
    else if (c >= 0xd800 && c <= 0xdfff) out += '\u{fffd}';
    else if (ch !== ' ' && WAVE_ESCAPED.test(ch)) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out;
}

// ---------------------------------------------------------------- reading

/** The JS value of type `t` that WAVE text `text` denotes. */
export function waveRead(t, text) {
  const p = new WaveParser(text);
  const node = p.value();
  p.ws();
  if (p.i !== text.length) p.error('unexpected text after the value');
  return waveConvert(t, node, p);
}

/**
 * Untyped syntax, as the EBNF has it: `{ k: 'num', text }`, `{ k: 'char', v }`,
 * `{ k: 'str', v }`, `{ k: 'case', label, payload }`, `{ k: 'tuple', items }`,
 * `{ k: 'list', items }`, `{ k: 'braces', labels | entries }`, each with its `at`.
 */
class WaveParser {
  constructor(text) {
    this.s = text;
    this.i = 0;
  }

  error(msg, at = this.i) {
    throw new WaveError(msg, at);
  }

  ws() {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '/' && this.s[this.i + 1] === '/') {
        const nl = this.s.indexOf('\n', this.i);
        this.i = nl < 0 ? this.s.length : nl;
      } else return;
    }
  }

  eat(c) {
    this.ws();
    if (this.s[this.i] !== c) return false;
    this.i++;
    return true;
  }

  expect(c) {
    if (!this.eat(c)) this.error(`expected '${c}'`);
  }

  value() {
    this.ws();
    const at = this.i;
    const c = this.s[this.i];
    if (c === undefined) this.error('expected a value');
    if (c === "'") return { k: 'char', v: this.char(), at };
    if (c === '"') return { k: 'str', v: this.string(), at };
    if (c === '(') {
      this.i++;
      return { k: 'tuple', items: this.seq(')'), at };
    }
    if (c === '[') {
      this.i++;
      return { k: 'list', items: this.seq(']'), at };
    }
    if (c === '{') return this.braces();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    const l = this.label();
    if (l === null) this.error(`unexpected '${c}'`);
    let payload = null;
    const save = this.i;
    if (this.eat('(')) {
      payload = this.value();
      this.expect(')');
    } else this.i = save;
    return { k: 'case', label: l.text, keyword: l.keyword, payload, at };
  }

  /** Values up to `close`, a trailing comma allowed. */
  seq(close) {
    const items = [];
    if (this.eat(close)) return items;
    for (;;) {
      items.push(this.value());
      if (this.eat(close)) return items;
      this.expect(',');
      if (this.eat(close)) return items;
    }
  }

  number() {
    const at = this.i;
    const m = /^-?(?:inf|(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.error('invalid number');
    this.i += m[0].length;
    if (/[A-Za-z0-9_.]/.test(this.s[this.i] ?? '')) this.error('invalid number', at);
    return { k: 'num', text: m[0], at };
  }

  /** `%`? label, or null; `keyword` when it is a bare keyword. */
  label() {
    const m = /^(%?)([a-z][a-z0-9]*|[A-Z][A-Z0-9]*)(-([a-z0-9]+|[A-Z0-9]+))*/.exec(this.s.slice(this.i, this.i + 1000));
    if (!m) return null;
    this.i += m[0].length;
    const text = m[0].slice(m[1].length);
    return { text, keyword: !m[1] && WAVE_KEYWORDS.has(text) };
  }

  /** `{}`, `{:}`, flags, or a record's or map's entries. */
  braces() {
    const at = this.i;
    this.i++;
    // `{}`: empty flags or an empty map; `{:}`: an empty record or map.
    if (this.eat('}')) return { k: 'braces', labels: [], entries: [], empty: true, at };
    const save = this.i;
    if (this.eat(':')) {
      this.expect('}');
      return { k: 'braces', entries: [], at };
    }
    this.i = save;
    // Flags are labels with no `:` after them; entries have keys and `:`.
    const labels = [];
    const entries = [];
    for (;;) {
      this.ws();
      const keyAt = this.i;
      const l = this.label();
      let key;
      if (l !== null && !this.peekColon()) {
        if (entries.length) this.error('expected a record or map entry', keyAt);
        labels.push({ text: l.text, at: keyAt });
      } else {
        if (labels.length) this.error('expected a flag', keyAt);
        if (l !== null) key = { k: 'label', text: l.text, keyword: l.keyword, at: keyAt };
        else key = this.value();
        this.expect(':');
        entries.push({ key, value: this.value() });
      }
      if (this.eat('}')) break;
      this.expect(',');
      if (this.eat('}')) break;
    }
    return labels.length ? { k: 'braces', labels, at } : { k: 'braces', entries, at };
  }

  peekColon() {
    const save = this.i;
    const r = this.eat(':');
    this.i = save;
    return r;
  }

  char() {
    const at = this.i;
    this.i++;
    const cs = this.chars("'");
    if (cs.length !== 1) this.error('a char literal must hold one character', at);
    return cs[0];
  }

  string() {
    if (this.s.startsWith('"""', this.i)) return this.multiline();
    this.i++;
    return this.chars('"').join('');
  }

  /**
   * Characters up to the closing `quote` (consumed), or with `quote` null to the end of
   * the text (a line of a multiline string), escapes decoded.
   */
  chars(quote) {
    const out = [];
    for (;;) {
      const cp = this.s.codePointAt(this.i);
      if (cp === undefined) {
        if (quote === null) return out;
        this.error('unterminated literal');
      }
      const ch = String.fromCodePoint(cp);
      if (ch === quote) {
        this.i++;
        return out;
      }
      if (ch === '\n') this.error('a newline must be escaped');
      if (cp >= 0xd800 && cp <= 0xdfff) this.error('a lone surrogate is not a Unicode scalar value');
      if (ch === '\\') out.push(this.escapeSeq());
      else {
        this.i += ch.length;
        out.push(ch);
      }
    }
  }

  escapeSeq() {
    const at = this.i;
    const e = this.s[this.i + 1];
    const simple = { "'": "'", '"': '"', t: '\t', n: '\n', r: '\r', '\\': '\\' }[e];
    if (simple !== undefined) {
      this.i += 2;
      return simple;
    }
    const m = /^u\{([0-9a-fA-F]{1,6})\}/.exec(this.s.slice(this.i + 1, this.i + 11));
    if (!m) this.error('invalid escape', at);
    const cp = parseInt(m[1], 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.error('not a Unicode scalar value', at);
    this.i += 1 + m[0].length;
    return String.fromCodePoint(cp);
  }

  /**
   * `"""` newline lines newline spaces `"""`: each line dedented by the closing line's
   * spaces, then its escapes decoded (an escaped `\r` before a line break stays).
   */
  multiline() {
    const at = this.i;
    this.i += 3;
    if (this.s.startsWith('\r\n', this.i)) this.i += 2;
    else if (this.s[this.i] === '\n') this.i++;
    else this.error('a multiline string starts with a line break', at);
    const end = this.s.indexOf('"""', this.i);
    if (end < 0) this.error('unterminated literal', at);
    const lines = this.s.slice(this.i, end).split('\n');
    let lineAt = this.i;
    this.i = end + 3;
    const indent = lines.pop();
    if (!/^ *$/.test(indent)) this.error('a multiline string ends with a line break, spaces and """', at);
    const decoded = lines.map((line) => {
      if (!line.startsWith(indent)) this.error('a line of a multiline string is indented less than its end', lineAt);
      const text = line.slice(indent.length).replace(/\r$/, '');
      const textAt = lineAt + indent.length;
      lineAt += line.length + 1;
      try {
        return new WaveParser(text).chars(null).join('');
      } catch (e) {
        // Where in the line, as where in the whole text.
        throw new WaveError(e.message.replace(/ at \d+$/, ''), textAt + e.offset);
      }
    });
    return decoded.join('\n');
  }
}

function waveConvert(t, n, p) {
  const bad = (what) => p.error(`expected ${what}`, n.at);
  switch (t.kind) {
    case 'list': {
      if (n.k !== 'list') bad('a list');
      if (t.length != null && n.items.length !== t.length) bad(`a list of ${t.length}`);
      const items = n.items.map((x) => waveConvert(t.element, x, p));
      const Typed = WAVE_TYPED[t.element.kind];
      return Typed ? Typed.from(items) : items;
    }
    case 'tuple':
      if (n.k !== 'tuple' || n.items.length !== t.types.length) bad(`a tuple of ${t.types.length}`);
      return n.items.map((x, i) => waveConvert(t.types[i], x, p));
    case 'record':
      return waveConvertRecord(t, n, p, bad);
    case 'flags':
      return waveConvertFlags(t, n, p, bad);
    case 'enum':
      if (n.k !== 'case' || n.payload || n.keyword || !t.cases.includes(n.label)) bad(`one of ${t.cases.join(', ')}`);
      return n.label;
    case 'variant':
      return waveConvertCase(n.k === 'case' && !n.keyword ? t.cases.find((c) => c.name === n.label) : undefined, n, p, bad, 'a variant case');
    case 'option': {
      const wrap = (v) => (waveNullable(t.type) ? v : { tag: 'some', value: v });
      if (n.k === 'case' && n.keyword && n.label === 'none' && !n.payload) return waveNullable(t.type) ? null : { tag: 'none' };
      if (n.k === 'case' && n.keyword && n.label === 'some' && n.payload) return wrap(waveConvert(t.type, n.payload, p));
      if (!waveFlattens(t.type)) bad('some(…) or none');
      return wrap(waveConvert(t.type, n, p));
    }
    case 'result': {
      if (n.k === 'case' && n.keyword && (n.label === 'ok' || n.label === 'err')) {
        return waveConvertCase({ name: n.label, type: n.label === 'ok' ? t.ok : t.err }, n, p, bad);
      }
      if (t.ok == null || !waveFlattens(t.ok)) bad('ok(…) or err(…)');
      return { tag: 'ok', value: waveConvert(t.ok, n, p) };
    }
    case 'map':
      return waveConvertMap(t, n, p, bad);
    case 'own':
    case 'borrow':
    case 'future':
    case 'stream':
    case 'error-context':
      return bad(`a type with a WAVE form (not ${t.kind})`);
    default:
      return waveConvertPrimitive(t.kind, n, p, bad);
  }
}

function waveConvertRecord(t, n, p, bad) {
  if (n.k !== 'braces' || !n.entries || n.empty) bad(n.empty ? 'a record ({:} when empty)' : 'a record');
  const got = new Map();
  for (const { key, value } of n.entries) {
    if (key.k !== 'label') p.error('expected a field name', key.at);
    if (got.has(key.text)) p.error(`duplicate field ${key.text}`, key.at);
    got.set(key.text, value);
  }
  const out = {};
  for (const f of t.fields) {
    const v = got.get(f.name);
    got.delete(f.name);
    if (v !== undefined) out[f.js] = waveConvert(f.type, v, p);
    else if (f.type.kind === 'option') out[f.js] = waveNullable(f.type.type) ? null : { tag: 'none' };
    else bad(`field ${f.name}`);
  }
  for (const l of got.keys()) bad(`no field ${l}`);
  return out;
}

function waveConvertFlags(t, n, p, bad) {
  if (n.k !== 'braces' || !n.labels) bad('flags');
  const out = Object.fromEntries(t.flags.map((f) => [f.js, false]));
  for (const { text, at } of n.labels) {
    const f = t.flags.find((x) => x.name === text);
    if (!f) p.error(`unknown flag ${text}`, at);
    if (out[f.js]) p.error(`duplicate flag ${text}`, at);
    out[f.js] = true;
  }
  return out;
}

/** A variant's or result's case `c` (undefined: the text names none), with its payload. */
function waveConvertCase(c, n, p, bad, what) {
  if (c === undefined) bad(what);
  const payload = c.type != null;
  if (payload !== (n.payload !== null)) bad(payload ? `a payload for ${c.name}` : `${c.name} without a payload`);
  return payload ? { tag: c.name, value: waveConvert(c.type, n.payload, p) } : { tag: c.name };
}

function waveConvertMap(t, n, p, bad) {
  if (n.k !== 'braces' || (n.labels && n.labels.length)) bad('a map');
  const out = new Map();
  for (const { key, value } of n.entries) {
    const k = key.k === 'label' ? { k: 'case', label: key.text, keyword: key.keyword, payload: null, at: key.at } : key;
    // A key given twice: the last value, at the key's first position (`Map.set`).
    out.set(waveConvert(t.key, k, p), waveConvert(t.value, value, p));
  }
  return out;
}

/** Whether a `some` or `ok` payload of type `t` may be written bare. */
const waveFlattens = (t) => t.kind !== 'option' && t.kind !== 'result';

function waveConvertPrimitive(t, n, p, bad) {
  switch (t) {
    case 'bool':
      if (n.k !== 'case' || n.payload || !n.keyword || (n.label !== 'true' && n.label !== 'false')) bad('true or false');
      return n.label === 'true';
    case 'char':
      if (n.k !== 'char') bad('a char');
      return n.v;
    case 'string':
      if (n.k !== 'str') bad('a string');
      return n.v;
    case 'f32':
    case 'f64': {
      if (n.k === 'case' && n.keyword && !n.payload && (n.label === 'nan' || n.label === 'inf')) return n.label === 'nan' ? NaN : Infinity;
      if (n.k !== 'num') bad('a number');
      if (n.text === '-inf') return -Infinity;
      const x = Number(n.text);
      return t === 'f32' ? Math.fround(x) : x;
    }
    default: {
      if (!(t in WAVE_INT_RANGE)) bad('a known type');
      if (n.k !== 'num' || !/^-?\d+$/.test(n.text)) bad(`an integer (${t})`);
      const v = BigInt(n.text);
      const [lo, hi] = WAVE_INT_RANGE[t];
      if (v < lo || v > hi) bad(`an integer in the range of ${t}`);
      return t === 'u64' || t === 's64' ? v : Number(v);
    }
  }
}
