// Reading the `imports` argument of `instantiate()` in instantiation mode.

/**
 * The value supplied for import `name`; a missing one is a TypeError naming it.
 * @param {Record<string, any>} imports @param {string} name
 */
export function importOf(imports, name) {
  const value = imports == null ? undefined : imports[name];
  if (value === undefined) throw new TypeError('missing import `' + name + '`');
  return value;
}
