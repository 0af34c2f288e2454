// Runs the WASI test programs through `weft run` (the CLI: transpile into the cache,
// node with the embedded shims) and checks them against expected.json: args, a
// cleared environment with the expected variables, each preopen as a fresh host
// directory (`--dir HOST::GUEST`), stdout, stderr, the exit code and the files left.
//   node tests/wasi-programs/run-cli.mjs [--weft PATH | --npm] [--p3] [name…]
// `--npm` runs the npm package's CLI instead (`npx weft run`: npm/transpiler/bin/weft.js
// on this node, with npm/wasi), the same cases; its last line is `npx-weft-run: …`.
// `--p3` runs the WASI 0.3 programs of tests/wasi-p3-programs instead (commands only;
// `stdin` is fed to the program). An entry with `closeOutput` ({ stdout, stderr }: byte
// counts) has its stdout and stderr read from pipes that this runner closes once it has
// read that many bytes, as `prog | head -c N` does. `--record`: each program runs with
// `weft run --record TRACE` (recording changes nothing it does), then `weft replay
// TRACE` must replay it, with no host, as in the trace. Ends with
// `weft-run: N passed, M failed` (`weft-run-record: …` with `--record`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandNames, readExpected } from './expected.mjs';
import { checkPrograms } from './run-node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const wi = argv.indexOf('--weft');
const given = wi >= 0 ? argv[wi + 1] : process.env.WEFT_BIN;
// A relative path is the caller's: the programs run in a directory of their own.
const weft = given === undefined ? join(root, 'target/debug/weft') : given.includes('/') ? resolve(given) : given;
const npm = argv.includes('--npm');
const record = argv.includes('--record');
/** The CLI to run: the command and the arguments before `run`. */
const [cli, cliArgs] = npm ? [process.execPath, [join(root, 'npm/transpiler/bin/weft.js')]] : [weft, []];
const named = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--weft');
const set = argv.includes('--p3') ? 'wasi-p3-programs' : 'wasi-programs';
const expected = (await readExpected(set)).programs;
// Components that are not commands (an http service, say) are not for `weft run`.
const names = named.length > 0 ? named : commandNames(expected);

/**
 * Runs `cmd` with `args` like spawnSync (`options.input` on stdin), but closes the read
 * end of the stdout and stderr pipes once `close.stdout` / `close.stderr` bytes came
 * through (the rest of that chunk dropped); resolves to { stdout, stderr, status }.
 */
function spawnClosing(cmd, args, options, close) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const read = (stream, limit) => {
      const chunks = [];
      let taken = 0;
      stream.on('data', (c) => {
        const keep = limit === undefined ? c.length : Math.min(c.length, limit - taken);
        chunks.push(c.subarray(0, keep));
        taken += keep;
        if (limit !== undefined && taken >= limit) stream.destroy();
      });
      return () => Buffer.concat(chunks).toString();
    };
    const stdout = read(child.stdout, close.stdout);
    const stderr = read(child.stderr, close.stderr);
    // The program may have ended (or closed stdin) before it read all of it.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout: stdout(), stderr: stderr(), status: status ?? signal });
    });
  });
}

await checkPrograms(
  names,
  expected,
  async (name, spec) => {
    const work = mkdtempSync(join(tmpdir(), `weft-run-${name}-`));
    try {
      const dirs = (spec.preopens ?? []).map((guest, i) => {
        const host = mkdtempSync(join(work, `preopen${i}-`));
        return [guest, host];
      });
      const args = [...cliArgs, 'run', '--clear-env'];
      for (const [k, v] of Object.entries(spec.env ?? {})) args.push('--env', `${k}=${v}`);
      for (const [guest, host] of dirs) args.push('--dir', `${host}::${guest}`);
      // Without any --dir, weft run preopens the current directory as `.`; the
      // expectations assume no preopens but the listed ones.
      if (dirs.length === 0) args.push('--dir', `${mkdtempSync(join(work, 'scratch-'))}::/scratch`);
      const trace = join(work, 'run.trace');
      if (record) args.push('--record', trace);
      const wasm = join(root, 'target', set, `${name}.wasm`);
      args.push('--argv0', spec.args[0], wasm, ...spec.args.slice(1));
      const options = {
        cwd: work,
        encoding: 'utf8',
        input: spec.stdin ?? '',
        env: { ...process.env, WEFT_NODE: process.execPath },
        // much-stdout writes 1 MiB, spawnSync's default limit (the child is killed past it).
        maxBuffer: 64 << 20,
      };
      const r = spec.closeOutput ? await spawnClosing(cli, args, options, spec.closeOutput) : spawnSync(cli, args, options);
      const files = {};
      for (const [guest, host] of dirs) {
        files[guest] = {};
        for (const f of Object.keys(spec.files?.[guest] ?? {})) {
          const p = join(host, f);
          files[guest][f] = existsSync(p) ? readFileSync(p, 'utf8') : null;
        }
      }
      if (record) {
        const replay = spawnSync(cli, [...cliArgs, 'replay', trace, wasm], { cwd: work, encoding: 'utf8', env: options.env });
        if (replay.status !== 0 || !/^replayed \d+ calls?: as in the trace$/m.test(replay.stdout)) {
          throw new Error(`weft replay of its trace exited ${replay.status}:\n${replay.stdout}${replay.stderr}`);
        }
      }
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status, files };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
  `${npm ? 'npx-weft-run' : 'weft-run'}${record ? '-record' : ''}`,
);
