// Runs the WASI test programs through `weft run` (the CLI: transpile into the cache,
// node with the embedded shims) and checks them against expected.json: args, a
// cleared environment with the expected variables, each preopen as a fresh host
// directory (`--dir HOST::GUEST`), stdout, stderr, the exit code and the files left.
//   node tests/wasi-programs/run-cli.mjs [--weft PATH] [--p3] [name…]
// `--p3` runs the WASI 0.3 programs of tests/wasi-p3-programs instead (commands only;
// `stdin` is fed to the program). Ends with `weft-run: N passed, M failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandNames, readExpected } from './expected.mjs';
import { checkPrograms } from './run-node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const wi = argv.indexOf('--weft');
const weft = wi >= 0 ? argv[wi + 1] : process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
const named = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--weft');
const set = argv.includes('--p3') ? 'wasi-p3-programs' : 'wasi-programs';
const expected = (await readExpected(set)).programs;
// Components that are not commands (an http service, say) are not for `weft run`.
const names = named.length > 0 ? named : commandNames(expected);

await checkPrograms(
  names,
  expected,
  (name, spec) => {
    const work = mkdtempSync(join(tmpdir(), `weft-run-${name}-`));
    try {
      const dirs = (spec.preopens ?? []).map((guest, i) => {
        const host = mkdtempSync(join(work, `preopen${i}-`));
        return [guest, host];
      });
      const args = ['run', '--clear-env'];
      for (const [k, v] of Object.entries(spec.env ?? {})) args.push('--env', `${k}=${v}`);
      for (const [guest, host] of dirs) args.push('--dir', `${host}::${guest}`);
      // Without any --dir, weft run preopens the current directory as `.`; the
      // expectations assume no preopens but the listed ones.
      if (dirs.length === 0) args.push('--dir', `${mkdtempSync(join(work, 'scratch-'))}::/scratch`);
      args.push('--argv0', spec.args[0], join(root, 'target', set, `${name}.wasm`), ...spec.args.slice(1));
      const r = spawnSync(weft, args, {
        cwd: work,
        encoding: 'utf8',
        input: spec.stdin ?? '',
        env: { ...process.env, WEFT_NODE: process.execPath },
        // much-stdout writes 1 MiB, spawnSync's default limit (the child is killed past it).
        maxBuffer: 64 << 20,
      });
      const files = {};
      for (const [guest, host] of dirs) {
        files[guest] = {};
        for (const f of Object.keys(spec.files?.[guest] ?? {})) {
          const p = join(host, f);
          files[guest][f] = existsSync(p) ? readFileSync(p, 'utf8') : null;
        }
      }
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status, files };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
  'weft-run',
);
