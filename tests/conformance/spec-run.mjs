// The directives of one spec `.wast` file (as `wasm-tools json-from-wast` writes them),
// run against weft's output and judged: one module for node (spec.mjs, which transpiles
// with the CLI) and for the browser (web-tests/suites/spec.js, whose files the runner
// transpiled beforehand), so that both judge alike.
//
//   const run = new SpecRun(host);  host: { transpile(file), instantiate(def) }
//   await run.step(command)          → { kind, line, pass, message } for a directive,
//                                      null for a command that only sets up
//
// `transpile(file)` resolves to what `instantiate` takes, or throws an error whose
// `transpile` is true when weft refused the component.
import { camel, mismatch, toJs } from './wast-values.mjs';

/** Spec trap texts (wasmtime's wording) → what weft's message must match. */
export const TRAP_CAUSES = [
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
  [/cannot block a synchronous task before returning/, /cannot block a synchronous task before returning/],
  [/cannot resume thread which is not suspended/, /cannot resume thread which is not suspended/],
];

/** The directive kinds reported, and `other` for the rest. */
export const KINDS = ['assert_return', 'assert_trap', 'assert_invalid', 'assert_malformed', 'assert_unlinkable', 'assert_uninstantiable', 'other'];

/** Whether command `c` is judged (reported), not only set-up (an `action` is reported only when it fails). */
export const isDirective = (c) => c.type.startsWith('assert_');

/** The instance names a file's actions name (`invoke $i "f"`): the ones worth keeping. */
export function namedInActions(commands) {
  return new Set(commands.map((c) => c.action?.module).filter((m) => m !== undefined));
}

export class SpecRun {
  /**
   * @param {{ transpile(file: string): Promise<unknown>, instantiate(def: unknown): Promise<any> }} host
   * @param {Set<string> | null} [kept] the instance names to keep (`namedInActions`): a
   *   named instance no action names is let go once the next one is made (a page running
   *   a file that names dozens of instances would otherwise hold every memory of each,
   *   and an engine reserves gigabytes of address space per memory); null: keep all
   */
  constructor(host, kept = null) {
    this.host = host;
    this.kept = kept;
    this.defs = new Map();
    this.instances = new Map();
    this.current = null;
  }

  /** Keeps `inst` under `name` where an action names it. */
  name(name, inst) {
    if (this.kept === null || this.kept.has(name)) this.instances.set(name, inst);
  }

  /** Lets go of every instance and definition (a file's run is over). */
  release() {
    this.defs.clear();
    this.instances.clear();
    this.current = null;
  }

  target(action) {
    const inst = action.module ? this.instances.get(action.module) : this.current;
    if (!inst) throw new Error(`no instance ${action.module ?? '(current)'}`);
    return inst;
  }

  /** Calls an export (awaiting an async one); a top-level result comes back as a tagged value. */
  async invoke(action, expected) {
    const inst = this.target(action);
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

  /** Runs command `c`: its result if it is a directive, else null. */
  async step(c) {
    const result = (kind, pass, message = '') => ({ kind, line: c.line, pass, message: String(message) });
    const { host } = this;
    try {
      switch (c.type) {
        case 'module': {
          const def = await host.transpile(c.filename);
          if (c.name) this.defs.set(c.name, def);
          this.current = await host.instantiate(def);
          if (c.name) this.name(c.name, this.current);
          return null;
        }
        case 'module_definition':
          this.defs.set(c.name, await host.transpile(c.filename));
          return null;
        case 'module_instance':
          this.current = await host.instantiate(this.defs.get(c.module));
          this.name(c.instance, this.current);
          return null;
        case 'action':
          // Judged only when it fails.
          await this.invoke(c.action);
          return null;
        case 'assert_return': {
          const actual = await this.invoke(c.action, c.expected);
          let why = null;
          if (c.expected.length === 0) why = actual === undefined ? null : `expected no result, got ${String(actual)}`;
          else why = mismatch(actual, c.expected[0]);
          return result('assert_return', why === null, why ?? '');
        }
        case 'assert_trap':
          try {
            if (c.action) await this.invoke(c.action);
            else this.current = await host.instantiate(await host.transpile(c.filename));
            return result('assert_trap', false, `expected a trap (${c.text}), got none`);
          } catch (e) {
            // A trap the Canonical ABI defines must be weft's Trap with the same cause;
            // a trap of core wasm code (no known cause) may be any RuntimeError.
            const isTrap = e instanceof WebAssembly.RuntimeError;
            const cause = TRAP_CAUSES.find(([spec]) => spec.test(c.text));
            const ok = isTrap && (!cause || (e.name === 'Trap' && cause[1].test(e.message)));
            return result('assert_trap', ok, ok ? '' : `expected trap "${c.text}", got ${e?.name}: ${e?.message}`);
          }
        case 'assert_invalid':
        case 'assert_malformed':
          try {
            await host.transpile(c.filename);
            return result(c.type, false, `weft accepted an ${c.type === 'assert_invalid' ? 'invalid' : 'malformed'} component (${c.text})`);
          } catch (e) {
            return result(c.type, e.transpile === true, e.message);
          }
        case 'assert_unlinkable':
        case 'assert_uninstantiable':
          try {
            await host.instantiate(await host.transpile(c.filename));
            return result(c.type, false, `expected instantiation to fail (${c.text})`);
          } catch (e) {
            return result(c.type, true, e.message);
          }
        default:
          return result(c.type, false, `unsupported directive ${c.type}`);
      }
    } catch (e) {
      return result(c.type, false, this.host.stack ? String(e?.stack) : `${e?.name}: ${e?.message}`);
    }
  }
}
