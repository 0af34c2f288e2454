#!/usr/bin/env node
// Guest-to-JS stream throughput, in MB/s (1 MB = 2^20 bytes): reads
// `produce(total, 64 KiB)` of the `async-basics` guest (a `stream<u8>` the guest writes
// 64 KiB at a time, byte i being i % 251) to its end, through weft's transpiled bindings
// and jco's transpiled bindings of the same guest, checks every byte, and compares with
// the floor: a plain ReadableStream carrying the same bytes in fresh 64 KiB Uint8Array
// copies, read by the same consumer loop. An extra row reads a ReadableStream of views of
// one buffer (no copy at all: what the consumer loop alone costs). Reports numbers only:
// it asserts nothing about time.
//
//   node bench/stream64.mjs [--runs N] [--quick] [--json FILE] [--weft PATH] [--jco PATH]
//   (other options: bench/lib.mjs)
//
// total is 64 MiB, or 16 MiB with --quick. Each cell is the median of `--runs` reads
// (default 5; --quick: 1) after a warm-up read. jco 1.35 (which needs JSPI, so node 24)
// hands the stream over one byte per chunk (~0.1 MB/s), so it reads a smaller total
// (JCO_TOTAL) to keep the script's time in bounds; MB/s is comparable all the same.
//
// Needs `target/guests/async-basics.wasm` (scripts/build-guests). Both transpilers are run
// in instantiation mode (the guest imports `weft:test/async-host`, given here). Exits 1 if
// weft cannot transpile or run the guest (the other columns are measured all the same) or
// if a stream's bytes are wrong.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import {
  KiB,
  MiB,
  benchOptions,
  cache,
  fmt,
  jcoPath,
  printTable,
  root,
  run,
  tempDir,
  weftCommand,
  writeResult,
} from './lib.mjs';

const opts = benchOptions({ runs: { type: 'string' } });
const runs = Math.max(1, Number(opts.runs ?? (opts.quick ? 1 : 5)) | 0);
const TOTAL = (opts.quick ? 16 : 64) * MiB;
const JCO_TOTAL = 256 * KiB;
const CHUNK = 64 * KiB;
const out = tempDir('stream64');
const guest = join(root, 'target/guests/async-basics.wasm');

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

/**
 * The consumer loop every row uses: reads `stream` (a ReadableStream, or jco's async
 * iterable) to its end, keeping the chunks (checked after the clock stops).
 */
async function consume(stream) {
  const chunks = [];
  let bytes = 0;
  if (typeof stream.getReader === 'function') {
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.length;
      chunks.push(value);
    }
  } else {
    for await (const value of stream) {
      bytes += value.length;
      chunks.push(value);
    }
  }
  return { chunks, bytes };
}

/** Reads `open()` (a stream, or a promise of one) `runs` times after a warm-up. */
async function measureStream(open, total) {
  const rates = [];
  let last;
  for (let r = 0; r <= runs; r++) {
    const start = performance.now();
    last = await consume(await open());
    const seconds = (performance.now() - start) / 1000;
    if (r > 0) rates.push(last.bytes / MiB / seconds);
    await sleep(0);
  }
  rates.sort((x, y) => x - y);
  const sizes = new Set(last.chunks.map((c) => c.length));
  return {
    best: rates[rates.length - 1],
    median: rates[(rates.length - 1) >> 1],
    chunks: last.chunks.length,
    sizes: [...sizes].slice(0, 3).join(',') + (sizes.size > 3 ? ',…' : ''),
    ok: last.bytes === total && checksum(last.chunks) === checksum([pattern.subarray(0, total)]),
  };
}

/** A plain ReadableStream of the pattern in 64 KiB chunks: views or fresh copies. */
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

/** The host side of `weft:test/async-host` (produce never calls it). */
const hostImports = {
  'weft:test/async-host': {
    hostUpper: async (s) => s.toUpperCase(),
    hostSleep: (ms) => sleep(ms),
  },
};

/** Instantiates the bindings in `dir` and returns its `asyncApi` exports. */
async function instantiateIn(dir) {
  const { instantiate } = await import(pathToFileURL(join(dir, 'async-basics.js')).href);
  const inst = await instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), hostImports);
  return inst.asyncApi;
}

