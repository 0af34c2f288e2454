// WASI 0.2 for node: `wasiImports(options)` returns an imports object for
// `instantiate()` that answers every `wasi:<package>/<interface>@0.2.x` import name
// (any 0.2 patch version) with the node implementation.
import { writeSync, readSync } from 'node:fs';
import { IoError, InputStream, OutputStream, Pollable, poll } from './io.js';

/** Thrown by `wasi:cli/exit.exit`; the embedder decides what exiting means. */
export class WasiExit extends Error {
  /** @param {number} code */
  constructor(code) {
    super(`exit with code ${code}`);
    this.name = 'WasiExit';
    this.code = code;
  }
}

class TerminalInput {}
class TerminalOutput {}

function fdSink(fd) {
  return (bytes) => {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  };
}

function fdSource(fd) {
  return {
    read(max) {
      const buf = new Uint8Array(Math.min(max, 65536));
      let n;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if (e.code === 'EAGAIN') return new Uint8Array(0);
        if (e.code === 'EOF') return null;
        throw e;
      }
      return n === 0 ? null : buf.subarray(0, n);
    },
  };
}

/**
 * @param {{ args?: string[], env?: Record<string, string>, cwd?: string | null,
 *   stdout?: (bytes: Uint8Array) => void, stderr?: (bytes: Uint8Array) => void,
 *   stdin?: { read(max: number): Uint8Array | null } }} [options]
 */
export function wasiImports(options = {}) {
  const args = options.args ?? [];
  const env = Object.entries(options.env ?? {});
  const stdout = new OutputStream(options.stdout ?? fdSink(1));
  const stderr = new OutputStream(options.stderr ?? fdSink(2));
  const stdin = new InputStream(options.stdin ?? fdSource(0));
  const start = process.hrtime.bigint();
  const interfaces = {
    'io/error': { Error: IoError },
    'io/poll': { Pollable, poll },
    'io/streams': { InputStream, OutputStream },
    'cli/environment': {
      getEnvironment: () => env,
      getArguments: () => args,
      initialCwd: () => options.cwd ?? null,
    },
    'cli/exit': {
      exit(status) {
        throw new WasiExit(status.tag === 'ok' ? 0 : 1);
      },
      exitWithCode(code) {
        throw new WasiExit(code);
      },
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
      now: () => process.hrtime.bigint() - start,
      resolution: () => 1n,
      subscribeInstant: () => new Pollable(),
      subscribeDuration: () => new Pollable(),
    },
    'clocks/wall-clock': {
      now() {
        const ms = Date.now();
        return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1e6 }),
    },
    'random/random': {
      getRandomBytes: (len) => crypto.getRandomValues(new Uint8Array(Number(len))),
      getRandomU64: () => crypto.getRandomValues(new BigUint64Array(1))[0],
    },
    'random/insecure': {
      getInsecureRandomBytes: (len) => crypto.getRandomValues(new Uint8Array(Number(len))),
      getInsecureRandomU64: () => crypto.getRandomValues(new BigUint64Array(1))[0],
    },
    'random/insecure-seed': {
      insecureSeed: () => [crypto.getRandomValues(new BigUint64Array(1))[0], crypto.getRandomValues(new BigUint64Array(1))[0]],
    },
  };
  return new Proxy(
    {},
    {
      get(_, name) {
        const m = typeof name === 'string' && /^wasi:([a-z0-9-]+\/[a-z0-9-]+)@0\.2\.\d+$/.exec(name);
        return m ? interfaces[m[1]] : undefined;
      },
    },
  );
}
