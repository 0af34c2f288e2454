#!/usr/bin/env node
// Real programs from crates.io, built for wasm32-wasip2 and natively by
// scripts/bench-programs (ripgrep, hexyl, choose, sd), run as a user runs them: the
// native binary (the floor), `weft run` (its transpile cached, as after a first run)
// and `jco run`, each as a fresh process, wall time from spawn to exit. Plus the
// start-up of a cached hello world against `node -e 0`. Every implementation's output
// must equal the native program's before any timing.
//
// The input is generated here from a fixed seed (the same bytes on every machine):
// a tree of ~48 MB of source-like text in 2,048 files, a 1 MiB binary file, 200,000
// lines for stdin and a 16 MiB text for sd.
//
//   node bench/programs.mjs [--quick] [--json FILE] [--weft PATH] [--jco PATH]
//
// --quick runs only hexyl and hello, once each, on a small input (CI).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchOptions, cache, fmt, jcoPath, printTable, ratio, root, tempDir, weftCommand, writeResult } from './lib.mjs';

const opts = benchOptions();
const programs = join(cache, 'bench/programs');
const tmp = tempDir('programs');
// Absolute: the programs run in the temp dir.
const weft = weftCommand(opts).map((a, i) => (i === 0 && a.includes('/') ? resolve(a) : a));
const jco = jcoPath(opts);
const runs = opts.quick ? 1 : 5;
const MiB = 1024 * 1024;

// --- input -----------------------------------------------------------------------------

/** A deterministic generator (xorshift32), so every machine searches the same bytes. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const WORDS = 'fn let mut self match impl pub struct enum use return if else for while loop Some None Ok Err value index buffer length offset result error string table handle stream future task state config reader writer parse print'.split(' ');

/** `bytes` of source-like lines: words, identifiers with numbers, punctuation. */
function text(next, bytes) {
  const lines = [];
  let n = 0;
  while (n < bytes) {
    const words = [];
    for (let i = 0, k = 3 + (next() % 9); i < k; i++) {
      const w = WORDS[next() % WORDS.length];
      words.push(next() % 7 === 0 ? `${w}_${next() % 1000}` : w);
    }
    const line = '    '.repeat(next() % 4) + words.join(' ') + (next() % 3 === 0 ? ';' : ' {');
    lines.push(line);
    n += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

function makeInput() {
  const next = rng(0x5eed);
  const tree = join(tmp, 'tree');
  const files = opts.quick ? 32 : 2048;
  const perFile = opts.quick ? 4096 : 24 * 1024;
  for (let i = 0; i < files; i++) {
    const dir = join(tree, `d${i % 32}`, `e${(i >> 5) % 8}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.rs`), text(next, perFile));
  }
  const binary = Buffer.alloc(opts.quick ? 64 * 1024 : MiB);
  for (let i = 0; i < binary.length; i += 4) binary.writeUInt32LE(next(), i);
  writeFileSync(join(tmp, 'data.bin'), binary);
  const lines = [];
  for (let i = 0; i < (opts.quick ? 1000 : 200_000); i++) lines.push(`${i} ${WORDS[next() % WORDS.length]} ${next() % 100000} ${WORDS[next() % WORDS.length]}`);
  writeFileSync(join(tmp, 'lines.txt'), lines.join('\n') + '\n');
  writeFileSync(join(tmp, 'big.txt'), text(next, opts.quick ? 64 * 1024 : 16 * MiB));
  return { tree, files, bytes: files * perFile };
}

// --- running -----------------------------------------------------------------------------

/** Runs `cmd args` in `cwd` with `stdin` (a file or undefined); its stdout and wall time. */
function spawn(cmd, args, { stdin, env } = {}) {
  const fd = stdin ? openSync(stdin, 'r') : 'ignore';
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: tmp, stdio: [fd, 'pipe', 'pipe'], maxBuffer: 256 * MiB, env: { ...process.env, ...env } });
  const ms = performance.now() - t;
  if (typeof fd === 'number') closeSync(fd);
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const first = String(r.stderr).trim().split('\n')[0];
    throw new Error(`exit ${r.status}: ${first}`);
  }
  return { out: r.stdout, ms };
}

/** The median wall time of `runs` runs (after one untimed run that checks the output,
 * through `normalize` if given); one timed run when a run takes over 5 s (jco's choose
 * row: ~100 s each). */
function time(run, expected, normalize = (out) => out) {
  const first = run();
  if (expected !== undefined && !normalize(first.out).equals(expected)) {
    throw new Error(`output differs from the native program's (${first.out.length} bytes against ${expected.length})`);
  }
  const ms = [];
  for (let i = 0; i < (first.ms > 5000 ? 1 : runs); i++) ms.push(run().ms);
  ms.sort((a, b) => a - b);
  return ms[ms.length >> 1];
}

/** `[native, wasm]` paths of program `bin`, or a reason it is missing. */
function program(bin) {
  const native = join(programs, 'native/bin', bin);
  const wasm = join(programs, 'wasm/bin', `${bin}.wasm`);
  if (!existsSync(native) || !existsSync(wasm)) return { missing: `${bin} is not built (scripts/bench-programs)` };
  return { native, wasm };
}

