// highlight.js: syntax highlighting for the playground's JS and WIT panes. The tokenizers
// cut a text into `{ text, kind }` tokens whose texts, joined, give the text back exactly;
// render() turns tokens into `<span class="tok-<kind>">` elements through textContent, so
// no text is ever parsed as HTML. Both tokenizers are one left-to-right pass (linear time);
// they guess where a full parser would know (regex or division), and never fail.
//
// Kinds: keyword, string (JS strings, templates and regex literals), number, comment,
// punct, ident, directive (a JS directive such as "use components" in the module's
// prologue), type (WIT built-in types), space. WIT gates (@since, @unstable) are keywords.

const JS_KEYWORDS = new Set(('await break case catch class const continue debugger default delete do else ' +
  'export extends false finally for function if import in instanceof let new null of return static super ' +
  'switch this throw true try typeof var void while with yield async from as').split(' '));
// Keywords after which a `/` divides rather than starts a regex.
const JS_VALUE_KEYWORDS = new Set(['this', 'super', 'null', 'true', 'false']);

// Sticky patterns, tried at a known position.
const JS_IDENT = /(?:[\p{ID_Start}$_]|\\u[\da-fA-F]{4}|\\u\{[\da-fA-F]+\})(?:[\p{ID_Continue}$\u200c\u200d]|\\u[\da-fA-F]{4}|\\u\{[\da-fA-F]+\})*/uy;
const JS_NUMBER = /(?:0[xX][\da-fA-F_]*|0[oO][0-7_]*|0[bB][01_]*|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?[\d_]+)?)n?/y;
const JS_PUNCT = /\?\.(?!\d)|>>>=?|\.\.\.|[=!]==?|\*\*=?|<<=?|>>=?|&&=?|\|\|=?|\?\?=?|=>|\+\+|--|[-+*/%&|^<>]=|[-+*/%&|^<>{}()[\];,.~!?:=@#]/y;
const LINE_REST = /[^\n\r\u2028\u2029]*/y;

const isNewline = (c) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const isSpace = (c) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
const isDigit = (c) => c >= 48 && c <= 57;

/** The end of the match of sticky `re` at `i`, or -1. */
function matchAt(re, text, i) {
  re.lastIndex = i;
  return re.test(text) ? re.lastIndex : -1;
}

/** The end of the identifier at `i`, or -1; ASCII quickly, anything else by JS_IDENT. */
function jsIdentEnd(text, i) {
  let j = i;
  for (let c = text.charCodeAt(j); (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 ||
    (j > i && isDigit(c)); c = text.charCodeAt(++j));
  const c = text.charCodeAt(j);
  if (c >= 128 || c === 92) return matchAt(JS_IDENT, text, i);
  return j > i ? j : -1;
}

/** The end of the space token starting at `i`. */
function spaceEnd(text, i) {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The end of the line `i` is on, before its line terminator. */
const lineEnd = (text, i) => matchAt(LINE_REST, text, i);

/** The single code point at `i` (both halves of a surrogate pair). */
function codePointEnd(text, i) {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? i + 2 : i + 1;
}

/** The end of a '…' or "…" string at `i`; an unterminated one ends before its line's end. */
function jsStringEnd(text, i) {
  const quote = text.charCodeAt(i), n = text.length;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === quote) return j + 1;
    if (c === 92) j += text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10 ? 2 : 1;
    else if (c === 10 || c === 13) return j;
  }
  return n;
}

/** Where the template text from `i` stops: at its closing backtick (included) or a `${` (not). */
function templateEnd(text, i) {
  const n = text.length;
  for (let j = i; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 96) return j + 1;
    if (c === 92) j++;
    else if (c === 36 && text.charCodeAt(j + 1) === 123) return j;
  }
  return n;
}

