// The node side of `weft run`, of both CLIs: instantiates a transpiled `wasi:cli/run`
// component with the WASI shims (args, the environment and preopens weft passes in
// WEFT_RUN_CONFIG, the real terminal) and exits with its exit code.
//
//   WEFT_RUN_CONFIG='{"p3":bool,"network":bool,"record":path|null,"preopens":{guest:host},"env":[[k,v]],"shims":{…}}' node run.mjs <dir> <name> [args...]
//
// `record`: the component was transpiled with `--record`; its trace goes to that file,
// line by line as the program runs (so a crash keeps what came before it).
// `<dir>` holds the transpiled `component.js` (`--instantiation`) and its core wasm.
// `shims` says where the @weft/wasi modules are, as URLs: `p2` (`@weft/wasi/p2/node`)
// and `p3` (`@weft/wasi/p3/node`); `npx weft run` (npm/transpiler/bin/weft.js) passes
// those the installed @weft/wasi resolves to. Without it they are the copies next to
// this file (`./wasi/`), where the native `weft run` (crates/cli/src/run.rs, which
// embeds this file) writes them.
import { openSync, readFileSync, writeSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, name, ...args] = process.argv.slice(2);
// V8's code cache of the modules imported below (the shims, the component's JS), kept
// next to the transpiled component, so a run after the first compiles no JS
// (node >= 22.1; node 20 has no `enableCompileCache` and compiles as before).
nodeModule.enableCompileCache?.(join(dir, '.node-compile-cache'));
const config = JSON.parse(process.env.WEFT_RUN_CONFIG ?? '{"preopens":{},"env":[]}');
const shims = { p2: './wasi/p2/node.js', p3: './wasi/p3-node.js', ...config.shims };
// A WASI 0.3 command gets the 0.3 shims (which also answer its 0.2 imports).
const { wasiImports, WasiExit } = await import(new URL(config.p3 ? shims.p3 : shims.p2, import.meta.url).href);
if (config.record) {
  const fd = openSync(config.record, 'w');
  globalThis[Symbol.for('weft.trace.sink')] = (line) => writeSync(fd, `${line}\n`);
}
const { instantiate } = await import(pathToFileURL(join(dir, 'component.js')).href);
const imports = wasiImports({
  args: [name, ...args],
  env: Object.fromEntries(config.env),
  cwd: Object.keys(config.preopens).includes('.') ? '.' : null,
  preopens: config.preopens,
  network: config.network === true,
});
let code = 0;
// The program ended for good (it trapped, or called exit): nothing of it can run any
// more, so node must not wait for what it left open (sockets, timers).
let ended = false;
try {
  const inst = await instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), imports);
  const key = Object.keys(inst).find((k) => /^wasi:cli\/run@0\.[23]\./.test(k));
  if (key === undefined) {
    // weft checks this before starting node; 65 is its code for a component that is
    // not what the subcommand runs.
    console.error('error: the component exports no `wasi:cli/run` interface, so it is not a command');
    code = 65;
  } else {
    await inst[key].run();
  }
} catch (e) {
  if (e instanceof WasiExit) {
    code = e.code;
    ended = true;
  } else if (e?.name === 'ComponentError') code = 1;
  else {
    console.error(e);
    code = 1;
    ended = true;
  }
}
imports.flush?.();
process.exitCode = code;
// Exit once what was written to stdout and stderr is out (an exit at once may cut
// output to a pipe short).
if (ended) process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
