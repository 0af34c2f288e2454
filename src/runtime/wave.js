// WAVE, the Component Model's text syntax for values (wasm-wave 0.263's README and
// wave_ebnf.md), for the JS values of weft's native shapes (docs/js-api.md): what a
// recording writes and replay reads (issue 20), what the playground's call boxes take
// and show (`@weft/transpiler/wave`). `waveWrite` prints what wasm-wave's writer prints
// for the same value; `waveRead` takes what its parser takes and refuses the rest, with
// a message that names what was expected and the offset where.
//
// Types are the JSON descriptors the transpiler's `describe` makes of WIT types
// (crates/js/src/describe.rs): `{ kind: 'u8' }` …, `{ kind: 'list', element, length? }`,
// `{ kind: 'record', name, fields: [{ name, js, type }] }`, `{ kind: 'tuple', types }`,
// `{ kind: 'variant', name, cases: [{ name, type | null }] }`, `{ kind: 'enum', name,
// cases }`, `{ kind: 'option', type }`, `{ kind: 'result', ok, err }`, `{ kind: 'flags',
// name, flags: [{ name, js }] }`, `{ kind: 'map', key, value }`, `{ kind: 'own' |
// 'borrow', resource }`, `{ kind: 'stream' | 'future', type }`, `{ kind: 'error-context'
// }`; `name` is the WIT name (`field-a`), `js` the JS property (`fieldA`). Handles,
// streams, futures and error contexts have no WAVE form.
//
// The grammar's choices, as wasm-wave makes them: `some(…)` and `ok(…)` may be written
// flat (`5` for `some(5)`) unless the payload is an option or a result; the empty record
// is `{:}`, `{}` is the empty flags; a map is `{key: value, …}` (`{}` or `{:}` when
// empty; a repeated key: the last value, in the first one's place); a variant or enum
// case named like a keyword (`true false some none ok err inf nan`) is written with `%`,
// field and flag names never need it. Offsets are in UTF-16 code units.

/** A WAVE text that is not a value of its type; `offset`: where in the text. */
export class WaveError extends Error {
  constructor(message, offset) {
    super(message);
    this.name = 'WaveError';
    this.offset = offset;
  }
}

const WAVE_KEYWORDS = new Set(['true', 'false', 'some', 'none', 'ok', 'err', 'inf', 'nan']);

const WAVE_INT_RANGES = {
  s8: [-128n, 127n],
  u8: [0n, 255n],
  s16: [-32768n, 32767n],
  u16: [0n, 65535n],
  s32: [-2147483648n, 2147483647n],
  u32: [0n, 4294967295n],
  s64: [-9223372036854775808n, 9223372036854775807n],
  u64: [0n, 18446744073709551615n],
};

/** The bounds of the integer kinds JS holds as numbers, as numbers. */
const WAVE_NUMBER_RANGES = {
  s8: [-128, 127], u8: [0, 255], s16: [-32768, 32767], u16: [0, 65535],
  s32: [-2147483648, 2147483647], u32: [0, 4294967295],
};

const WAVE_TYPED_ARRAYS = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array,
  s32: Int32Array, u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
};

const WAVE_KINDS = new Set([
  'bool', 'char', 'string', 'f32', 'f64', 'error-context', ...Object.keys(WAVE_INT_RANGES),
  'list', 'record', 'tuple', 'variant', 'enum', 'option', 'result', 'flags', 'map',
  'own', 'borrow', 'future', 'stream',
]);

/** The kinds written by `waveWritePrimitive`. */
const WAVE_SCALARS = { bool: 1, char: 1, string: 1, f32: 1, f64: 1, u8: 1, s8: 1, u16: 1, s16: 1, u32: 1, s32: 1, u64: 1, s64: 1 };

/** The kinds of value WAVE has no form for. */
const WAVE_HANDLES = new Set(['own', 'borrow', 'future', 'stream', 'error-context']);

function waveKind(type) {
  const kind = type?.kind;
  if (WAVE_KINDS.has(kind)) return kind;
  throw new TypeError(`not a WIT type descriptor: ${JSON.stringify(type)}`);
}

const waveIsInt = (kind) => Object.hasOwn(WAVE_INT_RANGES, kind);

// An option whose payload is an option is a `{ tag, value }` object in JS; any other
// option is `null` or its payload.
const waveTaggedOption = (type) => type.kind === 'option' && type.type.kind === 'option';
// Whether a `some` or `ok` payload of the type may be written bare.
const waveFlattens = (type) => type.kind !== 'option' && type.kind !== 'result';
const waveNone = (optionType) => (waveTaggedOption(optionType) ? { tag: 'none' } : null);

const waveCamel = (name) => name.replace(/-([a-zA-Z0-9])/g, (_, c) => c.toUpperCase());
/** The JS property of a field or flag (`describe` gives it; hand-written types may not). */
const waveJsName = (item) => item.js ?? waveCamel(item.name);

/** A case or enum label, `%` before a keyword. */
const waveLabel = (name) => (WAVE_KEYWORDS.has(name) ? `%${name}` : name);

