// wasi:filesystem@0.3 pieces shared by the node and in-memory backends: the
// `error-code` and `descriptor-type` variants, and stat records.
import { ERRNO_CODES, FsError } from '../shared/fs-errors.js';

/** The `error-code` cases of wasi:filesystem@0.3 other than `other`. */
const CODES = new Set([
  'access', 'already', 'bad-descriptor', 'busy', 'deadlock', 'quota', 'exist', 'file-too-large',
  'illegal-byte-sequence', 'in-progress', 'interrupted', 'invalid', 'io', 'is-directory', 'loop',
  'too-many-links', 'message-size', 'name-too-long', 'no-device', 'no-entry', 'no-lock',
  'insufficient-memory', 'insufficient-space', 'not-directory', 'not-empty', 'not-recoverable',
  'unsupported', 'no-tty', 'no-such-device', 'overflow', 'not-permitted', 'pipe', 'read-only',
  'invalid-seek', 'text-file-busy', 'cross-device',
]);

/** An `error-code` value for a code name: `{ tag }`, or `other(some(name))` for names
 * 0.3 does not have (e.g. 0.2's `would-block`). @param {string} code */
export function errorCode(code) {
  return CODES.has(code) ? { tag: code } : { tag: 'other', value: code };
}

/** A `wasi:filesystem` failure: `payload` makes generated code return `err(payload)`. */
export class FsError3 extends Error {
  /** @param {{ tag: string, value?: unknown }} payload */
  constructor(payload) {
    super(payload.tag === 'other' ? `other: ${payload.value}` : payload.tag);
    this.name = 'FsError';
    this.payload = payload;
  }
}

/** Throws `err(code)`. @param {string} code @returns {never} */
export function fail(code) {
  throw new FsError3(errorCode(code));
}

/**
 * The `error-code` of a thrown error: the code of an `FsError` (by name) or an `FsError3`, an
 * errno name (`ENOENT` → `no-entry`, unknown ones → `other("EXYZ")`); anything else
 * (a bug, a `TypeError`) is rethrown, so it traps.
 * @param {unknown} e
 */
export function codeOf(e) {
  if (e instanceof FsError3) return e.payload;
  if (e instanceof FsError) return errorCode(e.payload);
  const code = /** @type {any} */ (e)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) {
    const name = /** @type {Record<string, string>} */ (ERRNO_CODES)[code];
    return name === undefined ? { tag: 'other', value: code } : errorCode(name);
  }
  throw e;
}

/** Runs `f` (sync or async), turning filesystem errors into `err(error-code)` rejections.
 * @template T @param {() => T | Promise<T>} f @returns {Promise<T>} */
export async function guard(f) {
  try {
    return await f();
  } catch (e) {
    const payload = codeOf(e);
    throw e instanceof FsError3 ? e : new FsError3(/** @type {any} */ (payload));
  }
}

/** A 0.2 `descriptor-type` name as the 0.3 variant (`unknown` → `other(none)`). @param {string} type */
export function descriptorType(type) {
  return type === 'unknown' ? { tag: 'other', value: null } : { tag: type };
}

/** A 0.2 `descriptor-stat` as 0.3's (the type is a variant; timestamps are `instant`s).
 * @param {{ type: string, linkCount: bigint, size: bigint, dataAccessTimestamp: any, dataModificationTimestamp: any, statusChangeTimestamp: any }} s */
export function stat3(s) {
  return {
    type: descriptorType(s.type),
    linkCount: s.linkCount,
    size: s.size,
    dataAccessTimestamp: s.dataAccessTimestamp ?? null,
    dataModificationTimestamp: s.dataModificationTimestamp ?? null,
    statusChangeTimestamp: s.statusChangeTimestamp ?? null,
  };
}
