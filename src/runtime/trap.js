// Canonical ABI traps. `Trap` extends WebAssembly.RuntimeError, so code that catches
// core wasm traps catches these too. It is created once per JS realm (keyed by a
// registered symbol), so every transpiled component and every copy of this runtime
// throws the same class and `instanceof Trap` works across them.

/** @type {new (message: string) => WebAssembly.RuntimeError} */
export const Trap = (globalThis[Symbol.for('weft.Trap')] ??= class Trap extends WebAssembly.RuntimeError {
  /** @param {string} message the cause */
  constructor(message) {
    super(message);
    this.name = 'Trap';
  }
});

/**
 * Throws a `Trap` naming the cause (the spec's `trap_if`).
 * @param {string} message
 * @returns {never}
 */
export function trap(message) {
  throw new Trap(message);
}

/**
 * The pointer checks of the canonical ABI: `ptr` (unsigned) is aligned to `align` and
 * `size` bytes from it fit in the memory `view` shows. `what` names the pointer.
 * @param {DataView} view @param {number} ptr @param {number} align @param {number} size
 * @param {string} what
 */
export function checkPtr(view, ptr, align, size, what) {
  if ((ptr & (align - 1)) !== 0) trap(`${what} is not aligned to ${align} bytes`);
  if (ptr + size > view.byteLength) trap(`${what} is out of bounds of linear memory`);
}
