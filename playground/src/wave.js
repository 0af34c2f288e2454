// WAVE (WebAssembly Value Encoding) for the weft playground: parse WAVE text into the
// JS values weft's generated code uses ("native" shapes, docs/js-api.md) and print
// such values back as WAVE, both guided by the transpiler's JSON type descriptor.
//
// Grammar: wasm-tools' `wasm-wave` crate as of wasm-tools 1.257.1 (wasm-wave 0.257.1,
// commit a7ef4778a), read from crates/wasm-wave/README.md, wave_ebnf.md, src/lex.rs,
// src/parser.rs, src/ast.rs, src/strings.rs, src/writer.rs and tests/ui/*. Choices:
//  - `some` may be written flat (`5` for `some(5)` in an option<u8>) unless the payload
//    is an option or result; likewise a flat `ok` when the ok type is neither.
//  - The empty record is `{:}`; `{}` is the empty flags value only.
//  - Keywords (true false some none ok err inf nan) as variant or enum cases must be
//    written with a `%` prefix; field and flag names never need it (the printer does
//    not add one there, as wasm-wave's writer does not).
//  - wasm-wave has no map syntax. A `map<K, V>` shares `list<tuple<K, V>>`'s ABI, so
//    it is written as that list: `[("a", 1), ("b", 2)]`; a repeated key: last wins.
//  - A fixed-length list `list<T, N>` is written as a list of exactly N values.
//  - Printing follows wasm-wave's writer: `, ` separators, `some(...)`/`none` always
//    explicit, none-valued option fields left out of records, floats in the shortest
//    form that reads back to the same value (f32 by f32 precision). Differences: only
//    the quote that delimits is escaped (`"it's"`, `'"'`), control characters and
//    U+2028/U+2029 as `\u{...}`.
// Offsets in WaveError are indices into the JS string (UTF-16 code units).

const KEYWORDS = new Set(['true', 'false', 'some', 'none', 'ok', 'err', 'inf', 'nan']);

const INT_RANGES = {
  s8: [-128n, 127n],
  u8: [0n, 255n],
  s16: [-32768n, 32767n],
  u16: [0n, 65535n],
  s32: [-2147483648n, 2147483647n],
  u32: [0n, 4294967295n],
  s64: [-9223372036854775808n, 9223372036854775807n],
  u64: [0n, 18446744073709551615n],
};

const TYPED_ARRAYS = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

const PRIMITIVES = new Set([
  'bool', 'char', 'string', 'f32', 'f64', 'error-context', ...Object.keys(INT_RANGES),
]);
const COMPOSITES = new Set([
  'list', 'record', 'tuple', 'variant', 'enum', 'option', 'result', 'flags',
  'own', 'borrow', 'future', 'stream', 'map',
]);

/** A WAVE syntax or type error at `offset` (0-based index into the parsed text). */
export class WaveError extends Error {
  constructor(message, offset) {
    super(message);
    this.name = 'WaveError';
    this.offset = offset;
  }
}

// ---------------------------------------------------------------------------
// Type helpers

function kindOf(type) {
  const kind = type?.kind;
  if (PRIMITIVES.has(kind) || COMPOSITES.has(kind)) return kind;
  throw new TypeError(`not a WAVE type descriptor: ${JSON.stringify(type)}`);
}

const isInt = (kind) => Object.hasOwn(INT_RANGES, kind);
const isFloat = (kind) => kind === 'f32' || kind === 'f64';
const isUnwritable = (kind) =>
  ['own', 'borrow', 'future', 'stream', 'error-context'].includes(kind);

// An option whose payload is an option is a tagged object in JS ({ tag, value }).
const isTaggedOption = (type) => type.kind === 'option' && type.type.kind === 'option';
// A payload that may stand for `some(...)` / `ok(...)` written flat.
const flattenable = (type) => type.kind !== 'option' && type.kind !== 'result';
const noneOf = (optionType) => (isTaggedOption(optionType) ? { tag: 'none' } : null);

