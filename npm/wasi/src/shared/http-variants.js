// The `method` and `scheme` variants of wasi:http 0.2 and 0.3 as the strings fetch uses,
// and the check of an authority.

/** The `method` cases other than `other`. */
export const METHODS = ['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch'];

/** `method` variant → `'GET'`. @param {{ tag: string, value?: string }} m */
export function methodName(m) {
  return m.tag === 'other' ? /** @type {string} */ (m.value) : m.tag.toUpperCase();
}

/** `scheme` variant → `'http'`. @param {{ tag: string, value?: string }} s */
export function schemeName(s) {
  return s.tag === 'other' ? /** @type {string} */ (s.value) : s.tag.toLowerCase();
}

/**
 * Whether `a` is an authority as wasmtime's `set-authority` takes it (the `http` crate's
 * `Authority` with a port, if any, that fits in 16 bits): `host`, `host:port`,
 * `[v6]` or `[v6]:port`, where host has no whitespace, controls, `/ ? #`, or other
 * colons, and port is 0-65535. @param {string} a
 */
export function validAuthority(a) {
  if (a === '' || /[\x00-\x20\x7f/?#]/.test(a)) return false;
  let host = a;
  let port = null;
  if (a.startsWith('[')) {
    const close = a.indexOf(']');
    if (close < 0 || !/^[0-9A-Fa-f:.]*$/.test(a.slice(1, close).replace(/%.*$/, ''))) return false;
    const rest = a.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return false;
      port = rest.slice(1);
    }
  } else {
    const parts = a.split(':');
    if (parts.length > 2) return false;
    [host, port = null] = parts;
    if (host.includes('[') || host.includes(']')) return false;
  }
  return port === null || (/^[0-9]{1,5}$/.test(port) && Number(port) <= 65535);
}
