// The node side of `weft replay`: runs a component transpiled with `--record` against a
// trace (docs/record-replay.md). The trace answers every host call (the host is not
// there: the imports are stand-ins that refuse to be called), its export calls are made
// in order, and each line the run writes is compared with the trace's. Prints the
// report; exits 0 when the run is the trace, 1 where it first differs.
//
//   node replay.mjs <dir> <trace file>
//
// `<dir>` holds the transpiled `component.js` (`--instantiation --record`) and its core
// wasm (crates/cli/src/run.rs writes it, and this file next to it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, tracePath] = process.argv.slice(2);
globalThis[Symbol.for('weft.trace.replay')] = readFileSync(tracePath, 'utf8');

/** An import the trace stands in for: any member is one too; a call is refused. */
const refuse = () => {
  throw new Error('replay: a host function was called that the trace does not answer');
};
const standIn = new Proxy(function standIn() {}, {
  get: (_t, key) => (key === 'then' || typeof key === 'symbol' ? undefined : standIn),
  apply: refuse,
  construct: refuse,
});
const imports = new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : standIn), has: () => true });

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