/** The WIT spelling of a type: `list<u8>`, `result<_, string>`, `point`, … */
export function witType(type) {
  const kind = waveKind(type);
  switch (kind) {
    case 'list':
      return type.length == null
        ? `list<${witType(type.element)}>`
        : `list<${witType(type.element)}, ${type.length}>`;
    case 'record':
      return type.name ?? `record { ${type.fields.map((f) => `${f.name}: ${witType(f.type)}`).join(', ')} }`;
    case 'variant':
      return type.name ?? `variant { ${type.cases.map((c) => (c.type == null ? c.name : `${c.name}(${witType(c.type)})`)).join(', ')} }`;
    case 'enum':
      return type.name ?? `enum { ${type.cases.join(', ')} }`;
    case 'flags':
      return type.name ?? `flags { ${type.flags.map((f) => f.name).join(', ')} }`;
    case 'tuple':
      return `tuple<${type.types.map(witType).join(', ')}>`;
    case 'option':
      return `option<${witType(type.type)}>`;
    case 'result':
      if (type.err == null) return type.ok == null ? 'result' : `result<${witType(type.ok)}>`;
      return `result<${type.ok == null ? '_' : witType(type.ok)}, ${witType(type.err)}>`;
    case 'own':
    case 'borrow':
      return `${kind}<${type.resource}>`;
    case 'future':
    case 'stream':
      return type.type == null ? kind : `${kind}<${witType(type.type)}>`;
    case 'map':
      return `map<${witType(type.key)}, ${witType(type.value)}>`;
    default:
      return kind;
  }
}

// "record point (x, y)" in messages: the names to choose from.
function waveNamedWith(type, names) {
  return type.name ? `${type.kind} ${type.name} (${names.join(', ')})` : witType(type);
}

function waveNamed(type) {
  return type.name ? `${type.kind} ${type.name}` : witType(type);
}

function waveArticle(word) {
  return /^(?:[aeio]|[sf]\d)/.test(word) ? `an ${word}` : `a ${word}`;
}

/** What a value of a primitive type looks like, for "expected …" messages. */
function waveExpected(kind) {
  if (waveIsInt(kind)) {
    const [min, max] = WAVE_INT_RANGES[kind];
    return `${waveArticle(kind)} (${min} to ${max})`;
  }
  if (kind === 'f32' || kind === 'f64') return `${waveArticle(kind)} (a number, nan, inf or -inf)`;
  if (kind === 'bool') return 'a bool (true or false)';
  if (kind === 'char') return "a char like 'x'";
  return 'a string like "text"';
}

// ---------------------------------------------------------------- writing

/**
 * The WAVE text of JS value `v` of type `t`, as wasm-wave writes it. A value that is not
 * of the type is a TypeError naming its path (from `options.root`, default `value`). A
 * value of a kind WAVE has no form for is an error too, unless `options.handle` gives
 * its text: `handle(type, value, path)` (a placeholder to show, an id in a trace).
 */
export function waveWrite(t, v, options = {}) {
  return waveWriteAs(t, v, options.handle, options.root ?? 'value');
}

/**
 * `waveWrite` with its options as arguments (no object made per value); `key`: the
 * property of a case's payload (`val` in jco's shapes, where none is also `undefined`).
 */
export function waveWriteAs(t, v, handle, root, key = 'value') {
  // A number, string or bool needs no buffer (what most calls pass).
  if (t.kind in WAVE_SCALARS) return waveWritePrimitive(t.kind, v, root);
  const out = new WaveText(handle, key);
  waveWriteValue(t, v, out, root);
  return out.text;
}

/** The text being written, the hook for values without a WAVE form, the payload key. */
class WaveText {
  constructor(handle, key) {
    this.text = '';
    this.handle = handle;
    this.key = key;
  }

  /** Appends up to three parts (no rest array: this runs for each part of a value). */
  push(a, b = '', c = '') {
    this.text += a + b + c;
  }
}

/** How a JS value is named after "got". */
function waveDescribeJs(v) {
  if (v === null || v === undefined) return String(v);
  switch (typeof v) {
    case 'string':
      return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
    case 'number':
    case 'boolean':
      return `${typeof v} ${v}`;
    case 'bigint':
      return `bigint ${v}n`;
    case 'function':
    case 'symbol':
      return typeof v;
  }
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (ArrayBuffer.isView(v) && 'length' in v) return `${v[Symbol.toStringTag]}(${v.length})`;
  if (v instanceof Map) return `Map(${v.size})`;
  const ctor = Object.getPrototypeOf(v)?.constructor?.name;
  return ctor && ctor !== 'Object' ? `${ctor} object` : 'object';
}

function waveMismatch(path, expected, v) {
  return new TypeError(`${path}: expected ${expected}, got ${waveDescribeJs(v)}`);
}

const waveIsObject = (v) => typeof v === 'object' && v !== null;

