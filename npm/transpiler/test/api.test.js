// The JS API (`transpile`, `wit`, `describe`, `webidl`) against the native CLI: the same files, the same
// messages (without `error: `), bad options rejected clearly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, describe, test } from 'node:test';
import { describe as describeComponent, transpile, webidl, wit } from '../src/index.js';
import { components, idlOption, root, run } from './common.js';

const tmp = mkdtempSync(`${tmpdir()}/weft-npm-api-`);
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('transpile() matches the native CLI', () => {
  let k = 0;
  for (const { path, flags } of components()) {
    test(path, async () => {
      const dir = `${tmp}/${k++}`;
      const webidl = flags.includes('--webidl') ? flags.slice(flags.indexOf('--webidl'), flags.indexOf('--webidl') + 2) : [];
      const native = run('native', ['transpile', path, '-o', dir, '--instantiation', '--base64-cutoff', '100', '-q', ...webidl]);
      assert.equal(native.status, 0, native.stderr);
      const out = await transpile(readFileSync(`${root}${path}`), {
        inputName: path,
        wat: path.endsWith('.wat'),
        instantiation: true,
        base64Cutoff: 100,
        ...idlOption(flags),
      });
      assert.deepEqual(Object.keys(out.files).sort(), readdirSync(dir).sort());
      for (const [f, bytes] of Object.entries(out.files)) {
        assert.ok(bytes instanceof Uint8Array);
        assert.ok(Buffer.from(bytes).equals(readFileSync(`${dir}/${f}`)), `${f} differs`);
      }
      const stem = path.split('/').pop().replace(/\.[^.]*$/, '');
      assert.equal(Object.keys(out.files)[0], `${stem}.js`);
      assert.ok(Array.isArray(out.imports) && Array.isArray(out.exports));
    });
  }
});

test('WAT text as a string; name, map as an object, imports and exports', async () => {
  const text = readFileSync(`${root}examples/hello/hello.wat`, 'utf8');
  const out = await transpile(text, { name: 'hi', map: { 'wasi:*': './shims/*.js' }, typescript: false });
  assert.deepEqual(Object.keys(out.files), ['hi.js']);
  assert.deepEqual(out.exports.sort(), ['add', 'greet', 'sum']);
  const js = new TextDecoder().decode(out.files['hi.js']);
  assert.match(js, /^"use components";/);
});

test('record: the same files as weft transpile --record, which record calls', async () => {
  const path = 'tests/cases/record.wat';
  const dir = `${tmp}/record`;
  const native = run('native', ['transpile', path, '-o', dir, '--instantiation', '--record', '-q']);
  assert.equal(native.status, 0, native.stderr);
  const out = await transpile(readFileSync(`${root}${path}`), { inputName: path, wat: true, instantiation: true, record: true });
  for (const [f, bytes] of Object.entries(out.files)) {
    assert.ok(Buffer.from(bytes).equals(readFileSync(`${dir}/${f}`)), `${f} differs`);
  }
  writeFileSync(`${dir}/package.json`, '{ "type": "module" }');
  const { instantiate } = await import(`${dir}/record.js`);
  const inst = await instantiate(undefined, { log: { default: () => {} }, h: { default: class {} }, 'make-h': { default: () => ({}) }, 'use-h': { default: () => 1 } });
  inst.add(2, 3);
  assert.match(inst.$trace.text(), /^\/\/ weft trace 1; world root; component sha256:[0-9a-f]{64}\n> add\(2, 3\) -> 5\n$/);
});

test('wit() matches weft wit', async () => {
  const native = run('native', ['wit', 'examples/hello/hello.wat']);
  const text = await wit(readFileSync(`${root}examples/hello/hello.wat`), { wat: true });
  assert.equal(text, native.stdout);
});

