import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wasiImports, WasiExit } from '../src/p2/node.js';
import { sharedTests } from './shared.js';

const temps = [];
process.on('exit', () => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

sharedTests('node', wasiImports, WasiExit, () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-wasi-test-'));
  temps.push(dir);
  return { preopens: dir, readFile: (p) => (existsSync(join(dir, p)) ? readFileSync(join(dir, p), 'utf8') : null) };
});

test('node: default stdout writes to fd 1 (through a child process)', async () => {
  const { execFileSync } = await import('node:child_process');
  const url = new URL('../src/p2/node.js', import.meta.url).href;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e',
    `const { wasiImports } = await import(${JSON.stringify(url)});
     wasiImports()['wasi:cli/stdout@0.2.0'].getStdout().blockingWriteAndFlush(new TextEncoder().encode('to fd 1\\n'));`]);
  assert.equal(out.toString(), 'to fd 1\n');
});
