// `webidl:` imports bound to the platform (crates/js/src/webidl.rs): what the
// generated module resolves once, at instantiation, and the few shapes a direct call
// cannot give (an event handler's events as a stream, a rejection as `js-error`).

import { trap } from './trap.js';

/**
 * The platform lacks what a `webidl:` import of the component names: thrown at
 * instantiation, naming the interface or member and the import that uses it.
 */
export class WebIdlMissing extends Error {
  constructor(message) {
    super(message);
    this.name = 'WebIdlMissing';
  }
}

/** `globalThis[name]`, a WebIDL interface object (or a namespace object). */
export function idlInterface(name, where) {
  const v = globalThis[name];
  if ((typeof v !== 'function' && typeof v !== 'object') || v === null) {
    throw new WebIdlMissing(`this JS engine has no WebIDL interface or namespace \`${name}\` (used by ${where})`);
  }
  return v;
}

/** Checks that `owner` (a prototype, an interface or namespace object) has `member`. */
export function idlMember(owner, member, what, where) {
  if (!(member in owner)) {
    throw new WebIdlMissing(`this JS engine has no \`${what}\` (used by ${where})`);
  }
}

// `--webidl-missing trap` (`Options::webidl_missing`): what the engine lacks does not
// stop instantiation. `idlInterfaceOrAbsent` and `idlHas` record it instead of throwing,
// and the generated call of a function that uses it is `ok ? call : idlMissingTrap(...)`.
// The record is for inspection (a test, a page's diagnostics) without changing the
// component's API: not an export, but the array `globalThis[Symbol.for('weft.webidlMissing')]`
// (a registered symbol, as `weft.Trap` is: shared by every weft module of the realm, off
// the string-keyed global names), to which each instantiation appends one
// `{ member, import }` per member or interface it found missing (`member` as the error
// names it: `Node.prototype.appendChild`, `URL.canParse`, `console.log`, `Navigator`;
// `import`: the first function using it). Nothing is recorded in the default mode.

/** The array `trap` mode records what is missing in. */
export function idlMissingRecord() {
  return (globalThis[Symbol.for('weft.webidlMissing')] ??= []);
}

/**
 * Stands for an interface the engine lacks, in `trap` mode: no member, no prototype
 * member, no instance (`instanceof` is false), so every check of one fails too.
 */
export const idlAbsent = Object.freeze(
  Object.assign(Object.create(null), {
    prototype: Object.freeze(Object.create(null)),
    [Symbol.hasInstance]: () => false,
  }),
);

/** `idlInterface` in `trap` mode: a missing interface is recorded, and `idlAbsent`. */
export function idlInterfaceOrAbsent(name, where) {
  const v = globalThis[name];
  if ((typeof v !== 'function' && typeof v !== 'object') || v === null) {
    idlMissingRecord().push({ member: name, import: where });
    return idlAbsent;
  }
  return v;
}

/** `idlMember` in `trap` mode: whether `owner` has `member`; a missing one is recorded. */
export function idlHas(owner, member, what, where) {
  if (member in owner) return true;
  idlMissingRecord().push({ member: what, import: where });
  return false;
}

/** The call of a function whose platform member is missing, in `trap` mode: a trap. */
export function idlMissingTrap(what, where) {
  trap(`this JS engine has no \`${what}\` (used by ${where})`);
}

/** The global object, checked to be an instance of `cls` (`get-window`). */
export function idlGlobal(cls, name, where) {
  if (!(globalThis instanceof cls)) {
    throw new WebIdlMissing(`the global object is not a \`${name}\` (${where} returns it)`);
  }
  return globalThis;
}

/**
 * The events of type `type` at `target`, as a stream: a listener feeds it, and is
 * removed when the guest drops the stream's readable end.
 */
export function idlEvents(target, type) {
  let listener;
  return new ReadableStream({
    start(controller) {
      listener = (e) => controller.enqueue(e);
      target.addEventListener(type, listener);
    },
    cancel() {
      target.removeEventListener(type, listener);
    },
  });
}

/** What a platform promise rejected with, as the WIT record `js-error`. */
export function idlErrPayload(e) {
  const name = e !== null && typeof e === 'object' && typeof e.name === 'string' ? e.name : 'Error';
  const message = e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
  return { name, message };
}

/** Bytes the platform returned (`ArrayBuffer`, a view) as the `Uint8Array` a `list<u8>` lowers from. */
export function idlBytes(v) {
  if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer)) {
    return new Uint8Array(v);
  }
  if (ArrayBuffer.isView(v) && !(v instanceof Uint8Array)) {
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  return v;
}

/**
 * The arguments of an overload webidl2wit's `params` variant carries: a tuple's
 * elements, one value alone, none for an absent `option` (a one-argument overload
 * whose argument is a sequence cannot be told from a tuple: its elements are spread).
 */
export function idlParams(v) {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
