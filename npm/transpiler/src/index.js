// @weft/transpiler: weft's transpiler (crates/wasm) compiled to WebAssembly.
// The wasm is instantiated lazily on the first call (or by `init`).
import { loadWasm } from '#load-wasm';

let ready;

/**
 * Instantiates the transpiler's wasm now instead of on the first call. `source`
 * (optional) is what to load instead of the bundled `weft_bg.wasm`: a URL, a
 * `Response`, bytes or a `WebAssembly.Module`.
 */
export function init(source) {
  ready ??= loadWasm(source).catch((e) => {
    ready = undefined; // let a later call retry
    throw e;
  });
  return ready.then(() => undefined);
}

async function bindings() {
  await init();
  return ready;
}

/** Bytes or WAT text → the `[bytes, options]` the wasm functions take. */
function prepare(input, options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const opts = { ...options };
  let bytes;
  if (typeof input === 'string') {
    bytes = new TextEncoder().encode(input);
    opts.wat ??= true;
  } else if (input instanceof Uint8Array) {
    bytes = input;
  } else if (input instanceof ArrayBuffer) {
    bytes = new Uint8Array(input);
  } else if (ArrayBuffer.isView(input)) {
    bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  } else {
    throw new TypeError('the component must be a Uint8Array, an ArrayBuffer or WAT text (a string)');
  }
  if (opts.map !== undefined && !Array.isArray(opts.map)) {
    opts.map = opts.map instanceof Map ? [...opts.map] : Object.entries(opts.map);
  }
  for (const key of ['name', 'instantiation', 'compat', 'base64Cutoff', 'map', 'typescript', 'asyncImports', 'asyncExports', 'minify', 'tlaCompat', 'maxInstances', 'maxNesting', 'maxCodeSize', 'inputName', 'wat']) {
    if (opts[key] === undefined) delete opts[key];
  }
  return [bytes, opts];
}

/**
 * Transpiles a component. Resolves to `{ files, imports, exports }`, `files` an object
 * from file name to contents (the JS module first, then the `.d.ts`, then core wasm
 * files). Rejects with an `Error` whose message is what the native `weft` prints after
 * `error: `; a bug in weft (not in the input) has `code: 'WEFT_BUG'`.
 */
export async function transpile(component, options) {
  const w = await bindings();
  const [bytes, opts] = prepare(component, options);
  const out = w.transpile(bytes, opts);
  return { files: Object.fromEntries(out.files), imports: out.imports, exports: out.exports };
}

/** The WIT of a component, as `weft wit` prints it. */
export async function wit(component, options) {
  const w = await bindings();
  const [bytes, opts] = prepare(component, options);
  return w.wit(bytes, opts);
}

/**
 * The native CLI's layout of an error chain: `message`, then a blank line, `Caused by:`
 * and one indented `N: cause` line per cause (outermost first).
 */
export async function formatError(message, causes = []) {
  const w = await bindings();
  return w.formatError(String(message), causes.map(String));
}