describe('describe(): the exported functions, their WIT types and JS names', () => {
  test('hello.wat', async () => {
    const d = await describeComponent(readFileSync(`${root}examples/hello/hello.wat`, 'utf8'));
    assert.deepEqual(d, {
      world: 'root',
      imports: [],
      exports: [
        { interface: null, name: 'add', js: 'add', async: false, params: [{ name: 'a', type: { kind: 'u32' } }, { name: 'b', type: { kind: 'u32' } }], result: { kind: 'u32' } },
        { interface: null, name: 'greet', js: 'greet', async: false, params: [{ name: 'name', type: { kind: 'string' } }], result: { kind: 'string' } },
        { interface: null, name: 'sum', js: 'sum', async: false, params: [{ name: 'xs', type: { kind: 'list', element: { kind: 'u32' } } }], result: { kind: 'u64' } },
      ],
      other: [],
    });
  });

  test('every guest: each function is declared under its `js` name, types are well formed', async () => {
    const kinds = new Set(['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string', 'error-context', 'list', 'record', 'tuple', 'variant', 'enum', 'option', 'result', 'flags', 'own', 'borrow', 'future', 'stream', 'map']);
    const seen = new Set();
    const check = (t, where) => {
      assert.ok(t && kinds.has(t.kind), `${where}: ${JSON.stringify(t)}`);
      seen.add(t.kind);
      for (const [k, v] of Object.entries(t)) {
        if (['element', 'type', 'ok', 'err', 'key', 'value'].includes(k) && v !== null) check(v, `${where}.${k}`);
        if (k === 'types') v.forEach((x, i) => check(x, `${where}[${i}]`));
        if (k === 'fields' || k === 'cases') v.forEach((c) => c.type !== undefined && c.type !== null && check(c.type, `${where}.${c.name}`));
      }
    };
    for (const guest of ['values', 'resources', 'maps', 'async-basics']) {
      const path = `${root}target/guests/${guest}.wasm`;
      const d = await describeComponent(readFileSync(path), { inputName: guest });
      assert.ok(d.exports.length > 0, guest);
      const dir = `${tmp}/describe-${guest}`;
      const native = run('native', ['transpile', `target/guests/${guest}.wasm`, '-o', dir, '--instantiation', '-q']);
      assert.equal(native.status, 0, native.stderr);
      // The names the generated .d.ts declares (the module's own exports and members).
      const dts = readFileSync(`${dir}/${guest}.d.ts`, 'utf8');
      for (const f of d.exports) {
        for (const p of f.params) check(p.type, `${guest} ${f.name}(${p.name})`);
        if (f.result) check(f.result, `${guest} ${f.name} result`);
        assert.match(dts, new RegExp(`\\b${f.js}_?\\(`), `${guest}: ${f.interface ?? ''}#${f.name} as ${f.js}`);
      }
    }
    for (const k of ['record', 'variant', 'enum', 'flags', 'option', 'result', 'tuple', 'list', 'own', 'borrow', 'future', 'stream', 'map']) assert.ok(seen.has(k), `no ${k} among the guests' types`);
  });

  test('errors as wit()', async () => {
    await assert.rejects(describeComponent(new TextEncoder().encode('not wasm'), { inputName: 'x.wasm' }), { message: /^failed to read `x\.wasm`/ });
    await assert.rejects(describeComponent(new Uint8Array(), { name: 'x' }), { message: 'option `name` applies to `transpile()`, not `describe()`' });
  });
});

