#!/usr/bin/env node
// Guest-to-JS stream throughput: transpiles the `async-basics` guest with weft, reads
// `produce(64 MB, 64 KiB)` (a `stream<u8>` the guest writes 64 KiB at a time) to its
// end, checks every byte, and prints MB/s (1 MB = 2^20 bytes) next to plain
// ReadableStreams carrying the same 64 MB in 64 KiB Uint8Array chunks, read by the same
// consumer loop. Reports numbers only: it asserts nothing about time.
//
//   node bench/stream64.mjs [--runs N] [--weft PATH]
//
// Needs `target/guests/async-basics.wasm` (scripts/build-guests). weft is `--weft`,
// else $WEFT, else target/debug/weft, else `cargo run -p weft-cli`. Exits 1 if weft
// cannot transpile or run the guest (the baselines are printed all the same) or if a
// stream's bytes are wrong.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const MB = 1 << 20;
const TOTAL = 64 * MB;
const CHUNK = 64 * 1024;

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    weft: { type: 'string' },
  },
});
const runs = Math.max(1, Number(opts.runs) | 0);
const root = fileURLToPath(new URL('..', import.meta.url));

/** `i % 251` for every byte, as `produce` writes it. */
const pattern = new Uint8Array(TOTAL);
for (let i = 0; i < TOTAL; i++) pattern[i] = i % 251;

/** Order-sensitive checksum of a list of chunks (Fletcher-like, wrapping at 2^32). */
function checksum(chunks) {
  let a = 0;
  let b = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) {
      a = (a + c[i]) | 0;
      b = (b + a) | 0;
    }
  }
  return `${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`;
}
const expected = checksum([pattern]);

/**
 * The consumer loop every row uses: reads `stream` to its end, keeping the chunks
 * (checked after the clock stops).
 */
async function consume(stream) {
  const reader = stream.getReader();
  const chunks = [];
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.length;
    chunks.push(value);
  }
  return { chunks, bytes };
}

/** Runs `open()` (which returns a stream, or a promise of one) `runs` times after a warm-up. */
async function measure(open) {
  const rates = [];
  let last;
  for (let r = 0; r <= runs; r++) {
    const start = performance.now();
    const { chunks, bytes } = await consume(await open());
    const seconds = (performance.now() - start) / 1000;
    if (r > 0) rates.push(bytes / MB / seconds);
    last = { chunks, bytes };
    await sleep(0);
  }
  rates.sort((x, y) => x - y);
  const ok = last.bytes === TOTAL && checksum(last.chunks) === expected;
  const sizes = new Set(last.chunks.map((c) => c.length));
  return {
    best: rates[rates.length - 1],
    median: rates[(rates.length - 1) >> 1],
    chunks: last.chunks.length,
    sizes: [...sizes].slice(0, 3).join(',') + (sizes.size > 3 ? ',…' : ''),
    ok,
  };
}

/** A plain ReadableStream of the 64 MB pattern in 64 KiB chunks: views or fresh copies. */
function plainStream(copy) {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= TOTAL) return controller.close();
      const end = Math.min(TOTAL, offset + CHUNK);
      controller.enqueue(copy ? pattern.slice(offset, end) : pattern.subarray(offset, end));
      offset = end;
    },
  });
}

/** Transpiles async-basics and returns a `produce` function, or throws. */
async function weftProduce() {
  const wasm = join(root, 'target/guests/async-basics.wasm');
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run scripts/build-guests`);
  const out = mkdtempSync(join(tmpdir(), 'weft-stream64-'));
  process.on('exit', () => rmSync(out, { recursive: true, force: true }));
  const weft = opts.weft ?? process.env.WEFT ?? join(root, 'target/debug/weft');
  const [cmd, ...pre] = existsSync(weft) ? [weft] : ['cargo', 'run', '--quiet', '-p', 'weft-cli', '--'];
  try {
    execFileSync(cmd, [...pre, 'transpile', wasm, '-o', out, '--instantiation', '-q'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const lines = String(e.stderr || e.message).split('\n').map((l) => l.trim()).filter(Boolean);
    throw new Error(`weft transpile failed: ${lines.slice(-1)[0] ?? e.message}`);
  }
  const { instantiate } = await import(pathToFileURL(join(out, 'async-basics.js')).href);
  const inst = await instantiate((p) => WebAssembly.compile(readFileSync(join(out, p))), {
    'weft:test/async-host': {
      hostUpper: async (s) => s.toUpperCase(),
      hostSleep: (ms) => sleep(ms),
    },
  });
  return () => inst.asyncApi.produce(TOTAL, CHUNK);
}

const rows = [];
let failed = false;
try {
  const produce = await weftProduce();
  rows.push(['weft: produce(64 MB, 64 KiB), guest to JS', await measure(produce)]);
} catch (e) {
  failed = true;
  rows.push(['weft: produce(64 MB, 64 KiB), guest to JS', { error: e.message }]);
}
rows.push(['ReadableStream, 64 KiB views of one buffer', await measure(() => plainStream(false))]);
rows.push(['ReadableStream, 64 KiB fresh copies', await measure(() => plainStream(true))]);

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const table = [['stream', 'best MB/s', 'median MB/s', 'chunks', 'chunk bytes', 'bytes ok']];
for (const [name, r] of rows) {
  if (r.error) table.push([name, '-', '-', '-', '-', 'failed']);
  else table.push([name, fmt(r.best), fmt(r.median), String(r.chunks), r.sizes, r.ok ? 'yes' : 'NO']);
  if (!r.error && !r.ok) failed = true;
}
const widths = table[0].map((_, i) => Math.max(...table.filter((row) => row.length > 1).map((row) => row[i].length)));
console.log(`64 MB per run, ${runs} runs after a warm-up; node ${process.version}`);
for (const row of table) {
  console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}
for (const [name, r] of rows) if (r.error) console.log(`${name}: ${r.error}`);
process.exitCode = failed ? 1 : 0;