const camel = (name) => name.replace(/-([a-zA-Z0-9])/g, (_, c) => c.toUpperCase());
const jsName = (item) => item.js ?? camel(item.name);

// A WIT name as a WAVE value label (variant and enum cases).
const caseLabel = (name) => (KEYWORDS.has(name) ? `%${name}` : name);

/** The WIT spelling of a type: `list<u8>`, `result<_, string>`, `point`, ... */
export function formatType(type) {
  const kind = kindOf(type);
  switch (kind) {
    case 'list':
      return type.length == null
        ? `list<${formatType(type.element)}>`
        : `list<${formatType(type.element)}, ${type.length}>`;
    case 'record':
      return type.name ??
        `record { ${type.fields.map((f) => `${f.name}: ${formatType(f.type)}`).join(', ')} }`;
    case 'variant':
      return type.name ?? `variant { ${type.cases.map(formatCase).join(', ')} }`;
    case 'enum':
      return type.name ?? `enum { ${type.cases.join(', ')} }`;
    case 'flags':
      return type.name ?? `flags { ${type.flags.map((f) => f.name).join(', ')} }`;
    case 'tuple':
      return `tuple<${type.types.map(formatType).join(', ')}>`;
    case 'option':
      return `option<${formatType(type.type)}>`;
    case 'result':
      return formatResultType(type);
    case 'own':
    case 'borrow':
      return `${kind}<${type.resource}>`;
    case 'future':
    case 'stream':
      return type.type == null ? kind : `${kind}<${formatType(type.type)}>`;
    case 'map':
      return `map<${formatType(type.key)}, ${formatType(type.value)}>`;
    default:
      return kind;
  }
}

function formatCase(c) {
  return c.type == null ? c.name : `${c.name}(${formatType(c.type)})`;
}

function formatResultType(type) {
  if (type.err == null) return type.ok == null ? 'result' : `result<${formatType(type.ok)}>`;
  return `result<${type.ok == null ? '_' : formatType(type.ok)}, ${formatType(type.err)}>`;
}

/** Whether a value of the type can be written in WAVE (no resources, futures, ...). */
export function writable(type) {
  const kind = kindOf(type);
  if (isUnwritable(kind)) return false;
  switch (kind) {
    case 'list':
      return writable(type.element);
    case 'record':
      return type.fields.every((f) => writable(f.type));
    case 'variant':
      return type.cases.every((c) => c.type == null || writable(c.type));
    case 'tuple':
      return type.types.every(writable);
    case 'option':
      return writable(type.type);
    case 'result':
      return [type.ok, type.err].every((t) => t == null || writable(t));
    case 'map':
      return writable(type.key) && writable(type.value);
    default:
      return true;
  }
}

// "record point (x, y)" for messages; the structure when the type has no name.
function namedWith(type, names) {
  return type.name ? `${type.kind} ${type.name} (${names.join(', ')})` : formatType(type);
}

function named(type) {
  return type.name ? `${type.kind} ${type.name}` : formatType(type);
}

function withArticle(word) {
  return /^(?:[aeio]|[sf]\d)/.test(word) ? `an ${word}` : `a ${word}`;
}

// What a value of a primitive type looks like, for "expected ..." messages.
function describePrimitive(kind) {
  if (isInt(kind)) {
    const [min, max] = INT_RANGES[kind];
    return `${withArticle(kind)} (${min} to ${max})`;
  }
  if (isFloat(kind)) return `${withArticle(kind)} (a number, nan, inf or -inf)`;
  if (kind === 'bool') return 'a bool (true or false)';
  if (kind === 'char') return "a char like 'x'";
  return 'a string like "text"';
}

// ---------------------------------------------------------------------------
// Lexer: tokens are punctuation, numbers, labels (names and keywords), chars and
// strings. Whitespace is space, tab, CR and LF; `//` comments run to the line end.

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const LABEL = /^%?(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)(?:-(?:[a-z0-9]+|[A-Z0-9]+))*$/;
// The runs of characters read as one number or label before they are checked, so
// `01`, `1.`, `-nan` or `foo_bar` are reported whole.
const NUMBER_RUN = /[-+.0-9A-Za-z_]*/y;
const LABEL_RUN = /%?[A-Za-z0-9_-]*/y;
const SIMPLE_ESCAPES = { "'": "'", '"': '"', '\\': '\\', t: '\t', n: '\n', r: '\r' };

