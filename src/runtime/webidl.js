// `webidl:` imports bound to the platform (crates/js/src/webidl.rs): what the
// generated module resolves once, at instantiation, and the few shapes a direct call
// cannot give (an event handler's events as a stream, a rejection as `js-error`).

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
