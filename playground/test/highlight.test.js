// highlight.js: tokens give their text back exactly (inline snippets and the repository's
// own WIT and generated JS), the kinds that matter to the playground, linear time, and
// rendering through a stand-in for the DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tokenizeJs, tokenizeWit, render, renderInto, MAX_HIGHLIGHTED } from '../src/highlight.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const KINDS = new Set(['keyword', 'string', 'number', 'comment', 'punct', 'ident', 'directive', 'type', 'space']);

/** Asserts that `tokens` are well formed and give back `text`. */
function assertRoundTrip(tokens, text, what) {
  for (const t of tokens) {
    assert.ok(KINDS.has(t.kind), `${what}: kind ${t.kind}`);
    assert.ok(t.text.length > 0, `${what}: empty token`);
  }
  assert.equal(tokens.map((t) => t.text).join(''), text, what);
}

/** `[kind, text]` of each token that is not space. */
const significant = (tokens) => tokens.filter((t) => t.kind !== 'space').map((t) => [t.kind, t.text]);
const kindOf = (tokens, text) => tokens.find((t) => t.text === text)?.kind;

/** Files under `dir` (recursively) whose names end with `ext`; none if `dir` is missing. */
function filesUnder(dir, ext) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith(ext) && !f.split('/').includes('node_modules'))
    .map((f) => join(dir, f))
    .sort();
}

const JS_SNIPPETS = [
  `"use components";
import { Trap } from './runtime.js';
const Trap = globalThis[Symbol.for('weft.Trap')] ??= class Trap extends WebAssembly.RuntimeError {
    constructor(message){
        super(message);
        this.name = 'Trap';
    }
};
export async function instantiate(getCoreModule, imports = {}) {
    const memory0 = exports0.memory;
    let dv = new DataView(memory0.buffer);
    const ptr = (x >>> 0) + 8 * i, len = dv.getUint32(ptr + 4, true);
    if (len > 0x7fffffff) throw new RangeError(\`arg \${i}: expected a length under 2 GiB, got \${len}\`);
    const big = BigInt.asUintN(64, v) & 0xffff_ffff_ffff_ffffn;
    return { ok: true, value: a / 2 / b, re: /^[a-z-]+(?:\\/[a-z]+)?$/iu.test(s) };
}
`,
  `#!/usr/bin/env node
// a comment, "not a string"
/* block */ 'use strict'
class C { #x = 1e-3; static #y = .5e+10; get x() { return this.#x; } has(o) { return #x in o; } }
label: for (const k of [1, 2, 3]) if (k % 2) continue label; else x /= k;
const t = \`a\${\`b\${{ c: \`d\${e}\` }.c}\`}f\`;
const u = \`\\\`\${'}'}\\\${not}\`;
a?.b?.[c]?.(d) ?? e; x ||= y &&= z; w **= 2; v >>>= 1;
const w = x
/ 2;
`,
  '',
  'x',
  '"unterminated\nnext',
  '`unterminated ${ a + `inner',
  '/* unterminated',
  'x = /unterminated regex\ny = 1',
  'a = b\r\n/ c; d = "line\\\r\ncontinued";',
  'café = "naïve" + ünïcödé + \\u0061bc + 𝑥 + "😀"; /* 😀 */ \ud800 lone',
  '} } ) ] { ${',
];

