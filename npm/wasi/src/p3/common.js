// The parts of WASI 0.3 that node and browsers share: wasi:cli, wasi:clocks,
// wasi:random and the import-name lookup. `node.js` and `browser.js` supply a
// `Platform` (clocks, default stdio, filesystem, sockets, http and the WASI 0.2 shim
// for the 0.2 names a Rust std program built for wasm32-wasip2 also imports).
//
// WASI 0.3 is asynchronous through the component model: `async func`s return
// Promises, `stream<u8>` parameters arrive as ReadableStreams, `stream<T>` results may
// be any (async) iterable and `future<T>` results are Promises. Nothing here blocks.
import { WasiExit } from '../shared/exit.js';
import { randomBytes, randomU64 } from '../shared/random.js';
import { pullSource, drain, sinkOf, sleep } from './streams.js';

export { WasiExit };

/** `wasi:cli/terminal-input.terminal-input` (never handed out: no terminals). */
export class TerminalInput {}
/** `wasi:cli/terminal-output.terminal-output` (never handed out: no terminals). */
export class TerminalOutput {}

/**
 * @typedef {object} Options
 * @property {string[]} [args] `get-arguments` (the program name first, by convention)
 * @property {Record<string, string>} [env] `get-environment`
 * @property {string | null} [cwd] `get-initial-cwd` (default none)
 * @property {((bytes: Uint8Array) => unknown) | WritableStream<Uint8Array>} [stdout] sink for
 *   stdout: a function (may return a promise, awaited before the next chunk) or a
 *   WritableStream (default: fd 1 in node, `console.log` per line in browsers)
 * @property {((bytes: Uint8Array) => unknown) | WritableStream<Uint8Array>} [stderr] same for stderr
 * @property {StdinOption} [stdin] stdin (default: fd 0 in node, end of stream in browsers)
 * @property {Record<string, any>} [preopens] node: `{ guestPath: hostPath }`; browsers: `{ guestPath: MemFs | tree }`
 * @property {any} [fs] browser: the in-memory tree preopened as `/` (or a `MemFs`)
 * @property {typeof fetch} [fetch] `wasi:http/client.send` (default: `globalThis.fetch`)
 * @property {Iterable<string>} [forbiddenHeaders] header names guest-made `wasi:http`
 *   fields reject with `forbidden`, besides the hop-by-hop ones always forbidden (a host
 *   policy, as wasmtime's `is_forbidden_header`)
 * @property {{ handle(request: any): Promise<any> }} [httpHandler] the imported
 *   `wasi:http/handler` (middleware world; default: send through `fetch` like `client`)
 */

/**
 * Stdin: the whole input as a `Uint8Array` or string, a `ReadableStream` or any
 * (async) iterable of `Uint8Array` chunks.
 * @typedef {Uint8Array | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> |
 *   Iterable<Uint8Array>} StdinOption
 */

/**
 * @typedef {object} Platform
 * @property {() => bigint} monotonicNow nanoseconds
 * @property {bigint} monotonicResolution
 * @property {() => { seconds: bigint, nanoseconds: number }} systemNow
 * @property {(bytes: Uint8Array) => unknown} stdout
 * @property {(bytes: Uint8Array) => unknown} stderr
 * @property {() => void} [flushStdout] emits a partial last line (browser consoles)
 * @property {() => void} [flushStderr]
 * @property {() => (() => Promise<Uint8Array | null>)} defaultStdin a pull function
 * @property {Record<string, object>} filesystem `filesystem/types` and `filesystem/preopens`
 * @property {Record<string, object>} sockets `sockets/types` and `sockets/ip-name-lookup`
 * @property {Record<string, object>} http the `http/*` interfaces
 * @property {(sinks: { stdout: (b: Uint8Array) => void, stderr: (b: Uint8Array) => void }) => any} p2
 *   the WASI 0.2 imports to answer `@0.2.x` names with (sharing the sinks)
 */

