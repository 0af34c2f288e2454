// `WasiExit`, what `wasi:cli/exit` throws in the WASI 0.2 and 0.3 shims alike (one
// class, so an embedder's `instanceof` holds whichever version the guest imports).

/** Thrown by `wasi:cli/exit.exit` and `exit-with-code`; the embedder decides what
 * exiting means (the guest's stack unwinds and its instance is poisoned). */
export class WasiExit extends Error {
  /** @param {number} code */
  constructor(code) {
    super(`exit with code ${code}`);
    this.name = 'WasiExit';
    this.code = code;
  }
}
