// The runtime files are merged into one scope by crates/js/src/runtime.rs (top-level
// declarations copied, imports dropped, `export` removed). These checks keep every file
// mergeable: unique top-level names, sibling-only imports of names the sibling
// exports, only declarations at top level, no default/star/re-exports, no host APIs
// outside load.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';

const dir = new URL('../', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
const sources = new Map(files.map((f) => [f, readFileSync(new URL(f, dir), 'utf8')]));

/** Source without comments (a rough lexer, enough for these files). */
function uncommented(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

/** Source without comments and string/template contents. */
function code(src) {
  return uncommented(src).replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => m[0] + ' '.repeat(m.length - 2) + m[0]);
}

/** Top-level declared names of a file, with the kind of declaration. */
function topLevel(src) {
  const names = [];
  for (const m of src.matchAll(/^(export )?(?:async )?(function\*?|class|const|let) ([A-Za-z_$][\w$]*)/gm)) {
    names.push({ name: m[3], exported: Boolean(m[1]), kind: m[2] });
  }
  return names;
}

test('the runtime files are the expected set', () => {
  assert.ok(files.length >= 15, files.join(', '));
  for (const f of files) assert.match(f, /^[a-z0-9-]+\.js$/);
});

test('every runtime file is listed in crates/js/src/runtime.rs', { skip: !existsSync(new URL('../../../crates/js/src/runtime.rs', import.meta.url)) }, () => {
  const rs = readFileSync(new URL('../../../crates/js/src/runtime.rs', import.meta.url), 'utf8');
  for (const f of files) assert.ok(rs.includes(`"${f}"`), `${f} is not listed in runtime_files!`);
});

test('every file starts with a header comment', () => {
  for (const [f, src] of sources) assert.match(src, /^\/\/ \S/, `${f} has no header comment`);
});

test('top-level names are unique across all files', () => {
  const seen = new Map();
  for (const [f, src] of sources) {
    for (const { name } of topLevel(src)) {
      assert.ok(!seen.has(name), `${name} is declared in ${seen.get(name)} and ${f}`);
      seen.set(name, f);
    }
  }
});

test('imports name sibling files and names those files export', () => {
  for (const [f, src] of sources) {
    for (const m of src.matchAll(/^import\s*\{([^}]*)\}\s*from\s*'([^']+)';?$/gm)) {
      assert.match(m[2], /^\.\/[a-z0-9-]+\.js$/, `${f} imports ${m[2]}`);
      const target = m[2].slice(2);
      assert.ok(sources.has(target), `${f} imports missing ${target}`);
      const exported = new Set(topLevel(sources.get(target)).filter((d) => d.exported).map((d) => d.name));
      for (const raw of m[1].split(',')) {
        const name = raw.trim();
        if (!name) continue;
        assert.doesNotMatch(name, /\sas\s/, `${f}: renamed import ${name} (names must stay the same when inlined)`);
        assert.ok(exported.has(name), `${f} imports ${name}, which ${target} does not export`);
      }
    }
    // Every import statement has the one form checked above.
    const imports = src.match(/^import\b.*$/gm) ?? [];
    for (const line of imports) assert.match(line, /^import \{[^}]*\} from '\.\/[a-z0-9-]+\.js';$/, `${f}: ${line}`);
  }
});

test('only declarations at top level: no side effects, default/star exports or re-exports', () => {
  const allowed = /^(import \{|export (async )?(function\*? |class |const |let )|(async )?function\*? |class |const |let |[})\]]|$)/;
  for (const [f, src] of sources) {
    const lines = code(src).split('\n');
    lines.forEach((line, i) => {
      if (/^\s/.test(line) || line === '') return;
      assert.match(line, allowed, `${f}:${i + 1}: top-level statement that is not a declaration: ${line}`);
    });
    assert.doesNotMatch(src, /^export\s+(default|\*|\{)/m, `${f} uses a default, star or list export`);
    assert.doesNotMatch(src, /^var\s/m, `${f} declares a top-level var`);
  }
});

test('host APIs only in load.js: no require, no static node: imports, one guarded dynamic import', () => {
  for (const [f, src] of sources) {
    const c = code(src);
    assert.doesNotMatch(c, /\brequire\s*\(/, `${f} calls require`);
    assert.doesNotMatch(c, /\bimport\.meta\b/, `${f} uses import.meta`);
    const dynamic = [...uncommented(src).matchAll(/\bimport\(\s*'([^']*)'\s*\)/g)].map((m) => m[1]);
    if (f === 'load.js') {
      assert.deepEqual(dynamic, ['node:fs/promises']);
      assert.match(src, /globalThis\.process\?\.versions\?\.node/);
    } else {
      assert.deepEqual(dynamic, [], `${f} imports dynamically`);
      assert.doesNotMatch(c, /\b(process|Buffer)\b/, `${f} uses a node global`);
    }
  }
});

test('the API the generated code calls is exported', () => {
  const exported = new Set();
  for (const src of sources.values()) for (const d of topLevel(src)) if (d.exported) exported.add(d.name);
  for (const name of [
    'Trap', 'trap', 'ComponentError', 'lowered', 'liftUtf8', 'lowerUtf8', 'liftUtf16', 'lowerUtf16',
    'liftCompactUtf16', 'lowerCompactUtf16', 'transcode', 'liftChar', 'lowerChar', 'HandleTable',
    'ResourceType', 'Handle', 'CallContext', 'endCall', 'liftOwn', 'liftBorrow', 'lowerOwn', 'lowerBorrow',
    'resourceNew', 'resourceRep', 'resourceDrop', 'compileBase64', 'compileUrl',
  ]) {
    assert.ok(exported.has(name), `${name} is not exported`);
  }
});
