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

/** The JS name weft gives an export. */
function camel(name) {
  return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function f32FromBits(bits) {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, Number(bits));
  return dv.getFloat32(0);
}
function f64FromBits(bits) {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, BigInt(bits));
  return dv.getFloat64(0);
}

/** A wast typed value → the JS value weft accepts. */
function toJs(v) {
  switch (v.type) {
    case 'bool': return v.value;
    case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32': return Number(v.value);
    case 'u64': case 's64': return BigInt(v.value);
    case 'f32': return f32FromBits(v.value);
    case 'f64': return f64FromBits(v.value);
    case 'char': case 'string': return v.value;
    case 'list': case 'tuple': return v.value.map(toJs);
    case 'record': return Object.fromEntries(v.value.map(([k, x]) => [camel(k), toJs(x)]));
    case 'variant':
      return v.value.payload === undefined || v.value.payload === null
        ? { tag: v.value.case }
        : { tag: v.value.case, value: toJs(v.value.payload) };
    case 'enum': return v.value;
    case 'flags': return Object.fromEntries(v.value.map((f) => [camel(f), true]));
    case 'option':
      if (v.value === null) return null;
      if (v.value.type === 'option') return { tag: 'some', value: toJs(v.value) };
      return toJs(v.value);
    case 'result': {
      const [[tag, payload]] = Object.entries(v.value);
      const t = tag.toLowerCase();
      return payload === null || payload === undefined ? { tag: t } : { tag: t, value: toJs(payload) };
    }
    default: throw new Error(`unsupported wast value type ${v.type}`);
  }
}

function sameFloat(a, b) {
  return (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);
}

/** Compares an actual JS value with an expected wast value; returns a reason or null. */
function mismatch(actual, exp, path = 'result') {
  const bad = (why) => `${path}: ${why}`;
  switch (exp.type) {
    case 'f32': return sameFloat(actual, f32FromBits(exp.value)) ? null : bad(`expected ${f32FromBits(exp.value)}, got ${actual}`);
    case 'f64': return sameFloat(actual, f64FromBits(exp.value)) ? null : bad(`expected ${f64FromBits(exp.value)}, got ${actual}`);
    case 'list': case 'tuple': {
      const arr = actual instanceof Map ? [...actual] : actual;
      if (!arr || typeof arr.length !== 'number') return bad(`expected a ${exp.type}, got ${String(actual)}`);
      if (arr.length !== exp.value.length) return bad(`expected length ${exp.value.length}, got ${arr.length}`);
      for (let i = 0; i < arr.length; i++) {
        const m = mismatch(arr[i], exp.value[i], `${path}[${i}]`);
        if (m) return m;
      }
      return null;
    }
    case 'record': {
      for (const [k, x] of exp.value) {
        const m = mismatch(actual?.[camel(k)], x, `${path}.${k}`);
        if (m) return m;
      }
      return null;
    }
    case 'variant': {
      if (actual?.tag !== exp.value.case) return bad(`expected case ${exp.value.case}, got ${actual?.tag}`);
      if (exp.value.payload == null) return null;
      return mismatch(actual.value, exp.value.payload, `${path}.${exp.value.case}`);
    }
    case 'option': {
      if (exp.value === null) {
        return actual === null || actual?.tag === 'none' ? null : bad(`expected none, got ${String(actual)}`);
      }
      if (exp.value.type === 'option') {
        if (actual?.tag !== 'some') return bad('expected some');
        return mismatch(actual.value, exp.value, path);
      }
      return mismatch(actual, exp.value, path);
    }
    case 'result': {
      const [[tag, payload]] = Object.entries(exp.value);
      const t = tag.toLowerCase();
      if (actual?.tag !== t) return bad(`expected ${t}, got ${actual?.tag}`);
      return payload == null ? null : mismatch(actual.value, payload, `${path}.${t}`);
    }
    case 'flags': {
      const want = new Set(exp.value.map(camel));
      for (const [k, b] of Object.entries(actual ?? {})) {
        if (b !== want.has(k)) return bad(`flag ${k} is ${b}`);
      }
      return null;
    }
    default: {
      const want = toJs(exp);
      return actual === want ? null : bad(`expected ${String(want)}, got ${String(actual)}`);
    }
  }
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
