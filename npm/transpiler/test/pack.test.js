// `npm pack` of @weft/transpiler and @weft/wasi, installed into an empty directory with
// a plain `npm install` of the two tarballs, then `npx weft` and the API used there.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test('npm pack + install in an empty directory, then npx weft transpile', { timeout: 300_000 }, async () => {
  const wasi = pack(`${root}npm/wasi`);
  const transpiler = pack(pkg);
  for (const f of ['package.json', 'bin/weft.js', 'src/index.js', 'src/index.d.ts', 'wasm/weft.js', 'wasm/weft_bg.wasm']) {
    assert.ok(transpiler.files.includes(f), `${f} missing from the tarball`);
  }
  assert.ok(!transpiler.files.some((f) => f.startsWith('test/')), 'tests are not packed');

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
import { readFileSync } from 'node:fs';
const m = await import('./out/hello.js');
const { files } = await transpile(readFileSync(${JSON.stringify(input)}, 'utf8'));
console.log(m.add(2, 3), Object.keys(files).join(' '));
`,
  );
  assert.equal(execFileSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' }), '5 component.js component.d.ts\n');
});
