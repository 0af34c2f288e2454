// Runs one Component Model spec `.wast` file (already converted by
// `wasm-tools json-from-wast`) against weft.
//
//   node tests/conformance/spec.mjs <commands.json> <weft binary>
//
// Every component is transpiled in instantiation mode and instantiated fresh per
// `module`/`module_instance` command. Prints one JSON line per directive:
// { kind, line, pass, message }.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { camel, mismatch, toJs } from './wast-values.mjs';

const [jsonPath, weft] = process.argv.slice(2);
const dir = dirname(jsonPath);
const { commands } = JSON.parse(readFileSync(jsonPath, 'utf8'));

/** Spec trap texts (wasmtime's wording) → what weft's message must match. */
const TRAP_CAUSES = [
  [/unaligned pointer|result not aligned/, /not aligned/],
  [/invalid variant discriminant/, /invalid (variant )?discriminant/],
  [/unknown handle index/, /unknown handle index/],
  [/invalid `char` bit pattern/, /invalid char/],
  [/out-of-bounds|out of bounds|beyond end of memory/, /out of bounds/],
  [/wrong type/, /handle is not a|does not refer to a resource|is not an? (stream|future|waitable|subtask|error context)|has another element type/],
  [/cannot remove owned resource while borrowed/, /lent out/],
  [/utf-8/, /invalid UTF-8/],
  [/cannot leave component instance/, /cannot leave component instance/],
  [/cannot enter component instance/, /cannot enter component instance/],
  [/deadlock detected/, /deadlock detected/],
];

let counter = 0;
/** Transpiles a component file; returns its module namespace, or throws weft's error. */
async function transpile(file) {
  const out = join(dir, `out${counter++}`);
  mkdirSync(out, { recursive: true });
  try {
    execFileSync(weft, ['transpile', join(dir, file), '-o', out, '--instantiation', '--name', 'c', '-q', '--no-typescript'], {
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

const defs = new Map();
const instances = new Map();
let current = null;

function target(action) {
  const inst = action.module ? instances.get(action.module) : current;
  if (!inst) throw new Error(`no instance ${action.module ?? '(current)'}`);
  return inst;
}

/** Calls an export (awaiting an async one); a top-level result comes back as a tagged value. */
async function invoke(action, expected) {
  const inst = target(action);
  const fn = inst[camel(action.field)] ?? inst[action.field];
  if (typeof fn !== 'function') throw new Error(`no export ${action.field}`);
  const args = action.args.map(toJs);
  const topResult = expected && expected.length === 1 && expected[0].type === 'result';
  if (!topResult) return await fn(...args);
  try {
    const v = await fn(...args);
    return v === undefined ? { tag: 'ok' } : { tag: 'ok', value: v };
  } catch (e) {
    if (e?.name === 'ComponentError') return e.payload === undefined ? { tag: 'err' } : { tag: 'err', value: e.payload };
    throw e;
  }
}

function report(kind, c, pass, message = '') {
  process.stdout.write(`${JSON.stringify({ kind, line: c.line, pass, message: String(message).slice(0, process.env.WEFT_SPEC_STACK ? 3000 : 300) })}\n`);
}

for (const c of commands) {
  try {
    switch (c.type) {
      case 'module': {
        const def = await transpile(c.filename);
        if (c.name) defs.set(c.name, def);
        current = await instantiate(def);
        if (c.name) instances.set(c.name, current);
        break;
      }
      case 'module_definition': {
        defs.set(c.name, await transpile(c.filename));
        break;
      }
      case 'module_instance': {
        current = await instantiate(defs.get(c.module));
        instances.set(c.instance, current);
        break;
      }
      case 'action':
        await invoke(c.action);
        break;
      case 'assert_return': {
        const actual = await invoke(c.action, c.expected);
        let why = null;
        if (c.expected.length === 0) why = actual === undefined ? null : `expected no result, got ${String(actual)}`;
        else why = mismatch(actual, c.expected[0]);
        report('assert_return', c, why === null, why ?? '');
        break;
      }
      case 'assert_trap': {
        try {
          if (c.action) await invoke(c.action);
          else current = await instantiate(await transpile(c.filename));
          report('assert_trap', c, false, `expected a trap (${c.text}), got none`);
        } catch (e) {
          // A trap the Canonical ABI defines must be weft's Trap with the same cause;
          // a trap of core wasm code (no known cause) may be any RuntimeError.
          const isTrap = e instanceof WebAssembly.RuntimeError;
          const cause = TRAP_CAUSES.find(([spec]) => spec.test(c.text));
          const ok = isTrap && (!cause || (e.name === 'Trap' && cause[1].test(e.message)));
          report('assert_trap', c, ok, ok ? '' : `expected trap "${c.text}", got ${e?.name}: ${e?.message}`);
        }
        break;
      }
      case 'assert_invalid':
      case 'assert_malformed': {
        try {
          await transpile(c.filename);
          report(c.type, c, false, `weft accepted an ${c.type === 'assert_invalid' ? 'invalid' : 'malformed'} component (${c.text})`);
        } catch (e) {
          report(c.type, c, e.transpile === true, e.message);
        }
        break;
      }
      case 'assert_unlinkable':
      case 'assert_uninstantiable': {
        try {
          await instantiate(await transpile(c.filename));
          report(c.type, c, false, `expected instantiation to fail (${c.text})`);
        } catch (e) {
          report(c.type, c, true, e.message);
        }
        break;
      }
      default:
        report(c.type, c, false, `unsupported directive ${c.type}`);
    }
  } catch (e) {
    const kind = c.type.startsWith('assert_') || c.type === 'action' ? c.type : `${c.type}`;
    report(kind, c, false, process.env.WEFT_SPEC_STACK ? String(e?.stack) : `${e?.name}: ${e?.message}`);
  }
}
