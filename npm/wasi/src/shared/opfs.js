// What both OPFS backends (WASI 0.2 `OpfsMirror`, p2/opfs.js; WASI 0.3 `OpfsFs`,
// p3/opfs.js) share: the File System API's DOMException names as `error-code` names, and
// the OPFS directory at a path.

/** DOMException names of the File System API → `wasi:filesystem` `error-code` names. */
export const DOM_ERROR_CODES = {
  NotFoundError: 'no-entry',
  TypeMismatchError: 'not-directory', // callers that know better say `is-directory`
  InvalidModificationError: 'not-empty', // removeEntry of a non-empty directory
  NoModificationAllowedError: 'busy', // locked (a sync access handle or writable elsewhere)
  QuotaExceededError: 'quota',
  NotAllowedError: 'access',
  SecurityError: 'access',
  NotReadableError: 'io',
  InvalidStateError: 'io',
  OperationError: 'io',
  AbortError: 'interrupted',
};

/**
 * The `error-code` name for an error thrown by the File System API: a DOMException by
 * name (unknown names → `io`), a TypeError (a name OPFS refuses, e.g. with `\`) →
 * `invalid`; null for anything else (not a File System API failure).
 * @param {unknown} e @returns {string | null}
 */
export function domErrorCode(e) {
  if (typeof DOMException === 'function' && e instanceof DOMException) return /** @type {Record<string, string>} */ (DOM_ERROR_CODES)[e.name] ?? 'io';
  if (e instanceof TypeError) return 'invalid';
  return null;
}

/**
 * The OPFS directory at a `/`-separated path below the origin's root (made when
 * missing unless `create` is false); `''` is the root itself.
 * @param {string} [path] @param {{ create?: boolean }} [options]
 * @returns {Promise<FileSystemDirectoryHandle>}
 */
export async function opfsDirectory(path = '', { create = true } = {}) {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') {
    throw new Error('the Origin Private File System is not available here (navigator.storage.getDirectory; it needs a secure context)');
  }
  let dir = await navigator.storage.getDirectory();
  for (const seg of path.split('/').filter((s) => s !== '' && s !== '.')) dir = await dir.getDirectoryHandle(seg, { create });
  return dir;
}
