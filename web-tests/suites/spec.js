// Spec suite files in the page: the runner converted each (`wasm-tools json-from-wast`)
// and transpiled its components into /out/spec/ (web-tests/suites.mjs, `specSuite`);
// here the commands run in order with the directive runner node uses
// (tests/conformance/spec-run.mjs), one test per directive, named by file and line.
import { assert } from '../lib/assert.js';
import { params, test } from '../lib/test.js';
import { SpecRun, isDirective, namedInActions } from '../../tests/conformance/spec-run.mjs';

const { files } = await (await fetch(params.get('manifest'))).json();

// A trap after every call into its component settled (a thread the suite left ready that
// runs into `unreachable` later) is the embedder's to report (weft's runtime calls
// `reportError`); as in node's run, it is logged, not a failure of the page.
globalThis.reportError = (e) => console.log(`a component trapped after its calls settled: ${e?.message ?? e}`);

// Without JSPI, the async/ files whose stacks must block (tests/conformance/
// spec-needs-jspi.txt: they fail on node 20 with a trap naming JSPI, as
// docs/conformance.md lists, and async/during-sync-scheduling-candidates.wast never
// returns, so its page would never yield again) are skipped, a test per file; the other
// async/ files run, as on node 20.
const jspi = typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function';
const needsJspi = new Set(
  (await (await fetch('/tests/conformance/spec-needs-jspi.txt')).text()).split('\n').filter((l) => l && !l.startsWith('#')),
);

for (const { file, commands, components } of files) {
  if (!jspi && needsJspi.has(file)) {
    const n = commands.filter(isDirective).length;
    test(`${file} (its ${n} directives)`, () => {}, { skip: 'its stacks must block, which needs JSPI (WebAssembly.Suspending and .promising), and this page has none' });
    continue;
  }
  const run = new SpecRun({
    async transpile(filename) {
      const c = components[filename];
      if (c === undefined) throw new Error(`${filename} was not transpiled`);
      if (c.error !== undefined) throw Object.assign(new Error(c.error), { transpile: true });
      return { out: c.out, mod: await import(new URL('c.js', new URL(c.out, location.href)).href) };
    },
    instantiate(def) {
      const base = new URL(def.out, location.href);
      return def.mod.instantiate((p) => WebAssembly.compileStreaming(fetch(new URL(p, base))), {});
    },
  }, namedInActions(commands));
  // The commands before each directive (instantiations) run as part of its test. After
  // a file's last directive its instances are let go: a page running the whole suite
  // would otherwise keep every memory of every file (and run out of address space).
  const last = commands.findLastIndex(isDirective);
  let setup = [];
  for (const [i, c] of commands.entries()) {
    if (!isDirective(c)) {
      setup.push(c);
      continue;
    }
    const before = setup;
    setup = [];
    test(`${file}:${c.line} ${c.type}`, async () => {
      try {
        for (const s of before) {
          const r = await run.step(s);
          if (r !== null) assert.ok(r.pass, `line ${s.line} (${s.type}): ${r.message}`);
        }
        const r = await run.step(c);
        assert.ok(r.pass, r.message);
      } finally {
        if (i === last) run.release();
      }
    });
  }
}