const WIT_SNIPPETS = [
  `package wasi:cli@0.2.0;

/// The entry point of a command.
@since(version = 0.2.0)
interface run {
  /// Runs the program.
  @since(version = 0.2.0)
  run: func() -> result;
}

world command {
  import wasi:io/streams@0.2.0;
  include wasi:cli/imports@0.2.0-rc-2023-11-10;
  export run;
}
`,
  `package local:demo;

interface types {
  use wasi:io/streams@0.2.0.{input-stream as stream-in, output-stream};
  type bytes = list<u8>;
  record point { x: s32, y: s32, %type: string }
  variant shape { circle(f64), square(tuple<f32, f32>), none }
  enum color { red, green, blue }
  flags perms { read, write }
  @unstable(feature = fancy)
  resource blob {
    constructor(init: list<u8>);
    static merge: func(a: own<blob>, b: borrow<blob>) -> blob;
    read: async func(n: u64) -> result<option<list<u8>>, error-context>;
    pipe: func() -> tuple<stream<u8>, future<result<_, string>>>;
  }
  /* a /* nested */ block comment */
  fixed: func(a: list<u32, 4>) -> char;
}

world demo {
  import types;
  export run: func(args: list<string>) -> bool;
  include local:base/world with { run as base-run }
}
`,
  '',
  '/* unterminated /* nested */',
  'interface x { %interface: func(); } @deprecated(version = 1.2.3)',
];

test('JS tokens give the text back exactly', () => {
  for (const [i, text] of JS_SNIPPETS.entries()) assertRoundTrip(tokenizeJs(text), text, `snippet ${i}`);
});

test('WIT tokens give the text back exactly', () => {
  for (const [i, text] of WIT_SNIPPETS.entries()) assertRoundTrip(tokenizeWit(text), text, `snippet ${i}`);
});

test('the repository\'s WIT files round-trip', (t) => {
  const files = [...filesUnder(join(ROOT, 'tests'), '.wit'), ...filesUnder(join(ROOT, 'examples'), '.wit')];
  if (files.length === 0) return t.skip('no .wit files');
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const tokens = tokenizeWit(text);
    assertRoundTrip(tokens, text, f);
    assert.ok(!tokens.some((tok) => tok.kind === 'string' || tok.kind === 'number' && !/^\d/.test(tok.text)), f);
  }
});

