import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { wasiImports, WasiExit, MemFs, BlockingError } from '../src/p2/browser.js';
import { browserImportGraph, sharedTests } from './shared.js';

sharedTests('browser', wasiImports, WasiExit, () => {
  const fs = new MemFs();
  return { preopens: fs, readFile: (p) => { const b = fs.readFile(p); return b === undefined ? null : new TextDecoder().decode(b); } };
});

test('browser.js and everything it imports use no node: modules', () => {
  assert.ok(browserImportGraph(new URL('../src/p2/browser.js', import.meta.url)) >= 5);
});

test('browser: console output is line-buffered and decodes UTF-8 across writes', (t) => {
  const logs = [];
  const errs = [];
  t.mock.method(console, 'log', (s) => logs.push(s));
  t.mock.method(console, 'error', (s) => errs.push(s));
  const imports = wasiImports();
  const out = imports['wasi:cli/stdout@0.2.6'].getStdout();
  const bytes = new TextEncoder().encode('héllo\nwor');
  out.write(bytes.subarray(0, 2)); // splits the é
  out.write(bytes.subarray(2));
  assert.deepEqual(logs, ['héllo']);
  out.blockingWriteAndFlush(new TextEncoder().encode('ld\nand '));
  assert.deepEqual(logs, ['héllo', 'world']);
  imports['wasi:cli/stderr@0.2.6'].getStderr().write(new TextEncoder().encode('oops\n'));
  assert.deepEqual(errs, ['oops']);
  assert.throws(() => imports['wasi:cli/exit@0.2.6'].exitWithCode(0), WasiExit);
  assert.deepEqual(logs, ['héllo', 'world', 'and ']); // exit flushes the partial line
});

test('browser: stdin from a ReadableStream', async () => {
  let controller;
  const stream = new ReadableStream({ start: (c) => (controller = c) });
  const stdin = wasiImports({ stdin: stream })['wasi:cli/stdin@0.2.6'].getStdin();
  const pollable = stdin.subscribe();
  assert.equal(pollable.ready(), false);
  assert.equal(stdin.read(10n).length, 0);
  assert.throws(() => stdin.blockingRead(10n), (e) => e instanceof BlockingError && /JSPI/.test(e.message));
  assert.throws(() => pollable.block(), BlockingError);
  controller.enqueue(new TextEncoder().encode('line\n'));
  controller.close();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(pollable.ready(), true);
  assert.equal(new TextDecoder().decode(stdin.blockingRead(3n)), 'lin');
  assert.equal(new TextDecoder().decode(stdin.blockingRead(10n)), 'e\n');
  assert.throws(() => stdin.blockingRead(10n), (e) => e.payload.tag === 'closed');
});

test('browser: default stdin is at its end; default preopen is an empty tree at /', () => {
  const imports = wasiImports();
  assert.throws(() => imports['wasi:cli/stdin@0.2.6'].getStdin().read(1n), (e) => e.payload.tag === 'closed');
  const [[root, name]] = imports['wasi:filesystem/preopens@0.2.6'].getDirectories();
  assert.equal(name, '/');
  assert.equal(root.readDirectory().readDirectoryEntry(), null);
});

test('browser: a tree given as options.fs', () => {
  const fs = new MemFs({ 'a.txt': 'hi', d: { 'b.bin': new Uint8Array([7]) } });
  const [[root]] = wasiImports({ fs })['wasi:filesystem/preopens@0.2.6'].getDirectories();
  const f = root.openAt({ symlinkFollow: true }, 'd/b.bin', {}, { read: true });
  assert.deepEqual([...f.read(10n, 0n)[0]], [7]);
  assert.deepEqual(Object.keys(fs.toTree()), ['a.txt', 'd']);
});

test('browser: sleeping without Atomics.wait throws BlockingError naming JSPI, never busy-waits', () => {
  // A window's main thread cannot Atomics.wait; without SharedArrayBuffer the shim
  // cannot either. Simulated in a child process without SharedArrayBuffer.
  const url = new URL('../src/p2/browser.js', import.meta.url).href;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    globalThis.SharedArrayBuffer = undefined;
    const { wasiImports } = await import(${JSON.stringify(url)});
    const mono = wasiImports()['wasi:clocks/monotonic-clock@0.2.6'];
    mono.subscribeDuration(0n).block(); // already elapsed: fine
    const t0 = Date.now();
    try { mono.subscribeDuration(50_000_000n).block(); console.log('slept'); }
    catch (e) { console.log(e.name, /JSPI/.test(e.message), Date.now() - t0 < 40); }`]);
  assert.equal(out.toString().trim(), 'BlockingError true true');
});
