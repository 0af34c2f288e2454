// One bad call never breaks the next (src/index.js): an error the transpiler returns
// keeps the instance; after a call that traps, the next call gets a fresh instance. In
// a file of its own, so that its scribbling on the instance's memory stays in this
// process. Needs weft-devtools (scripts/setup) for the binary of examples/hello.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { transpile, wit } from '../src/index.js';
import { root } from './common.js';

// The module src/load-node.js imports, so this process's one copy of the glue: its
// `default()` returns the exports of the current instance once there is one.
const glue = await import('../wasm/weft.js');

const wasmTools = join(process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft'), 'tools/bin/weft-devtools');
const tmp = mkdtempSync(join(tmpdir(), 'weft-npm-recovery-'));
const parsed = spawnSync(wasmTools, ['parse', `${root}examples/hello/hello.wat`, '-o', join(tmp, 'hello.wasm')], { encoding: 'utf8' });
assert.equal(parsed.status, 0, parsed.stderr);
const hello = new Uint8Array(readFileSync(join(tmp, 'hello.wasm')));
rmSync(tmp, { recursive: true });

/** What `transpile(hello)` gives: the file names and the JS. */
async function helloOutput() {
  const { files } = await transpile(hello, { name: 'hello' });
  return { names: Object.keys(files), js: new TextDecoder().decode(files['hello.js']) };
}

const expected = await helloOutput();

test('a truncated component is an error, and the next call works on the same instance', async () => {
  const instance = await glue.default();
  for (const cut of [0, 7, 100, hello.length - 1]) {
    await assert.rejects(transpile(hello.subarray(0, cut), { inputName: 'half.wasm' }), (e) => {
      assert.equal(Object.getPrototypeOf(e), Error.prototype, `${e?.constructor?.name}: ${e?.message}`);
      assert.match(e.message, /^failed to transpile `half\.wasm`/);
      return true;
    });
    assert.deepEqual(await helloOutput(), expected);
  }
  assert.equal(await glue.default(), instance, 'the instance was replaced');
});

test('after a trap, the next call runs on a fresh instance', async () => {
  const instance = await glue.default();
  // What a trap can leave behind, at worst: memory in any state. A trap's own damage
  // (a panic under `panic = "abort"`, issue 15) no input is known to cause any more.
  new Uint8Array(instance.memory.buffer).fill(0xa5);
  // An input of 2 GiB: more than wasm32's allocator can ever give (`Layout` refuses sizes
  // above `isize::MAX`), so the wasm traps (`unreachable`) before reading any of it.
  await assert.rejects(transpile(new Uint8Array(2 ** 31)), WebAssembly.RuntimeError);
  assert.deepEqual(await helloOutput(), expected);
  assert.notEqual(await glue.default(), instance, 'a new instance');
  assert.equal(await wit(hello), await wit(hello));
});

test('after a trap in wit(), transpile() works', async () => {
  const instance = await glue.default();
  await assert.rejects(wit(new Uint8Array(2 ** 31)), WebAssembly.RuntimeError);
  assert.deepEqual(await helloOutput(), expected);
  assert.notEqual(await glue.default(), instance, 'a new instance');
});
