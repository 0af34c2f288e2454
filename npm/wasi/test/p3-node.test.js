import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasiImports, WasiExit } from '../src/p3-node.js';
import { WasiExit as WasiExit2 } from '../src/p2/node.js';
import { p3SharedTests } from './p3-shared.js';

const temps = [];
process.on('exit', () => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

p3SharedTests('node', wasiImports, WasiExit, () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-wasi-p3-test-'));
  temps.push(dir);
  return { preopens: dir, readFile: (p) => (existsSync(join(dir, p)) ? readFileSync(join(dir, p), 'utf8') : null) };
});

test('node p3: WasiExit is the 0.2 shim class', () => {
  assert.equal(WasiExit, WasiExit2);
});

const url = new URL('../src/p3-node.js', import.meta.url).href;
const run = (code, input) =>
  execFileSync(process.execPath, ['--input-type=module', '-e', `const { wasiImports } = await import(${JSON.stringify(url)});\n${code}`], { input: input ?? '' }).toString();

test('node p3: default stdout and stderr write to fds 1 and 2 (through a child process)', () => {
  const out = run(`const i = wasiImports();
    await i['wasi:cli/stdout@0.3.0'].writeViaStream([new TextEncoder().encode('to fd 1\\n')]);
    await i['wasi:cli/stderr@0.3.0'].writeViaStream([new TextEncoder().encode('to fd 2\\n')]);`);
  assert.equal(out, 'to fd 1\n');
});

test('node p3: default stdin reads process.stdin; an unread stdin does not keep node alive', () => {
  const out = run(`const [s, done] = wasiImports()['wasi:cli/stdin@0.3.0'].readViaStream();
    let n = 0; for await (const c of s) n += c.length;
    console.log(n, JSON.stringify(await done));`, 'twelve bytes');
  assert.equal(out, '12 {"tag":"ok"}\n');
  // The guest reads one chunk and drops the stream: node still exits.
  const partial = run(`const [s] = wasiImports()['wasi:cli/stdin@0.3.0'].readViaStream();
    const it = s[Symbol.asyncIterator](); console.log((await it.next()).value.length); await it.return();`, 'abc');
  assert.equal(partial, '3\n');
});

test('node p3: unknown errno codes become other(some(code))', async () => {
  const { codeOf } = await import('../src/p3/fs-common.js');
  assert.deepEqual(codeOf(Object.assign(new Error(), { code: 'ENOENT' })), { tag: 'no-entry' });
  assert.deepEqual(codeOf(Object.assign(new Error(), { code: 'EAGAIN' })), { tag: 'other', value: 'would-block' });
  assert.deepEqual(codeOf(Object.assign(new Error(), { code: 'EWHATEVER' })), { tag: 'other', value: 'EWHATEVER' });
  assert.throws(() => codeOf(new TypeError('bug')), TypeError);
});
