// The parts of WASI 0.2 that node and browsers share: wasi:cli, wasi:clocks,
// wasi:random and the import-name lookup. `node.js` and `browser.js` supply a
// `Platform` (clock, sleep, default stdio, filesystem and sockets).
import { WasiExit } from '../shared/exit.js';
import { randomBytes, randomU64 } from '../shared/random.js';
import { IoError, InputStream, OutputStream, Pollable, TimerPollable, poll } from './io.js';

export { WasiExit };

/** `wasi:cli/terminal-input.terminal-input` (never handed out: no terminals). */
export class TerminalInput {}
/** `wasi:cli/terminal-output.terminal-output` (never handed out: no terminals). */
export class TerminalOutput {}

/**
 * @typedef {object} Options
 * @property {string[]} [args] `get-arguments` (the program name first, by convention)
 * @property {Record<string, string>} [env] `get-environment`
 * @property {string | null} [cwd] `initial-cwd` (default none)
 * @property {(bytes: Uint8Array) => void} [stdout] sink for stdout (default: fd 1 in
 *   node, `console.log` per line in browsers)
 * @property {(bytes: Uint8Array) => void} [stderr] sink for stderr (fd 2 / `console.error`)
 * @property {StdinOption} [stdin] stdin (default: fd 0 in node, end of stream in browsers)
 * @property {Record<string, any>} [preopens] node: `{ guestPath: hostPath }`; browsers: `{ guestPath: MemFs | tree }`
 * @property {import('../shared/memfs.js').TreeInput} [fs] browser: the in-memory tree preopened as `/`
 *   (or a `MemFs`); default an empty tree
 * @property {Record<string, object>} [overrides] per interface (`cli/stdout` or
 *   `wasi:cli/stdout`), members that replace the shim's
 * @property {boolean} [jspi] browser: waits (HTTP, sleeps) return Promises instead of throwing, for a component transpiled with `--async-imports` for wasi:io
 *   `BlockingError` (for imports the transpiler suspends on with JSPI)
 * @property {typeof fetch} [fetch] browser: the `fetch` outgoing HTTP requests use
 */

/**
 * Stdin: a synchronous source `{ read(max) }` (bytes available now, `null` at the end),
 * the whole input as a `Uint8Array` or string, or (browsers) a `ReadableStream` or
 * async iterable of `Uint8Array` chunks.
 * @typedef {import('./io.js').Source | Uint8Array | string | ReadableStream<Uint8Array> |
 *   AsyncIterable<Uint8Array>} StdinOption
 */

/**
 * @typedef {object} Platform
 * @property {() => bigint} monotonicNow nanoseconds
 * @property {bigint} monotonicResolution
 * @property {(ns: bigint) => void} sleep blocks the thread (or throws `BlockingError`)
 * @property {() => { seconds: bigint, nanoseconds: number }} wallNow
 * @property {(bytes: Uint8Array) => void} stdout
 * @property {(bytes: Uint8Array) => void} stderr
 * @property {() => void} [flushStdout] emits a partial last line (browser consoles)
 * @property {() => void} [flushStderr]
 * @property {(o: StdinOption | undefined) => import('./io.js').Source} stdin
 * @property {Record<string, object>} filesystem `filesystem/types` and `filesystem/preopens`
 * @property {Record<string, object>} sockets the `sockets/*` interfaces
 * @property {(poll: typeof import('./io.js').poll) => Record<string, object>} [http] the
 *   `http/*` interfaces (and an `io/poll` that waits for HTTP pollables)
 */

/** A synchronous stdin source from bytes or a string. */
export function bytesSource(/** @type {Uint8Array | string} */ input) {
  let rest = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  return {
    read(/** @type {number} */ max) {
      if (rest.length === 0) return null;
      const chunk = rest.subarray(0, max);
      rest = rest.subarray(chunk.length);
      return chunk.slice();
    },
  };
}