class Lexer {
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
    if (c === '"') {
      return this.text.startsWith('"""', start) ? this.multiline(start) : this.quoted(start, '"');
    }
    if (c === "'") return this.quoted(start, "'");
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(start);
    if (c === '%' || /[A-Za-z]/.test(c)) return this.label(start);
    const cp = this.text.codePointAt(start);
    throw new WaveError(`unexpected character '${String.fromCodePoint(cp)}'`, start);
  }

  run(regex, start) {
    regex.lastIndex = start;
    return regex.exec(this.text)[0];
  }

  number(start) {
    const text = this.run(NUMBER_RUN, start);
    if (text !== '-inf' && !NUMBER.test(text)) {
      throw new WaveError(`invalid number ${text}`, start);
    }
    return { kind: 'number', text, start, end: start + text.length };
  }

  label(start) {
    const text = this.run(LABEL_RUN, start);
    if (!LABEL.test(text)) {
      throw new WaveError(
        `invalid name ${text} (names are kebab-case words, each all lowercase or all uppercase)`,
        start,
      );
    }
    const keyword = KEYWORDS.has(text);
    const name = text.startsWith('%') ? text.slice(1) : text;
    return { kind: 'label', text, name, keyword, start, end: start + text.length };
  }

  // A char ('x') or single-line string ("text"): escapes decoded, no raw line break.
  quoted(start, quote) {
    const what = quote === '"' ? 'string' : 'char';
    let value = '';
    let i = start + 1;
    for (;;) {
      if (i >= this.text.length) {
        throw new WaveError(`unterminated ${what}: expected a closing ${quote}`, start);
      }
      const c = this.text[i];
      if (c === quote) break;
      if (c === '\n') throw new WaveError(`a line break in a ${what} must be written \\n`, i);
      const [decoded, length] = this.char(i);
      value += decoded;
      i += length;
    }
    const token = { kind: what, text: this.text.slice(start, i + 1), value, start, end: i + 1 };
    const count = [...value].length;
    if (what === 'char' && count !== 1) {
      throw new WaveError(
        `a char holds exactly one character, found ${count === 0 ? 'none' : count}`,
        start,
      );
    }
    return token;
  }

  // One source character or escape at `i`: [decoded text, source length].
  char(i) {
    if (this.text[i] === '\\') return this.escape(i);
    const cp = this.text.codePointAt(i);
    if (cp >= 0xd800 && cp <= 0xdfff) {
      throw new WaveError('a lone surrogate is not a Unicode scalar value', i);
    }
    return [String.fromCodePoint(cp), cp > 0xffff ? 2 : 1];
  }

  escape(i) {
    const c = this.text[i + 1];
    if (c !== undefined && Object.hasOwn(SIMPLE_ESCAPES, c)) return [SIMPLE_ESCAPES[c], 2];
    if (c === 'u') {
      const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.text.slice(i + 2, i + 10));
      if (!m) throw new WaveError('invalid escape: expected \\u{...} with 1 to 6 hex digits', i);
      const cp = parseInt(m[1], 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw new WaveError(`invalid escape \\u{${m[1]}}: not a Unicode scalar value`, i);
      }
      return [String.fromCodePoint(cp), m[0].length + 2];
    }
    const shown = c === undefined || c === '\n' || c === '\r'
      ? ''
      : String.fromCodePoint(this.text.codePointAt(i + 1));
    throw new WaveError(
      `invalid escape \\${shown} (valid: \\n \\t \\r \\' \\" \\\\ \\u{...})`,
      i,
    );
  }

  // """ line break, lines, spaces """: the closing line's spaces are the indent that
  // every line must start with and that is removed; line breaks inside become \n.
  multiline(start) {
    const open = start + 3;
    const close = this.text.indexOf('"""', open);
    if (close < 0) throw new WaveError('unterminated multiline string: expected """', start);
    const contentStart = this.text[open] === '\r' ? open + 1 : open;
    const lines = this.text.slice(contentStart, close).split('\n');
    const indent = lines.pop();
    if (/[^ ]/.test(indent)) {
      const message = 'must be on a line of its own, after nothing but spaces';
      throw new WaveError(`the closing """ of a multiline string ${message}`, close);
    }
    if (lines.shift() !== '') {
      const message = 'must be followed by a line break';
      throw new WaveError(`the opening """ of a multiline string ${message}`, open);
    }
    const decoded = [];
    let lineStart = contentStart + 1;
    for (const line of lines) {
      if (!line.startsWith(indent)) {
        const message = 'must be indented at least as much as its closing """';
        throw new WaveError(`every line of a multiline string ${message}`, lineStart);
      }
      const end = lineStart + (line.endsWith('\r') ? line.length - 1 : line.length);
      decoded.push(this.decodeRange(lineStart + indent.length, end));
      lineStart += line.length + 1;
    }
    const end = close + 3;
    const text = this.text.slice(start, end);
    return { kind: 'string', text, value: decoded.join('\n'), start, end };
  }

  decodeRange(i, end) {
    let value = '';
    while (i < end) {
      const [decoded, length] = this.char(i);
      value += decoded;
      i += length;
    }
    return value;
  }
}