async function weftApi() {
  if (!existsSync(guest)) throw new Error(`${guest} is missing: run scripts/build-guests`);
  const [cmd, ...pre] = weftCommand(opts);
  run(cmd, [...pre, 'transpile', guest, '-o', join(out, 'weft'), '--instantiation', '-q']);
  return instantiateIn(join(out, 'weft'));
}

async function jcoApi() {
  const jco = jcoPath(opts);
  if (!jco) throw new Error('jco not found (--jco, $JCO or ~/.cache/weft/jco)');
  if (!existsSync(guest)) throw new Error(`${guest} is missing: run scripts/build-guests`);
  run(jco, ['transpile', guest, '-o', join(out, 'jco'), '--instantiation', 'async', '--quiet']);
  return instantiateIn(join(out, 'jco'));
}

// --- the rows: each cell is a measureStream result or { error } --------------------------
const errors = [];
let failed = false;
async function cell(name, total, open) {
  try {
    const r = await measureStream(await open(), total);
    if (!r.ok) {
      errors.push(`${name}: the bytes read are wrong`);
      failed = true;
    }
    return r;
  } catch (e) {
    errors.push(`${name}: ${e.message}`);
    if (name !== 'jco') failed = true;
    return { error: e.message };
  }
}

const main = {
  weft: await cell('weft', TOTAL, async () => {
    const api = await weftApi();
    return () => api.produce(TOTAL, CHUNK);
  }),
  jco: await cell('jco', JCO_TOTAL, async () => {
    const api = await jcoApi();
    return () => api.produce(JCO_TOTAL, CHUNK);
  }),
  floor: await cell('floor', TOTAL, async () => () => plainStream(true)),
};
const views = await cell('floor', TOTAL, async () => () => plainStream(false));

const mainName = `produce(${TOTAL / MiB} MiB, 64 KiB)`;
const viewsName = 'ReadableStream of 64 KiB views of one buffer';
const table = [['stream', 'column', 'best MB/s', 'median MB/s', 'chunks', 'chunk bytes', 'bytes ok']];
const line = (name, col, r) =>
  r.error
    ? [name, col, '-', '-', '-', '-', 'failed']
    : [name, col, fmt(r.best), fmt(r.median), String(r.chunks), r.sizes, r.ok ? 'yes' : 'NO'];
for (const col of ['weft', 'jco', 'floor']) table.push(line(mainName, col, main[col]));
table.push(line(viewsName, 'floor', views));
console.log(
  `${TOTAL / MiB} MiB per read (jco: ${JCO_TOTAL / KiB} KiB), median of ${runs} reads after a warm-up; node ${process.version}`,
);
printTable(table);
for (const e of errors) console.log(e);

const median = (r) => (r && !r.error && r.ok ? r.median : null);
writeResult(opts, {
  title: 'Stream throughput, guest to JS',
  unit: 'MB/s',
  description:
    `A stream<u8> the async-basics guest writes 64 KiB at a time (produce), read to its end as a ` +
    `stream and checked byte by byte. Floor: a plain ReadableStream of fresh 64 KiB copies of the same ` +
    `bytes, read by the same loop. Median of ${runs} reads after a warm-up.`,
  columns: [
    { key: 'weft', label: 'weft' },
    { key: 'jco', label: 'jco 1.35' },
    { key: 'floor', label: 'floor' },
  ],
  rows: [
    { name: mainName, values: { weft: median(main.weft), jco: median(main.jco), floor: median(main.floor) } },
    {
      name: viewsName,
      values: { weft: null, jco: null, floor: median(views) },
      note: 'no copy at all: what the consumer loop alone costs',
    },
  ],
  notes: [
    ...(main.jco.error
      ? []
      : [
          `jco reads ${JCO_TOTAL / KiB} KiB instead of ${TOTAL / MiB} MiB, to keep the run short: its last read ` +
            `delivered ${main.jco.chunks} chunks of ${main.jco.sizes} byte(s).`,
        ]),
    ...errors,
  ],
});
process.exitCode = failed ? 1 : 0;
