// WAVE, the Component Model's text syntax for values (wasm-wave 0.263's README and
// wave_ebnf.md), for the JS values of weft's native shapes (docs/js-api.md): what
// recording writes (issue 20) and replay reads. `waveWrite` prints what wasm-wave's
// writer prints for the same value; `waveRead` takes everything its parser takes.
//
// A type is described by a plain value:
//   'bool' 's8' 'u8' 's16' 'u16' 's32' 'u32' 's64' 'u64' 'f32' 'f64' 'char' 'string'
//   { list: T }  { list: T, len: N }        { tuple: [T, …] }
//   { record: [[label, prop, T], …] }       { flags: [[label, prop], …] }
//   { variant: [[label, T | null], …] }     { enum: [label, …] }
//   { option: T }  { result: [T | null, T | null] }  { map: [K, V] }
// where `label` is the WIT name (`field-a`) and `prop` the JS property (`fieldA`).

/** Thrown for text that is not a WAVE value of the type, or a JS value that is not one. */
export class WaveError extends Error {
  constructor(message) {
    super(message);
    this.name = 'WaveError';
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
const waveNullable = (t) => !(typeof t === 'object' && 'option' in t);

// ---------------------------------------------------------------- writing

/** The WAVE text of JS value `v` of type `t`. */
export function waveWrite(t, v) {
  const out = [];
  waveWriteValue(t, v, out, 'value');
  return out.join('');
}

function waveFail(path, what, v) {
  throw new WaveError(`${path}: expected ${what}, got ${v === null ? 'null' : typeof v}`);
}

function waveWriteValue(t, v, out, path) {
  if (typeof t === 'string') return out.push(waveWritePrimitive(t, v, path));
  if ('list' in t) {
    if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) waveFail(path, 'a list', v);
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(', ');
      waveWriteValue(t.list, v[i], out, `${path}[${i}]`);
    }
    return out.push(']');
  }
  if ('tuple' in t) {
    if (!Array.isArray(v) || v.length !== t.tuple.length) waveFail(path, `a tuple of ${t.tuple.length}`, v);
    out.push('(');
    t.tuple.forEach((e, i) => {
      if (i) out.push(', ');
      waveWriteValue(e, v[i], out, `${path}[${i}]`);
    });
    return out.push(')');
  }
  if ('record' in t) {
    if (v === null || typeof v !== 'object') waveFail(path, 'a record', v);
    out.push('{');
    let first = true;
    for (const [name, prop, ft] of t.record) {
      const f = v[prop];
      // A field that is `none` is left out (wasm-wave's writer does the same).
      if (typeof ft === 'object' && 'option' in ft && waveIsNone(ft, f)) continue;
      out.push(first ? '' : ', ', name, ': ');
      first = false;
      waveWriteValue(ft, f, out, `${path}.${prop}`);
    }
    return out.push(first ? ':}' : '}');
  }
  if ('flags' in t) {
    if (v === null || typeof v !== 'object') waveFail(path, 'flags', v);
    const set = t.flags.filter(([, prop]) => v[prop]).map(([name]) => name);
    return out.push('{', set.join(', '), '}');
  }
  if ('enum' in t) {
    if (!t.enum.includes(v)) waveFail(path, `one of ${t.enum.join(', ')}`, v);
    return out.push(waveLabel(v));
  }
  if ('variant' in t) {
    const c = v !== null && typeof v === 'object' ? t.variant.find(([l]) => l === v.tag) : undefined;
    if (!c) waveFail(path, 'a variant case', v);
    out.push(waveLabel(c[0]));
    if (c[1] === null) return;
    out.push('(');
    waveWriteValue(c[1], v.value, out, `${path}.value`);
    return out.push(')');
  }
  if ('option' in t) {
    if (waveIsNone(t, v)) return out.push('none');
    out.push('some(');
    waveWriteValue(t.option, waveNullable(t.option) ? v : v.value, out, `${path}.value`);
    return out.push(')');
  }
  if ('result' in t) {
    if (v === null || typeof v !== 'object' || (v.tag !== 'ok' && v.tag !== 'err')) waveFail(path, 'a result', v);
    const pt = t.result[v.tag === 'ok' ? 0 : 1];
    out.push(v.tag);
    if (pt === null) return;
    out.push('(');
    waveWriteValue(pt, v.value, out, `${path}.value`);
    return out.push(')');
  }
  if ('map' in t) {
    if (!(v instanceof Map)) waveFail(path, 'a Map', v);
    // A Map's keys are distinct already (and compared as WAVE compares them).
    out.push('{');
    let i = 0;
    for (const [k, x] of v) {
      if (i) out.push(', ');
      waveWriteValue(t.map[0], k, out, `${path}[${i}][0]`);
      out.push(': ');
      waveWriteValue(t.map[1], x, out, `${path}[${i++}][1]`);
    }
    return out.push('}');
  }
  throw new WaveError(`${path}: a value of this type has no WAVE form`);
}

