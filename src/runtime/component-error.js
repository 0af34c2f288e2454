// The error thrown when an export returns the `err` case of a top-level `result`.
// `payload` is the lifted `err` value. Shared per realm like `Trap`, so
// `instanceof ComponentError` works across transpiled components.

/** @type {new (payload: unknown) => Error & { payload: unknown }} */
export const ComponentError = (globalThis[Symbol.for('weft.ComponentError')] ??= class ComponentError extends Error {
  /** @param {unknown} payload the `err` value */
  constructor(payload) {
    super(typeof payload === 'string' ? payload : `component returned an error: ${componentErrorSummary(payload)}`);
    this.name = 'ComponentError';
    /** The `err` value. */
    this.payload = payload;
  }
});

/** A readable one-line rendering of a non-string payload (bigints as `7n`). */
function componentErrorSummary(payload) {
  if (payload === undefined) return 'undefined';
  try {
    const json = JSON.stringify(payload, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    return json === undefined ? String(payload) : json;
  } catch {
    return String(payload);
  }
}