/** The end of a regex literal (with its flags) at `i`, or -1 if none ends on this line. */
function regexEnd(text, i) {
  let inClass = false;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (isNewline(c)) return -1;
    if (c === 92) {
      if (isNewline(text.charCodeAt(j + 1))) return -1;
      j++;
    } else if (c === 93) inClass = false;
    else if (c === 91) inClass = true;
    else if (c === 47 && !inClass) return Math.max(j + 1, jsIdentEnd(text, j + 1));
  }
  return -1;
}

/** Whether a string literal ending at `i` stands as a statement of its own: `"…";`. */
function endsStatement(text, i) {
  while (i < text.length && isSpace(text.charCodeAt(i)) && !isNewline(text.charCodeAt(i))) i++;
  return i === text.length || text.charCodeAt(i) === 59 || isNewline(text.charCodeAt(i));
}

/**
 * Tokens of a JS module (or script).
 * @param {string} text @returns {{ text: string, kind: string }[]}
 */
export function tokenizeJs(text) {
  const out = [];
  const n = text.length;
  const braces = []; // per open `{`: true if it is a template's `${`
  let i = 0;
  let prev = null; // the last token that is not space or comment
  let prologue = true; // still in the directive prologue
  let noRegexBefore = 0; // a regex failed to end on this line: no more tries before here

  const push = (end, kind) => {
    const token = { text: text.slice(i, end), kind };
    out.push(token);
    if (kind !== 'space' && kind !== 'comment') {
      if (kind !== 'directive' && !(token.text === ';' && prev?.kind === 'directive')) prologue = false;
      prev = token;
    }
    i = end;
  };
  const regexAllowed = () => prev === null ||
    (prev.kind === 'punct' ? !/^(?:\)|\]|\+\+|--)$/.test(prev.text) : prev.kind === 'keyword' && !JS_VALUE_KEYWORDS.has(prev.text));
  const template = (from) => { // template text from i (scanned from `from`), then its `${` if it stops at one
    const end = templateEnd(text, from);
    if (end > i) push(end, 'string');
    if (text.charCodeAt(i) === 36) { braces.push(true); push(i + 2, 'punct'); }
  };

  if (text.startsWith('#!')) push(lineEnd(text, 2), 'comment');
  while (i < n) {
    const c = text.charCodeAt(i);
    const d = text.charCodeAt(i + 1);
    let end;
    if (isSpace(c)) push(spaceEnd(text, i), 'space');
    else if (c === 47 && d === 47) push(lineEnd(text, i), 'comment');
    else if (c === 47 && d === 42) {
      end = text.indexOf('*/', i + 2);
      push(end < 0 ? n : end + 2, 'comment');
    } else if (c === 47 && i >= noRegexBefore && regexAllowed()) {
      end = regexEnd(text, i);
      if (end < 0) noRegexBefore = lineEnd(text, i); // a `/` after all (or broken code)
      push(end > 0 ? end : matchAt(JS_PUNCT, text, i), end > 0 ? 'string' : 'punct');
    } else if (c === 34 || c === 39) {
      end = jsStringEnd(text, i);
      push(end, prologue && endsStatement(text, end) ? 'directive' : 'string');
    } else if (c === 96) template(i + 1);
    else if (c === 125 && braces.length > 0 && braces.at(-1)) {
      braces.pop();
      push(i + 1, 'punct');
      template(i);
    } else if (isDigit(c) || (c === 46 && isDigit(d))) push(matchAt(JS_NUMBER, text, i), 'number');
    else if (c === 35 && (end = jsIdentEnd(text, i + 1)) > 0) push(end, 'ident'); // #private
    else if ((end = jsIdentEnd(text, i)) > 0) {
      const word = text.slice(i, end);
      const member = prev?.kind === 'punct' && (prev.text === '.' || prev.text === '?.');
      push(end, !member && JS_KEYWORDS.has(word) ? 'keyword' : 'ident');
    } else {
      end = matchAt(JS_PUNCT, text, i);
      if (end < 0) end = codePointEnd(text, i);
      if (c === 123) braces.push(false);
      else if (c === 125) braces.pop();
      push(end, 'punct');
    }
  }
  return out;
}