function waveIsNone(t, v) {
  return waveNullable(t.option) ? v === null || v === undefined : v?.tag === 'none';
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
    throw new WaveError(`${msg} at ${at}`);
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
    if (!m || (m[0] === '-' || m[0] === '')) this.error('invalid number');
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
    const start = this.i;
    this.i = end + 3;
    const indent = lines.pop();
    if (!/^ *$/.test(indent)) this.error('a multiline string ends with a line break, spaces and """', at);
    return lines
      .map((line) => {
        if (!line.startsWith(indent)) this.error('a line of a multiline string is indented less than its end', at);
        const text = line.slice(indent.length).replace(/\r$/, '');
        const sub = new WaveParser(text);
        try {
          return sub.chars(null).join('');
        } catch (e) {
          throw new WaveError(`${e.message.replace(/ at \d+$/, '')} in the multiline string at ${start}`);
        }
      })
      .join('\n');
  }
}

function waveConvert(t, n, p) {
  const bad = (what) => p.error(`expected ${what}`, n.at);
  if (typeof t === 'string') return waveConvertPrimitive(t, n, p, bad);
  if ('list' in t) {
    if (n.k !== 'list') bad('a list');
    if (t.len !== undefined && n.items.length !== t.len) bad(`a list of ${t.len}`);
    const items = n.items.map((x) => waveConvert(t.list, x, p));
    const Typed = typeof t.list === 'string' ? WAVE_TYPED[t.list] : undefined;
    return Typed ? Typed.from(items) : items;
  }
  if ('tuple' in t) {
    if (n.k !== 'tuple' || n.items.length !== t.tuple.length) bad(`a tuple of ${t.tuple.length}`);
    return n.items.map((x, i) => waveConvert(t.tuple[i], x, p));
  }
  if ('record' in t) {
    if (n.k !== 'braces' || !n.entries || n.empty) bad(n.empty ? 'a record ({:} when empty)' : 'a record');
    const got = new Map();
    for (const { key, value } of n.entries) {
      if (key.k !== 'label') p.error('expected a field name', key.at);
      if (got.has(key.text)) p.error(`duplicate field ${key.text}`, key.at);
      got.set(key.text, value);
    }
    const out = {};
    for (const [l, prop, ft] of t.record) {
      const v = got.get(l);
      got.delete(l);
      if (v === undefined) {
        if (typeof ft === 'object' && 'option' in ft) out[prop] = waveNullable(ft.option) ? null : { tag: 'none' };
        else bad(`field ${l}`);
      } else out[prop] = waveConvert(ft, v, p);
    }
    for (const l of got.keys()) bad(`no field ${l}`);
    return out;
  }
  if ('flags' in t) {
    if (n.k !== 'braces' || !n.labels) bad('flags');
    const out = Object.fromEntries(t.flags.map(([, prop]) => [prop, false]));
    for (const { text, at } of n.labels ?? []) {
      const f = t.flags.find(([l]) => l === text);
      if (!f) p.error(`unknown flag ${text}`, at);
      if (out[f[1]]) p.error(`duplicate flag ${text}`, at);
      out[f[1]] = true;
    }
    return out;
  }
  if ('enum' in t) {
    if (n.k !== 'case' || n.payload || n.keyword || !t.enum.includes(n.label)) bad(`one of ${t.enum.join(', ')}`);
    return n.label;
  }
  if ('variant' in t) {
    const c = n.k === 'case' && !n.keyword ? t.variant.find(([l]) => l === n.label) : undefined;
    if (!c) bad('a variant case');
    if ((c[1] === null) !== (n.payload === null)) bad(c[1] === null ? `${c[0]} without a payload` : `a payload for ${c[0]}`);
    return c[1] === null ? { tag: c[0] } : { tag: c[0], value: waveConvert(c[1], n.payload, p) };
  }
  if ('option' in t) {
    const wrap = (v) => (waveNullable(t.option) ? v : { tag: 'some', value: v });
    if (n.k === 'case' && n.keyword && n.label === 'none' && !n.payload) return waveNullable(t.option) ? null : { tag: 'none' };
    if (n.k === 'case' && n.keyword && n.label === 'some' && n.payload) return wrap(waveConvert(t.option, n.payload, p));
    if (!waveFlattens(t.option)) bad('some(…) or none');
    return wrap(waveConvert(t.option, n, p));
  }
  if ('result' in t) {
    const [ok, err] = t.result;
    if (n.k === 'case' && n.keyword && (n.label === 'ok' || n.label === 'err')) {
      const pt = n.label === 'ok' ? ok : err;
      if ((pt === null) !== (n.payload === null)) bad(pt === null ? `${n.label} without a payload` : `a payload for ${n.label}`);
      return pt === null ? { tag: n.label } : { tag: n.label, value: waveConvert(pt, n.payload, p) };
    }
    if (ok === null || !waveFlattens(ok)) bad('ok(…) or err(…)');
    return { tag: 'ok', value: waveConvert(ok, n, p) };
  }
  if ('map' in t) {
    if (n.k !== 'braces' || (n.labels && n.labels.length)) bad('a map');
    const out = new Map();
    for (const { key, value } of n.entries) {
      const k = waveConvert(t.map[0], key.k === 'label' ? { k: 'case', label: key.text, keyword: key.keyword, payload: null, at: key.at } : key, p);
      // A key given twice: the last value, at the key's first position (`Map.set`).
      out.set(k, waveConvert(t.map[1], value, p));
    }
    return out;
  }
  bad('a type with a WAVE form');
}

/** Whether a `some` or `ok` payload of type `t` may be written bare. */
const waveFlattens = (t) => !(typeof t === 'object' && ('option' in t || 'result' in t));

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
