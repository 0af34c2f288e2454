// Node's errno names (and libuv's negative errnos) as wasi:sockets `error-code`s, for the
// WASI 0.3 node sockets and (narrowed to 0.2's cases) the 0.2 sockets worker; and node:dns
// lookup errors as `ip-name-lookup` codes.

/** @typedef {{ tag: string, value?: unknown }} ErrorCode */

const ERRNO = /** @type {Record<string, string>} */ ({
  EACCES: 'access-denied',
  EPERM: 'access-denied',
  EAFNOSUPPORT: 'not-supported',
  EOPNOTSUPP: 'not-supported',
  ENOTSUP: 'not-supported',
  EPROTONOSUPPORT: 'not-supported',
  EINVAL: 'invalid-argument',
  EDESTADDRREQ: 'invalid-argument',
  ENOMEM: 'out-of-memory',
  ENOBUFS: 'out-of-memory',
  ETIMEDOUT: 'timeout',
  EISCONN: 'invalid-state',
  ENOTCONN: 'invalid-state',
  EALREADY: 'invalid-state',
  EADDRNOTAVAIL: 'address-not-bindable',
  EADDRINUSE: 'address-in-use',
  EHOSTUNREACH: 'remote-unreachable',
  EHOSTDOWN: 'remote-unreachable',
  ENETUNREACH: 'remote-unreachable',
  ENETDOWN: 'remote-unreachable',
  ENONET: 'remote-unreachable',
  ECONNREFUSED: 'connection-refused',
  EPIPE: 'connection-broken',
  ERR_STREAM_DESTROYED: 'connection-broken',
  ERR_STREAM_WRITE_AFTER_END: 'connection-broken',
  ERR_SOCKET_CLOSED: 'connection-broken',
  ECONNRESET: 'connection-reset',
  ECONNABORTED: 'connection-aborted',
  EMSGSIZE: 'datagram-too-large',
  ERR_SOCKET_DGRAM_NOT_RUNNING: 'invalid-state',
});

/** The `error-code` for a node error (or a negative libuv errno). @param {unknown} e @returns {ErrorCode} */
export function socketErrorCode(e) {
  let name = typeof e === 'number' ? errnoName(e) : /** @type {any} */ (e)?.code;
  if (typeof name !== 'string') name = undefined;
  const tag = name === undefined ? undefined : ERRNO[name];
  if (tag !== undefined) return { tag };
  return { tag: 'other', value: name ?? (/** @type {any} */ (e)?.message ?? null) };
}

/** @param {number} n */
function errnoName(n) {
  try {
    // node:util on first use: importing it costs a program ~10 ms of start-up.
    return process.getBuiltinModule('node:util').getSystemErrorName(n);
  } catch {
    return `errno ${n}`;
  }
}

const LOOKUP_ERRNO = /** @type {Record<string, string>} */ ({
  ENOTFOUND: 'name-unresolvable',
  ENODATA: 'name-unresolvable',
  EAI_NONAME: 'name-unresolvable',
  EAI_NODATA: 'name-unresolvable',
  EAI_ADDRFAMILY: 'name-unresolvable',
  EAI_AGAIN: 'temporary-resolver-failure',
  ETIMEOUT: 'temporary-resolver-failure',
  EAI_FAIL: 'permanent-resolver-failure',
  EACCES: 'access-denied',
  EPERM: 'access-denied',
  EINVAL: 'invalid-argument',
  EBADNAME: 'invalid-argument',
});

/** The `ip-name-lookup` `error-code` for a node:dns error. @param {unknown} e */
export function lookupErrorCode(e) {
  const code = /** @type {any} */ (e)?.code;
  const tag = typeof code === 'string' ? LOOKUP_ERRNO[code] : undefined;
  return tag !== undefined ? { tag } : { tag: 'other', value: typeof code === 'string' ? code : null };
}