function waveWriteValue(t, v, out, path) {
  const kind = waveKind(t);
  switch (kind) {
    case 'list':
      return waveWriteList(t, v, out, path);
    case 'tuple':
      return waveWriteTuple(t, v, out, path);
    case 'record':
      return waveWriteRecord(t, v, out, path);
    case 'flags':
      return waveWriteFlags(t, v, out, path);
    case 'enum':
      if (!t.cases.includes(v)) throw waveMismatch(path, `one of ${t.cases.map((c) => `'${c}'`).join(', ')}`, v);
      return out.push(waveLabel(v));
    case 'variant': {
      const tag = waveTag(v, t.cases.map((c) => c.name), path);
      return waveWriteCase(waveLabel(tag), t.cases.find((c) => c.name === tag).type, v, out, path);
    }
    case 'option':
      if (waveTaggedOption(t)) {
        const tag = waveTag(v, ['none', 'some'], path);
        return waveWriteCase(tag, tag === 'some' ? t.type : null, v, out, path);
      }
      if (v === null || v === undefined) return out.push('none');
      out.push('some(');
      waveWriteValue(t.type, v, out, path);
      return out.push(')');
    case 'result': {
      const tag = waveTag(v, ['ok', 'err'], path);
      return waveWriteCase(tag, t[tag], v, out, path);
    }
    case 'map':
      return waveWriteMap(t, v, out, path);
    default:
      if (!WAVE_HANDLES.has(kind)) return out.push(waveWritePrimitive(kind, v, path));
      if (!out.handle) throw new TypeError(`${path}: a value of type ${witType(t)} has no WAVE form`);
      return out.push(out.handle(t, v, path));
  }
}

function waveWriteList(t, v, out, path) {
  const Typed = WAVE_TYPED_ARRAYS[t.element.kind];
  const typed = Typed && ArrayBuffer.isView(v) && v[Symbol.toStringTag] === Typed.name;
  if (!Array.isArray(v) && !typed) throw waveMismatch(path, Typed ? `a ${Typed.name} or an Array` : 'an Array', v);
  if (t.length != null && v.length !== t.length) {
    throw new TypeError(`${path}: expected ${t.length} elements, got ${v.length}`);
  }
  const kind = t.element.kind;
  // Integers in their own typed array are in range: the array writes itself.
  if (typed && kind === 'u8') return out.push('[', waveBytesText(v), ']');
  if (typed && kind !== 'f32' && kind !== 'f64') return out.push('[', v.join(', '), ']');
  out.push('[');
  const scalar = kind in WAVE_SCALARS;
  for (let i = 0; i < v.length; i++) {
    if (i) out.push(', ');
    // A scalar's path is made only for a message.
    if (scalar) out.push(waveWritePrimitive(kind, v[i], path, i));
    else waveWriteValue(t.element, v[i], out, `${path}[${i}]`);
  }
  return out.push(']');
}

function waveWriteTuple(t, v, out, path) {
  const n = t.types.length;
  if (!Array.isArray(v)) throw waveMismatch(path, `an Array of ${n} values`, v);
  if (v.length !== n) throw new TypeError(`${path}: expected ${n} values, got ${v.length}`);
  out.push('(');
  for (let i = 0; i < n; i++) {
    if (i) out.push(', ');
    waveWriteValue(t.types[i], v[i], out, `${path}[${i}]`);
  }
  return out.push(')');
}

function waveWriteRecord(t, v, out, path) {
  if (!waveIsObject(v)) throw waveMismatch(path, `an object (${waveNamed(t)})`, v);
  let first = true;
  for (const f of t.fields) {
    const x = v[waveJsName(f)];
    // A field that is none is left out (absent, null and undefined all mean none).
    if (f.type.kind === 'option' && (x == null || (waveTaggedOption(f.type) && waveIsObject(x) && x.tag === 'none'))) continue;
    out.push(first ? '{' : ', ', f.name, ': ');
    first = false;
    waveWriteValue(f.type, x, out, `${path}.${waveJsName(f)}`);
  }
  return out.push(first ? '{:}' : '}');
}

function waveWriteFlags(t, v, out, path) {
  if (!waveIsObject(v)) throw waveMismatch(path, `an object of booleans (${waveNamed(t)})`, v);
  const set = t.flags.filter((f) => {
    const x = v[waveJsName(f)];
    if (x !== undefined && typeof x !== 'boolean') throw waveMismatch(`${path}.${waveJsName(f)}`, 'a boolean', x);
    return x === true;
  });
  return out.push('{', set.map((f) => f.name).join(', '), '}');
}

function waveWriteMap(t, v, out, path) {
  let entries;
  if (v instanceof Map) entries = v;
  else if (waveIsObject(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v))) entries = Object.entries(v);
  else throw waveMismatch(path, 'a Map', v);
  // A Map's keys are distinct already (and compared as WAVE compares them).
  out.push('{');
  let i = 0;
  for (const [k, x] of entries) {
    if (i) out.push(', ');
    waveWriteValue(t.key, k, out, `${path}[${i}][0]`);
    out.push(': ');
    waveWriteValue(t.value, x, out, `${path}[${i++}][1]`);
  }
  return out.push('}');
}

/** Each byte's digits, as text and as ASCII with `, ` after them (`waveBytesText`). */
let waveByteText = null;
let waveByteDigits = null;
let waveAsciiDecoder = null;