// How a token is shown after "found".
function found(token) {
  switch (token.kind) {
    case 'end':
      return 'the end of the input';
    case 'punct':
      return `'${token.text}'`;
    default:
      return token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text;
  }
}

// ---------------------------------------------------------------------------
// Parser: recursive descent guided by the type, so errors can say what was expected.

class Parser {
  constructor(text) {
    this.lex = new Lexer(text);
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
    if (!this.isPunct(p)) return null;
    return this.lex.next();
  }

  expect(p, what = `'${p}'`) {
    if (this.isPunct(p)) return this.lex.next();
    throw this.unexpected(what);
  }

  unexpected(what) {
    const t = this.peek();
    return new WaveError(`expected ${what}, found ${found(t)}`, t.start);
  }

  // A type's opening bracket, with a message naming the type.
  open(p, type) {
    return this.expect(p, `'${p}' to start a value of type ${formatType(type)}`);
  }

  finish() {
    const offset = this.lex.offset();
    if (offset < this.lex.text.length) {
      throw new WaveError('trailing characters after the value', offset);
    }
  }

  value(type) {
    const kind = kindOf(type);
    if (isInt(kind)) return this.int(kind);
    if (isFloat(kind)) return this.float(kind);
    if (isUnwritable(kind)) {
      throw new WaveError(`a value of type ${formatType(type)} cannot be written in WAVE`, this.lex.offset());
    }
    switch (kind) {
      case 'bool': return this.bool();
      case 'char': return this.literal('char');
      case 'string': return this.literal('string');
      case 'list': return this.list(type);
      case 'record': return this.record(type);
      case 'tuple': return this.tuple(type);
      case 'variant': return this.variant(type);
      case 'enum': return this.enum(type);
      case 'option': return this.option(type);
      case 'result': return this.result(type);
      case 'flags': return this.flags(type);
      case 'map': return this.map(type);
    }
    throw new TypeError(`unhandled type kind ${kind}`);
  }

  int(kind) {
    const t = this.peek();
    const [min, max] = INT_RANGES[kind];
    const fits = t.kind === 'number' && INTEGER.test(t.text) &&
      !(min === 0n && t.text.startsWith('-')) &&
      BigInt(t.text) >= min && BigInt(t.text) <= max;
    if (!fits) throw this.unexpected(describePrimitive(kind));
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
    else throw this.unexpected(describePrimitive(kind));
    this.lex.next();
    // Decimal -> f64 -> f32 may differ from a direct decimal -> f32 rounding in rare
    // halfway cases; this is accepted for a playground.
    return kind === 'f32' ? Math.fround(x) : x;
  }