describe('errors: the native message without `error: `', () => {
  const notWasm = new TextEncoder().encode('hello, not wasm\n');
  test('not wasm', async () => {
    const native = run('native', ['transpile', 'README.md', '-o', `${tmp}/x`]);
    assert.equal(native.status, 1);
    await assert.rejects(transpile(readFileSync(`${root}README.md`), { inputName: 'README.md' }), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(`error: ${e.message}\n`, native.stderr);
      return true;
    });
  });
  test('default input name', async () => {
    await assert.rejects(transpile(notWasm), {
      message: 'failed to transpile `component`\n\nCaused by:\n    0: input is not a WebAssembly component (bad magic or version)',
    });
    await assert.rejects(wit(notWasm), { message: /^failed to read `component`\n\nCaused by:\n/ });
  });
  test('invalid WAT', async () => {
    await assert.rejects(transpile('(component (frob))'), {
      message: /^failed to parse `component` as WAT\n\nCaused by:\n    0: /,
    });
  });
  test('a module section past the end of the input: an error, not an abort (issue 14)', async () => {
    const bad = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 1, 0x10]);
    writeFileSync(`${tmp}/truncated.wasm`, bad);
    for (const [call, args] of [
      [transpile, ['transpile', `${tmp}/truncated.wasm`, '-o', `${tmp}/truncated`]],
      [wit, ['wit', `${tmp}/truncated.wasm`]],
    ]) {
      const native = run('native', args);
      assert.equal(native.status, 1, native.stderr);
      await assert.rejects(call(bad, { inputName: `${tmp}/truncated.wasm` }), (e) => {
        assert.equal(`error: ${e.message}\n`, native.stderr);
        assert.match(e.message, /a core module section declares 16 bytes but the input ends 0 bytes into it/);
        return true;
      });
    }
    // The wasm instance is still usable.
    assert.ok((await transpile(readFileSync(`${root}examples/hello/hello.wat`), { wat: true })).files['component.js']);
  });
  test('limits: the native messages, and raised limits transpile (issue 14)', async () => {
    // Nested components, each instantiating the one inside it twice: 2^13 component
    // instances and as many core instances at depth 13.
    let body = `(core module $m (func (export "f") (result i32) i32.const 1))
      (core instance $i (instantiate $m))
      (func $f (result u32) (canon lift (core func $i "f")))
      (export "f" (func $f))`;
    for (let d = 0; d < 13; d++) {
      body = `(component $inner ${body}) (instance $i0 (instantiate $inner)) (instance $i1 (instantiate $inner))
        (alias export $i0 "f" (func $f)) (export "f" (func $f))`;
    }
    const path = `${tmp}/nest.wat`;
    writeFileSync(path, `(component ${body})`);
    for (const [flags, options, re] of [
      [[], {}, /more than 10000 component and core instances \(limit `max-instances`\); raise the limit with `--max-instances N`/],
      [['--max-instances', '100000', '--max-nesting', '5'], { maxInstances: 100000, maxNesting: 5 }, /nest deeper than 5 levels \(limit `max-nesting`\)/],
      [['--max-instances', '100000', '--max-code-size', '1000'], { maxInstances: 100000, maxCodeSize: 1000 }, /larger than 1000 bytes/],
    ]) {
      const native = run('native', ['transpile', path, '-o', `${tmp}/nest`, ...flags]);
      assert.equal(native.status, 1, native.stderr);
      await assert.rejects(transpile(readFileSync(path), { inputName: path, wat: true, ...options }), (e) => {
        assert.equal(`error: ${e.message}\n`, native.stderr);
        assert.match(e.message, re);
        return true;
      });
    }
    const out = await transpile(readFileSync(path), { wat: true, maxInstances: 30000 });
    assert.ok(out.files['component.js'].length > 100000);
    await assert.rejects(transpile(readFileSync(path), { wat: true, maxNesting: -1 }), {
      message: 'option `maxNesting` must be an integer from 0 to 4294967295',
    });
  });
  test('bad options', async () => {
    const hello = readFileSync(`${root}examples/hello/hello.wat`, 'utf8');
    await assert.rejects(transpile(hello, { compat: 'foo' }), { message: 'unknown compat mode `foo` (expected `native` or `jco`)' });
    await assert.rejects(transpile(hello, { base64Cutoff: -1 }), { message: 'option `base64Cutoff` must be a non-negative integer' });
    await assert.rejects(transpile(hello, { map: [['a']] }), { message: 'option `map` must be an array of [from, to] pairs' });
    await assert.rejects(transpile(hello, { name: 'a/b' }), { message: 'invalid output name `a/b`' });
    await assert.rejects(transpile(hello, { asyncImports: 'x' }), { message: 'option `asyncImports` must be an array of strings' });
    await assert.rejects(transpile(hello, { instantiation: 1 }), { message: /^option `instantiation` must be a boolean, "async" or "sync"/ });
    await assert.rejects(transpile(42), TypeError);
  });
  test('still works after errors', async () => {
    await assert.rejects(transpile(notWasm));
    const out = await transpile(readFileSync(`${root}examples/hello/hello.wat`), { wat: true });
    assert.ok(out.files['component.js']);
  });
});

