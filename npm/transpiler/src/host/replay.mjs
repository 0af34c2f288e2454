// The node side of `weft replay`: runs a component transpiled with `--record` against a
// trace (docs/record-replay.md). The trace answers every host call (the host is not
// there: the imports are stand-ins that refuse to be called), its export calls are made
// in order, and each line the run writes is compared with the trace's. Prints the
// report; exits 0 when the run is the trace, 1 where it first differs.
//
//   WEFT_RUN_CONFIG='{"p3":bool,"only":[…],"host":[…],"preopens":{…},"env":[…],"shims":{…}}' node replay.mjs <dir> <trace file>
//
// `<dir>` holds the transpiled `component.js` (`--instantiation --record`) and its core
// wasm (crates/cli/src/run.rs writes it, and this file next to it). `only` and `host`
// are `weft replay --only` / `--host`: with `host`, the imports are the WASI shims
// (`shims` as for run.mjs), which answer the functions `host` names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, tracePath] = process.argv.slice(2);
const config = JSON.parse(process.env.WEFT_RUN_CONFIG ?? '{}');
const host = config.host ?? [];
globalThis[Symbol.for('weft.trace.replay')] = { trace: readFileSync(tracePath, 'utf8'), only: config.only ?? [], host };

/** An import the trace stands in for: any member is one too; a call is refused. */
const refuse = () => {
  throw new Error('replay: a host function was called that the trace does not answer');
};
const standIn = new Proxy(function standIn() {}, {
  get: (_t, key) => (key === 'then' || typeof key === 'symbol' ? undefined : standIn),
  apply: refuse,
  construct: refuse,
});
let real = {};
if (host.length > 0) {
  const shims = { p2: './wasi/p2/node.js', p3: './wasi/p3-node.js', ...config.shims };
  const { wasiImports } = await import(new URL(config.p3 ? shims.p3 : shims.p2, import.meta.url).href);
  real = wasiImports({ args: ['component'], env: Object.fromEntries(config.env ?? []), cwd: '.', preopens: config.preopens ?? {} });
}
const imports = new Proxy(real, {
  get: (t, key) => (key === 'then' ? undefined : key in t ? t[key] : standIn),
  has: () => true,
});

const { instantiate } = await import(pathToFileURL(join(dir, 'component.js')).href);
let report;
let ok = false;
try {
  const inst = await instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), imports);
  ({ ok, report } = await inst.$trace.replay());
} catch (e) {
  // A difference while the component was instantiated (its start called the host).
  if (e?.name !== 'ReplayMismatch') throw e;
  report = e.message;
}
console.log(report);
process.exitCode = ok ? 0 : 1;
