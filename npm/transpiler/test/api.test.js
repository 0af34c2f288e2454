// The JS API (`transpile`, `wit`) against the native CLI: the same files, the same
// messages (without `error: `), bad options rejected clearly.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, describe, test } from 'node:test';
import { transpile, wit } from '../src/index.js';
import { components, root, run } from './common.js';

const tmp = mkdtempSync(`${tmpdir()}/weft-npm-api-`);
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('transpile() matches the native CLI', () => {
  let k = 0;
  for (const { path } of components()) {
    test(path, async () => {
      const dir = `${tmp}/${k++}`;
      const native = run('native', ['transpile', path, '-o', dir, '--instantiation', '--base64-cutoff', '100', '-q']);
      assert.equal(native.status, 0, native.stderr);
      const out = await transpile(readFileSync(`${root}${path}`), {
        inputName: path,
        wat: path.endsWith('.wat'),
        instantiation: true,
        base64Cutoff: 100,
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

test('wit() matches weft wit', async () => {
  const native = run('native', ['wit', 'examples/hello/hello.wat']);
  const text = await wit(readFileSync(`${root}examples/hello/hello.wat`), { wat: true });
  assert.equal(text, native.stdout);
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