describe('webidl() matches weft webidl', () => {
  const data = `${root}crates/cli/tests/data/webidl`;
  const idl = (name) => ({ name, text: readFileSync(`${data}/${name}`, 'utf8') });

  test('shapes.idl: the WIT of shapes.wit, the warnings of shapes.stderr', async () => {
    const out = await webidl([idl('shapes.idl')]);
    assert.deepEqual(Object.keys(out), ['wit', 'warnings']);
    assert.equal(out.wit, readFileSync(`${data}/shapes.wit`, 'utf8'));
    const stderr = readFileSync(`${data}/shapes.stderr`, 'utf8');
    assert.equal(out.warnings.map((w) => `warning: ${w}\n`).join(''), stderr);
    assert.equal(out.warnings.length, 4);
    // The options the native flags set.
    const native = run('native', ['webidl', 'shapes.idl', '-o', `${tmp}/shapes`, '--package', 'webidl:shapes', '--wit-interface', 'shapes', '--interface', 'Node'], { cwd: data });
    assert.equal(native.status, 0, native.stderr);
    const some = await webidl([idl('shapes.idl')], { package: 'webidl:shapes', witInterface: 'shapes', interfaces: ['Node'] });
    assert.equal(some.wit, readFileSync(`${tmp}/shapes/shapes.wit`, 'utf8'));
    assert.equal(some.warnings.map((w) => `warning: ${w}\n`).join(''), native.stderr);
  });

  test('keepFrom: the files whose interfaces are kept, as for a spec short name', async () => {
    const cache = process.env.WEFT_CACHE ?? `${process.env.HOME}/.cache/weft`;
    const dir = `${cache}/webref/node_modules/@webref/idl`;
    assert.ok(existsSync(dir), `${dir}: missing (scripts/setup installs @webref/idl)`);
    // The native CLI's order: the named spec first, then every other one, sorted.
    const names = readdirSync(dir).filter((f) => /\.(web)?idl$/.test(f)).sort();
    const files = ['dom.idl', ...names.filter((f) => f !== 'dom.idl')].map((f) => ({ name: `${dir}/${f}`, text: readFileSync(`${dir}/${f}`, 'utf8') }));
    const native = run('native', ['webidl', 'dom', '-o', `${tmp}/dom`, '-q', '--webref', dir]);
    assert.equal(native.status, 0, native.stderr);
    const out = await webidl(files, { keepFrom: [`${dir}/dom.idl`] });
    assert.equal(out.wit, readFileSync(`${tmp}/dom/web.wit`, 'utf8'));
    assert.equal(out.warnings.map((w) => `warning: ${w}\n`).join(''), native.stderr);
    // Without keepFrom every file's interfaces are kept: more WIT.
    const all = await webidl(files.slice(0, 3));
    assert.ok(all.wit.length > (await webidl(files.slice(0, 3), { keepFrom: [files[0].name] })).wit.length);
  });

  test('errors: the native message without `error: `', async () => {
    for (const [args, call] of [
      [['bad.idl'], () => webidl([idl('bad.idl')])],
      [['shapes.idl', '--interface', 'Nope'], () => webidl([idl('shapes.idl')], { interfaces: ['Nope'] })],
      [['shapes.idl', '--package', 'web'], () => webidl([idl('shapes.idl')], { package: 'web' })],
      [['shapes.idl', '--interface', 'Node', '--interface', 'Nope'], () => webidl([idl('shapes.idl')], { interfaces: ['Node', 'Nope'] })],
    ]) {
      const native = run('native', ['webidl', ...args, '-o', `${tmp}/webidl-err`], { cwd: data });
      assert.equal(native.status, 1, native.stderr);
      await assert.rejects(call(), (e) => {
        assert.ok(e instanceof Error);
        assert.equal(`error: ${e.message}\n`, native.stderr);
        return true;
      });
    }
    await assert.rejects(webidl([idl('bad.idl')]), {
      message: "bad.idl:2:22: expected the attribute's name, found `;` (in an attribute)",
    });
    await assert.rejects(webidl([]), {
      message: 'the inputs define no interface or namespace (name one with `--interface`)',
    });
  });

  test('bad options and files are rejected, naming them', async () => {
    const files = [idl('shapes.idl')];
    await assert.rejects(webidl(files, { interface: ['Node'] }), {
      message: 'unknown option `interface` of `webidl()`; did you mean `interfaces`? (its options: interfaces, package, witInterface, keepFrom, only, sync)',
    });
    await assert.rejects(webidl(files, { inputName: 'x.idl' }), {
      message: 'option `inputName` applies to `transpile()`, `wit()` and `describe()`, not `webidl()`',
    });
    await assert.rejects(transpile(readFileSync(`${root}examples/hello/hello.wat`), { wat: true, witInterface: 'x' }), {
      message: 'option `witInterface` applies to `webidl()`, not `transpile()`',
    });
    await assert.rejects(webidl(files, { interfaces: 'Node' }), { message: 'option `interfaces` must be an array of strings' });
    await assert.rejects(webidl(files, { keepFrom: ['other.idl'] }), {
      message: 'option `keepFrom`: `other.idl` is not the name of one of the files',
    });
    await assert.rejects(webidl('interface A {};'), { message: /^`webidl\(\)` takes an array of files/ });
    await assert.rejects(webidl([{ name: 'a.idl' }]), { message: /^`webidl\(\)` takes an array of files/ });
    await assert.rejects(webidl(files, 'web'), TypeError);
    // Still usable.
    assert.equal((await webidl(files)).warnings.length, 4);
  });
});

describe('init(source) in node: every kind of source loads the transpiler', () => {
  // One process each: the wasm is instantiated once per process.
  const wasm = JSON.stringify(new URL('../wasm/weft_bg.wasm', import.meta.url).pathname);
  const sources = {
    'the bundled file': 'undefined',
    'a Buffer': `readFileSync(${wasm})`,
    'an ArrayBuffer': `new Uint8Array(readFileSync(${wasm})).buffer`,
    'a DataView': `new DataView(new Uint8Array(readFileSync(${wasm})).buffer)`,
    'a compiled module': `new WebAssembly.Module(readFileSync(${wasm}))`,
  };
  const index = JSON.stringify(new URL('../src/index.js', import.meta.url).href);
  for (const [what, source] of Object.entries(sources)) {
    test(what, () => {
      const script = `import { readFileSync } from 'node:fs';
        const { init, transpile } = await import(${index});
        await init(${source});
        const out = await transpile('(component)', { name: 'empty' });
        console.log(Object.keys(out.files).join(','));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'empty.js,empty.d.ts');
    });
  }
});
