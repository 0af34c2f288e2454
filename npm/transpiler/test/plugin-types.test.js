// src/plugin.d.ts against real Vite types: a `vite.config.ts` with
// `defineConfig({ plugins: [weft()] })` (node's resolution, `--module nodenext`) and app
// code importing a component (`import instantiate, { add } from './hello.wasm'`, with the
// `hello.wasm.d.ts` the plugin wrote for npm/examples; `--moduleResolution bundler`, as
// a Vite app's tsconfig has it), checked by tsc (scripts/setup installs typescript@5 into
// $WEFT_CACHE/ts) inside each example app's node_modules: Vite 8 (npm/examples/vite-app,
// which has no `rollup`) and Vite 7 (vite7-app), with and without skipLibCheck; both
// exist after scripts/build-examples. Errors in Vite's (or rolldown's, rollup's,
// esbuild's) own declarations — without skipLibCheck they need `@types/node`, which the
// examples do not install — are reported as diagnostics, not failures; any error in the
// files here or in @weft/transpiler's declarations fails. `@ts-expect-error` lines prove
// the plugin's options are typed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = join(dirname(fileURLToPath(import.meta.url)), '../../examples');
const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
const tsc = join(cache, 'ts/node_modules/.bin/tsc');

const APPS = { 'Vite 8': 'vite-app', 'Vite 7': 'vite7-app' };

const CONFIG = `
import { defineConfig, type Plugin, type PluginOption } from 'vite';
import weft from '@weft/transpiler/plugin';
const plugin: Plugin = weft({ base64Cutoff: 0, map: { 'wasi:*': '@weft/wasi/p2/*' }, include: (id) => id.endsWith('.wasm') });
const option: PluginOption = weft();
export default defineConfig({ plugins: [weft(), plugin, option] });
// @ts-expect-error: a misspelled option
weft({ base64cutoff: 0 });
`;

const MAIN = `
/// <reference types="@weft/transpiler/client" />
import instantiate, { add, greet } from './hello.wasm';
import only from './hello.wasm?instantiate';
const third: Record<string, unknown> = await only({});
// @ts-expect-error: imports are an object
await only(42);
const n: number = add(2, 40);
const s: string = greet('weft');
const second = await instantiate({});
const m: number = second.add(1, 2);
// @ts-expect-error: add takes numbers
add('2', 40);
export { n, s, m, third };
`;

/** Third-party declarations whose own errors are not this test's. */
const THIRD_PARTY = /node_modules\/(vite|rolldown|rollup|esbuild|@rolldown|@oxc-project|@types)\//;

/** @type {Map<string, Promise<{ ours: string[], theirs: string[] }>>} */
const runs = new Map();
/** @type {string[]} */
const dirs = [];

/** Runs tsc; resolves to the error lines (with continuations) split into ours and theirs. @param {string} cwd @param {string[]} args */
function tscErrors(cwd, args) {
  return new Promise((resolve, reject) => {
    execFile(tsc, ['--strict', '--noEmit', '--target', 'es2022', '--pretty', 'false', ...args], { cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      /** @type {string[]} */
      const errors = [];
      for (const line of `${stdout}${stderr}`.split('\n')) {
        if (line.trim() === '') continue;
        if (/^\S.*\(\d+,\d+\): error /.test(line) || errors.length === 0) errors.push(line);
        else errors[errors.length - 1] += `\n${line}`;
      }
      resolve({ ours: errors.filter((e) => !THIRD_PARTY.test(e.split('\n')[0])), theirs: errors.filter((e) => THIRD_PARTY.test(e.split('\n')[0])) });
    });
  });
}

before(() => {
  if (!existsSync(tsc)) return;
  /** @type {Promise<unknown>} */
  let chain = Promise.resolve(); // one tsc at a time
  for (const [vite, app] of Object.entries(APPS)) {
    const modules = join(examples, app, 'node_modules');
    const dts = join(examples, app, 'src/hello.wasm.d.ts');
    if (!existsSync(join(modules, 'vite')) || !existsSync(dts)) continue;
    const dir = mkdtempSync(join(tmpdir(), 'weft-plugin-types-'));
    dirs.push(dir);
    symlinkSync(modules, join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(join(dir, 'vite.config.ts'), CONFIG);
    writeFileSync(join(dir, 'main.ts'), MAIN);
    writeFileSync(join(dir, 'hello.wasm.d.ts'), readFileSync(dts, 'utf8'));
    for (const skip of [false, true]) {
      for (const [what, args] of [
        ['vite.config.ts', ['--module', 'nodenext', '--moduleResolution', 'nodenext', 'vite.config.ts']],
        ['main.ts', ['--module', 'esnext', '--moduleResolution', 'bundler', 'main.ts']],
      ]) {
        const run = chain.then(() => tscErrors(dir, ['--skipLibCheck', String(skip), ...args]));
        run.catch(() => {});
        chain = run.catch(() => {});
        runs.set(`${vite} ${what} ${skip}`, run);
      }
    }
  }
});

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

for (const [vite, app] of Object.entries(APPS)) {
  for (const skip of [false, true]) {
    for (const what of ['vite.config.ts', 'main.ts']) {
      test(`${vite}: ${what === 'main.ts' ? "app code importing './hello.wasm'" : 'vite.config.ts with weft()'} type-checks (skipLibCheck ${skip})`, async (t) => {
        assert.ok(existsSync(tsc), `TypeScript is not installed at ${tsc}: run scripts/setup`);
        const run = runs.get(`${vite} ${what} ${skip}`);
        assert.ok(run, `npm/examples/${app} has no node_modules/vite or src/hello.wasm.d.ts: run scripts/build-examples`);
        const { ours, theirs } = await run;
        if (theirs.length > 0) t.diagnostic(`${theirs.length} errors in third-party declarations (ignored), e.g. ${theirs[0].split('\n')[0]}`);
        assert.deepEqual(ours, [], `tsc errors:\n${ours.join('\n')}`);
      });
    }
  }
}
