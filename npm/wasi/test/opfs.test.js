// The OPFS backends in node, where there is no OPFS: how the browser shims take them as
// preopens, the DOMException mapping, and the failure when OPFS is missing. Their
// behaviour on a real OPFS is tested in Chromium: web-tests/suites/opfs.js and
// opfs-program.js (`node web-tests/run.mjs opfs`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wasiImports, MemFs, OpfsFs, OpfsMirror } from '../src/p3-browser.js';
import { OpfsMirror as OpfsMirror2, MemFs as MemFs2 } from '../src/p2/browser.js';
import { DOM_ERROR_CODES, domErrorCode } from '../src/shared/opfs.js';

test('opfs: the browser shims export OpfsFs (0.3) and OpfsMirror (0.2, a MemFs)', () => {
  assert.equal(typeof OpfsFs.open, 'function');
  assert.equal(OpfsMirror, OpfsMirror2);
  assert.ok(OpfsMirror.prototype instanceof MemFs2);
  assert.equal(MemFs, MemFs2);
});

test('opfs: OpfsFs preopens sit next to MemFs ones for 0.3 names, in order; 0.2 names get only the MemFs ones', async () => {
  const fs = new OpfsFs(Promise.resolve(/** @type {any} */ ({ kind: 'directory' })));
  const imports = wasiImports({ preopens: { '/a': { 'x.txt': 'x' }, '/o': fs, '/b': new MemFs() } });
  const dirs = imports['wasi:filesystem/preopens@0.3.0'].getDirectories();
  assert.deepEqual(dirs.map(([, g]) => g), ['/a', '/o', '/b']);
  assert.equal(dirs[1][0].fs, fs);
  assert.deepEqual(await dirs[1][0].getType(), { tag: 'directory' });
  const dirs2 = imports['wasi:filesystem/preopens@0.2.6'].getDirectories();
  assert.deepEqual(dirs2.map(([, g]) => g), ['/a', '/b']);
  // Only OpfsFs preopens: no `/` default tree for either.
  const only = wasiImports({ preopens: { '/o': fs } });
  assert.deepEqual(only['wasi:filesystem/preopens@0.3.0'].getDirectories().map(([, g]) => g), ['/o']);
  assert.deepEqual(only['wasi:filesystem/preopens@0.2.6'].getDirectories(), []);
  // As `fs`, an OpfsFs is `/`.
  const root = wasiImports({ fs });
  assert.deepEqual(root['wasi:filesystem/preopens@0.3.0'].getDirectories().map(([, g]) => g), ['/']);
});

test('opfs: DOMException names map to error codes; TypeErrors (refused names) are `invalid`', () => {
  assert.equal(DOM_ERROR_CODES.NotFoundError, 'no-entry');
  for (const [name, code] of Object.entries({
    NotFoundError: 'no-entry',
    TypeMismatchError: 'not-directory',
    InvalidModificationError: 'not-empty',
    NoModificationAllowedError: 'busy',
    QuotaExceededError: 'quota',
    NotAllowedError: 'access',
    SecurityError: 'access',
    AbortError: 'interrupted',
    InvalidStateError: 'io',
    NotReadableError: 'io',
    NewError: 'io',
  })) {
    assert.equal(domErrorCode(new DOMException('m', name)), code, name);
  }
  assert.equal(domErrorCode(new TypeError('Name is not allowed.')), 'invalid');
  assert.equal(domErrorCode(new RangeError('x')), null);
});

test('opfs: without OPFS, the first filesystem call rejects with an error naming it (a trap, not an error-code)', async () => {
  const fs = new OpfsFs('x');
  const [[dir]] = wasiImports({ preopens: { '/o': fs } })['wasi:filesystem/preopens@0.3.0'].getDirectories();
  await assert.rejects(dir.openAt({ symlinkFollow: true }, 'a', { create: true }, { read: true }), /Origin Private File System is not available/);
  await assert.rejects(OpfsFs.open('x'), /Origin Private File System is not available/);
  await assert.rejects(OpfsMirror.load('x'), /Origin Private File System is not available/);
});
