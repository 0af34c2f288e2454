// What the playground gives a component for what it has no host for. Both functions are
// self-contained: dom-frame.js writes their source into the sandboxed frame's page.

/**
 * A stand-in for the import `name`: any member of it is a function that throws, naming
 * the import and the member (`then` is absent, so the object is not taken for a promise).
 */
export function missingImport(name) {
  return new Proxy(
    {},
    {
      get(_, prop) {
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        return function missing() {
          throw new Error(`the playground has no host for the import ${name} (${prop})`);
        };
      },
    },
  );
}

/** Removes JSPI from this realm, as in an engine without it (the generated code checks
 * for `WebAssembly.Suspending` and `WebAssembly.promising`). */
export function withoutJspi() {
  delete WebAssembly.Suspending;
  delete WebAssembly.promising;
}
