// Runs one composed wit-bindgen runtime test: transpile with weft (WEFT_BIN), then
// call the root `run` export with the node WASI 0.2 shim.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasiImports, WasiExit } from '../../npm/wasi/src/p2/node.js';

const wasm = process.argv.slice(2).findLast((a) => a.endsWith('.wasm'));
const weft = process.env.WEFT_BIN ?? 'weft';
// More `weft transpile` flags (`--lowered` for the lowered-mode run), space-separated.
const flags = (process.env.WEFT_TRANSPILE_FLAGS ?? '').split(' ').filter(Boolean);
const out = mkdtempSync(join(tmpdir(), 'weft-wbg-'));
let code = 0;
try {
  execFileSync(weft, ['transpile', wasm, '-o', out, '--instantiation', '--name', 'test', '-q', '--no-typescript', ...flags], {
    stdio: 'inherit',
  });
  const { instantiate } = await import(pathToFileURL(join(out, 'test.js')).href);
  const inst = await instantiate((p) => WebAssembly.compile(readFileSync(join(out, p))), wasiImports());
  const run = inst.run;
  if (typeof run !== 'function') throw new Error('the component has no `run` export');
  await run();
} catch (e) {
  if (e instanceof WasiExit) {
    code = e.code;
  } else {
    console.error(e);
    code = 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(code);
