// Writes the per-interface ES modules of @weft/wasi: `src/iface/p2/<pkg>/<iface>.js` and
// `src/iface/p3/<pkg>/<iface>.js` (what package.json's `./p2/*` and `./p3/*` exports
// name), each re-exporting one WASI interface of the shims' default configuration
// (`#p2-defaults` / `#p3-defaults`: node or browser by package condition), and
// `src/interfaces.txt`, the list weft maps `wasi:*` imports to by default in ESM output.
// Next to each module it writes its TypeScript declarations (`<iface>.d.ts`): every
// member the module exports, typed from `src/iface/p2-wit.d.ts` / `p3-wit.d.ts`, the
// interfaces' WIT in weft's JS value shapes (what a transpiled component calls).
// The shims are the package's `./p2` and `./p3` entries. `--check` fails (exit 1) when a
// file is not what it would write.
//   node npm/wasi/scripts/gen-interfaces.mjs [--check]
//
// `--wit` regenerates `src/iface/p2-wit.d.ts` and `p3-wit.d.ts` first (not part of
// `npm run generate`: it needs tools scripts/setup installs): a component importing
// every interface below is made from the WASI WIT jco ships (`wasm-tools component
// embed --dummy` + `component new`) and transpiled by weft (`--instantiation`), whose
// `.d.ts` declares each imported interface; its `Imports` becomes `Interfaces`, keyed
// by `<package>/<interface>`. Tools: `$WEFT_BIN` (default target/debug/weft),
// `$WEFT_CACHE/tools/bin/weft-devtools`, `$WEFT_CACHE/jco` (WEFT_CACHE: ~/.cache/weft).
//   node npm/wasi/scripts/gen-interfaces.mjs --wit
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, cpSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));

const CANDIDATES = {
  p2: {
    version: '0.2.0',
    // The WIT the declarations are made from (`--wit`): jco's copy of WASI 0.2.12.
    wit: '0.2.12',
    names: [
      'cli/environment', 'cli/exit', 'cli/stdin', 'cli/stdout', 'cli/stderr', 'cli/terminal-input',
      'cli/terminal-output', 'cli/terminal-stdin', 'cli/terminal-stdout', 'cli/terminal-stderr',
      'clocks/monotonic-clock', 'clocks/wall-clock', 'random/random', 'random/insecure',
      'random/insecure-seed', 'io/error', 'io/poll', 'io/streams', 'filesystem/types',
      'filesystem/preopens', 'sockets/network', 'sockets/instance-network', 'sockets/tcp',
      'sockets/tcp-create-socket', 'sockets/udp', 'sockets/udp-create-socket',
      'sockets/ip-name-lookup', 'http/types', 'http/outgoing-handler',
    ],
  },
  p3: {
    version: '0.3.0',
    wit: '0.3.0',
    names: [
      'cli/environment', 'cli/exit', 'cli/stdin', 'cli/stdout', 'cli/stderr', 'cli/terminal-input',
      'cli/terminal-output', 'cli/terminal-stdin', 'cli/terminal-stdout', 'cli/terminal-stderr',
      'clocks/monotonic-clock', 'clocks/system-clock', 'random/random', 'random/insecure',
      'random/insecure-seed', 'filesystem/types', 'filesystem/preopens', 'sockets/types',
      'sockets/ip-name-lookup', 'http/types', 'http/client', 'http/handler',
    ],
  },
};

