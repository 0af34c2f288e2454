// `npm pack` of @weft/transpiler and @weft/wasi, installed into an empty directory with
// a plain `npm install` of the two tarballs, then `npx weft` and the API used there, every
// entry of @weft/wasi imported by name, and a transpiled WASI program run against the
// installed shims. Also `npm publish --dry-run` of both, and the metadata a registry
// page shows.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, test } from 'node:test';
import { pkg, root, run } from './common.js';

const tmp = mkdtempSync(`${tmpdir()}/weft-npm-pack-`);
after(() => rmSync(tmp, { recursive: true, force: true }));

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function pack(dir) {
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], dir));
  return { tarball: `${tmp}/${info.filename}`, files: info.files.map((f) => f.path) };
}

const packages = { '@weft/wasi': `${root}npm/wasi`, '@weft/transpiler': pkg };

test('package.json: the metadata a registry shows, and files every package ships', () => {
  const license = readFileSync(`${root}LICENSE`, 'utf8');
  for (const [name, dir] of Object.entries(packages)) {
    const p = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
    assert.equal(p.name, name);
    assert.equal(p.license, 'Apache-2.0 WITH LLVM-exception', `${name}: the license of Cargo.toml`);
    for (const field of ['description', 'homepage', 'keywords', 'engines', 'files', 'publishConfig']) {
      assert.ok(p[field], `${name}: no ${field}`);
    }
    assert.equal(p.repository?.type, 'git', `${name}: repository`);
    assert.equal(p.repository?.directory, dir.slice(root.length).replace(/\/$/, ''), `${name}: repository.directory`);
    assert.equal(p.publishConfig.access, 'public', `${name}: a scoped package is private unless published public`);
    // npm pack drops symbolic links, so each package holds a copy of the top-level LICENSE.
    assert.equal(readFileSync(`${dir}/LICENSE`, 'utf8'), license, `${name}: LICENSE differs from the top-level one`);
  }
});