  bool() {
    if (this.isKeyword('true') || this.isKeyword('false')) return this.lex.next().text === 'true';
    throw this.unexpected(describePrimitive('bool'));
  }

  literal(kind) {
    if (this.peek().kind !== kind) throw this.unexpected(describePrimitive(kind));
    return this.lex.next().value;
  }

  // Comma-separated items up to `close` (the opener already read); trailing comma ok.
  // Returns the items and the offset of the closing bracket.
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
        throw new WaveError(`too many elements for ${formatType(type)}: expected ${length}`, this.peek().start);
      }
      return this.value(element);
    });
    if (length != null && items.length !== length) {
      throw new WaveError(`expected ${length} elements for ${formatType(type)}, found ${items.length}`, end);
    }
    const TypedArray = TYPED_ARRAYS[element.kind];
    return TypedArray ? TypedArray.from(items) : items;
  }

  tuple(type) {
    const n = type.types.length;
    this.open('(', type);
    const { items, end } = this.sequence(')', (i) => {
      if (i >= n) {
        throw new WaveError(`too many values for ${formatType(type)}: expected ${n}`, this.peek().start);
      }
      return this.value(type.types[i]);
    });
    if (items.length !== n) {
      throw new WaveError(`expected ${n} values for ${formatType(type)}, found ${items.length}`, end);
    }
    return items;
  }

  // [(key, value), ...]: a map is written as the list of pairs it shares an ABI with.
  map(type) {
    this.open('[', type);
    const map = new Map();
    this.sequence(']', () => {
      this.expect('(', 'a map entry (key, value)');
      const key = this.value(type.key);
      this.expect(',', "',' after the map entry's key");
      const value = this.value(type.value);
      this.eat(',');
      this.expect(')', "')' after the map entry's value");
      map.set(key, value);
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
      if (values.has(f.name)) object[jsName(f)] = values.get(f.name);
      else if (f.type.kind === 'option') object[jsName(f)] = noneOf(f.type);
      else throw new WaveError(`missing field '${f.name}' of ${named(type)}`, open.start);
    }
    return object;
  }

  field(type, values) {
    const names = type.fields.map((f) => f.name);
    const label = this.peek();
    if (label.kind !== 'label') throw this.unexpected(`a field of ${namedWith(type, names)}`);
    const f = type.fields.find((f) => f.name === label.name);
    if (!f) throw new WaveError(`unknown field '${label.name}' of ${namedWith(type, names)}`, label.start);
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
      if (label.kind !== 'label') throw this.unexpected(`a flag of ${namedWith(type, names)}`);
      if (!names.includes(label.name)) {
        throw new WaveError(`unknown flag '${label.name}' of ${namedWith(type, names)}`, label.start);
      }
      if (set.has(label.name)) throw new WaveError(`duplicate flag '${label.name}'`, label.start);
      set.add(this.lex.next().name);
    });
    return Object.fromEntries(type.flags.map((f) => [jsName(f), set.has(f.name)]));
  }

  // A case label (for variants and enums). Unescaped keywords are not case labels.
  caseLabel(type, names) {
    const t = this.peek();
    const listed = namedWith(type, names);
    if (t.kind !== 'label') throw this.unexpected(`a case of ${listed}`);
    if (t.keyword) {
      if (!names.includes(t.name)) throw this.unexpected(`a case of ${listed}`);
      const message = `the case '${t.name}' of ${named(type)} is written %${t.name}`;
      throw new WaveError(`${message} (${t.name} is a WAVE keyword)`, t.start);
    }
    if (!names.includes(t.name)) throw new WaveError(`unknown case '${t.name}' of ${listed}`, t.start);
    return this.lex.next();
  }

  // `(payload)` after a case name, if `payloadType` wants one.
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

  variant(type) {
    const label = this.caseLabel(type, type.cases.map((c) => c.name));
    const c = type.cases.find((c) => c.name === label.name);
    const what = `case '${c.name}' of ${named(type)}`;
    const value = this.payload(what, label, c.type);
    return c.type == null ? { tag: c.name } : { tag: c.name, value };
  }

  enum(type) {
    const label = this.caseLabel(type, type.cases);
    this.payload(`case '${label.name}' of ${named(type)}`, label, null);
    return label.name;
  }

  option(type) {
    const tagged = isTaggedOption(type);
    if (this.isKeyword('some')) {
      const label = this.lex.next();
      if (!this.isPunct('(')) throw this.unexpected("'(' after some");
      const value = this.payload('some', label, type.type);
      return tagged ? { tag: 'some', value } : value;
    }
    if (this.isKeyword('none')) {
      this.payload('none', this.lex.next(), null);
      return noneOf(type);
    }
    if (flattenable(type.type)) return this.value(type.type);
    throw this.unexpected(`some(...) or none for ${formatType(type)}`);
  }

  result(type) {
    for (const tag of ['ok', 'err']) {
      if (!this.isKeyword(tag)) continue;
      const label = this.lex.next();
      const value = this.payload(`${tag} of ${formatType(type)}`, label, type[tag]);
      return type[tag] == null ? { tag } : { tag, value };
    }
    if (type.ok != null && flattenable(type.ok)) return { tag: 'ok', value: this.value(type.ok) };
    const form = (tag) => (type[tag] == null ? tag : `${tag}(...)`);
    throw this.unexpected(`${form('ok')} or ${form('err')} for ${formatType(type)}`);
  }
}