let stale = 0;
/** @param {string} path @param {string} text */
function emit(path, text) {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (old === text) return;
  if (check) {
    console.error(`stale: ${path}`);
    stale++;
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * `src/iface/<set>-wit.d.ts` from weft's declarations of a component that imports every
 * interface in `names` (see `--wit` above).
 * @param {string} set @param {string} wit @param {string[]} names
 */
function witDeclarations(set, wit, names) {
  const root = join(pkg, '../..');
  const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
  const weft = process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
  const wasmTools = join(cache, 'tools/bin/weft-devtools');
  const builtin = join(cache, 'jco/node_modules/@bytecodealliance/jco/lib/wit/builtin', wit);
  for (const [what, path] of [['weft', weft], ['weft-devtools', wasmTools], ['WASI WIT', builtin]]) {
    if (!existsSync(path)) throw new Error(`--wit: ${what} not found at ${path} (scripts/setup, cargo build -p weft-cli)`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'weft-wit-'));
  try {
    for (const dep of readdirSync(builtin)) cpSync(join(builtin, dep), join(tmp, 'wit/deps', dep), { recursive: true });
    const world = ['package weft:all;', '', 'world all {', ...names.map((n) => `  import wasi:${n}@${wit};`), '}', ''];
    writeFileSync(join(tmp, 'wit/world.wit'), world.join('\n'));
    execFileSync(wasmTools, ['component', 'embed', '--dummy', 'wit', '-w', 'all', '-o', 'core.wasm'], { cwd: tmp });
    execFileSync(wasmTools, ['component', 'new', 'core.wasm', '-o', 'all.wasm'], { cwd: tmp });
    execFileSync(weft, ['transpile', 'all.wasm', '-o', 'out', '--instantiation', '-q'], { cwd: tmp });
    const dts = readFileSync(join(tmp, 'out/all.d.ts'), 'utf8');
    const start = dts.indexOf('declare namespace ');
    const exportsAt = dts.indexOf('export interface Exports {');
    const importsAt = dts.indexOf('export interface Imports {');
    const importsEnd = dts.indexOf('\n}\n', importsAt);
    if (start < 0 || exportsAt < 0 || importsAt < 0 || importsEnd < 0) throw new Error('--wit: unexpected weft declarations');
    const entries = dts
      .slice(importsAt, importsEnd)
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^  "wasi:([a-z0-9-]+\/[a-z0-9-]+)@[^"]+":/, '  "$1":'));
    const version = wit.replace(/\.\d+$/, '.x');
    return [
      `// Generated by scripts/gen-interfaces.mjs --wit; do not edit.`,
      `// The WASI ${version} interfaces @weft/wasi answers, in weft's JS value shapes (docs/js-api.md):`,
      `// weft's declarations of a component importing each of them (WIT: WASI ${wit} as jco ships it).`,
      `// \`Interfaces\` maps \`<package>/<interface>\` to the members the host supplies (\`*Input\``,
      `// types: the shapes a host may return). The entries' \`wasiImports()\` and the`,
      `// per-interface modules (${set}/<package>/<interface>.d.ts) are typed from it.`,
      // The shims' classes have no `[Symbol.dispose]` (a host resource needs none: weft
      // calls it only when present), so it is not declared.
      dts
        .slice(start, exportsAt)
        .trimEnd()
        .replace(/\n {4}\[Symbol\.dispose\]\(\): void;/g, ''),
      '/** Each interface by `<package>/<interface>`: its members as the shims supply them. */',
      'export interface Interfaces {',
      ...entries,
      '}',
      '',
    ].join('\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv.includes('--wit')) {
  for (const [set, { wit, names }] of Object.entries(CANDIDATES)) emit(join(pkg, `src/iface/${set}-wit.d.ts`), witDeclarations(set, wit, names));
}

/** The JS file of an `exports` target: the path, or a `{ types, default }` object's `default`.
 * @param {string | { default: string }} target */
const jsOf = (target) => (typeof target === 'string' ? target : target.default);

/** Whether a member is a class (a resource), by its source text. @param {unknown} v */
const isClass = (v) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));

const list = [];
for (const [set, { version, names }] of Object.entries(CANDIDATES)) {
  const entry = manifest.exports[`./${set}`];
  const shims = [await import(join(pkg, jsOf(entry.node))), await import(join(pkg, jsOf(entry.browser)))];
  const defaults = manifest.imports[`#${set}-defaults`];
  // `./src/iface/p2/*.js` → `src/iface/p2/`
  const dir = jsOf(manifest.exports[`./${set}/*`]).replace(/^\.\//, '').replace(/\*\.js$/, '');
  const instances = shims.map((s) => s.wasiImports({}));
  for (const name of names) {
    const full = `wasi:${name}@${version}`;
    const members = new Set();
    /** Members that are classes in either shim. @type {Set<string>} */
    const classes = new Set();
    for (const imports of instances) {
      if (!(full in imports)) continue;
      for (const [k, v] of Object.entries(imports[full] ?? {})) {
        members.add(k);
        if (isClass(v)) classes.add(k);
      }
    }
    if (members.size === 0) continue;
    list.push(`wasi:${name}@${version.replace(/\.0$/, '')}`);
    const lines = [
      '// Generated by scripts/gen-interfaces.mjs; do not edit.',
      `// \`wasi:${name}@${version.replace(/\.0$/, '.x')}\` as an ES module, from the shims' default`,
      `// configuration (#${set}-defaults: ${defaults.node.replace(/^\.\//, '')} in node,`,
      `// ${defaults.default.replace(/^.*\//, '')} elsewhere), for modules that import WASI interfaces by name.`,
      `import { wasi } from '#${set}-defaults';`,
      '',
      `const i = wasi[${JSON.stringify(full)}];`,
      ...[...members].sort().map((m) => `export const ${m} = i.${m};`),
      '',
    ];
    emit(join(pkg, `${dir}${name}.js`), lines.join('\n'));
    const up = '../'.repeat(name.split('/').length);
    const types = [
      '// Generated by scripts/gen-interfaces.mjs; do not edit.',
      `// Declarations of \`wasi:${name}@${version.replace(/\.0$/, '.x')}\` (${name.replace(/^.*\//, '')}.js): each member typed as the`,
      `// interface's WIT in weft's JS value shapes (${set}-wit.d.ts); classes are resources.`,
      `import type { Interfaces } from '${up}${set}-wit.js';`,
      '',
      `type I = Interfaces[${JSON.stringify(name)}];`,
      ...[...members].sort().flatMap((m) => [
        `export declare const ${m}: I[${JSON.stringify(m)}];`,
        ...(classes.has(m) ? [`export type ${m} = InstanceType<I[${JSON.stringify(m)}]>;`] : []),
      ]),
      '',
    ];
    emit(join(pkg, `${dir}${name}.d.ts`), types.join('\n'));
  }
}
emit(join(pkg, 'src/interfaces.txt'), `${list.join('\n')}\n`);
if (check && stale) {
  console.error(`${stale} generated files are stale: run node npm/wasi/scripts/gen-interfaces.mjs`);
  process.exit(1);
}
// The shims may hold handles (stdin, timers) open; the job is done.
process.exit(0);
