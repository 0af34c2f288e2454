// wasi:filesystem@0.2 pieces shared by the node and in-memory backends.

/** A `wasi:filesystem/types.error-code` failure: `payload` makes generated code return
 * `err(code)`; `wasiCode` lets streams report it through `filesystem-error-code`. */
export class FsError extends Error {
  /** @param {string} code */
  constructor(code) {
    super(code);
    this.payload = code;
    this.wasiCode = code;
  }
}

/** Throws `err(code)`. @param {string} code @returns {never} */
export function fail(code) {
  throw new FsError(code);
}

/** Node's errno names → `error-code` (anything else is `io`). */
export const ERRNO_CODES = {
  EACCES: 'access', EAGAIN: 'would-block', EWOULDBLOCK: 'would-block', EALREADY: 'already',
  EBADF: 'bad-descriptor', EBUSY: 'busy', EDEADLK: 'deadlock', EDQUOT: 'quota', EEXIST: 'exist',
  EFBIG: 'file-too-large', EILSEQ: 'illegal-byte-sequence', EINPROGRESS: 'in-progress',
  EINTR: 'interrupted', EINVAL: 'invalid', EIO: 'io', EISDIR: 'is-directory', ELOOP: 'loop',
  EMLINK: 'too-many-links', EMSGSIZE: 'message-size', ENAMETOOLONG: 'name-too-long',
  ENODEV: 'no-device', ENOENT: 'no-entry', ENOLCK: 'no-lock', ENOMEM: 'insufficient-memory',
  ENOSPC: 'insufficient-space', ENOTDIR: 'not-directory', ENOTEMPTY: 'not-empty',
  ENOTRECOVERABLE: 'not-recoverable', ENOTSUP: 'unsupported', EOPNOTSUPP: 'unsupported',
  ENOSYS: 'unsupported', ENOTTY: 'no-tty', ENXIO: 'no-such-device', EOVERFLOW: 'overflow',
  EPERM: 'not-permitted', EPIPE: 'pipe', EROFS: 'read-only', ESPIPE: 'invalid-seek',
  ETXTBSY: 'text-file-busy', EXDEV: 'cross-device',
};

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

/** Nanoseconds → `datetime`. @param {bigint} ns */
export function datetime(ns) {
  return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
}

/**
 * Splits a guest path relative to a directory into segments (without `''` and `.`):
 * absolute paths are `not-permitted`, empty ones `no-entry`. `..` stays; each backend
 * refuses it above the preopen.
 * @param {string} path @returns {string[]}
 */
export function splitPath(path) {
  if (path === '') fail('no-entry');
  if (path.startsWith('/')) fail('not-permitted');
  if (path.includes('\0')) fail('invalid');
  return path.split('/').filter((seg) => seg !== '' && seg !== '.');
}