/**
 * `bytes.join(', ')` for a `Uint8Array`, faster than a typed array's `join`: each byte's
 * digits from a table, concatenated, or for a long array copied into a buffer decoded
 * once (a trace of 64 KiB lists costs in proportion to its size).
 */
function waveBytesText(bytes) {
  if (waveByteText === null) {
    waveByteText = Array.from({ length: 256 }, (_, i) => `${i}`);
    waveByteDigits = waveByteText.map((t) => Uint8Array.from(`${t}, `, (c) => c.charCodeAt(0)));
    waveAsciiDecoder = new TextDecoder('utf-8');
  }
  if (bytes.length < 64) {
    let s = bytes.length > 0 ? waveByteText[bytes[0]] : '';
    for (let i = 1; i < bytes.length; i++) s += `, ${waveByteText[bytes[i]]}`;
    return s;
  }
  const buf = new Uint8Array(bytes.length * 5);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const d = waveByteDigits[bytes[i]];
    for (let k = 0; k < d.length; k++) buf[o + k] = d[k];
    o += d.length;
  }
  return waveAsciiDecoder.decode(buf.subarray(0, o - 2));
}

/** The tag of a `{ tag, value }` object (variants, results, `option<option<…>>`). */
function waveTag(v, tags, path) {
  if (!waveIsObject(v)) throw waveMismatch(path, '{ tag, value }', v);
  if (!tags.includes(v.tag)) throw waveMismatch(`${path}.tag`, `one of ${tags.map((t) => `'${t}'`).join(', ')}`, v.tag);
  return v.tag;
}

function waveWriteCase(label, payload, v, out, path) {
  out.push(label);
  if (payload == null) return;
  out.push('(');
  waveWriteValue(payload, v[out.key], out, `${path}.${out.key}`);
  out.push(')');
}

/** A scalar's text; `path` (with `[index]`, if given) names it in an error. */
function waveWritePrimitive(kind, v, path, index) {
  if (index !== undefined) {
    try {
      return waveWritePrimitive(kind, v, path);
    } catch (e) {
      return waveWritePrimitive(kind, v, `${path}[${index}]`);
    }
  }
  switch (kind) {
    case 'bool':
      if (typeof v !== 'boolean') throw waveMismatch(path, 'a boolean', v);
      return v ? 'true' : 'false';
    case 'f32':
    case 'f64':
      if (typeof v !== 'number') throw waveMismatch(path, 'a number', v);
      return kind === 'f32' ? waveFloat(Math.fround(v), true) : waveFloat(v, false);
    case 'char': {
      const cp = typeof v === 'string' ? v.codePointAt(0) : undefined;
      if (cp === undefined || String.fromCodePoint(cp) !== v || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw waveMismatch(path, 'a string of one Unicode scalar value', v);
      }
      return `'${waveEscape(v)}'`;
    }
    case 'string':
      if (typeof v !== 'string') throw waveMismatch(path, 'a string', v);
      return `"${waveEscape(v)}"`;
    default: {
      const big = kind === 's64' || kind === 'u64';
      if (typeof v !== (big ? 'bigint' : 'number')) throw waveMismatch(path, big ? 'a bigint' : 'a number', v);
      if (!big && !Number.isInteger(v)) throw waveMismatch(path, waveExpected(kind), v);
      const range = (big ? WAVE_INT_RANGES : WAVE_NUMBER_RANGES)[kind];
      if (v < range[0] || v > range[1]) throw waveMismatch(path, waveExpected(kind), v);
      return big ? String(v) : waveIntText(v);
    }
  }
}

/**
 * An integer's digits (`String(v)`), made from parts that fit a small integer: V8 writes
 * those from a cache, and any other number (a u32 past 2^30) through its
 * double-to-string path, several times slower.
 */
function waveIntText(v) {
  if (v < 0x40000000 && v > -0x40000000) return `${v | 0}`;
  if (v < 0) return `-${waveIntText(-v)}`;
  const high = Math.floor(v / 1e9);
  const low = `${v - high * 1e9}`;
  return `${high}${'00000000'.slice(low.length - 1)}${low}`;
}

/** How many significant digits a number's `String` has (`0.25`: 2, `1e+21`: 1). */
function waveDigitCount(s) {
  let n = 0;
  let leading = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 101) break; // e
    if (c < 48 || c > 57 || (leading && c === 48)) continue;
    leading = false;
    n++;
  }
  return n;
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
    // The fewest digits (1 to 9) that read back as the same f32: if p digits do, so do
    // more, so a binary search finds it. The f64's shortest digits read back (the f32
    // is the f64's value), so there are at most as many as those: for a value with
    // few digits (1.5) the search is short, and ends at them.
    const known = waveDigitCount(s);
    let lo = 1;
    let hi = Math.min(9, known);
    while (lo < hi) {
      const p = (lo + hi) >> 1;
      if (Math.fround(Number(x.toPrecision(p))) === x) hi = p;
      else lo = p + 1;
    }
    if (lo !== known) s = String(Number(x.toPrecision(lo)));
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
 * What a char or string escapes between its quotes, as wasm-wave's writer does (Rust's
 * `char::escape_debug`): `\\ \" \' \t \r \n`, and as `\u{…}` what is not printable
 * (control, format, private-use and unassigned characters, separators other than the
 * space: `\p{Zs}` spelled out without it) or extends a grapheme (a combining accent). A
 * lone surrogate (which only a JS string can hold) is written as U+FFFD, as lowering it
 * into a guest does.
 */