const WIT_KEYWORDS = new Set(('package world interface import export use type record variant enum flags ' +
  'resource func async constructor static include with as from').split(' '));
const WIT_TYPES = new Set(('bool s8 s16 s32 s64 u8 u16 u32 u64 f32 f64 float32 float64 char string ' +
  'list option result tuple future stream own borrow error-context').split(' '));
const WIT_WORD = /%?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*/y;
const WIT_NUMBER = /\d+(?:\.\d+)*(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?/y; // 42, 0.2.0-rc.1+b
const WIT_PATH_NEXT = /:%?[A-Za-z]/y;

/**
 * Tokens of a WIT document.
 * @param {string} text @returns {{ text: string, kind: string }[]}
 */
export function tokenizeWit(text) {
  const out = [];
  const n = text.length;
  let i = 0;
  const push = (end, kind) => {
    out.push({ text: text.slice(i, end), kind });
    i = end;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    const d = text.charCodeAt(i + 1);
    let end;
    if (isSpace(c)) push(spaceEnd(text, i), 'space');
    else if (c === 47 && d === 47) push(lineEnd(text, i), 'comment'); // also `///` docs
    else if (c === 47 && d === 42) { // block comments nest
      let depth = 0;
      for (end = i; end < n; end++) {
        const e = text.charCodeAt(end), f = text.charCodeAt(end + 1);
        if (e === 47 && f === 42) { depth++; end++; }
        else if (e === 42 && f === 47) { end++; if (--depth === 0) { end++; break; } }
      }
      push(Math.min(end, n), 'comment');
    } else if (c === 64 && (end = matchAt(WIT_WORD, text, i + 1)) > 0) push(end, 'keyword'); // @since, @unstable
    else if (isDigit(c)) push(matchAt(WIT_NUMBER, text, i), 'number');
    else if ((end = matchAt(WIT_WORD, text, i)) > 0) {
      // In a package path such as wasi:cli/run, every part is a name, even `types` or `stream`.
      const before = out.at(-1)?.text;
      const inPath = before === ':' || before === '/' || matchAt(WIT_PATH_NEXT, text, end) > 0;
      const word = text.slice(i, end);
      push(end, c === 37 || inPath ? 'ident' : WIT_KEYWORDS.has(word) ? 'keyword' : WIT_TYPES.has(word) ? 'type' : 'ident');
    } else push(c === 45 && d === 62 ? i + 2 : codePointEnd(text, i), 'punct'); // `->` or one character
  }
  return out;
}

/**
 * A fragment of one `<span class="tok-<kind>">` per token (spaces as plain text).
 * @param {{ text: string, kind: string }[]} tokens @param {Document} [doc]
 * @returns {DocumentFragment}
 */
export function render(tokens, doc = document) {
  const fragment = doc.createDocumentFragment();
  for (const { text, kind } of tokens) {
    if (kind === 'space') {
      fragment.appendChild(doc.createTextNode(text));
    } else {
      const span = doc.createElement('span');
      span.className = `tok-${kind}`;
      span.textContent = text;
      fragment.appendChild(span);
    }
  }
  return fragment;
}

/** Texts longer than this are shown plain: a span per token would stall the page. */
export const MAX_HIGHLIGHTED = 2 * 1024 * 1024;

/**
 * Replaces the children of `el` with `text`, highlighted as `lang` ('js' or 'wit'; any
 * other, or a text over MAX_HIGHLIGHTED characters, gets a single plain text node).
 * @param {Element} el @param {string} text @param {'js' | 'wit' | string} lang
 */
export function renderInto(el, text, lang) {
  const doc = el.ownerDocument;
  const tokenize = lang === 'js' ? tokenizeJs : lang === 'wit' ? tokenizeWit : null;
  if (tokenize === null || text.length > MAX_HIGHLIGHTED) el.replaceChildren(doc.createTextNode(text));
  else el.replaceChildren(render(tokenize(text), doc));
}
