// `wasi:http/types.fields` (also `headers` and `trailers`), shared by the WASI 0.2 and
// 0.3 shims: names stored in lower case, values as bytes. Guest-made fields reject
// invalid names and values (`invalid-syntax`) and the `FORBIDDEN_HEADERS`
// (`forbidden`); fields handed out by requests and responses are immutable.

/** Header names a guest may not set: hop-by-hop ones, and those the host derives from
 * the request (`host` comes from the authority). */
export const FORBIDDEN_HEADERS = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'transfer-encoding', 'upgrade', 'host', 'http2-settings',
]);

export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Throws the `err` case of a top-level `result` (`undefined` for `result<_, _>`). */
export function fail(/** @type {unknown} */ payload, message = 'wasi:http error') {
  const tag = /** @type {any} */ (payload)?.tag;
  throw Object.assign(new Error(tag ? `${message}: ${tag}` : message), { payload });
}

/** Bytes as a Latin-1 ("isomorphic") string, the way HTTP header values travel in JS. */
export function latin1(/** @type {Uint8Array} */ bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

/** A Latin-1 string as bytes (code units above 0xFF are replaced by `?`). */
export function fromLatin1(/** @type {string} */ s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i] = c > 0xff ? 0x3f : c;
  }
  return out;
}

function validValue(/** @type {Uint8Array} */ v) {
  for (const b of v) if ((b < 0x20 && b !== 0x09) || b === 0x7f) return false;
  return true;
}

/** The members both WASI versions share; each shim subclasses it. A subclass may
 * replace the static `forbidden` (a host that forbids more names, see p3/http.js). */
export class FieldsBase {
  /** Header names a guest may not set through this class. @type {Set<string>} */
  static forbidden = FORBIDDEN_HEADERS;

  constructor() {
    /** @type {[string, Uint8Array][]} */
    this.list = [];
    this.immutable = false;
  }

  /** Host side: fields from `[name, value]` pairs, unchecked. @param {Iterable<[string, string | Uint8Array]>} pairs */
  static fromHost(pairs, immutable = true) {
    const f = new this();
    for (const [n, v] of pairs) f.list.push([n.toLowerCase(), typeof v === 'string' ? fromLatin1(v) : v.slice()]);
    f.immutable = immutable;
    return f;
  }

  /** @param {[string, Uint8Array][]} entries */
  static fromList(entries) {
    const f = new this();
    for (const [n, v] of entries) f.append(n, v);
    return f;
  }

  /** @param {string} name */
  check(name, mutate = true) {
    if (mutate && this.immutable) fail({ tag: 'immutable' }, 'header error');
    if (!TOKEN.test(name)) fail({ tag: 'invalid-syntax' }, 'header error');
    if (mutate && /** @type {typeof FieldsBase} */ (this.constructor).forbidden.has(name.toLowerCase())) fail({ tag: 'forbidden' }, 'header error');
    return name.toLowerCase();
  }

  /** @param {string} name */
  get(name) {
    const n = name.toLowerCase();
    return this.list.filter(([k]) => k === n).map(([, v]) => v.slice());
  }

  /** @param {string} name */
  has(name) {
    const n = name.toLowerCase();
    return this.list.some(([k]) => k === n);
  }

  /** @param {string} name @param {Uint8Array[]} values */
  set(name, values) {
    const n = this.check(name);
    for (const v of values) if (!validValue(v)) fail({ tag: 'invalid-syntax' }, 'header error');
    this.list = this.list.filter(([k]) => k !== n);
    for (const v of values) this.list.push([n, v.slice()]);
  }

  /** @param {string} name */
  delete(name) {
    const n = this.check(name);
    this.list = this.list.filter(([k]) => k !== n);
  }

  /** `get-and-delete`. @param {string} name */
  getAndDelete(name) {
    const n = this.check(name);
    const values = this.get(n);
    this.list = this.list.filter(([k]) => k !== n);
    return values;
  }

  /** @param {string} name @param {Uint8Array} value */
  append(name, value) {
    const n = this.check(name);
    if (!validValue(value)) fail({ tag: 'invalid-syntax' }, 'header error');
    this.list.push([n, value.slice()]);
  }

  /** A mutable copy. */
  clone() {
    return /** @type {any} */ (this.constructor).fromHost(this.list, false);
  }
}