/** A pull function over a stdin option. @param {StdinOption} input @returns {() => Promise<Uint8Array | null>} */
export function pullFrom(input) {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    let rest = typeof input === 'string' ? new TextEncoder().encode(input) : input.slice();
    return async () => {
      if (rest.length === 0) return null;
      const chunk = rest;
      rest = new Uint8Array(0);
      return chunk;
    };
  }
  const s = /** @type {any} */ (input);
  /** @type {() => Promise<IteratorResult<any>>} */
  let next;
  if (s !== null && typeof s === 'object' && typeof s.getReader === 'function') {
    const reader = s.getReader();
    next = () => reader.read();
  } else if (s !== null && typeof s === 'object' && (Symbol.asyncIterator in s || Symbol.iterator in s)) {
    const it = Symbol.asyncIterator in s ? s[Symbol.asyncIterator]() : s[Symbol.iterator]();
    next = async () => it.next();
  } else {
    throw new TypeError('stdin: pass a Uint8Array, a string, a ReadableStream or an (async) iterable of Uint8Array chunks');
  }
  let ended = false;
  return async () => {
    if (ended) return null;
    const { done, value } = await next();
    if (done) {
      ended = true;
      return null;
    }
    return value instanceof Uint8Array ? value : new Uint8Array(value);
  };
}

/**
 * Matches `wasi:<pkg>/<iface>@0.3.x` (any 0.3 version) and the release candidates
 * whose shapes equal 0.3.0's (`0.3.0-rc-2026-03-15` and later). Returns `pkg/iface`.
 * @param {unknown} name
 */
export function p3Interface(name) {
  if (typeof name !== 'string') return null;
  const m = /^wasi:([a-z0-9-]+\/[a-z0-9-]+)@0\.3\.\d+(?:-rc-(\d{4}-\d{2}-\d{2}))?$/.exec(name);
  if (!m || (m[2] !== undefined && m[2] < '2026-03-15')) return null;
  return m[1];
}

/** Wraps a sink so that its errors become `cli` `error-code`s. */
function cliCode(/** @type {unknown} */ e) {
  const code = /** @type {any} */ (e)?.code;
  // `ECONNRESET`: the output is a socket (a node parent's `stdio: 'pipe'` is a socket
  // pair) whose reader closed with data it had not read; it went away as for `EPIPE`.
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_STREAM_DESTROYED' ? 'pipe' : 'io';
}

/**
 * A 0.3 sink for the synchronous 0.2 streams: a failure it throws is the 0.2 write's
 * failure; one it reports later (a rejected promise: a `WritableStream`, a pipe that
 * was full) cannot be, so it fails the next write instead of going unhandled.
 * @param {(bytes: Uint8Array) => unknown} sink
 */
function syncSink(sink) {
  /** @type {unknown} */
  let failure = null;
  let failed = false;
  return (/** @type {Uint8Array} */ bytes) => {
    if (failed) throw failure;
    const r = /** @type {any} */ (sink(bytes));
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
      r.then(undefined, (/** @type {unknown} */ e) => {
        if (!failed) [failed, failure] = [true, e];
      });
    }
  };
}

/**
 * The imports object for `instantiate()`: answers every `wasi:<pkg>/<iface>@0.3.x`
 * name, the `@0.2.x` names through the WASI 0.2 shim, and has `flush()`.
 * @param {Platform} platform @param {Options} options
 */
