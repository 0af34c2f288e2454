// The `error-code` of a failed `fetch`, shared by the WASI 0.2 and 0.3 http clients:
// node's and undici's error codes (in `cause`) map to their cases; browsers only say
// `TypeError`, which becomes `internal-error` with its message.

/**
 * Maps a fetch failure to an `error-code` (node/undici errno codes in `cause`; browsers
 * only say `TypeError`, which becomes `internal-error` with its message).
 * @param {any} e
 */
export function fetchErrorCode(e) {
  const cause = e?.cause ?? e;
  const code = String(cause?.code ?? cause?.errors?.[0]?.code ?? '');
  const msg = String(cause?.message ?? e?.message ?? e);
  switch (code) {
    case 'ECONNREFUSED':
      return { tag: 'connection-refused' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { tag: 'connection-terminated' };
    case 'ENOTFOUND':
      return { tag: 'DNS-error', value: { rcode: 'NXDOMAIN', infoCode: null } };
    case 'EAI_AGAIN':
      return { tag: 'DNS-timeout' };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { tag: 'connection-timeout' };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { tag: 'HTTP-response-timeout' };
    case 'UND_ERR_BODY_TIMEOUT':
      return { tag: 'connection-read-timeout' };
    case 'EHOSTUNREACH':
      return { tag: 'destination-unavailable' };
    case 'ENETUNREACH':
      return { tag: 'destination-IP-unroutable' };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return { tag: 'HTTP-protocol-error' };
    case 'ERR_INVALID_URL':
      return { tag: 'HTTP-request-URI-invalid' };
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { tag: 'TLS-certificate-error' };
  }
  if (code.startsWith('HPE_')) return { tag: 'HTTP-protocol-error' };
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return { tag: 'TLS-protocol-error' };
  return { tag: 'internal-error', value: code ? `${code}: ${msg}` : msg };
}