/**
 * Parses WAVE text (one value, whitespace and comments around it allowed) into the
 * native JS value of the type. Throws WaveError with the offset of the problem.
 */
export function parseValue(text, type) {
  const parser = new Parser(String(text));
  const value = parser.value(type);
  parser.finish();
  return value;
}

// ---------------------------------------------------------------------------
// Formatter: checks the JS value's shape against the type while printing it.

function describeJs(v) {
  if (v === null || v === undefined) return String(v);
  switch (typeof v) {
    case 'string': {
      const shown = v.length > 40 ? `${v.slice(0, 37)}...` : v;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'number':
    case 'boolean':
      return `${typeof v} ${v}`;
    case 'bigint':
      return `bigint ${v}n`;
    case 'function':
      return 'function';
    case 'symbol':
      return 'symbol';
  }
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (ArrayBuffer.isView(v) && 'length' in v) return `${v[Symbol.toStringTag]}(${v.length})`;
  if (v instanceof Map) return `Map(${v.size})`;
  const ctor = Object.getPrototypeOf(v)?.constructor?.name;
  return ctor && ctor !== 'Object' ? `${ctor} object` : 'object';
}

function mismatch(path, expected, v) {
  return new TypeError(`${path}: expected ${expected}, got ${describeJs(v)}`);
}

const isObject = (v) => typeof v === 'object' && v !== null;

function isPlainObject(v) {
  if (!isObject(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// Shortest decimal that reads back to the same f64 (or f32) value.
function formatFloat(x, f32) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  if (f32) {
    for (let digits = 1; digits <= 9; digits++) {
      const y = Number(x.toPrecision(digits));
      if (Math.fround(y) === x) return String(y);
    }
  }
  return String(x);
}

// A char or string literal; `quote` is the delimiter, the only quote escaped.
function quote(s, q) {
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (ch === '\\' || ch === q) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\u{fffd}'; // as lowering encodes it
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) {
      out += `\\u{${cp.toString(16)}}`;
    } else out += ch;
  }
  return out + q;
}

function isScalarChar(v) {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2) return false;
  const cp = v.codePointAt(0);
  return String.fromCodePoint(cp) === v && !(cp >= 0xd800 && cp <= 0xdfff);
}

