import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wasiImports, WasiExit, MemFs } from '../src/p3-browser.js';
import { MemFs as MemFs2 } from '../src/p2/browser.js';
import { p3SharedTests, readable, collect, concat } from './p3-shared.js';
import { browserImportGraph } from './shared.js';

p3SharedTests('browser', wasiImports, WasiExit, () => {
  const fs = new MemFs();
  return { preopens: fs, readFile: (p) => { const b = fs.readFile(p); return b === undefined ? null : new TextDecoder().decode(b); } };
});

test('browser p3: p3-browser.js and everything it imports use no node: modules', () => {
  assert.ok(browserImportGraph(new URL('../src/p3-browser.js', import.meta.url)) >= 6);
});

test('browser p3: console output is line-buffered across stream chunks and flushed', async (t) => {
  const logs = [];
  t.mock.method(console, 'log', (s) => logs.push(s));
  const imports = wasiImports();
  const bytes = new TextEncoder().encode('héllo\nwor');
  await imports['wasi:cli/stdout@0.3.0'].writeViaStream(readable([bytes.subarray(0, 2), bytes.subarray(2)]));
  assert.deepEqual(logs, ['héllo']);
  imports.flush();
  assert.deepEqual(logs, ['héllo', 'wor']);
});

test('browser p3: default stdin is an empty stream', async () => {
  const [s, done] = wasiImports()['wasi:cli/stdin@0.3.0'].readViaStream();
  assert.deepEqual(await collect(s), []);
  assert.deepEqual(await done, { tag: 'ok', value: undefined });
});

test('browser p3: trees and MemFs preopens; MemFs is the 0.2 class and shared with 0.2 imports', async () => {
  assert.equal(MemFs, MemFs2);
  const fs = new MemFs({ 'a.txt': 'from tree', d: { 'b.bin': new Uint8Array([7]) } });
  const imports = wasiImports({ fs, preopens: { '/t': { 'x.txt': 'x' } } });
  const dirs = imports['wasi:filesystem/preopens@0.3.0'].getDirectories();
  assert.deepEqual(dirs.map(([, g]) => g), ['/', '/t']);
  const root = dirs[0][0];
  const f = await root.openAt({}, 'a.txt', {}, { read: true });
  assert.equal(new TextDecoder().decode(concat(await collect(f.readViaStream(0n)[0]))), 'from tree');
  // The same tree through the 0.2 names (a Rust std program imports both).
  const [dir2] = imports['wasi:filesystem/preopens@0.2.6'].getDirectories()[0];
  dir2.openAt({}, 'new.txt', { create: true }, { write: true }).write(new TextEncoder().encode('p2'), 0n);
  assert.equal(new TextDecoder().decode(fs.readFile('new.txt')), 'p2');
  assert.deepEqual((await root.statAt({}, 'new.txt')).size, 2n);
  // Without `fs` or `preopens`, an empty tree is `/`.
  assert.deepEqual(wasiImports()['wasi:filesystem/preopens@0.3.0'].getDirectories().map(([, g]) => g), ['/']);
  // Links are unsupported in memory.
  await assert.rejects(root.symlinkAt('a.txt', 'l'), (e) => e.payload.tag === 'unsupported');
  await assert.rejects(root.readlinkAt('a.txt'), (e) => e.payload.tag === 'invalid');
});
