// wasi:filesystem@0.2 pieces shared by the node and in-memory backends (failures by
// name and `splitPath` are in ../shared, for 0.3 too).
import { ERRNO_CODES, FsError, fail } from '../shared/fs-errors.js';

/** The `error-code` for a thrown error: its `wasiCode`, its errno name, or `io`. */
export function errorCode(/** @type {any} */ e) {
  if (e && typeof e === 'object') {
    if (typeof e.wasiCode === 'string') return e.wasiCode;
    if (typeof e.code === 'string' && e.code in ERRNO_CODES) return ERRNO_CODES[/** @type {keyof typeof ERRNO_CODES} */ (e.code)];
  }
  return 'io';
}

/** Runs `f`, turning errno errors into `err(error-code)`. @template T @param {() => T} f */
export function mapErrors(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof FsError) throw e;
    if (e && typeof e === 'object' && typeof (/** @type {any} */ (e).code) === 'string' && /^E[A-Z]+$/.test(/** @type {any} */ (e).code)) fail(errorCode(e));
    throw e;
  }
}

/** `wasi:filesystem/types.directory-entry-stream` over a snapshot. */
export class DirectoryEntryStream {
  /** @param {{ type: string, name: string }[]} entries */
  constructor(entries) {
    this.entries = entries;
  }
  readDirectoryEntry() {
    return this.entries.shift() ?? null;
  }
}

/** `filesystem-error-code(err)`: the code of a stream error that came from a file. */
export function filesystemErrorCode(/** @type {{ code?: string | null }} */ err) {
  return err?.code ?? null;
}