class Formatter {
  value(v, type, path) {
    const kind = kindOf(type);
    if (isInt(kind)) return this.int(v, kind, path);
    switch (kind) {
      case 'bool':
        if (typeof v !== 'boolean') throw mismatch(path, 'a boolean', v);
        return String(v);
      case 'f32':
      case 'f64':
        if (typeof v !== 'number') throw mismatch(path, 'a number', v);
        return kind === 'f32' ? formatFloat(Math.fround(v), true) : formatFloat(v, false);
      case 'char':
        if (!isScalarChar(v)) throw mismatch(path, 'a string of one Unicode scalar value', v);
        return quote(v, "'");
      case 'string':
        if (typeof v !== 'string') throw mismatch(path, 'a string', v);
        return quote(v, '"');
      case 'list': return this.list(v, type, path);
      case 'record': return this.record(v, type, path);
      case 'tuple': return this.tuple(v, type, path);
      case 'variant': return this.variant(v, type, path);
      case 'enum': return this.enum(v, type, path);
      case 'option': return this.option(v, type, path);
      case 'result': return this.result(v, type, path);
      case 'flags': return this.flags(v, type, path);
      case 'map': return this.map(v, type, path);
      default: return placeholder(v, type);
    }
  }

  int(v, kind, path) {
    const big = kind === 's64' || kind === 'u64';
    if (typeof v !== (big ? 'bigint' : 'number')) throw mismatch(path, big ? 'a bigint' : 'a number', v);
    const [min, max] = INT_RANGES[kind];
    if (!big && !Number.isInteger(v)) throw mismatch(path, describePrimitive(kind), v);
    const n = BigInt(v);
    if (n < min || n > max) throw mismatch(path, describePrimitive(kind), v);
    return String(n);
  }

  sequence(items, format) {
    return Array.from(items, format).join(', ');
  }

  list(v, type, path) {
    const TypedArray = TYPED_ARRAYS[type.element.kind];
    const typed = TypedArray && ArrayBuffer.isView(v) && v[Symbol.toStringTag] === TypedArray.name;
    if (!Array.isArray(v) && !typed) {
      throw mismatch(path, TypedArray ? `a ${TypedArray.name} or an Array` : 'an Array', v);
    }
    if (type.length != null && v.length !== type.length) {
      throw new TypeError(`${path}: expected ${type.length} elements, got ${v.length}`);
    }
    return `[${this.sequence(v, (x, i) => this.value(x, type.element, `${path}[${i}]`))}]`;
  }

  tuple(v, type, path) {
    const n = type.types.length;
    if (!Array.isArray(v)) throw mismatch(path, `an Array of ${n} values`, v);
    if (v.length !== n) throw new TypeError(`${path}: expected ${n} values, got ${v.length}`);
    return `(${this.sequence(v, (x, i) => this.value(x, type.types[i], `${path}[${i}]`))})`;
  }

  map(v, type, path) {
    let entries;
    if (v instanceof Map) entries = [...v];
    else if (isPlainObject(v)) entries = Object.entries(v);
    else throw mismatch(path, 'a Map', v);
    const entry = ([key, value], i) => {
      const k = this.value(key, type.key, `${path}[${i}][0]`);
      return `(${k}, ${this.value(value, type.value, `${path}[${i}][1]`)})`;
    };
    return `[${this.sequence(entries, entry)}]`;
  }

  // None-valued option fields are left out (absent, null or undefined all mean none).
  record(v, type, path) {
    if (!isObject(v)) throw mismatch(path, `an object (${named(type)})`, v);
    const parts = [];
    for (const f of type.fields) {
      const x = v[jsName(f)];
      const isNone = f.type.kind === 'option' &&
        (x == null || (isTaggedOption(f.type) && isObject(x) && x.tag === 'none'));
      if (!isNone) parts.push(`${f.name}: ${this.value(x, f.type, `${path}.${jsName(f)}`)}`);
    }
    return parts.length === 0 ? '{:}' : `{${parts.join(', ')}}`;
  }

  flags(v, type, path) {
    if (!isObject(v)) throw mismatch(path, `an object of booleans (${named(type)})`, v);
    const set = type.flags.filter((f) => {
      const x = v[jsName(f)];
      if (x !== undefined && typeof x !== 'boolean') {
        throw mismatch(`${path}.${jsName(f)}`, 'a boolean', x);
      }
      return x === true;
    });
    return `{${set.map((f) => f.name).join(', ')}}`;
  }

