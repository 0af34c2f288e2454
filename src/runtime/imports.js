// Reading the `imports` argument of `instantiate()` in instantiation mode, and what a
// host function that returns a `result` throws.

/**
 * The value supplied under the first of `keys` that `imports` has (weft's own mode
 * passes one key, the import's WIT name; `--compat jco` passes jco's key, then the WIT
 * name); none is a TypeError naming the keys.
 * @param {Record<string, any>} imports @param {...string} keys
 */
export function importOf(imports, ...keys) {
  if (imports != null) {
    for (const key of keys) {
      const value = imports[key];
      if (value !== undefined) return value;
    }
  }
  throw new TypeError('missing import ' + keys.map((k) => '`' + k + '`').join(' or '));
}

/**
 * The member `name` of the import object `value` (a `--map` target `spec#Name`).
 * @param {any} value @param {string} name @param {string} key
 */
export function importMember(value, name, key) {
  const member = value[name];
  if (member === undefined) throw new TypeError('missing import `' + key + '`.' + name);
  return member;
}

/**
 * What a host function returning a `result` threw, as the `err` payload: an object
 * with a `payload` property carries it (a `ComponentError`, say); anything else is
 * rethrown, so it traps in the caller.
 * @param {unknown} e
 */
export function errPayload(e) {
  if (e !== null && typeof e === 'object' && 'payload' in e) return /** @type {any} */ (e).payload;
  throw e;
}

/**
 * jco 1.35's rule (`--compat jco`): an own `payload` property carries the payload, an
 * `Error` is rethrown and traps, and any other thrown value is the payload itself.
 * @param {unknown} e
 */
export function jcoErrPayload(e) {
  if (e != null && Object.prototype.hasOwnProperty.call(e, 'payload')) return /** @type {any} */ (e).payload;
  if (e instanceof Error) throw e;
  return e;
}

/**
 * jco's rule for a `result<_, string>`: as `jcoErrPayload`, but an `Error` becomes its
 * message instead of trapping.
 * @param {unknown} e
 */
export function jcoErrPayloadString(e) {
  if (e != null && Object.prototype.hasOwnProperty.call(e, 'payload')) return /** @type {any} */ (e).payload;
  if (e instanceof Error) return e.message;
  return e;
}
