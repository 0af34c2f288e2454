// The error thrown when an export returns the `err` case of a top-level `result`.
// Shared per realm like `Trap`.

export const ComponentError = (globalThis[Symbol.for('weft.ComponentError')] ??= class ComponentError extends Error {
  /** @param {unknown} payload the `err` value */
  constructor(payload) {
    super(typeof payload === 'string' ? payload : `component returned an error: ${componentErrorSummary(payload)}`);
    this.name = 'ComponentError';
    /** The `err` value. */
    this.payload = payload;
  }
});

function componentErrorSummary(payload) {
  try {
    return JSON.stringify(payload, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return String(payload);
  }
}
