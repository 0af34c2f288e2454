// The Rollup/Vite plugin (src/plugin.js): Rollup builds of entries importing
// examples/hello as a component, run in node; core modules left to other plugins; a
// broken component as a build error; a component exporting component definitions; watch
// mode; the built examples of npm/examples.
// Needs rollup in $WEFT_CACHE/npm/rollup and weft-devtools (scripts/build-examples,
// scripts/setup install them); the example tests skip when the examples are not built.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import weft, { isComponent, isCoreModule } from '../src/plugin.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
const wasmTools = join(cache, 'tools/bin/weft-devtools');
const { rollup, watch } = createRequire(join(cache, 'npm/rollup/'))('rollup');

/** The package API if src/index.js has a working one, else the CLI stand-in. */
async function transpileFn() {
  try {
    const m = await import('../src/index.js');
    if (typeof m.transpile === 'function') {
      await m.init?.(); // throws while the package's wasm is not built
      return m.transpile;
    }
  } catch {}
  usingCli = true;
  return (await import('./plugin-cli-transpile.js')).transpile;
}

let usingCli = false;
let transpile;
let dir;
const HELLO = ['add(2, 40) = 42', 'greet("weft") = "Hello, weft!"', 'sum([1, 2, 3, 4294967295]) = 4294967301'];

