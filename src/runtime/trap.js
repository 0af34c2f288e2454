// The one error class for Canonical ABI traps. It extends WebAssembly.RuntimeError, so
// code that catches core wasm traps catches these too, and it is created once per JS
// realm (keyed by a registered symbol) so every transpiled component shares it.

/** @type {typeof WebAssembly.RuntimeError} */
export const Trap = (globalThis[Symbol.for('weft.Trap')] ??= class Trap extends WebAssembly.RuntimeError {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'Trap';
  }
});

/** Throws a `Trap` naming the cause. @param {string} message @returns {never} */
export function trap(message) {
  throw new Trap(message);
}