test('the runtime and generated JS round-trip, and their regex literals are regexes', (t) => {
  const generated = filesUnder(join(ROOT, 'target', 'test-out'), '.js')
    .map((f) => [f, statSync(f).size]).sort((a, b) => b[1] - a[1]).slice(0, 20).map(([f]) => f);
  const files = [...filesUnder(join(ROOT, 'src', 'runtime'), '.js'), ...generated];
  if (files.length === 0) return t.skip('no JS files');
  let regexes = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const all = tokenizeJs(text);
    assertRoundTrip(all, text, f);
    const tokens = all.filter((tok) => tok.kind !== 'space' && tok.kind !== 'comment');
    for (const [k, tok] of tokens.entries()) {
      if (tok.kind === 'directive') assert.match(tok.text, /^["']use (components|strict)["']$/, f);
      // A string that starts with '/' is a regex literal, unless it continues a template after `${…}`.
      if (tok.kind !== 'string' || tok.text[0] !== '/' || tokens[k - 1]?.text === '}') continue;
      const [, source, flags] = /^\/(.*)\/(\w*)$/s.exec(tok.text);
      assert.doesNotThrow(() => new RegExp(source, flags), `${f}: ${tok.text}`);
      regexes++;
    }
  }
  assert.ok(regexes > 0, 'the runtime has regex literals');
});

test('a directive is a string statement at the very start only', () => {
  const first = significant(tokenizeJs('"use components";\n"use strict"\nlet x = "use components";\n"use components";'));
  assert.deepEqual(first.slice(0, 3), [['directive', '"use components"'], ['punct', ';'], ['directive', '"use strict"']]);
  assert.deepEqual(first.slice(4), [['ident', 'x'], ['punct', '='], ['string', '"use components"'], ['punct', ';'],
    ['string', '"use components"'], ['punct', ';']]);
  // Comments and a hashbang may come first.
  assert.equal(kindOf(tokenizeJs('#!/usr/bin/env node\n// hi\n/* there */ \'use components\';'), "'use components'"), 'directive');
  assert.equal(kindOf(tokenizeJs('"use components"'), '"use components"'), 'directive');
  // An expression that starts with a string is no directive, nor is anything after it.
  assert.equal(kindOf(tokenizeJs('"use components".length;'), '"use components"'), 'string');
  assert.equal(kindOf(tokenizeJs('"a" + b;'), '"a"'), 'string');
  assert.equal(kindOf(tokenizeJs('x;\n"use components";'), '"use components"'), 'string');
  assert.equal(kindOf(tokenizeJs('`use components`;'), '`use components`'), 'string');
});

test('template literals nest through ${}', () => {
  const tokens = significant(tokenizeJs('`a${ {b: `c${d}e`}.b }f` / 2'));
  assert.deepEqual(tokens, [
    ['string', '`a'], ['punct', '${'], ['punct', '{'], ['ident', 'b'], ['punct', ':'],
    ['string', '`c'], ['punct', '${'], ['ident', 'd'], ['punct', '}'], ['string', 'e`'],
    ['punct', '}'], ['punct', '.'], ['ident', 'b'], ['punct', '}'], ['string', 'f`'],
    ['punct', '/'], ['number', '2'],
  ]);
  assert.deepEqual(significant(tokenizeJs('`${a}${b}`')), [
    ['string', '`'], ['punct', '${'], ['ident', 'a'], ['punct', '}'], ['punct', '${'], ['ident', 'b'], ['punct', '}'], ['string', '`'],
  ]);
  assert.deepEqual(significant(tokenizeJs('`\\${a} \\` ${"}"}`')), [['string', '`\\${a} \\` '], ['punct', '${'], ['string', '"}"'], ['punct', '}'], ['string', '`']]);
});

test('a slash is a regex where an expression starts, else division', () => {
  const regex = (src, text) => assert.equal(kindOf(tokenizeJs(src), text), 'string', src);
  const division = (src) => assert.ok(tokenizeJs(src).every((t) => t.kind !== 'string'), src);
  regex('/a/g.test(s)', '/a/g');
  for (const before of ['(', ',', '=', ':', '[', '!', '&&', '||', '?', '{', '}', ';', 'return ', 'typeof ', '=> ', 'case ', '${']) {
    regex(`${before}/a[/]b\\/c/iu`, '/a[/]b\\/c/iu');
  }
  division('a / b / c');
  division('f(x) / 2 / g(y)');
  division('a[0] /b/ c');
  division('this / 2 / 3');
  division('i++ / 2 / 3');
  division('x /= 2; y /=3/ 4');
  division('obj.return / 2 / 3');
  division('1 / 2 / 3');
  // A regex that does not end on its line was a division after all.
  assert.deepEqual(significant(tokenizeJs('(/ 2\nx')), [['punct', '('], ['punct', '/'], ['number', '2'], ['ident', 'x']]);
});

test('numbers, strings, comments, private names and keywords', () => {
  for (const n of ['123n', '0xFFn', '0x1f', '0o17', '0b1010n', '1e10', '1.5E-3', '.5', '1_000_000', '0.']) {
    assert.deepEqual(significant(tokenizeJs(n)), [['number', n]], n);
  }
  assert.deepEqual(significant(tokenizeJs('x = 1n + 2n;')), [['ident', 'x'], ['punct', '='], ['number', '1n'], ['punct', '+'], ['number', '2n'], ['punct', ';']]);
  assert.equal(kindOf(tokenizeJs("x = 'it\\'s' + y"), "'it\\'s'"), 'string');
  assert.equal(kindOf(tokenizeJs('x = "a\\"b\\\\" + y'), '"a\\"b\\\\"'), 'string');
  assert.deepEqual(significant(tokenizeJs('a // b\n/* c\n*/ d')), [['ident', 'a'], ['comment', '// b'], ['comment', '/* c\n*/'], ['ident', 'd']]);
  assert.deepEqual(significant(tokenizeJs('this.#count++ in #x')),
    [['keyword', 'this'], ['punct', '.'], ['ident', '#count'], ['punct', '++'], ['keyword', 'in'], ['ident', '#x']]);
  assert.deepEqual(significant(tokenizeJs('if (a?.new) return await x;')), [['keyword', 'if'], ['punct', '('], ['ident', 'a'],
    ['punct', '?.'], ['ident', 'new'], ['punct', ')'], ['keyword', 'return'], ['keyword', 'await'], ['ident', 'x'], ['punct', ';']]);
  assert.deepEqual(significant(tokenizeJs('a >>>= b === c ?? d?.e ... f => g')).map(([, t]) => t),
    ['a', '>>>=', 'b', '===', 'c', '??', 'd', '?.', 'e', '...', 'f', '=>', 'g']);
  assert.deepEqual(significant(tokenizeJs('x?.5:1')).map(([, t]) => t), ['x', '?', '.5', ':', '1']);
  assert.deepEqual(significant(tokenizeJs("import * as ns from './x.js'; Array.from(y)")).map(([k]) => k),
    ['keyword', 'punct', 'keyword', 'ident', 'keyword', 'string', 'punct', 'ident', 'punct', 'ident', 'punct', 'ident', 'punct']);
  assert.ok(tokenizeJs(JS_SNIPPETS[0]).every((t) => t.kind !== 'type'));
});

test('WIT kinds: keywords, built-in types, gates (keywords), docs, escapes, package names', () => {
  const tokens = tokenizeWit(WIT_SNIPPETS[1]);
  for (const k of ['package', 'interface', 'use', 'type', 'record', 'variant', 'enum', 'flags', 'resource',
    'constructor', 'static', 'func', 'async', 'world', 'import', 'export', 'include', 'with', 'as']) {
    assert.equal(kindOf(tokens, k), 'keyword', k);
  }
  for (const k of ['u8', 's32', 'u32', 'u64', 'f32', 'f64', 'string', 'char', 'bool', 'list', 'option', 'result',
    'tuple', 'own', 'borrow', 'future', 'stream', 'error-context']) {
    assert.equal(kindOf(tokens, k), 'type', k);
  }
  assert.equal(kindOf(tokens, '@unstable'), 'keyword');
  assert.equal(kindOf(tokens, '%type'), 'ident');
  assert.equal(kindOf(tokens, 'input-stream'), 'ident');
  assert.equal(kindOf(tokens, '/* a /* nested */ block comment */'), 'comment');

  const run = significant(tokenizeWit(WIT_SNIPPETS[0]));
  assert.deepEqual(run.slice(0, 7), [['keyword', 'package'], ['ident', 'wasi'], ['punct', ':'], ['ident', 'cli'],
    ['punct', '@'], ['number', '0.2.0'], ['punct', ';']]);
  assert.deepEqual(run.slice(7, 14), [['comment', '/// The entry point of a command.'], ['keyword', '@since'], ['punct', '('],
    ['ident', 'version'], ['punct', '='], ['number', '0.2.0'], ['punct', ')']]);
  assert.ok(run.some(([k, t]) => k === 'number' && t === '0.2.0-rc-2023-11-10'));
  assert.ok(run.some(([k, t]) => k === 'punct' && t === '->'));
  // In a package path every part is a name, even one spelt like a keyword or a type.
  assert.deepEqual(significant(tokenizeWit('use my:stream/type@1.0.0.{x};')).slice(0, 6),
    [['keyword', 'use'], ['ident', 'my'], ['punct', ':'], ['ident', 'stream'], ['punct', '/'], ['ident', 'type']]);
  assert.ok(WIT_SNIPPETS.every((text) => tokenizeWit(text).every((t) => t.kind !== 'string' && t.kind !== 'directive')));
});

/** About `size` characters of JS shaped like weft's output. */
function generatedJs(size) {
  const unit = `function lift${'$'}N(ptr, len) {
    const dv = new DataView(memory0.buffer); // a comment with "quotes" and /slashes/
    const out = [];
    for (let i = 0; i < len; i++) out.push({ tag: dv.getUint8(ptr + i * 16), val: dv.getBigUint64(ptr + 8, true) & 0xffffn });
    if (len % 2 === 0 && /^[a-z]+$/.test(name)) throw new TypeError(\`arg \${i}: expected \${len / 2} items, got \${out.length}\`);
    return out.length > 0 ? out : null;
}
`;
  let text = '"use components";\n';
  for (let n = 0; text.length < size; n++) text += unit.replace('$N', String(n));
  return text;
}

test('1 MB of generated JS tokenizes in well under a second', () => {
  const text = generatedJs(1 << 20);
  const start = performance.now();
  const tokens = tokenizeJs(text);
  const ms = performance.now() - start;
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  assertRoundTrip(tokens, text, 'generated');
  assert.equal(tokens[0].kind, 'directive');
});

test('time is linear on inputs built to trip backtracking', () => {
  const n = 100_000;
  for (const text of ['(/'.repeat(n), '(/['.repeat(n), '"\\'.repeat(n), '`${'.repeat(n), '}'.repeat(n), '/*'.repeat(n),
    'a/'.repeat(n), '0x'.repeat(n), '@'.repeat(n), '\\u'.repeat(n), '#'.repeat(n)]) {
    for (const tokenize of [tokenizeJs, tokenizeWit]) {
      const start = performance.now();
      const tokens = tokenize(text);
      const ms = performance.now() - start;
      assert.ok(ms < 1000, `${tokenize.name} ${JSON.stringify(text.slice(0, 6))}…: ${ms.toFixed(0)} ms`);
      assertRoundTrip(tokens, text, text.slice(0, 6));
    }
  }
});

// Just enough of the DOM for render() and renderInto().
class FakeNode {
  constructor(ownerDocument, tag) { Object.assign(this, { ownerDocument, tag, className: '', children: [], text: '' }); }
  appendChild(node) { this.children.push(node); return node; }
  replaceChildren(...nodes) { this.children = nodes.flatMap((n) => (n.tag === '#fragment' ? n.children : [n])); }
  set textContent(text) { this.text = text; }
  get textContent() { return this.tag === '#text' ? this.text : this.children.map((c) => c.textContent).join('') || this.text; }
}
const fakeDoc = {
  createDocumentFragment() { return new FakeNode(this, '#fragment'); },
  createElement(tag) { return new FakeNode(this, tag); },
  createTextNode(text) { const node = new FakeNode(this, '#text'); node.text = text; return node; },
};

test('render makes a span per token, text nodes for space', () => {
  const fragment = render(tokenizeJs('let s = "<b>&amp;</b>";'), fakeDoc);
  assert.equal(fragment.tag, '#fragment');
  assert.deepEqual(fragment.children.map((c) => [c.tag, c.className, c.textContent]), [
    ['span', 'tok-keyword', 'let'], ['#text', '', ' '], ['span', 'tok-ident', 's'], ['#text', '', ' '],
    ['span', 'tok-punct', '='], ['#text', '', ' '], ['span', 'tok-string', '"<b>&amp;</b>"'], ['span', 'tok-punct', ';'],
  ]);
});

test('renderInto replaces the children, and shows long or unknown texts plain', () => {
  const el = fakeDoc.createElement('pre');
  el.appendChild(fakeDoc.createTextNode('old'));
  renderInto(el, 'world w { export run: func(); }', 'wit');
  assert.equal(el.textContent, 'world w { export run: func(); }');
  assert.deepEqual(el.children.slice(0, 2).map((c) => [c.tag, c.className]), [['span', 'tok-keyword'], ['#text', '']]);

  renderInto(el, 'const x = 1;', 'js');
  assert.equal(el.textContent, 'const x = 1;');
  assert.equal(el.children[0].className, 'tok-keyword');

  renderInto(el, 'fn main() {}', 'rust');
  assert.deepEqual(el.children.map((c) => [c.tag, c.text]), [['#text', 'fn main() {}']]);

  const long = 'x;'.repeat(MAX_HIGHLIGHTED / 2 + 1);
  renderInto(el, long, 'js');
  assert.equal(el.children.length, 1);
  assert.equal(el.children[0].tag, '#text');
  assert.equal(el.children[0].text, long);
});
