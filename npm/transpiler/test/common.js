// Shared by the tests and scripts/npm-report.mjs: where things are, and how to run the
// native `weft` and the npm CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const pkg = fileURLToPath(new URL('../', import.meta.url));
export const npmBin = `${pkg}bin/weft.js`;
export const nativeBin = process.env.WEFT_BIN ?? `${root}target/debug/weft`;

if (!existsSync(nativeBin)) {
  throw new Error(`no native weft at ${nativeBin}: run \`cargo build -p weft-cli\` (or set WEFT_BIN)`);
}
if (!existsSync(`${pkg}wasm/weft_bg.wasm`)) {
  throw new Error('no wasm build in npm/transpiler/wasm: run scripts/build-npm');
}

/** `@webref/idl`, as scripts/setup installs it. */
export const webrefDir = `${process.env.WEFT_CACHE ?? `${process.env.HOME}/.cache/weft`}/webref/node_modules/@webref/idl`;

/** The test components: paths relative to the repository root, and extra flags. */
export function components() {
  const list = [{ path: 'examples/hello/hello.wat', flags: [] }];
  for (const f of readdirSync(`${root}tests/cases`).sort()) {
    if (!f.endsWith('.wat')) continue;
    const flags = [];
    const opts = `${root}tests/cases/${f.replace(/\.wat$/, '.options')}`;
    if (existsSync(opts)) {
      for (const line of readFileSync(opts, 'utf8').split('\n')) {
        const t = line.trim();
        if (!t || t.startsWith('#')) continue;
        const eq = t.indexOf('=');
        flags.push(`--${t.slice(0, eq)}`, t.slice(eq + 1));
      }
    }
    list.push({ path: `tests/cases/${f}`, flags });
  }
  const guests = `${root}target/guests`;
  if (existsSync(guests)) {
    for (const f of readdirSync(guests).sort()) {
      if (!f.endsWith('.wasm')) continue;
      // A guest of Web APIs binds them against the IDL beside its sources, or, when its
      // WIT was generated from @webref/idl at build time (dom-bench), against that.
      const guest = `tests/guests/${f.replace(/\.wasm$/, '')}`;
      const flags = existsSync(`${root}${guest}/idl`)
        ? ['--webidl', `${guest}/idl`]
        : existsSync(`${root}${guest}/wit/deps/web`)
          ? ['--webidl', webrefDir]
          : [];
      list.push({ path: `target/guests/${f}`, flags });
    }
  }
  return list;
}

/** The `webidl` option of `transpile()` for a component's `--webidl DIR` flags: the directory's `.idl` files. */
export function idlOption(flags) {
  const i = flags.indexOf('--webidl');
  if (i < 0) return {};
  const dir = flags[i + 1].startsWith('/') ? flags[i + 1] : `${root}${flags[i + 1]}`;
  const files = readdirSync(dir).filter((f) => f.endsWith('.idl')).sort();
  return { webidl: files.map((f) => ({ name: `${flags[i + 1]}/${f}`, text: readFileSync(`${dir}/${f}`, 'utf8') })) };
}

/** Runs a CLI (`native` or `npm`) in the repository root; `{ status, stdout, stderr }`. */
export function run(which, args, opts = {}) {
  const [cmd, argv] = which === 'native' ? [nativeBin, args] : [process.execPath, [npmBin, ...args]];
  const r = spawnSync(cmd, argv, { cwd: opts.cwd ?? root, encoding: 'utf8', env: { ...process.env, ...opts.env } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
