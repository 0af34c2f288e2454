// The node side of `weft run`: instantiates a transpiled `wasi:cli/run` component with
// the WASI shims (args, env, cwd preopened as `.`, the real terminal) and exits with its
// exit code.
//
//   node run.mjs <transpiled dir> <program name> [args...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasiImports, WasiExit } from './wasi/p2/node.js';

const [dir, name, ...args] = process.argv.slice(2);
const { instantiate } = await import(pathToFileURL(join(dir, 'component.js')).href);
const imports = wasiImports({
  args: [name, ...args],
  env: { ...process.env },
  cwd: process.cwd(),
  preopens: { '.': process.cwd() },
});
let code = 0;
try {
  const inst = await instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), imports);
  const key = Object.keys(inst).find((k) => /^wasi:cli\/run@0\.[23]\./.test(k));
  if (key === undefined) {
    console.error('error: the component exports no `wasi:cli/run` interface, so it is not a command');
    code = 2;
  } else {
    await inst[key].run();
  }
} catch (e) {
  if (e instanceof WasiExit) code = e.code;
  else if (e?.name === 'ComponentError') code = 1;
  else {
    console.error(e);
    code = 1;
  }
}
process.exitCode = code;
