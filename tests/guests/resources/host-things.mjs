// The JS side of the resources guest's `weft:test/host-things` import, for
// resources/test.mjs in node and in the page: instantiation mode passes the module's
// exports to `instantiate`; the ESM page transpiles the guest with
// `--map weft:test/*=/tests/guests/resources/*.mjs`, so the guest imports this module.
// `HostThing` records its disposals in `disposed`.

/** Names of the `HostThing`s whose `[Symbol.dispose]` ran, in order. */
export const disposed = [];

export class HostThing {
  constructor(name) {
    this._name = name;
  }
  name() {
    return this._name;
  }
  setName(name) {
    this._name = name;
  }
  static create(name) {
    return new HostThing(`created ${name}`);
  }
  [Symbol.dispose]() {
    disposed.push(this._name);
  }
}

export const makeThing = (name) => new HostThing(`made ${name}`);

export function describe(t) {
  if (!(t instanceof HostThing)) throw new TypeError('describe: not a HostThing');
  return `thing called ${t.name()}`;
}