const WAVE_ANY_ESCAPED = /[\\"'\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\p{Grapheme_Extend}\ud800-\udfff]/u;

const WAVE_ANY_ESCAPED_ALL = new RegExp(WAVE_ANY_ESCAPED.source, 'gu');

function waveEscape(s) {
  if (!WAVE_ANY_ESCAPED.test(s)) return s;
  if (s.length > 64) return s.replace(WAVE_ANY_ESCAPED_ALL, waveEscapeChar);
  // Short ASCII text (the most common) escaped char by char: several times faster than
  // a replace with a function (longer text: the replace's scan is faster); anything
  // else through the Unicode classes.
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x27 && c !== 0x5c) continue;
    if (c >= 0x7f) return s.replace(WAVE_ANY_ESCAPED_ALL, waveEscapeChar);
    out += `${s.slice(last, i)}${waveEscapeChar(s[i])}`;
    last = i + 1;
  }
  return out + s.slice(last);
}

/** The escape of one character `WAVE_ANY_ESCAPED` matched. */
function waveEscapeChar(ch) {
  const c = ch.codePointAt(0);
  if (ch === '\\' || ch === '"' || ch === "'") return `\\${ch}`;
  if (ch === '\t') return '\\t';
  if (ch === '\r') return '\\r';
  if (ch === '\n') return '\\n';
  if (c >= 0xd800 && c <= 0xdfff) return '\u{fffd}';
  return `\\u{${c.toString(16)}}`;
}

// ---------------------------------------------------------------- reading

/**
 * The JS value of type `t` that WAVE text `text` denotes (whitespace and `//` comments
 * around it allowed). Throws WaveError with the offset of the problem. With
 * `options.handle`, a value of a kind WAVE has no form for may be written as a trace id
 * (`#3`), which `handle(type, 3)` turns into the value.
 */
export function waveRead(t, text, options = {}) {
  const parser = new WaveParser(String(text), options.handle);
  const value = parser.value(t);
  parser.finish();
  return value;
}

/**
 * Reads one value of type `t` from `text` at `offset` (whitespace and comments before it
 * skipped): `{ value, end }`, `end` the offset just after it. Options as `waveRead`.
 */
export function waveReadAt(t, text, offset, options = {}) {
  const parser = new WaveParser(String(text), options.handle);
  parser.lex.pos = offset;
  const value = parser.value(t);
  return { value, end: parser.lex.pos };
}

// Tokens: punctuation, numbers, labels (names and keywords), chars and strings.
// Whitespace is space, tab, CR and LF; `//` comments run to the end of the line.
const WAVE_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
const WAVE_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const WAVE_NAME = /^%?(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)(?:-(?:[a-z0-9]+|[A-Z0-9]+))*$/;
// The runs of characters read as one number or label before they are checked, so
// `01`, `1.`, `-nan` or `foo_bar` are reported whole.
const WAVE_NUMBER_RUN = /[-+.0-9A-Za-z_]*/y;
const WAVE_NAME_RUN = /%?[A-Za-z0-9_-]*/y;
const WAVE_SIMPLE_ESCAPES = { "'": "'", '"': '"', '\\': '\\', t: '\t', n: '\n', r: '\r' };

class WaveLexer {
  constructor(text) {
    this.text = text;
    this.pos = 0;
    this.token = null;
  }

  /** The offset of the next token (after whitespace and comments). */
  offset() {
    this.skipTrivia();
    return this.pos;
  }

  peek() {
    this.token ??= this.scan(this.offset());
    return this.token;
  }

  next() {
    const token = this.peek();
    this.pos = token.end;
    this.token = null;
    return token;
  }