test('npm publish --dry-run: nothing npm would correct or refuse', () => {
  for (const [name, dir] of Object.entries(packages)) {
    const r = spawnSync('npm', ['publish', '--dry-run'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    const warnings = r.stderr
      .split('\n')
      .filter((l) => /^npm (warn|error)/.test(l) && !/requires you to be logged in/.test(l));
    assert.deepEqual(warnings, [], `${name}: npm publish --dry-run warned`);
    assert.match(r.stderr, /with tag latest and public access \(dry-run\)/);
  }
});

test('npm pack + install in an empty directory, then npx weft transpile', { timeout: 300_000 }, async () => {
  const wasi = pack(`${root}npm/wasi`);
  const transpiler = pack(pkg);
  for (const f of ['package.json', 'bin/weft.js', 'src/index.js', 'src/index.d.ts', 'wasm/weft.js', 'wasm/weft_bg.wasm', 'runtime/wave.js', 'src/wave.d.ts']) {
    assert.ok(transpiler.files.includes(f), `${f} missing from the tarball`);
  }
  assert.ok(!transpiler.files.some((f) => f.startsWith('test/')), 'tests are not packed');
  for (const { files } of [wasi, transpiler]) {
    for (const f of ['LICENSE', 'README.md', 'package.json']) assert.ok(files.includes(f), `${f} missing from a tarball`);
  }
  assert.ok(!wasi.files.some((f) => f.startsWith('test/') || f.startsWith('scripts/')), 'tests are not packed');

  const app = `${tmp}/app`;
  mkdirSync(app);
  writeFileSync(`${app}/package.json`, JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', wasi.tarball, transpiler.tarball], app);

  const input = `${root}examples/hello/hello.wat`;
  const out = execFileSync('npx', ['--no-install', 'weft', 'transpile', input, '-o', 'out'], { cwd: app, encoding: 'utf8' });
  const native = run('native', ['transpile', input, '-o', `${tmp}/native`]);
  assert.equal(out, native.stdout.replaceAll(`${tmp}/native`, 'out'));
  for (const f of readdirSync(`${tmp}/native`)) {
    assert.ok(readFileSync(`${app}/out/${f}`).equals(readFileSync(`${tmp}/native/${f}`)), `${f} differs`);
  }

  // The generated module runs from there, and the API resolves by package name.
  writeFileSync(
    `${app}/main.js`,
    `import { transpile } from '@weft/transpiler';
import { waveWrite } from '@weft/transpiler/wave';
import { readFileSync } from 'node:fs';
const m = await import('./out/hello.js');
const { files } = await transpile(readFileSync(${JSON.stringify(input)}, 'utf8'));
console.log(m.add(2, 3), Object.keys(files).join(' '), waveWrite({ kind: 'option', type: { kind: 'string' } }, 'a"b'));
`,
  );
  assert.equal(execFileSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' }), '5 component.js component.d.ts some("a\\"b")\n');

  // Every entry of @weft/wasi by name: the exports (node condition), and each generated
  // per-interface module, which the ES module output imports.
  const wasiPkg = JSON.parse(readFileSync(`${root}npm/wasi/package.json`, 'utf8'));
  const specifiers = Object.keys(wasiPkg.exports)
    .filter((k) => !k.includes('*'))
    .map((k) => `@weft/wasi${k.slice(1)}`);
  for (const line of readFileSync(`${root}npm/wasi/src/interfaces.txt`, 'utf8').split('\n')) {
    // `wasi:cli/stdout@0.2` → @weft/wasi/p2/cli/stdout
    const m = /^wasi:([\w-]+)\/([\w-]+)@0\.(\d)/.exec(line.trim());
    if (m) specifiers.push(`@weft/wasi/p${m[3]}/${m[1]}/${m[2]}`);
  }
  assert.ok(specifiers.length > 20, `only ${specifiers.length} entries`);
  writeFileSync(
    `${app}/entries.js`,
    `for (const s of ${JSON.stringify(specifiers)}) {
  const m = await import(s);
  if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing');
}
console.log('ok');
`,
  );
  assert.equal(execFileSync(process.execPath, ['entries.js'], { cwd: app, encoding: 'utf8' }), 'ok\n');
});

test('a WASI program transpiled from the installed package runs on the installed shims', { timeout: 120_000 }, (t) => {
  const program = `${root}target/wasi-programs/hello.wasm`;
  if (!existsSync(program)) return t.skip('no target/wasi-programs/hello.wasm (scripts/build-wasi-programs)');
  const app = `${tmp}/app`;
  assert.ok(existsSync(`${app}/node_modules/@weft/wasi`), 'the install test above did not run');
  execFileSync('npx', ['--no-install', 'weft', 'transpile', program, '-o', 'wasi-out', '-q'], { cwd: app });
  assert.match(readFileSync(`${app}/wasi-out/hello.js`, 'utf8'), /from "@weft\/wasi\/p2\//);
  writeFileSync(
    `${app}/hello-main.js`,
    `const m = await import('./wasi-out/hello.js');
await Object.entries(m).find(([k]) => k.startsWith('wasi:cli/run@'))[1].run();
`,
  );
  const r = spawnSync(process.execPath, ['hello-main.js'], { cwd: app, encoding: 'utf8' });
  assert.equal(r.stdout, 'hello from wasi\n', r.stderr);
  assert.equal(r.status, 0);
});

test('npx weft run runs WASI programs from the installed tarballs', { timeout: 120_000 }, (t) => {
  const programs = `${root}target/wasi-programs`;
  if (!existsSync(`${programs}/args-env-exit.wasm`)) return t.skip('no target/wasi-programs (scripts/build-wasi-programs)');
  const app = `${tmp}/app`;
  assert.ok(existsSync(`${app}/node_modules/@weft/wasi`), 'the install test above did not run');
  // A cache of its own, so the component is transpiled by the installed package here.
  const env = { ...process.env, WEFT_CACHE: `${tmp}/run-cache` };
  delete env.WEFT_NODE;
  const npx = (args) => spawnSync('npx', ['--no-install', 'weft', ...args], { cwd: app, encoding: 'utf8', env });
  // The runner (src/host/run.mjs) and the installed @weft/wasi: args, environment and
  // the program's exit code.
  const r = npx(['run', '--clear-env', '--env', 'WEFT_A=1', '--env', 'WEFT_B=b c', '--argv0', 'my-tool', `${programs}/args-env-exit.wasm`, 'one', 'two words', 'ünï']);
  assert.equal(r.stderr, 'exiting with 3\n');
  assert.equal(r.stdout, 'arg 0: my-tool\narg 1: one\narg 2: two words\narg 3: ünï\nenv WEFT_A=1\nenv WEFT_B=b c\n');
  assert.equal(r.status, 3);
  // A WASI 0.3 command gets the installed 0.3 shims.
  const p3 = `${root}target/wasi-p3-programs/hello.wasm`;
  if (existsSync(p3)) {
    const r3 = npx(['run', p3]);
    assert.deepEqual([r3.stdout, r3.stderr, r3.status], ['hello from wasi p3\n', 'to stderr\n', 0]);
  }
  // Not a command: exit 65, as the native CLI.
  const hello = `${root}examples/hello/hello.wat`;
  const notCommand = npx(['run', hello]);
  assert.equal(notCommand.status, 65);
  assert.equal(notCommand.stderr, run('native', ['run', hello]).stderr);
});