// Rows: a program, its arguments (relative to the temp dir), its stdin.
const input = makeInput();
const ROWS = [
  { name: 'ripgrep: count matches in a 48 MB tree', bin: 'rg', args: ['-c', '--sort', 'path', 'index_[0-9]+ (buffer|value)', 'tree'], io: true },
  // The same search on one thread, as the wasm program runs (native ripgrep uses every core).
  { name: 'ripgrep -j1: the same, one thread', bin: 'rg', args: ['-j1', '-c', '--sort', 'path', 'index_[0-9]+ (buffer|value)', 'tree'], io: true },
  { name: 'ripgrep: one small file', bin: 'rg', args: ['-n', 'stream_7', 'tree/d0/e0/f0.rs'] },
  { name: 'hexyl: 1 MiB file to stdout', bin: 'hexyl', args: ['--color=never', 'data.bin'], io: true },
  { name: 'choose: fields 0 and 2 of 200,000 stdin lines', bin: 'choose', args: ['0', '2'], stdin: 'lines.txt', io: true },
  { name: 'sd: replace in 16 MiB from stdin', bin: 'sd', args: ['index_([0-9]+)', 'idx$1'], stdin: 'big.txt', io: true },
].filter((r) => !opts.quick || r.bin === 'hexyl');

const rows = [];
const targets = [];
const notes = [];

// Start-up: a cached hello world against `node -e 0`.
{
  const hello = join(root, 'target/wasi-programs/hello.wasm');
  if (!existsSync(hello)) throw new Error(`${hello} is missing (scripts/build-wasi-programs)`);
  const nodeMs = time(() => spawn(process.execPath, ['-e', '0']));
  const weftMs = time(() => spawn(weft[0], [...weft.slice(1), 'run', hello], { env: { WEFT_NODE: process.execPath } }));
  let jcoMs = null;
  try {
    if (jco) jcoMs = time(() => spawn(process.execPath, [jco, 'run', hello]));
  } catch (e) {
    notes.push(`jco run hello: ${e.message}`);
  }
  rows.push({ name: 'start-up: hello world (floor: `node -e 0`)', values: { floor: nodeMs, weft: weftMs, jco: jcoMs } });
  targets.push({ row: 'start-up: hello world', label: 'weft − `node -e 0`', value: weftMs - nodeMs, limit: 30, unit: 'ms', op: '<=' });
}

for (const row of ROWS) {
  const p = program(row.bin);
  if (p.missing) {
    if (opts.quick) throw new Error(p.missing);
    rows.push({ name: row.name, values: { floor: null, weft: null, jco: null }, note: p.missing });
    continue;
  }
  const stdin = row.stdin && join(tmp, row.stdin);
  const expected = spawn(p.native, row.args, { stdin }).out;
  const floor = time(() => spawn(p.native, row.args, { stdin }), expected);
  const weftMs = time(() => spawn(weft[0], [...weft.slice(1), 'run', p.wasm, ...row.args], { stdin, env: { WEFT_NODE: process.execPath } }), expected);
  let jcoMs = null;
  let note;
  try {
    // jco run's node shim preopens `/` and no current directory, so a relative path does
    // not resolve: jco gets absolute paths, and its output is compared with the temp
    // dir's prefix taken out.
    const absolute = row.args.map((a) => (existsSync(join(tmp, a)) ? join(tmp, a) : a));
    const relative = (out) => Buffer.from(out.toString('latin1').replaceAll(`${tmp}/`, ''), 'latin1');
    if (jco) jcoMs = time(() => spawn(process.execPath, [jco, 'run', p.wasm, ...absolute], { stdin }), expected, relative);
  } catch (e) {
    note = `jco: ${e.message.slice(0, 300)}`;
  }
  rows.push({ name: row.name, values: { floor, weft: weftMs, jco: jcoMs }, ...(note && { note }) });
  if (row.io) targets.push({ row: row.name, label: 'weft/native', value: weftMs / floor, limit: 3, op: '<=' });
  if (jcoMs) targets.push({ row: row.name, label: 'jco/weft', value: jcoMs / weftMs, limit: 3, op: '>=' });
}

printTable([
  ['', 'native ms', 'weft run ms', 'jco run ms', 'weft/native', 'jco/weft'],
  ...rows.map((r) => [r.name, fmt(r.values.floor), fmt(r.values.weft), fmt(r.values.jco), ratio(r.values.weft, r.values.floor), ratio(r.values.jco, r.values.weft)]),
]);
for (const n of [...notes, ...rows.filter((r) => r.note).map((r) => `${r.name}: ${r.note}`)]) console.log(n);

writeResult(opts, {
  title: 'Real programs: `weft run` against the native build and `jco run`',
  unit: 'ms',
  description: `Programs from crates.io built by scripts/bench-programs (ripgrep 15.2.0, hexyl 0.17.0, choose 1.3.7, sd 1.0.0) for wasm32-wasip2 and natively. Wall time of a fresh process from spawn to exit, median of ${runs}; weft's transpile is cached (as after a first run), jco run transpiles on every run (it has no cache). Each output is checked against the native program's first. Input: a tree of ${fmt(input.bytes / MiB)} MiB in ${input.files} generated files, a 1 MiB binary, 200,000 stdin lines, 16 MiB of text.`,
  columns: [
    { key: 'weft', label: 'weft run' },
    { key: 'jco', label: 'jco 1.35 run' },
    { key: 'floor', label: 'native' },
  ],
  rows,
  targets,
  notes,
});
