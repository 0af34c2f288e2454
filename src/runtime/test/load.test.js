// Loading core modules: base64 (every decoder path), file: URLs in node, and fetch
// with and without the application/wasm MIME type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileBase64, compileUrl, otherImports, sameNames } from '../load.js';

// (module (func (export "f") (result i32) i32.const 42))
const WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
  0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
]);
const B64 = Buffer.from(WASM).toString('base64');

async function call42(module) {
  assert.ok(module instanceof WebAssembly.Module);
  const { exports } = await WebAssembly.instantiate(module);
  assert.equal(exports.f(), 42);
}

test('compileBase64 with atob', async () => {
  await call42(await compileBase64(B64));
});

test('compileBase64 prefers Uint8Array.fromBase64 when present', async () => {
  const had = Object.getOwnPropertyDescriptor(Uint8Array, 'fromBase64');
  let used = 0;
  Uint8Array.fromBase64 = (s) => {
    used++;
    return new Uint8Array(Buffer.from(s, 'base64'));
  };
  try {
    await call42(await compileBase64(B64));
    assert.equal(used, 1);
  } finally {
    if (had) Object.defineProperty(Uint8Array, 'fromBase64', had);
    else delete Uint8Array.fromBase64;
  }
});

test('compileBase64 falls back to Buffer without atob', async () => {
  const had = Object.getOwnPropertyDescriptor(globalThis, 'atob');
  const hadFrom = Object.getOwnPropertyDescriptor(Uint8Array, 'fromBase64');
  delete globalThis.atob;
  if (hadFrom) delete Uint8Array.fromBase64;
  try {
    await call42(await compileBase64(B64));
  } finally {
    Object.defineProperty(globalThis, 'atob', had);
    if (hadFrom) Object.defineProperty(Uint8Array, 'fromBase64', hadFrom);
  }
});

test('compileBase64 rejects an invalid module', async () => {
  await assert.rejects(compileBase64('AAAA'), WebAssembly.CompileError);
});

test('compileUrl reads file: URLs with node:fs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-load-'));
  try {
    const file = join(dir, 'm.wasm');
    writeFileSync(file, WASM);
    await call42(await compileUrl(pathToFileURL(file)));
    await assert.rejects(compileUrl(pathToFileURL(join(dir, 'missing.wasm'))), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('compileUrl fetches: streaming for application/wasm, bytes otherwise, errors for HTTP failures', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(WASM);
    else if (req.url === '/octets') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(WASM);
    else if (req.url === '/none') res.writeHead(200).end(WASM);
    else res.writeHead(404).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    await call42(await compileUrl(new URL(`${base}/wasm`)));
    await call42(await compileUrl(new URL(`${base}/octets`)));
    await call42(await compileUrl(new URL(`${base}/none`)));
    await assert.rejects(compileUrl(new URL(`${base}/missing`)), /404/);
  } finally {
    server.close();
  }
});

test('compileUrl accepts data: URLs', async () => {
  await call42(await compileUrl(new URL(`data:application/wasm;base64,${B64}`)));
  await call42(await compileUrl(new URL(`data:application/octet-stream;base64,${B64}`)));
});

test('otherImports: the imports of one module a module declares, from exports of the same names', async () => {
  // (module (import "env" "a" (global i32)) (import "env" "toString" (global i32))
  //         (import "env" "b" (global i32)) (import "other" "a" (global i32)))
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x2e, 0x04,
    0x03, 0x65, 0x6e, 0x76, 0x01, 0x61, 0x03, 0x7f, 0x00,
    0x03, 0x65, 0x6e, 0x76, 0x08, 0x74, 0x6f, 0x53, 0x74, 0x72, 0x69, 0x6e, 0x67, 0x03, 0x7f, 0x00,
    0x03, 0x65, 0x6e, 0x76, 0x01, 0x62, 0x03, 0x7f, 0x00,
    0x05, 0x6f, 0x74, 0x68, 0x65, 0x72, 0x01, 0x61, 0x03, 0x7f, 0x00,
  ]);
  const module = await WebAssembly.compile(bytes);
  const from = { a: 1, toString: 2, b: 3, c: 4 };
  // What the imports object holds already stays; `toString`, which every object
  // inherits, is filled in; a name of another module or one not imported is not.
  const into = otherImports(from, module, 'env', { b: 30 });
  assert.deepEqual({ ...into }, { b: 30, a: 1, toString: 2 });
  assert.deepEqual({ ...otherImports(from, module, 'nothing', {}) }, {});
  // With a prefix: each import `x` is the export `prefix + x`.
  const prefixed = { 'p:a': 5, 'p:toString': 6, 'p:b': 7, a: 0 };
  assert.deepEqual({ ...otherImports(prefixed, module, 'env', {}, 'p:') }, { a: 5, toString: 6, b: 7 });
  assert.deepEqual({ ...sameNames(prefixed, ['a', 'b'], {}, 'p:') }, { a: 5, b: 7 });
});