  // { tag, value } objects: variants, results and option<option<T>>'s outer option.
  tagged(v, tags, path) {
    if (!isObject(v)) throw mismatch(path, '{ tag, value }', v);
    if (!tags.includes(v.tag)) {
      throw mismatch(`${path}.tag`, `one of ${tags.map((t) => `'${t}'`).join(', ')}`, v.tag);
    }
    return v.tag;
  }

  withPayload(label, v, payloadType, path) {
    if (payloadType == null) return label;
    return `${label}(${this.value(v.value, payloadType, `${path}.value`)})`;
  }

  variant(v, type, path) {
    const tag = this.tagged(v, type.cases.map((c) => c.name), path);
    const c = type.cases.find((c) => c.name === tag);
    return this.withPayload(caseLabel(tag), v, c.type, path);
  }

  enum(v, type, path) {
    if (!type.cases.includes(v)) {
      throw mismatch(path, `one of ${type.cases.map((c) => `'${c}'`).join(', ')}`, v);
    }
    return caseLabel(v);
  }

  option(v, type, path) {
    if (isTaggedOption(type)) {
      const tag = this.tagged(v, ['none', 'some'], path);
      return this.withPayload(tag, v, tag === 'some' ? type.type : null, path);
    }
    return v == null ? 'none' : `some(${this.value(v, type.type, path)})`;
  }

  result(v, type, path) {
    const tag = this.tagged(v, ['ok', 'err'], path);
    return this.withPayload(tag, v, type[tag], path);
  }
}

// What is printed for values WAVE cannot write.
function placeholder(v, type) {
  switch (type.kind) {
    case 'own':
    case 'borrow':
      return `<${type.kind} ${type.resource}>`;
    case 'error-context':
      return isObject(v) && typeof v.message === 'string'
        ? `<error-context: ${v.message}>`
        : '<error-context>';
    default:
      return `<${type.kind}>`;
  }
}

/**
 * Prints a native JS value of the type as canonical WAVE. Throws TypeError naming the
 * path of a value that does not fit (`root` is the name the path starts with).
 * Resources, futures, streams and error-contexts print as placeholders (`<own foo>`).
 */
export function formatValue(value, type, root = 'value') {
  return new Formatter().value(value, type, root);
}

// ---------------------------------------------------------------------------
// Examples for the input box.

/** A short valid WAVE text for the type, or null when the type is not writable. */
export function example(type) {
  return writable(type) ? exampleOf(type) : null;
}

function exampleOf(type) {
  const kind = kindOf(type);
  if (isInt(kind)) return '42';
  switch (kind) {
    case 'bool': return 'true';
    case 'f32':
    case 'f64': return '3.5';
    case 'char': return "'x'";
    case 'string': return '"hello"';
    case 'list': {
      const element = exampleOf(type.element);
      return `[${type.length == null ? element : Array(type.length).fill(element).join(', ')}]`;
    }
    case 'record':
      if (type.fields.length === 0) return '{:}';
      return `{${type.fields.map((f) => `${f.name}: ${exampleOf(f.type)}`).join(', ')}}`;
    case 'tuple': return `(${type.types.map(exampleOf).join(', ')})`;
    case 'variant': {
      const c = type.cases[0];
      return c.type == null ? caseLabel(c.name) : `${caseLabel(c.name)}(${exampleOf(c.type)})`;
    }
    case 'enum': return caseLabel(type.cases[0]);
    case 'option': return `some(${exampleOf(type.type)})`;
    case 'result': return type.ok == null ? 'ok' : `ok(${exampleOf(type.ok)})`;
    case 'flags': return type.flags.length === 0 ? '{}' : `{${type.flags[0].name}}`;
    case 'map': return `[(${exampleOf(type.key)}, ${exampleOf(type.value)})]`;
  }
  return null;
}
