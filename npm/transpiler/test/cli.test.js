// `npx weft` (bin/weft.js over the wasm build) against the native `weft`: the same
// files byte for byte, the same output lines, messages and exit codes.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, describe, test } from 'node:test';
import { components, run } from './common.js';

const tmp = mkdtempSync(`${tmpdir()}/weft-npm-cli-`);
after(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir) {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(`${dir}/${f}`)]));
}

const FLAG_SETS = [
  [],
  ['--instantiation', '--compat', 'jco', '--base64-cutoff', '0', '--no-typescript', '--map', 'wasi:*=./shims/*.js', '--name', 'renamed'],
  ['--instantiation', 'sync', '--minify'],
];

let n = 0;
describe('same files as the native CLI', () => {
  for (const { path, flags } of components()) {
    FLAG_SETS.forEach((extra, i) => {
      test(`${path}${['', ' (instantiation, jco, cutoff 0, map, name)', ' (instantiation sync, minify)'][i]}`, () => {
        const k = n++;
        const a = `${tmp}/native-${k}`;
        const b = `${tmp}/npm-${k}`;
        const native = run('native', ['transpile', path, '-o', a, ...flags, ...extra]);
        const npm = run('npm', ['transpile', path, '-o', b, ...flags, ...extra]);
        assert.equal(native.status, 0, native.stderr);
        assert.equal(npm.stderr, native.stderr);
        assert.equal(npm.status, 0);
        assert.equal(npm.stdout, native.stdout.replaceAll(a, b));
        const fa = files(a);
        const fb = files(b);
        assert.deepEqual(Object.keys(fb), Object.keys(fa));
        for (const f of Object.keys(fa)) assert.ok(fa[f].equals(fb[f]), `${f} differs`);
      });
    });
  }
});

describe('same WIT as the native CLI', () => {
  for (const { path } of components()) {
    test(path, () => {
      const native = run('native', ['wit', path]);
      const npm = run('npm', ['wit', path]);
      assert.deepEqual(npm, native);
    });
  }
});

describe('errors and exit codes like the native CLI', () => {
  writeFileSync(`${tmp}/not-wasm.wasm`, 'hello, not wasm\n');
  // The component header, then a section of an unknown id.
  writeFileSync(`${tmp}/invalid.wasm`, Uint8Array.of(0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0x7f, 1, 0));
  // A core module is not a component.
  writeFileSync(`${tmp}/core.wasm`, Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
  writeFileSync(`${tmp}/bad.wat`, '(component (frob))');
  writeFileSync(`${tmp}/invalid.wat`, '(component (core module (func (result i32))))');
  const out = `${tmp}/err-out`;
  const cases = [
    ['not wasm', ['transpile', `${tmp}/not-wasm.wasm`, '-o', out], 1],
    ['invalid component', ['transpile', `${tmp}/invalid.wasm`, '-o', out], 1],
    ['core module', ['transpile', `${tmp}/core.wasm`, '-o', out], 1],
    ['invalid WAT', ['transpile', `${tmp}/bad.wat`, '-o', out], 1],
    ['valid WAT, invalid component', ['transpile', `${tmp}/invalid.wat`, '-o', out], 1],
    ['missing file', ['transpile', `${tmp}/missing.wasm`, '-o', out], 1],
    ['bad output name', ['transpile', 'examples/hello/hello.wat', '-o', out, '--name', 'a/b'], 1],
    ['wit of not wasm', ['wit', `${tmp}/not-wasm.wasm`], 1],
    ['wit of invalid WAT', ['wit', `${tmp}/bad.wat`], 1],
    ['unknown flag', ['transpile', '--frobnicate', 'examples/hello/hello.wat', '-o', out], 2],
    ['unknown short flag', ['transpile', 'examples/hello/hello.wat', '-o', out, '-x'], 2],
    ['missing arguments', ['transpile'], 2],
    ['missing --out-dir', ['transpile', 'examples/hello/hello.wat'], 2],
    ['two inputs', ['transpile', 'a.wasm', 'b.wasm', '-o', out], 2],
    ['bad --compat', ['transpile', 'examples/hello/hello.wat', '-o', out, '--compat', 'foo'], 2],
    ['bad --map', ['transpile', 'examples/hello/hello.wat', '-o', out, '--map', 'foo'], 2],
    ['bad --base64-cutoff', ['transpile', 'examples/hello/hello.wat', '-o', out, '--base64-cutoff', 'abc'], 2],
    ['negative --base64-cutoff', ['transpile', 'examples/hello/hello.wat', '-o', out, '--base64-cutoff', '-3'], 2],
    ['--max-code-size too small', ['transpile', 'examples/hello/hello.wat', '-o', out, '--max-code-size', '100'], 1],
    ['--max-instances too small', ['transpile', 'examples/hello/hello.wat', '-o', out, '--max-instances', '1'], 1],
    ['--max-nesting past u32', ['transpile', 'examples/hello/hello.wat', '-o', out, '--max-nesting', '4294967296'], 2],
    ['negative --max-instances', ['transpile', 'examples/hello/hello.wat', '-o', out, '--max-instances', '-1'], 2],
    ['--name without a value', ['transpile', 'examples/hello/hello.wat', '-o', out, '--name'], 2],
    ['--name twice', ['transpile', 'examples/hello/hello.wat', '-o', out, '--name', 'a', '--name', 'b'], 2],
    ['a value for a flag', ['transpile', 'examples/hello/hello.wat', '-o', out, '--quiet=1'], 2],
    ['wit without input', ['wit'], 2],
    ['wit with two inputs', ['wit', 'a', 'b'], 2],
    ['unknown subcommand', ['frob'], 2],
    ['bad --instantiation mode', ['transpile', 'examples/hello/hello.wat', '-o', out, '--instantiation=later'], 2],
    ['an --async-exports pattern that matches nothing is a warning', ['transpile', 'examples/hello/hello.wat', '-o', `${out}-w`, '-q', '--async-exports', 'nothing-here'], 0],
  ];
  for (const [label, args, status] of cases) {
    test(label, () => {
      const native = run('native', args);
      const npm = run('npm', args);
      assert.equal(native.status, status, native.stderr);
      assert.equal(npm.stderr, native.stderr);
      assert.equal(npm.stdout, native.stdout);
      assert.equal(npm.status, native.status);
    });
  }

  test('-q prints nothing; --version; --help', () => {
    const q = run('npm', ['transpile', 'examples/hello/hello.wat', '-o', `${tmp}/quiet`, '-q']);
    assert.deepEqual(q, { status: 0, stdout: '', stderr: '' });
    assert.deepEqual(run('npm', ['--version']), run('native', ['--version']));
    assert.deepEqual(run('npm', ['transpile', '--help']), run('native', ['transpile', '--help']));
  });

  test('WIT text is only for the native CLI: `npx weft wit` says so', () => {
    writeFileSync(`${tmp}/x.wit`, 'package a:b;\ninterface i { f: func(); }\n');
    const npm = run('npm', ['wit', `${tmp}/x.wit`]);
    assert.equal(npm.status, 1);
    assert.match(npm.stderr, /^error: cannot read `.*x\.wit`[\s\S]*only read by the native weft CLI/);
    assert.equal(run('native', ['wit', `${tmp}/x.wit`]).status, 0);
    assert.match(run('npm', ['wit', '-h']).stdout, /^Print the WIT of a component\n/);
  });
});
