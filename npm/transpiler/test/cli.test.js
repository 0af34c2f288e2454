// `npx weft` (bin/weft.js over the wasm build) against the native `weft`: the same
// files byte for byte, the same output lines, messages and exit codes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, describe, test } from 'node:test';
import { components, root, run } from './common.js';

const tmp = mkdtempSync(`${tmpdir()}/weft-npm-cli-`);
after(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir) {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(`${dir}/${f}`)]));
}

const FLAG_SETS = [
  [],
  ['--instantiation', '--compat', 'jco', '--base64-cutoff', '0', '--no-typescript', '--map', 'wasi:*=./shims/*.js', '--name', 'renamed'],
  ['--instantiation', 'sync', '--minify'],
  // Linked into one module; a component `--lowered` refuses is refused alike.
  ['--instantiation', '--lowered'],
];
const SET_NAMES = ['', ' (instantiation, jco, cutoff 0, map, name)', ' (instantiation sync, minify)', ' (instantiation, lowered)'];

let n = 0;
describe('same files as the native CLI', () => {
  for (const { path, flags } of components()) {
    FLAG_SETS.forEach((extra, i) => {
      test(`${path}${SET_NAMES[i]}`, () => {
        const k = n++;
        const a = `${tmp}/native-${k}`;
        const b = `${tmp}/npm-${k}`;
        const native = run('native', ['transpile', path, '-o', a, ...flags, ...extra]);
        const npm = run('npm', ['transpile', path, '-o', b, ...flags, ...extra]);
        const refused = extra.includes('--lowered') && native.status === 1 && /--lowered/.test(native.stderr);
        assert.equal(native.status, refused ? 1 : 0, native.stderr);
        assert.equal(npm.stderr, native.stderr);
        assert.equal(npm.status, native.status);
        if (refused) return;
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
    ['an unknown flag after arguments: clap lists the used ones', ['transpile', '--minify', 'examples/hello/hello.wat', '--frobnicate'], 2],
    ['a flag twice', ['transpile', 'examples/hello/hello.wat', '-o', out, '--minify', '--minify'], 2],
    ['an option before a flag has no value', ['transpile', 'examples/hello/hello.wat', '-o', out, '--name', '--minify'], 2],
    ['missing input, options used', ['transpile', '--minify', '--name', 'x', '-o', out], 2],
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

  test('run --record and replay: the same trace, report, messages and exit codes', () => {
    const wat = 'crates/cli/tests/data/args-exit.wat';
    const traces = {};
    for (const which of ['native', 'npm']) {
      traces[which] = `${tmp}/${which}.trace`;
      const r = run(which, ['run', '--record', traces[which], wat, 'x']);
      assert.equal(r.status, 33, r.stderr);
    }
    assert.equal(readFileSync(traces.npm, 'utf8'), readFileSync(traces.native, 'utf8'));
    const edited = `${tmp}/edited.trace`;
    writeFileSync(edited, readFileSync(traces.native, 'utf8').replace('"x"]', '"xyz"]'));
    for (const args of [
      ['replay', traces.native, wat],
      ['replay', edited, wat],
      ['replay', `${tmp}/none.trace`, wat],
      ['replay', traces.native],
      ['replay', '--x', traces.native, wat],
      ['replay', '--help'],
      ['help', 'replay'],
      ['replay', '--only', 'nothing', traces.native, wat],
      ['replay', '--host=wasi:cli/environment*', edited, wat],
      ['replay', traces.native, wat, '--only'],
    ]) {
      const native = run('native', args);
      assert.deepEqual(run('npm', args), native, args.join(' '));
    }
    assert.match(run('npm', ['--help']).stdout, /^ {2}replay {5}Replay a trace/m);
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

/** The specs of `@webref/idl` that scripts/setup installs into `$WEFT_CACHE/webref` (default `$HOME/.cache/weft`). */
function webref() {
  const cache = process.env.WEFT_CACHE ?? `${process.env.HOME}/.cache/weft`;
  const dir = `${cache}/webref/node_modules/@webref/idl`;
  if (!existsSync(dir)) throw new Error(`${dir}: missing (scripts/setup installs @webref/idl)`);
  return dir;
}

describe('webidl like the native CLI', () => {
  const data = `${root}crates/cli/tests/data/webidl`;
  /** Runs both CLIs with `args` (`OUT` replaced by a fresh output directory each) in `cwd`; the same stdout, stderr, exit code and files. */
  function same(label, args, status, cwd = data) {
    const k = n++;
    const [a, b] = [`${tmp}/webidl-native-${k}`, `${tmp}/webidl-npm-${k}`];
    const native = run('native', ['webidl', ...args.map((x) => (x === 'OUT' ? a : x))], { cwd });
    const npm = run('npm', ['webidl', ...args.map((x) => (x === 'OUT' ? b : x))], { cwd });
    assert.equal(native.status, status, `${label}: ${native.stderr}`);
    assert.equal(npm.stderr, native.stderr.replaceAll(a, b));
    assert.equal(npm.stdout, native.stdout.replaceAll(a, b));
    assert.equal(npm.status, native.status);
    const fa = status === 0 ? files(a) : {};
    const fb = status === 0 ? files(b) : {};
    assert.deepEqual(Object.keys(fb), Object.keys(fa));
    for (const f of Object.keys(fa)) assert.ok(fa[f].equals(fb[f]), `${f} differs`);
    return { native, npm, files: fa };
  }

  test('every shape: shapes.idl gives shapes.wit and the warnings of shapes.stderr', () => {
    const { native, files: out } = same('shapes', ['shapes.idl', '-o', 'OUT'], 0);
    assert.equal(out['web.wit'].toString(), readFileSync(`${data}/shapes.wit`, 'utf8'));
    assert.equal(native.stderr, readFileSync(`${data}/shapes.stderr`, 'utf8'));
    assert.match(native.stdout, /\/web\.wit \(4 warnings: what WIT cannot say, left out\)\n$/);
    same('shapes -q', ['shapes.idl', '-o', 'OUT', '-q', '--package', 'webidl:shapes', '--wit-interface', 'shapes'], 0);
  });

  test('IDL that does not parse: file:line:col, exit 1', () => {
    const { npm } = same('bad', ['bad.idl', '-o', 'OUT'], 1);
    assert.equal(npm.stderr, "error: bad.idl:2:22: expected the attribute's name, found `;` (in an attribute)\n");
    // A directory's `.idl` files, bad.idl among them.
    same('a directory', ['.', '-o', 'OUT'], 1);
  });

  test('a spec short name with --webref: the spec first, every other spec read', () => {
    const dir = webref();
    const { files: out } = same('dom', ['dom', '--interface', 'Element', '--package', 'webidl:dom', '-o', 'OUT', '--webref', dir], 0);
    assert.match(out['dom.wit'].toString(), /^ {4}set-inner-HTML: func\(inner-HTML: trusted-HTML-or-DOM-string-borrowed\);$/m);
    // The interfaces dom.idl defines, and a spec given as a path beside it.
    same('dom and a path', ['dom', 'shapes.idl', '-o', 'OUT', '--webref', dir, '-q'], 0);
    // --only: the two and their ancestors; what mentions other interfaces left out.
    same('--only', ['dom', 'html', '--interface', 'HTMLElement', '--interface', 'Document', '--only', '-o', 'OUT', '--webref', dir], 0);
    same('--only --sync', ['dom', 'html', '--interface', 'Window', '--interface', 'Document', '--interface', 'HTMLElement', '--only', '--sync', '-o', 'OUT', '--webref', dir], 0);
  });

  test('@webref/idl found in node_modules above the current directory', () => {
    const project = `${tmp}/webidl-project`;
    mkdirSync(`${project}/node_modules/@webref`, { recursive: true });
    mkdirSync(`${project}/src`, { recursive: true });
    symlinkSync(webref(), `${project}/node_modules/@webref/idl`);
    same('found upward', ['fetch', '-o', 'OUT'], 0, `${project}/src`);
  });

  const cases = [
    ['unknown option', ['shapes.idl', '-o', 'OUT', '--frobnicate'], 2],
    ['unknown option first', ['--frobnicate', 'shapes.idl'], 2],
    ['unknown short option', ['shapes.idl', '-x', '-o', 'OUT'], 2],
    ['missing arguments', [], 2],
    ['missing --out-dir, an option used', ['-q', 'shapes.idl'], 2],
    ['missing IDL', ['-o', 'OUT', '--interface', 'Node'], 2],
    ['an option without its value', ['shapes.idl', '-o', 'OUT', '--interface', '-q'], 2],
    ['--package twice', ['shapes.idl', '-o', 'OUT', '--package', 'a:b', '--package', 'c:d'], 2],
    ['-q twice', ['shapes.idl', '-o', 'OUT', '-q', '--quiet'], 2],
    ['a value for a flag', ['shapes.idl', '-o', 'OUT', '--quiet=1'], 2],
    ['an unknown interface', ['shapes.idl', '-o', 'OUT', '--interface', 'Nope'], 1],
    ['a bad package', ['shapes.idl', '-o', 'OUT', '--package', 'web'], 1],
    ['a bad package before a missing file', ['missing.idl', '-o', 'OUT', '--package', 'web:'], 1],
    ['a missing file', ['missing.idl', '-o', 'OUT'], 1],
    ['a spec name without @webref/idl', ['dom', '-o', 'OUT'], 1],
    ['an unknown spec name', ['no-such-spec', '-o', 'OUT', '--webref', 'WEBREF'], 1],
    ['--webref not a directory', ['dom', '-o', 'OUT', '--webref', 'shapes.idl'], 1],
  ];
  for (const [label, args, status] of cases) {
    test(label, () => same(label, args.map((a) => (a === 'WEBREF' ? webref() : a)), status, label.includes('without @webref') ? tmp : data));
  }

  test('--help, -h and `help webidl`', () => {
    for (const args of [['webidl', '--help'], ['webidl', '-h'], ['help', 'webidl'], ['webidl', 'shapes.idl', '--help']]) {
      const native = run('native', args);
      assert.equal(native.status, 0);
      assert.deepEqual(run('npm', args), native);
    }
    assert.match(run('npm', ['--help']).stdout, /^ {2}webidl {5}Write WIT for Web APIs from WebIDL \(files, or specs of `@webref\/idl`\)$/m);
  });
});
