// Runs one Component Model spec `.wast` file (already converted by
// `wasm-tools json-from-wast`) against weft, in node.
//
//   node tests/conformance/spec.mjs <commands.json> <weft binary>
//
// Every component is transpiled in instantiation mode and instantiated fresh per
// `module`/`module_instance` command. Prints one JSON line per directive:
// { kind, line, pass, message }. The directives are run and judged by spec-run.mjs,
// which the browser's run of the suite (web-tests/suites/spec.js) shares.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SpecRun } from './spec-run.mjs';

const [jsonPath, weft] = process.argv.slice(2);
const dir = dirname(jsonPath);
const { commands } = JSON.parse(readFileSync(jsonPath, 'utf8'));

// More `weft transpile` flags (`--lowered` for the lowered-mode run), space-separated.
const flags = (process.env.WEFT_TRANSPILE_FLAGS ?? '').split(' ').filter(Boolean);

let counter = 0;
/** Transpiles a component file; returns its module namespace, or throws weft's error. */
async function transpile(file) {
  const out = join(dir, `out${counter++}`);
  mkdirSync(out, { recursive: true });
  try {
    execFileSync(weft, ['transpile', join(dir, file), '-o', out, '--instantiation', '--name', 'c', '-q', '--no-typescript', ...flags], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (e) {
    const err = new Error(String(e.stderr || e.message).trim());
    err.transpile = true;
    throw err;
  }
  const mod = await import(pathToFileURL(join(out, 'c.js')).href);
  return { mod, out };
}

async function instantiate(def) {
  const getCoreModule = (p) => WebAssembly.compile(readFileSync(join(def.out, p)));
  return def.mod.instantiate(getCoreModule, {});
}

const stack = Boolean(process.env.WEFT_SPEC_STACK);
const run = new SpecRun({ transpile, instantiate, stack });
for (const c of commands) {
  const r = await run.step(c);
  if (r !== null) process.stdout.write(`${JSON.stringify({ ...r, message: r.message.slice(0, stack ? 3000 : 300) })}\n`);
}

// Every directive ran. A component may keep threads running after its calls settled
// (a callback task that yields forever is busy, as the spec allows): that work is not
// the suite's to wait for, so the runner ends here. (Pipes are written synchronously.)
process.exit(0);