function wat2wasm(wat, out) {
  const r = spawnSync(wasmTools, ['parse', '-o', out], { input: wat, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  transpile = await transpileFn();
  dir = mkdtempSync(join(tmpdir(), 'weft-plugin-'));
  wat2wasm(readFileSync(join(root, 'examples/hello/hello.wat'), 'utf8'), join(dir, 'hello.wasm'));
  wat2wasm('(module (func (export "f") (result i32) i32.const 7))', join(dir, 'core.wasm'));
  // A component preamble, then garbage.
  writeFileSync(join(dir, 'broken.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff, 0xff, 0xff]));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `code` (an entry in `dir`) into `dir/<out>/`, returns the output file names. */
async function build(code, out, { plugins = [], ...options } = {}) {
  writeFileSync(join(dir, `${out}.entry.js`), code);
  const bundle = await rollup({ input: join(dir, `${out}.entry.js`), plugins: [weft({ transpile, ...options }), ...plugins], onwarn: (w) => assert.fail(`rollup warned: ${w.message}`) });
  await bundle.write({ dir: join(dir, out), format: 'es' });
  await bundle.close();
  return readdirSync(join(dir, out), { recursive: true });
}

function run(file) {
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n');
}

const PRINT = `console.log(\`add(2, 40) = \${add(2, 40)}\`);
console.log(\`greet("weft") = \${JSON.stringify(greet('weft'))}\`);
console.log(\`sum([1, 2, 3, 4294967295]) = \${sum([1, 2, 3, 4294967295])}\`);
`;

test('preamble: component, core module, neither', () => {
  const hello = readFileSync(join(dir, 'hello.wasm'));
  const core = readFileSync(join(dir, 'core.wasm'));
  assert.ok(isComponent(hello) && !isCoreModule(hello));
  assert.ok(isCoreModule(core) && !isComponent(core));
  assert.ok(!isComponent(new Uint8Array([1, 2, 3])) && !isCoreModule(new Uint8Array(0)));
});

test('named exports and the default instantiate; small core modules inlined', async () => {
  const files = await build(`import instantiate, { add, greet, sum } from './hello.wasm';
${PRINT}const second = await instantiate({});
const third = await instantiate();
console.log(second.add(1, 2), third.greet('x'), second !== third);
`, 'inline');
  assert.deepEqual(files.filter((f) => f.endsWith('.wasm')), []);
  assert.deepEqual(run(join(dir, 'inline/inline.entry.js')), [...HELLO, '3 Hello, x! true']);
});

test('core modules at or above base64Cutoff are hashed assets', async () => {
  const files = await build(`import { add, greet, sum } from './hello.wasm';\n${PRINT}`, 'asset', { base64Cutoff: 100 });
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, files.join(', '));
  assert.match(wasm[0], /^assets\/hello\.core-[\w-]+\.wasm$/);
  assert.deepEqual(run(join(dir, 'asset/asset.entry.js')), HELLO);
});

test('?instantiate: only the instantiate function, nothing runs at import', async () => {
  await build(`import instantiate from './hello.wasm?instantiate';
import * as m from './hello.wasm?instantiate';
const a = await instantiate();
console.log(a.add(20, 22), Object.keys(m).sort().join());
`, 'query', { base64Cutoff: 100 });
  assert.deepEqual(run(join(dir, 'query/query.entry.js')), ['42 default,instantiate']);
  const js = readFileSync(join(dir, 'query/query.entry.js'), 'utf8');
  assert.ok(!js.includes('await compileUrl(new URL'), 'the ES module output is not in the bundle');
});

test('types: <input>.wasm.d.ts with the exports and the default instantiate', () => {
  const dts = readFileSync(join(dir, 'hello.wasm.d.ts'), 'utf8');
  assert.match(dts, /declare function add\(a: number, b: number\): number;/);
  assert.match(dts, /^export \{ add \};$/m);
  assert.match(dts, /^export interface Exports \{/m);
  assert.match(dts, /^export default weft\$instantiate;$/m);
  assert.doesNotMatch(dts, /^export function instantiate/m);
  const tsc = join(cache, 'ts/node_modules/.bin/tsc');
  if (!existsSync(tsc)) return;
  writeFileSync(join(dir, 'use.ts'), `import instantiate, { add, greet } from './hello.wasm';
const n: number = add(1, 2);
const s: string = greet('x');
const i = await instantiate();
const b: bigint = i.sum(new Uint32Array([1]));
export { n, s, b };
`);
  const r = spawnSync(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', join(dir, 'use.ts')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('webidl: a component of Web APIs binds against the IDL the option names, and runs', { skip: !existsSync(join(root, 'target/guests/webidl.wasm')) && 'run scripts/build-guests' }, async () => {
  writeFileSync(join(dir, 'webidl.wasm'), readFileSync(join(root, 'target/guests/webidl.wasm')));
  const code = `import { urlDemo, bytesDemo } from './webidl.wasm';
console.log(urlDemo('https://example.org/a').slice(0, 4).join(' '));
console.log(bytesDemo('é')[1]);
`;
  // Without IDL (none given, no @webref/idl above the temporary folder): an error saying so.
  await assert.rejects(build(code, 'webidl-none'), /weft needs the WebIDL it was made from/);
  const files = await build(code, 'webidl', { webidl: join(root, 'tests/guests/webidl/idl') });
  const js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, 'webidl', f), 'utf8')).join('\n');
  assert.match(js, /idlInterface\("URL"/);
  assert.doesNotMatch(js, /from ["']webidl:/);
  assert.deepEqual(run(join(dir, 'webidl/webidl.entry.js')), ['https://example.org/a https://example.org https: example.org', 'é']);
});

test('a core module is left to the other plugins', async () => {
  const other = {
    name: 'core-wasm',
    load: (id) => (id.endsWith('core.wasm') ? `export default ${readFileSync(id).length};` : null),
  };
  await build(`import n from './core.wasm';\nconsole.log(n);\n`, 'core', { plugins: [other] });
  assert.deepEqual(run(join(dir, 'core/core.entry.js')), [String(readFileSync(join(dir, 'core.wasm')).length)]);
  assert.ok(!existsSync(join(dir, 'core.wasm.d.ts')));
});

test('a broken component is a build error naming the file and the cause', async () => {
  await assert.rejects(build(`import * as b from './broken.wasm';\nconsole.log(b);\n`, 'broken'), (e) => {
    assert.match(e.message, /weft: cannot transpile the component .*broken\.wasm: /);
    assert.match(e.message, /offset|invalid|unexpected|failed/i);
    return true;
  });
});

test('a component that exports a component definition: its module is served, and instantiates', async () => {
  // The exported component's core module is big enough to be an asset at the cutoff
  // used below, and the inner component nests one more exported definition.
  const pad = Array.from({ length: 40 }, (_, k) => `(func (result i32) i32.const ${k})`).join(' ');
  wat2wasm(
    `(component
      (component $c
        (core module $m (func (export "f") (result i32) i32.const 42) ${pad})
        (core instance $i (instantiate $m))
        (func (export "answer") (result u32) (canon lift (core func $i "f")))
        (component $d
          (core module $n (func (export "g") (result i32) i32.const 7))
          (core instance $j (instantiate $n))
          (func (export "seven") (result u32) (canon lift (core func $j "g"))))
        (export "d" (component $d)))
      (export "c" (component $c)))`,
    join(dir, 'exports-component.wasm'),
  );
  await build(`import { c } from './exports-component.wasm';
import instantiate from './exports-component.wasm?instantiate';
const a = await c.instantiate();
const b = await (await instantiate()).c.instantiate();
console.log(a.answer(), b.answer(), (await a.d.instantiate()).seven(), Object.isFrozen(c));
`, 'exports-component', { base64Cutoff: 100 });
  assert.deepEqual(run(join(dir, 'exports-component/exports-component.entry.js')), ['42 42 7 true']);
  const files = readdirSync(join(dir, 'exports-component'), { recursive: true });
  assert.ok(files.some((f) => /\.wasm$/.test(f)), `the exported component's core module is an asset: ${files}`);
});

test('a trap in the transpiler is a build error naming the file and the trap', async () => {
  const trapping = async () => {
    throw new WebAssembly.RuntimeError('unreachable');
  };
  await assert.rejects(build(`import * as h from './hello.wasm';\nconsole.log(h);\n`, 'trapped', { transpile: trapping }), (e) => {
    assert.match(e.message, /weft: cannot transpile the component .*hello\.wasm: RuntimeError: unreachable/);
    return true;
  });
});

test("the transpiler's limits are the plugin's options: a component past one fails the build, naming it", async () => {
  writeFileSync(join(dir, 'limited.wasm'), readFileSync(join(dir, 'hello.wasm')));
  await assert.rejects(build(`import { greet } from './limited.wasm';\nconsole.log(greet('x'));\n`, 'limited', { maxCodeSize: 100 }), (e) => {
    assert.match(e.message, /weft: cannot transpile the component .*limited\.wasm: /);
    assert.match(e.message, /max-code-size|maxCodeSize|code size/i);
    return true;
  });
  // Within the limits, the same component builds.
  await build(`import { greet } from './limited.wasm';\nconsole.log(greet('x'));\n`, 'unlimited', { maxCodeSize: 1 << 24, maxInstances: 100, maxNesting: 10 });
});

test('watch mode: a changed component is transpiled again', async () => {
  const wat = readFileSync(join(root, 'examples/hello/hello.wat'), 'utf8');
  wat2wasm(wat, join(dir, 'watched.wasm'));
  writeFileSync(join(dir, 'watch.entry.js'), `import { greet } from './watched.wasm';\nconsole.log(greet('w'));\n`);
  const watcher = watch({
    input: join(dir, 'watch.entry.js'),
    plugins: [weft({ transpile })],
    output: { dir: join(dir, 'watch'), format: 'es' },
    watch: { buildDelay: 50, chokidar: { usePolling: true, interval: 50 } },
  });
  const outputs = [];
  try {
    await new Promise((ok, fail) => {
      watcher.on('event', (e) => {
        if (e.result) e.result.close();
        if (e.code === 'ERROR') fail(e.error);
        if (e.code !== 'END') return;
        outputs.push(run(join(dir, 'watch/watch.entry.js'))[0]);
        if (outputs.length === 1) setTimeout(() => wat2wasm(wat.replace('"Hello, "', '"Howdy, "'), join(dir, 'watched.wasm')), 200);
        else ok();
      });
      setTimeout(() => fail(new Error(`no rebuild; outputs: ${outputs}`)), 20000).unref();
    });
  } finally {
    await watcher.close();
  }
  assert.deepEqual(outputs, ['Hello, w!', 'Howdy, w!']);
});

test('watch mode: a broken component is an error naming the file, and the build recovers once it is fixed', async () => {
  const wat = readFileSync(join(root, 'examples/hello/hello.wat'), 'utf8');
  const file = join(dir, 'rewritten.wasm');
  wat2wasm(wat, file);
  const good = readFileSync(file);
  writeFileSync(join(dir, 'rewrite.entry.js'), `import { greet } from './rewritten.wasm';\nconsole.log(greet('w'));\n`);
  const watcher = watch({
    input: join(dir, 'rewrite.entry.js'),
    plugins: [weft({ transpile })],
    output: { dir: join(dir, 'rewrite'), format: 'es' },
    watch: { buildDelay: 50, chokidar: { usePolling: true, interval: 50 } },
  });
  // Each step: what to write once the previous build ended (or failed).
  const steps = [
    () => writeFileSync(file, good.subarray(0, 100)), // half written: cut in its core module
    () => writeFileSync(file, good.subarray(0, 5)), // shorter than a preamble
    () => wat2wasm(wat.replace('"Hello, "', '"Howdy, "'), file), // fixed, and changed
  ];
  // Per build: the error, or what the output prints.
  const seen = [];
  try {
    await new Promise((ok, fail) => {
      let error;
      watcher.on('event', (e) => {
        if (e.result) e.result.close();
        if (e.code === 'START') error = undefined;
        if (e.code === 'ERROR') error = e.error;
        if (e.code !== 'END') return;
        seen.push(error ? error.message : run(join(dir, 'rewrite/rewrite.entry.js'))[0]);
        const step = steps.shift();
        if (step) setTimeout(step, 200);
        else ok();
      });
      setTimeout(() => fail(new Error(`no rebuild; seen: ${seen.join(' | ')}`)), 30000).unref();
    });
  } finally {
    await watcher.close();
  }
  assert.equal(seen.length, 4, seen.join(' | '));
  assert.equal(seen[0], 'Hello, w!');
  for (const message of seen.slice(1, 3)) {
    assert.match(message, /weft: cannot transpile the component .*rewritten\.wasm: failed to transpile `[^`]*rewritten\.wasm`/);
  }
  assert.match(seen[1], /core module section declares \d+ bytes but the input ends/);
  assert.match(seen[2], /not a WebAssembly component/);
  assert.equal(seen[3], 'Howdy, w!');
});

const examples = join(root, 'npm/examples');

for (const dist of ['vite-app/dist', 'vite-app/dist-relative', 'vite7-app/dist']) {
  test(`npm/examples/${dist}: vite build output`, { skip: !existsSync(join(examples, dist, 'index.html')) && 'run scripts/build-examples' }, () => {
    const assets = readdirSync(join(examples, dist, 'assets'));
    assert.equal(assets.filter((f) => /^hello\.core-[\w-]+\.wasm$/.test(f)).length, 1, assets.join(', '));
    const js = assets.filter((f) => f.endsWith('.js'));
    assert.equal(js.length, 1, assets.join(', '));
    // Every reference to the asset is resolved against the module's URL (whatever the
    // bundler put for `import.meta.ROLLUP_FILE_URL_<ref>`).
    const code = readFileSync(join(examples, dist, 'assets', js[0]), 'utf8');
    const refs = code.match(/new URL\((?:new URL\()?[`"'][^`"']*hello\.core-[\w-]+\.wasm[`"'](?:,import\.meta\.url\)\.href)?,import\.meta\.url\)/g) ?? [];
    assert.equal(refs.length, 2, code.match(/.{40}hello\.core-.{40}/g)?.join('\n'));
    assert.ok(existsSync(join(examples, dist.split('/')[0], 'src/hello.wasm.d.ts')));
  });
}

test('npm/examples/node-script: transpiles and runs hello', { skip: !existsSync(join(examples, 'node-script/node_modules/@weft/transpiler')) && 'run scripts/build-examples' }, async () => {
  const out = join(dir, 'node-script-out');
  const env = { ...process.env };
  if (usingCli) env.WEFT_TRANSPILE_MODULE = fileURLToPath(new URL('./plugin-cli-transpile.js', import.meta.url));
  const r = spawnSync(process.execPath, ['main.mjs', join(dir, 'hello.wasm'), out], { cwd: join(examples, 'node-script'), encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n').slice(-3), HELLO);
  assert.ok(existsSync(join(out, 'hello.js')));
});