export function makeImports(platform, options) {
  const args = [...(options.args ?? [])];
  const env = Object.entries(options.env ?? {});
  const flushOut = platform.flushStdout ?? (() => {});
  const flushErr = platform.flushStderr ?? (() => {});
  const stdoutSink = options.stdout === undefined ? platform.stdout : sinkOf(options.stdout);
  const stderrSink = options.stderr === undefined ? platform.stderr : sinkOf(options.stderr);
  /** @type {(() => Promise<Uint8Array | null>) | null} */
  let stdinPull = null;
  const flush = () => {
    if (options.stdout === undefined) flushOut();
    if (options.stderr === undefined) flushErr();
  };
  const seed = crypto.getRandomValues(new BigUint64Array(2));
  const exit = (/** @type {number} */ code) => {
    flush();
    throw new WasiExit(code);
  };
  // `max-len` bounds the answer; the host may return fewer bytes (at most 1 MiB here).
  const random = (/** @type {bigint} */ maxLen) => randomBytes(maxLen < 1048576n ? maxLen : 1048576n);
  /** @type {Record<string, object>} */
  const interfaces = {
    'cli/types': {},
    'cli/run': {},
    'cli/environment': {
      getEnvironment: () => env.map(([k, v]) => [k, v]),
      getArguments: () => [...args],
      getInitialCwd: () => options.cwd ?? null,
    },
    'cli/exit': {
      exit: (/** @type {{ tag: string }} */ status) => exit(status.tag === 'ok' ? 0 : 1),
      exitWithCode: (/** @type {number} */ code) => exit(code),
    },
    'cli/stdin': {
      readViaStream() {
        stdinPull ??= options.stdin === undefined ? platform.defaultStdin() : pullFrom(options.stdin);
        return pullSource(/** @type {() => Promise<Uint8Array | null>} */ (stdinPull), cliCode);
      },
    },
    'cli/stdout': { writeViaStream: (/** @type {ReadableStream<Uint8Array>} */ data) => drain(data, stdoutSink, cliCode) },
    'cli/stderr': { writeViaStream: (/** @type {ReadableStream<Uint8Array>} */ data) => drain(data, stderrSink, cliCode) },
    'cli/terminal-input': { TerminalInput },
    'cli/terminal-output': { TerminalOutput },
    'cli/terminal-stdin': { getTerminalStdin: () => null },
    'cli/terminal-stdout': { getTerminalStdout: () => null },
    'cli/terminal-stderr': { getTerminalStderr: () => null },
    'clocks/types': {},
    'clocks/monotonic-clock': {
      now: () => platform.monotonicNow(),
      getResolution: () => platform.monotonicResolution,
      waitUntil: (/** @type {bigint} */ when) => sleepUntil(platform, when),
      waitFor: (/** @type {bigint} */ howLong) => sleepUntil(platform, platform.monotonicNow() + howLong),
    },
    'clocks/system-clock': {
      now: () => platform.systemNow(),
      getResolution: () => 1_000_000n,
    },
    'clocks/timezone': {
      ianaId: () => {
        try {
          return Intl.DateTimeFormat().resolvedOptions().timeZone ?? null;
        } catch {
          return null;
        }
      },
      utcOffset: (/** @type {{ seconds: bigint, nanoseconds: number }} */ when) => {
        const ms = Number(when.seconds) * 1000 + Math.floor(when.nanoseconds / 1e6);
        const offset = new Date(ms).getTimezoneOffset();
        return Number.isNaN(offset) ? null : BigInt(-offset) * 60_000_000_000n;
      },
      toDebugString: () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'unknown',
    },
    'random/random': { getRandomBytes: random, getRandomU64: randomU64 },
    'random/insecure': { getInsecureRandomBytes: random, getInsecureRandomU64: randomU64 },
    'random/insecure-seed': { getInsecureSeed: () => [seed[0], seed[1]] },
    ...platform.filesystem,
    ...platform.sockets,
    ...platform.http,
  };
  // Per-interface overrides, as in the 0.2 shims.
  for (const [k, v] of Object.entries(options.overrides ?? {})) {
    const key = k.replace(/^wasi:/, '').replace(/@.*$/, '');
    if (key in interfaces) interfaces[key] = { ...interfaces[key], ...v };
  }
  /** @type {any} */
  let p2 = null;
  const p2Imports = () =>
    (p2 ??= platform.p2({
      stdout: syncSink(stdoutSink),
      stderr: syncSink(stderrSink),
    }));
  return new Proxy(
    {},
    {
      get(_, name) {
        if (name === 'flush') return () => {
          flush();
          p2?.flush?.();
        };
        const iface = p3Interface(name);
        if (iface !== null) return interfaces[iface];
        if (typeof name === 'string' && /^wasi:[a-z0-9-]+\/[a-z0-9-]+@0\.2\.\d+$/.test(name)) return p2Imports()[name];
        return undefined;
      },
      has(_, name) {
        const iface = p3Interface(name);
        if (name === 'flush') return true;
        if (iface !== null) return iface in interfaces;
        return typeof name === 'string' && /^wasi:[a-z0-9-]+\/[a-z0-9-]+@0\.2\.\d+$/.test(name) && name in p2Imports();
      },
    },
  );
}

/**
 * `wait-until`: resolves when the monotonic clock reaches `when` (ns). When that instant
 * has already passed it returns at once, not a promise, so the guest's async call
 * completes eagerly (RETURNED, not STARTED) as it does in wasmtime: a wait until `now()`
 * or for 0 ns is ready the first time the guest polls it (wasmtime's p3_clocks_sleep
 * checks that).
 * @param {Platform} platform @param {bigint} when @returns {Promise<void> | undefined}
 */
function sleepUntil(platform, when) {
  if (when - platform.monotonicNow() <= 0n) return undefined;
  return (async () => {
    for (;;) {
      const left = when - platform.monotonicNow();
      if (left <= 0n) return;
      await sleep(left);
    }
  })();
}
