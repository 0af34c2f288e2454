// The JS side of the resources guest's `weft:test/host-things` import, as an ES module
// (the transpiled guest imports it through `--map weft:test/*=/web-tests/hosts/resources-*.js`).

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