  skipTrivia() {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.pos++;
      } else if (text.startsWith('//', this.pos)) {
        const eol = text.indexOf('\n', this.pos);
        this.pos = eol < 0 ? text.length : eol + 1;
      } else {
        break;
      }
    }
  }

  scan(start) {
    const c = this.text[start];
    if (c === undefined) return { kind: 'end', text: '', start, end: start };
    if ('{}()[]:,'.includes(c)) return { kind: 'punct', text: c, start, end: start + 1 };
    if (c === '"') return this.text.startsWith('"""', start) ? this.multiline(start) : this.quoted(start, '"');
    if (c === "'") return this.quoted(start, "'");
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(start);
    if (c === '#' && /[0-9]/.test(this.text[start + 1] ?? '')) {
      const text = this.run(WAVE_NUMBER_RUN, start + 1);
      return { kind: 'id', text: `#${text}`, id: Number(text), start, end: start + 1 + text.length };
    }
    if (c === '%' || /[A-Za-z]/.test(c)) return this.label(start);
    throw new WaveError(`unexpected character '${String.fromCodePoint(this.text.codePointAt(start))}'`, start);
  }

  run(regex, start) {
    regex.lastIndex = start;
    return regex.exec(this.text)[0];
  }

  number(start) {
    const text = this.run(WAVE_NUMBER_RUN, start);
    if (text !== '-inf' && !WAVE_NUMBER.test(text)) throw new WaveError(`invalid number ${text}`, start);
    return { kind: 'number', text, start, end: start + text.length };
  }

  label(start) {
    const text = this.run(WAVE_NAME_RUN, start);
    if (!WAVE_NAME.test(text)) {
      throw new WaveError(`invalid name ${text} (names are kebab-case words, each all lowercase or all uppercase)`, start);
    }
    const name = text.startsWith('%') ? text.slice(1) : text;
    return { kind: 'label', text, name, keyword: WAVE_KEYWORDS.has(text), start, end: start + text.length };
  }

  // A char ('x') or single-line string ("text"): escapes decoded, no raw line break.
  quoted(start, quote) {
    const what = quote === '"' ? 'string' : 'char';
    let value = '';
    let i = start + 1;
    for (;;) {
      if (i >= this.text.length) throw new WaveError(`unterminated ${what}: expected a closing ${quote}`, start);
      const c = this.text[i];
      if (c === quote) break;
      if (c === '\n') throw new WaveError(`a line break in a ${what} must be written \\n`, i);
      const [decoded, length] = this.char(i);
      value += decoded;
      i += length;
    }
    const count = [...value].length;
    if (what === 'char' && count !== 1) {
      throw new WaveError(`a char holds exactly one character, found ${count === 0 ? 'none' : count}`, start);
    }
    return { kind: what, text: this.text.slice(start, i + 1), value, start, end: i + 1 };
  }

  // One source character or escape at `i`: [decoded text, source length].
  char(i) {
    if (this.text[i] === '\\') return this.escape(i);
    const cp = this.text.codePointAt(i);
    if (cp >= 0xd800 && cp <= 0xdfff) throw new WaveError('a lone surrogate is not a Unicode scalar value', i);
    return [String.fromCodePoint(cp), cp > 0xffff ? 2 : 1];
  }

  escape(i) {
    const c = this.text[i + 1];
    if (c !== undefined && Object.hasOwn(WAVE_SIMPLE_ESCAPES, c)) return [WAVE_SIMPLE_ESCAPES[c], 2];
    if (c === 'u') {
      const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.text.slice(i + 2, i + 10));
      if (!m) throw new WaveError('invalid escape: expected \\u{...} with 1 to 6 hex digits', i);
      const cp = parseInt(m[1], 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw new WaveError(`invalid escape \\u{${m[1]}}: not a Unicode scalar value`, i);
      }
      return [String.fromCodePoint(cp), m[0].length + 2];
    }
    const shown = c === undefined || c === '\n' || c === '\r' ? '' : String.fromCodePoint(this.text.codePointAt(i + 1));
    throw new WaveError(`invalid escape \\${shown} (valid: \\n \\t \\r \\' \\" \\\\ \\u{...})`, i);
  }

  // """ line break, lines, spaces """: the closing line's spaces are the indent that
  // every line must start with and that is removed; then each line's escapes are
  // decoded (so an escaped \r stays), and the lines are joined with \n.
  multiline(start) {
    const open = start + 3;
    const close = this.text.indexOf('"""', open);
    if (close < 0) throw new WaveError('unterminated multiline string: expected """', start);
    const contentStart = this.text[open] === '\r' ? open + 1 : open;
    const lines = this.text.slice(contentStart, close).split('\n');
    const indent = lines.pop();
    if (/[^ ]/.test(indent)) {
      throw new WaveError('the closing """ of a multiline string must be on a line of its own, after nothing but spaces', close);
    }
    if (lines.shift() !== '') {
      throw new WaveError('the opening """ of a multiline string must be followed by a line break', open);
    }
    const decoded = [];
    let lineStart = contentStart + 1;
    for (const line of lines) {
      if (!line.startsWith(indent)) {
        throw new WaveError('every line of a multiline string must be indented at least as much as its closing """', lineStart);
      }
      let i = lineStart + indent.length;
      const end = lineStart + (line.endsWith('\r') ? line.length - 1 : line.length);
      let value = '';
      while (i < end) {
        const [ch, length] = this.char(i);
        value += ch;
        i += length;
      }
      decoded.push(value);
      lineStart += line.length + 1;
    }
    return { kind: 'string', text: this.text.slice(start, close + 3), value: decoded.join('\n'), start, end: close + 3 };
  }
}

/** How a token is shown after "found". */
function waveFound(token) {
  switch (token.kind) {
    case 'end':
      return 'the end of the input';
    case 'punct':
      return `'${token.text}'`;
    default:
      return token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text;
  }
}

/** Recursive descent guided by the type, so an error can say what was expected. */
class WaveParser {
  constructor(text, handle) {
    this.lex = new WaveLexer(text);
    this.handle = handle;
  }

