// The `method` and `scheme` variants of wasi:http 0.2 and 0.3 as the strings fetch uses.

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
