// Stand-ins for WASI imports that a guest declares but the tests never call: every
// function throws, every resource type (an UpperCamelCase name) is an empty class.
//
// The guests here are `no_std` and import nothing from WASI (see
// guest-rt/src/lib.rs); a guest built with `std` imports the `wasi:cli` and `wasi:io`
// interfaces its panic and stdio machinery uses, which it can get from
// `wasiStubs([...names])`.

/** `{ [name]: stub }` for each import name such as `'wasi:cli/stderr@0.2.6'`. */
export function wasiStubs(names) {
  return Object.fromEntries(names.map((name) => [name, stubInterface(name)]));
}

function stubInterface(name) {
  const members = {};
  return new Proxy(members, {
    get(target, prop) {
      // Not a thenable, and no symbols (Symbol.toPrimitive, inspection, ...).
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      if (!(prop in target)) {
        target[prop] = /^[A-Z]/.test(prop)
          ? class {}
          : () => {
              throw new Error(`unexpected WASI call: ${name}#${prop}`);
            };
      }
      return target[prop];
    },
    has(_target, prop) {
      return typeof prop === 'string' && prop !== 'then';
    },
  });
}
