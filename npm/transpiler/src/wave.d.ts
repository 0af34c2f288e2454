// `@weft/transpiler/wave`: WAVE, the Component Model's text syntax for values, for the
// JS values weft's generated code takes and returns (docs/js-api.md). Writes what
// wasm-wave 0.263 writes and reads what it reads (docs/record-replay.md).

import type { WitType } from './index.js';

export type { WitType };

/** Text that is not a WAVE value of its type; `offset` is where (UTF-16 code units). */
export class WaveError extends Error {
  readonly offset: number;
}

export interface WaveWriteOptions {
  /** The name a path in an error message starts with (default `value`). */
  root?: string;
  /** The text for a value WAVE has no form for (a handle, stream, future, error context). */
  handle?: (type: WitType, value: unknown, path: string) => string;
}

/** The WAVE text of `value` of `type`; a TypeError naming the path of a value not of the type. */
export function waveWrite(type: WitType, value: unknown, options?: WaveWriteOptions): string;

/** The JS value of `type` that `text` denotes; a WaveError when it is not one. */
export function waveRead(type: WitType, text: string): unknown;

/** A float as WAVE writes it (Rust's `Display`: shortest digits, no exponent). */
export function waveFloat(x: number, f32: boolean): string;

/** The WIT spelling of a type: `list<u8>`, `result<_, string>`, a named type's name. */
export function witType(type: WitType): string;
