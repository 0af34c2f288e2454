// Declarations of what the WASI 0.2 entries (`@weft/wasi/p2`, `/p2/node`, `/p2/browser`)
// share: the options of `wasiImports` and the imports object it returns. Hand-written,
// from p2/common.js and p2/io.js; the interfaces' members are typed from
// ../iface/p2-wit.d.ts (the WIT in weft's JS value shapes).
import type { Interfaces } from '../iface/p2-wit.js';

export type { Interfaces };

/** Thrown when a guest blocks synchronously on something only a JS promise can give (its message names JSPI). */
export declare class BlockingError extends Error {
  /** @param what what would block, e.g. `sleeping 10 ms` */
  constructor(what: string);
  name: 'BlockingError';
}

/**
 * A synchronous stdin source: `read` returns the bytes available now (possibly empty)
 * or `null` at the end; `blockingRead` (optional) waits for at least one byte or the
 * end; `ready` (optional) says whether a read would return something.
 */
export interface Source {
  read(max: number): Uint8Array | null;
  ready?(): boolean;
  blockingRead?(max: number): Uint8Array | null;
}

/** The patch versions `wasiImports()`'s object is typed with by name (it answers any 0.2.x). */
type Patch = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12;

/**
 * The imports object for `instantiate()`: a `Proxy` answering every
 * `wasi:<package>/<interface>@0.2.x` name (any patch version) with that interface, and
 * `flush()`. Spreading it copies nothing: look names up in it.
 */
export type WasiImports = { readonly [K in keyof Interfaces as `wasi:${K}@0.2.${Patch}`]: Interfaces[K] } & {
  readonly [K in keyof Interfaces as `wasi:${K}@0.2.${number}`]: Interfaces[K];
} & {
  /** Prints a last console line that had no newline (browsers' default stdout/stderr). */
  flush(): void;
};

/**
 * Per-interface overrides: `{ 'cli/stdout': { getStdout } }` (also `wasi:cli/stdout` or
 * with a version): the members given replace the shim's, the rest of the interface stays.
 */
export type Overrides = { [K in keyof Interfaces]?: Partial<Interfaces[K]> } & { [name: `wasi:${string}`]: object };

/** The options both WASI 0.2 shims take. */
export interface CommonOptions {
  /** `get-arguments` (the program name first, by convention); default `[]`. */
  args?: string[];
  /** `get-environment`; default `{}` (the host's `process.env` is not passed). */
  env?: Record<string, string>;
  /** `initial-cwd` (default none). */
  cwd?: string | null;
  /** Sink for stdout (default: fd 1 in node, `console.log` per line in browsers). */
  stdout?: (bytes: Uint8Array) => void;
  /** Sink for stderr (fd 2 / `console.error`). */
  stderr?: (bytes: Uint8Array) => void;
  /** Per-interface overrides (`{ 'cli/stdout': { getStdout } }`). */
  overrides?: Overrides;
}
