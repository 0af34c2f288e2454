// Filesystem failures by `error-code` name, for WASI 0.2 and 0.3: `FsError` (the 0.2 shim
// returns its name as is; the 0.3 shim turns it into its variant) and node's errno names
// mapped to those names.

/** A `wasi:filesystem/types.error-code` failure: `payload` makes generated code return
 * `err(code)`; `wasiCode` lets streams report it through `filesystem-error-code`. */
export class FsError extends Error {
  /** @param {string} code */
  constructor(code) {
    // No stack trace: a failure such as `no-entry` is an answer (a search looks for an
    // ignore file in every directory), and capturing a stack for each was costly.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(code);
    } finally {
      Error.stackTraceLimit = limit;
    }
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
