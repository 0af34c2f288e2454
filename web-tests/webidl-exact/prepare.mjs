// The exactness test of `webidl:` bindings (issue 16), node side: WIT from @webref/idl for
// the specs below (`weft webidl`), a dummy component importing all of it (`wasm-tools
// component embed --dummy` + `component new`), transpiled with `--webidl-missing trap`
// so that what the browser lacks does not stop instantiation, and `idl.json` for the page
// (web-tests/suites/webidl-exact.js): the IDL as webidl2 (@webref/idl's own parser, not
// weft's) reads it, merged (partials, mixins), the WIT functions of the package and what
// `weft webidl` left out, with its warnings.
//
//   node web-tests/webidl-exact/prepare.mjs <out-dir> [weft]   (or from suites.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The specs the test generates WIT for (issue 16: "at least" these). */
export const SPECS = ['dom', 'html', 'cssom', 'uievents', 'url', 'fetch', 'streams', 'console'];

const cache = () => process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
export const webrefDir = () => join(cache(), 'webref/node_modules/@webref/idl');

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${what} failed (${r.error ?? `exit ${r.status}`}): ${cmd} ${args.join(' ')}\n${r.stderr}`);
  return r;
}

/**
 * Makes, in `dir`: `wit/web.wit`, `webidl-exact.wasm` (the dummy component),
 * `out/webidl-exact.js` (+ core modules) and `idl.json`. `weft`: the weft binary.
 */
export function prepare(dir, weft) {
  const webref = webrefDir();
  if (!existsSync(webref)) throw new Error(`no @webref/idl in ${webref} (run scripts/setup)`);
  const wasmTools = join(cache(), 'tools/bin/weft-devtools');
  if (!existsSync(wasmTools)) throw new Error(`no weft-devtools in ${wasmTools} (run scripts/setup)`);
  mkdirSync(join(dir, 'wit'), { recursive: true });

  // 1. The WIT; each warning is something left out.
  const gen = run(weft, ['webidl', ...SPECS, '--webref', webref, '-o', join(dir, 'wit'), '-q'], 'weft webidl');
  const warnings = gen.stderr.split('\n').filter((l) => l.startsWith('warning: ')).map((l) => l.slice('warning: '.length));
  const wit = readFileSync(join(dir, 'wit/web.wit'), 'utf8');

  // 2. A world importing the resources' interface and every namespace's, and a dummy
  //    core module importing each of their functions.
  const ifaces = [...wit.matchAll(/^interface ([\w-]+) \{/gm)].map((m) => m[1]);
  writeFileSync(
    join(dir, 'wit/exact.wit'),
    `package webidl:web;\n\nworld webidl-exact {\n${ifaces.map((i) => `  import ${i};\n`).join('')}}\n`,
  );
  run(wasmTools, ['component', 'embed', join(dir, 'wit'), '--world', 'webidl-exact', '--dummy', '-o', join(dir, 'core.wasm')], 'wasm-tools component embed');
  run(wasmTools, ['component', 'new', join(dir, 'core.wasm'), '-o', join(dir, 'webidl-exact.wasm')], 'wasm-tools component new');

  // 3. Transpiled, bound against the same IDL; what the browser lacks traps at a call.
  run(weft, ['transpile', join(dir, 'webidl-exact.wasm'), '--instantiation', '--webidl', webref, '--webidl-missing', 'trap', '--no-typescript', '-o', join(dir, 'out'), '-q'], 'weft transpile');

  // 4. What the page checks the bindings against.
  writeFileSync(join(dir, 'idl.json'), JSON.stringify({ specs: SPECS, functions: witFunctions(wit, ifaces), warnings, idl: mergedIdl(webref) }));
}

/** Every function of the WIT package: `{ iface, name }`, `name` as the Component Model spells it. */
function witFunctions(wit, ifaces) {
  const out = [];
  for (const iface of ifaces) {
    const body = wit.slice(wit.indexOf(`interface ${iface} {`));
    const end = body.search(/^\}/m);
    let resource = null;
    for (const line of body.slice(0, end).split('\n').slice(1)) {
      const t = line.trim();
      let m;
      if ((m = /^resource ([\w-]+) \{/.exec(t))) resource = m[1];
      else if (t === '}') resource = null;
      else if (/^constructor\(/.test(t)) out.push({ iface, name: `[constructor]${resource}` });
      else if ((m = /^([%\w-]+): (static )?(async )?func\(/.exec(t))) {
        const f = m[1].replace(/^%/, '');
        const name = resource ? `${m[2] ? '[static]' : '[method]'}${resource}.${f}` : f;
        out.push({ iface, name });
      }
    }
  }
  return out;
}

/**
 * Every interface, callback interface and namespace of @webref/idl, with partials and
 * mixins merged: `{ name: { kind, inherits, global, ctor, members: [{ name, type, static,
 * readonly, unforgeable, handler }] } }`.
 */
function mergedIdl(webref) {
  const require = createRequire(join(webref, 'package.json'));
  const WebIDL2 = require('webidl2');
  const defs = readdirSync(webref).filter((f) => f.endsWith('.idl')).sort()
    .flatMap((f) => WebIDL2.parse(readFileSync(join(webref, f), 'utf8')));
  const ifaces = {};
  const mixins = {};
  const includes = [];
  const hasAttr = (n, a) => (n.extAttrs ?? []).some((x) => x.name === a);
  const members = (d) => d.members.flatMap((m) => {
    const unforgeable = hasAttr(m, 'LegacyUnforgeable');
    if (m.type === 'constructor') return [{ type: 'constructor' }];
    if (m.type === 'operation' && m.name) return [{ name: m.name, type: 'operation', static: m.special === 'static', unforgeable }];
    if (m.type === 'attribute') {
      const t = m.idlType?.idlType;
      const handler = typeof t === 'string' && /^(OnError|OnBeforeUnload)?EventHandler$/.test(t);
      return [{ name: m.name, type: 'attribute', static: m.special === 'static', readonly: m.readonly, unforgeable, handler }];
    }
    if (m.type === 'const') return [{ name: m.name, type: 'const', static: true }];
    return [];
  });
  for (const d of defs) {
    if (d.type === 'includes') includes.push(d);
    else if (d.type === 'interface mixin') (mixins[d.name] ??= []).push(...members(d));
    else if (['interface', 'callback interface', 'namespace'].includes(d.type)) {
      const i = (ifaces[d.name] ??= { kind: d.type, inherits: null, global: false, members: [] });
      if (!d.partial) {
        i.kind = d.type;
        i.inherits = d.inheritance ?? null;
        i.global = hasAttr(d, 'Global');
      }
      const unforgeable = hasAttr(d, 'LegacyUnforgeable');
      i.members.push(...members(d).map((m) => (unforgeable && !m.static ? { ...m, unforgeable } : m)));
    }
  }
  for (const inc of includes) ifaces[inc.target]?.members.push(...(mixins[inc.includes] ?? []));
  return ifaces;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, weft = process.env.WEFT_BIN ?? 'target/debug/weft'] = process.argv.slice(2);
  prepare(dir, weft);
}