  peek() {
    return this.lex.peek();
  }

  isPunct(p) {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  isKeyword(word) {
    const t = this.peek();
    return t.kind === 'label' && t.keyword && t.text === word;
  }

  eat(p) {
    return this.isPunct(p) ? this.lex.next() : null;
  }

  expect(p, what = `'${p}'`) {
    if (this.isPunct(p)) return this.lex.next();
    throw this.unexpected(what);
  }

  unexpected(what) {
    const t = this.peek();
    return new WaveError(`expected ${what}, found ${waveFound(t)}`, t.start);
  }

  /** A type's opening bracket, with a message naming the type. */
  open(p, type) {
    return this.expect(p, `'${p}' to start a value of type ${witType(type)}`);
  }

  finish() {
    const offset = this.lex.offset();
    if (offset < this.lex.text.length) throw new WaveError('trailing characters after the value', offset);
  }

  value(type) {
    const kind = waveKind(type);
    if (waveIsInt(kind)) return this.int(kind);
    if (WAVE_HANDLES.has(kind)) {
      if (!this.handle) {
        throw new WaveError(`a value of type ${witType(type)} cannot be written in WAVE`, this.lex.offset());
      }
      const t = this.peek();
      if (t.kind !== 'id' || !/^#(?:0|[1-9][0-9]*)$/.test(t.text)) throw this.unexpected(`a trace id like #1 for ${witType(type)}`);
      return this.handle(type, this.lex.next().id);
    }
    switch (kind) {
      case 'f32':
      case 'f64':
        return this.float(kind);
      case 'bool':
        if (this.isKeyword('true') || this.isKeyword('false')) return this.lex.next().text === 'true';
        throw this.unexpected(waveExpected(kind));
      case 'char':
      case 'string':
        if (this.peek().kind !== kind) throw this.unexpected(waveExpected(kind));
        return this.lex.next().value;
      case 'list':
        return this.list(type);
      case 'record':
        return this.record(type);
      case 'tuple':
        return this.tuple(type);
      case 'variant': {
        const label = this.caseLabel(type, type.cases.map((c) => c.name));
        const c = type.cases.find((c) => c.name === label.name);
        const value = this.payload(`case '${c.name}' of ${waveNamed(type)}`, label, c.type);
        return c.type == null ? { tag: c.name } : { tag: c.name, value };
      }
      case 'enum': {
        const label = this.caseLabel(type, type.cases);
        this.payload(`case '${label.name}' of ${waveNamed(type)}`, label, null);
        return label.name;
      }
      case 'option':
        return this.option(type);
      case 'result':
        return this.result(type);
      case 'flags':
        return this.flags(type);
      default:
        return this.map(type);
    }
  }

  int(kind) {
    const t = this.peek();
    const [min, max] = WAVE_INT_RANGES[kind];
    const fits = t.kind === 'number' && WAVE_INTEGER.test(t.text) &&
      !(min === 0n && t.text.startsWith('-')) && BigInt(t.text) >= min && BigInt(t.text) <= max;
    if (!fits) throw this.unexpected(waveExpected(kind));
    this.lex.next();
    const n = BigInt(t.text);
    return kind === 's64' || kind === 'u64' ? n : Number(n);
  }

  float(kind) {
    const t = this.peek();
    let x;
    if (t.kind === 'number') x = t.text === '-inf' ? -Infinity : Number(t.text);
    else if (this.isKeyword('inf')) x = Infinity;
    else if (this.isKeyword('nan')) x = NaN;
    else throw this.unexpected(waveExpected(kind));
    this.lex.next();
    // Decimal → f64 → f32 can differ from decimal → f32 in rare halfway cases.
    return kind === 'f32' ? Math.fround(x) : x;
  }

  /**
   * Comma-separated items up to `close` (the opener already read), a trailing comma
   * allowed. Returns the items and the offset of the closing bracket.
   */
  sequence(close, item) {
    const items = [];
    for (;;) {
      if (this.isPunct(close)) return { items, end: this.lex.next().start };
      items.push(item(items.length));
      if (this.isPunct(close)) continue;
      this.expect(',', `',' or '${close}'`);
    }
  }

  list(type) {
    const { element, length } = type;
    this.open('[', type);
    const { items, end } = this.sequence(']', (i) => {
      if (length != null && i >= length) {
        throw new WaveError(`too many elements for ${witType(type)}: expected ${length}`, this.peek().start);
      }
      return this.value(element);
    });
    if (length != null && items.length !== length) {
      throw new WaveError(`expected ${length} elements for ${witType(type)}, found ${items.length}`, end);
    }
    const Typed = WAVE_TYPED_ARRAYS[element.kind];
    return Typed ? Typed.from(items) : items;
  }

  tuple(type) {
    const n = type.types.length;
    this.open('(', type);
    const { items, end } = this.sequence(')', (i) => {
      if (i >= n) throw new WaveError(`too many values for ${witType(type)}: expected ${n}`, this.peek().start);
      return this.value(type.types[i]);
    });
    if (items.length !== n) throw new WaveError(`expected ${n} values for ${witType(type)}, found ${items.length}`, end);
    return items;
  }

  /** `{key: value, …}`; `{}` or `{:}` when empty. A repeated key: the last value wins. */
  map(type) {
    this.open('{', type);
    const map = new Map();
    if (this.eat(':')) {
      this.expect('}', "'}' after '{:'");
      return map;
    }
    this.sequence('}', () => {
      const key = this.value(type.key);
      this.expect(':', "':' after the map entry's key");
      map.set(key, this.value(type.value));
    });
    return map;
  }

  record(type) {
    const open = this.open('{', type);
    const values = new Map();
    if (this.eat(':')) {
      this.expect('}', "'}' after '{:'");
    } else if (this.isPunct('}') && type.fields.every((f) => f.type.kind === 'option')) {
      throw new WaveError('an empty record is written {:} ({} is an empty flags value)', open.start);
    } else {
      this.sequence('}', () => this.field(type, values));
    }
    const object = {};
    for (const f of type.fields) {
      if (values.has(f.name)) object[waveJsName(f)] = values.get(f.name);
      else if (f.type.kind === 'option') object[waveJsName(f)] = waveNone(f.type);
      else throw new WaveError(`missing field '${f.name}' of ${waveNamed(type)}`, open.start);
    }
    return object;
  }

  field(type, values) {
    const names = type.fields.map((f) => f.name);
    const label = this.peek();
    if (label.kind !== 'label') throw this.unexpected(`a field of ${waveNamedWith(type, names)}`);
    const f = type.fields.find((f) => f.name === label.name);
    if (!f) throw new WaveError(`unknown field '${label.name}' of ${waveNamedWith(type, names)}`, label.start);
    if (values.has(f.name)) throw new WaveError(`duplicate field '${f.name}'`, label.start);
    this.lex.next();
    this.expect(':', `':' after field '${f.name}'`);
    values.set(f.name, this.value(f.type));
  }

  flags(type) {
    this.open('{', type);
    const names = type.flags.map((f) => f.name);
    const set = new Set();
    this.sequence('}', () => {
      const label = this.peek();
      if (label.kind !== 'label') throw this.unexpected(`a flag of ${waveNamedWith(type, names)}`);
      if (!names.includes(label.name)) {
        throw new WaveError(`unknown flag '${label.name}' of ${waveNamedWith(type, names)}`, label.start);
      }
      if (set.has(label.name)) throw new WaveError(`duplicate flag '${label.name}'`, label.start);
      set.add(this.lex.next().name);
    });
    return Object.fromEntries(type.flags.map((f) => [waveJsName(f), set.has(f.name)]));
  }

  /** A case label (of a variant or enum). A bare keyword is not a case label. */
  caseLabel(type, names) {
    const t = this.peek();
    const listed = waveNamedWith(type, names);
    if (t.kind !== 'label') throw this.unexpected(`a case of ${listed}`);
    if (t.keyword) {
      if (!names.includes(t.name)) throw this.unexpected(`a case of ${listed}`);
      const message = `the case '${t.name}' of ${waveNamed(type)} is written %${t.name}`;
      throw new WaveError(`${message} (${t.name} is a WAVE keyword)`, t.start);
    }
    if (!names.includes(t.name)) throw new WaveError(`unknown case '${t.name}' of ${listed}`, t.start);
    return this.lex.next();
  }

  /** `(payload)` after a case name, if `payloadType` wants one. */
  payload(what, label, payloadType) {
    const paren = this.eat('(');
    if (paren && payloadType == null) throw new WaveError(`unexpected payload for ${what}`, paren.start);
    if (!paren && payloadType != null) {
      throw new WaveError(`missing payload for ${what}: write ${label.text}(...)`, label.start);
    }
    if (!paren) return undefined;
    const value = this.value(payloadType);
    this.expect(')', `')' after the payload of ${what}`);
    return value;
  }

  option(type) {
    const tagged = waveTaggedOption(type);
    if (this.isKeyword('some')) {
      const label = this.lex.next();
      if (!this.isPunct('(')) throw this.unexpected("'(' after some");
      const value = this.payload('some', label, type.type);
      return tagged ? { tag: 'some', value } : value;
    }
    if (this.isKeyword('none')) {
      this.payload('none', this.lex.next(), null);
      return waveNone(type);
    }
    if (waveFlattens(type.type)) return this.value(type.type);
    throw this.unexpected(`some(...) or none for ${witType(type)}`);
  }

  result(type) {
    for (const tag of ['ok', 'err']) {
      if (!this.isKeyword(tag)) continue;
      const label = this.lex.next();
      const value = this.payload(`${tag} of ${witType(type)}`, label, type[tag]);
      return type[tag] == null ? { tag } : { tag, value };
    }
    if (type.ok != null && waveFlattens(type.ok)) return { tag: 'ok', value: this.value(type.ok) };
    const form = (tag) => (type[tag] == null ? tag : `${tag}(...)`);
    throw this.unexpected(`${form('ok')} or ${form('err')} for ${witType(type)}`);
  }
}
