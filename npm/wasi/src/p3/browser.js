// WASI 0.3 for browsers (and any JS engine with TextDecoder, crypto, performance and
// setTimeout; imports nothing from node): `wasiImports(options, wasiImports2)` returns
// an imports object that answers every `wasi:<package>/<interface>@0.3.x` import name
// (and the `@0.2.x` names through the 0.2 browser shim it is given, sharing the console
// sinks and trees; ../p3-browser.js, the package entry, gives it p2/browser.js's).
// WASI 0.3 calls are asynchronous, so nothing here needs JSPI or Atomics.wait.
import { lineSink } from '../shared/line-sink.js';
import { makeImports } from './common.js';
import { httpInterfaces } from './http.js';
import { MemFs, memFilesystem } from './memfs.js';
import { OpfsFs, withOpfs } from './opfs.js';
import { deniedSockets } from './sockets.js';

export { WasiExit } from './common.js';
export { MemFs } from './memfs.js';
export { OpfsFs } from './opfs.js';
export { InstancePool, toFetchHandler } from './http.js';

const origin = performance.now();

/**
 * @param {import('./common.js').Options & { preopens?: Record<string, MemFs | OpfsFs | import('../shared/memfs.js').TreeInput> }} options
 *   `fs`: a `MemFs`, `OpfsFs` or tree preopened as `/`; `preopens`: more by guest path
 *   (default when neither is given: an empty tree as `/`). `OpfsFs` preopens (OPFS,
 *   asynchronous) are not offered to the `@0.2.x` filesystem names.
 * @param {(options: object) => any} wasiImports2 the WASI 0.2 browser shim's
 *   `wasiImports`, which answers the `@0.2.x` names (called on first use)
 */
export function wasiImports(options, wasiImports2) {
  const out = lineSink((line) => console.log(line));
  const err = lineSink((line) => console.error(line));
  /** @type {Record<string, MemFs | OpfsFs>} */
  const preopens = {};
  const trees = { ...(options.fs !== undefined || options.preopens === undefined ? { '/': options.fs ?? new MemFs() } : {}), ...options.preopens };
  for (const [guest, t] of Object.entries(trees)) preopens[guest] = t instanceof MemFs || t instanceof OpfsFs ? t : new MemFs(t);
  const memPreopens = Object.fromEntries(Object.entries(preopens).filter(([, t]) => t instanceof MemFs));
  return makeImports(
    {
      monotonicNow: () => BigInt(Math.round((performance.now() - origin) * 1e6)),
      monotonicResolution: 1_000_000n,
      systemNow() {
        const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
        return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
      },
      stdout: out.sink,
      stderr: err.sink,
      flushStdout: out.flush,
      flushStderr: err.flush,
      defaultStdin: () => async () => null,
      filesystem: withOpfs(preopens, memFilesystem),
      sockets: deniedSockets(),
      http: httpInterfaces({ fetch: options.fetch, handler: options.httpHandler, forbiddenHeaders: options.forbiddenHeaders }),
      p2: (sinks) =>
        wasiImports2({
          ...options,
          fs: undefined,
          preopens: memPreopens,
          stdin: typeof options.stdin === 'string' || options.stdin instanceof Uint8Array ? options.stdin : undefined,
          ...sinks,
        }),
    },
    options,
  );
}