/**
 * The imports object for `instantiate()`: answers every `wasi:<pkg>/<iface>@0.2.x`
 * name, and has `flush()` to emit a partial last line of console output.
 * @param {Platform} platform @param {Options} options
 */
export function makeImports(platform, options) {
  const args = [...(options.args ?? [])];
  const env = Object.entries(options.env ?? {});
  const flushOut = platform.flushStdout ?? (() => {});
  const flushErr = platform.flushStderr ?? (() => {});
  const stdout = new OutputStream(options.stdout ?? platform.stdout);
  const stderr = new OutputStream(options.stderr ?? platform.stderr);
  const stdin = new InputStream(platform.stdin(options.stdin));
  const flush = () => {
    if (!options.stdout) flushOut();
    if (!options.stderr) flushErr();
  };
  const clock = { now: platform.monotonicNow, sleep: platform.sleep };
  const seed = [randomU64(), randomU64()];
  const exit = (/** @type {number} */ code) => {
    flush();
    throw new WasiExit(code);
  };
  /** @type {Record<string, object>} */
  const interfaces = {
    'io/error': { Error: IoError },
    'io/poll': { Pollable, poll },
    'io/streams': { InputStream, OutputStream },
    'cli/environment': {
      getEnvironment: () => env.map(([k, v]) => [k, v]),
      getArguments: () => [...args],
      initialCwd: () => options.cwd ?? null,
    },
    'cli/exit': {
      exit: (/** @type {{ tag: string }} */ status) => exit(status.tag === 'ok' ? 0 : 1),
      exitWithCode: (/** @type {number} */ code) => exit(code),
    },
    'cli/stdin': { getStdin: () => stdin },
    'cli/stdout': { getStdout: () => stdout },
    'cli/stderr': { getStderr: () => stderr },
    'cli/terminal-input': { TerminalInput },
    'cli/terminal-output': { TerminalOutput },
    'cli/terminal-stdin': { getTerminalStdin: () => null },
    'cli/terminal-stdout': { getTerminalStdout: () => null },
    'cli/terminal-stderr': { getTerminalStderr: () => null },
    'clocks/monotonic-clock': {
      now: () => clock.now(),
      resolution: () => platform.monotonicResolution,
      subscribeInstant: (/** @type {bigint} */ when) => new TimerPollable(when, clock),
      subscribeDuration: (/** @type {bigint} */ d) => new TimerPollable(clock.now() + d, clock),
    },
    'clocks/wall-clock': {
      now: () => platform.wallNow(),
      resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }),
    },
    'random/random': { getRandomBytes: randomBytes, getRandomU64: randomU64 },
    'random/insecure': { getInsecureRandomBytes: randomBytes, getInsecureRandomU64: randomU64 },
    'random/insecure-seed': { insecureSeed: () => [seed[0], seed[1]] },
    ...platform.filesystem,
    ...platform.sockets,
    ...(platform.http ? platform.http(poll) : {}),
  };
  // Per-interface overrides (`{ 'cli/stdout': { getStdout } }`): members replace the
  // shim's, the rest of the interface stays.
  for (const [k, v] of Object.entries(options.overrides ?? {})) {
    const key = k.replace(/^wasi:/, '').replace(/@.*$/, '');
    interfaces[key] = { ...interfaces[key], ...v };
  }
  return new Proxy(
    {},
    {
      get(_, name) {
        if (name === 'flush') return flush;
        const m = typeof name === 'string' && /^wasi:([a-z0-9-]+\/[a-z0-9-]+)@0\.2\.\d+$/.exec(name);
        return m ? interfaces[m[1]] : undefined;
      },
      has(_, name) {
        const m = typeof name === 'string' && /^wasi:([a-z0-9-]+\/[a-z0-9-]+)@0\.2\.\d+$/.exec(name);
        return name === 'flush' || (!!m && m[1] in interfaces);
      },
    },
  );
}
