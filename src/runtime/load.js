// Loading core modules: base64 inlined in the generated module, or a file next to it
// (read with node:fs in node, fetched elsewhere and compiled while streaming when the
// server sends the application/wasm MIME type).

/**
 * Compiles a base64-encoded core module.
 * @param {string} b64 @returns {Promise<WebAssembly.Module>}
 */
export async function compileBase64(b64) {
  let bytes;
  if (typeof Uint8Array.fromBase64 === 'function') {
    bytes = Uint8Array.fromBase64(b64);
  } else if (typeof atob === 'function') {
    const s = atob(b64);
    bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  } else {
    bytes = globalThis.Buffer.from(b64, 'base64');
  }
  return WebAssembly.compile(bytes);
}

/**
 * Compiles the core module at `url`: read from disk for a `file:` URL in node, else
 * fetched (streaming compilation needs `Content-Type: application/wasm`; with any other
 * type the bytes are compiled after download).
 * @param {URL} url @returns {Promise<WebAssembly.Module>}
 */
export async function compileUrl(url) {
  if (globalThis.process?.versions?.node && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`failed to fetch ${url}: ${response.status} ${response.statusText}`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * The core module `path` of an `instantiate(getCoreModule, imports)`: what
 * `getCoreModule` gives, or without one (`undefined`, as jco allows), the file next to
 * the generated module (`base`, its `import.meta.url`), as the self-instantiating
 * output loads it.
 * @param {((path: string) => WebAssembly.Module | Promise<WebAssembly.Module>) | undefined | null} getCoreModule
 * @param {string} path @param {string} base
 */
export function coreModuleOf(getCoreModule, path, base) {
  if (getCoreModule == null) return compileUrl(new URL(path, base));
  if (typeof getCoreModule !== 'function') throw new TypeError('instantiate: getCoreModule must be a function, or undefined');
  return getCoreModule(path);
}

/**
 * A core module the host gives for the component's import `label`: it must be a
 * `WebAssembly.Module` that exports at least what the component's type of it declares
 * (`[name, kind]` pairs), checked before anything is instantiated. (Function and
 * global types are checked by the engine when the instance's exports are used and its
 * imports linked.)
 * @param {unknown} m @param {string} label @param {[string, string][]} exports
 * @returns {WebAssembly.Module}
 */
export function checkCoreModule(m, label, exports) {
  if (!(m instanceof WebAssembly.Module)) {
    throw new TypeError(`the import \`${label}\` must be a WebAssembly.Module, got ${m === null ? 'null' : typeof m}`);
  }
  const has = new Map(WebAssembly.Module.exports(m).map((e) => [e.name, e.kind]));
  for (const [name, kind] of exports) {
    const got = has.get(name);
    if (got !== kind) {
      throw new TypeError(
        `the core module given for \`${label}\` ${got === undefined ? 'does not export' : `exports a ${got}, not a ${kind}, as`} \`${name}\`${got === undefined ? ` (a ${kind})` : ''}`,
      );
    }
  }
  return m;
}

/**
 * An exported component, as the host sees it: `instantiate(imports)` makes an instance
 * of it (the module generated for it, in instantiation form, whose core modules come
 * from `getCoreModule`, or from next to it) and resolves to its exports; any number of
 * times. (A browser with native components would give a `WebAssembly.Component`.)
 * @param {(getCoreModule: unknown, imports: object) => unknown} instantiate
 * @param {unknown} getCoreModule
 */
export function componentFactory(instantiate, getCoreModule) {
  return Object.freeze({
    /** @param {object} [imports] */
    instantiate: (imports = {}) => instantiate(getCoreModule, imports),
  });
}

/**
 * An instance of the component the host gave for the import `label` (a component
 * factory: an object with `instantiate(imports)`, as an exported component is), made
 * with `imports`: its exports, or a promise of them.
 * @param {any} factory @param {string} label @param {object} imports
 */
export function componentInstance(factory, label, imports) {
  if (factory === null || (typeof factory !== 'object' && typeof factory !== 'function') || typeof factory.instantiate !== 'function') {
    throw new TypeError(`the import \`${label}\` must be a component: an object with an \`instantiate(imports)\` method`);
  }
  return factory.instantiate(imports);
}

/**
 * The exports of an instance of an imported component (`componentInstance`), checked:
 * an object (not a promise, where instantiation is synchronous).
 * @param {unknown} exports @param {string} label
 */
export function componentExports(exports, label) {
  if (exports === null || typeof exports !== 'object' || typeof (/** @type {any} */ (exports).then) === 'function') {
    throw new TypeError(`instantiating the component given for \`${label}\` did not give an object of its exports`);
  }
  return exports;
}

/**
 * Copies the exports `prefix + name` of core instance exports `from`, for each of
 * `names`, into `into` (a core instance's imports of one module) under `name`: the
 * generated code lists a name once where `{ name: from["prefix" + "name"] }` would spell
 * it twice, which for the hundreds of symbols dynamically linked modules share is a
 * large part of the output.
 * @param {WebAssembly.Exports} from @param {string[]} names @param {object} into
 * @param {string} [prefix] @returns {object} `into`
 */
export function sameNames(from, names, into, prefix = '') {
  for (const n of names) /** @type {any} */ (into)[n] = /** @type {any} */ (from)[prefix + n];
  return into;
}

/**
 * Completes `into` (a core instance's imports of the module named `name`) with the
 * exports `prefix + import name` of `from`, for each import of `name` that `module`
 * declares and `into` does not hold: the generated code names none of them, which for
 * the thousands of symbols a dynamically linked program shares was a tenth of its
 * output. weft uses it only for a module whose imports it has read, where every such
 * import is one of `from`'s exports under that name.
 * @param {WebAssembly.Exports} from @param {WebAssembly.Module} module @param {string} name
 * @param {object} into @param {string} [prefix] @returns {object} `into`
 */
export function otherImports(from, module, name, into, prefix = '') {
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.module === name && !Object.hasOwn(into, i.name)) /** @type {any} */ (into)[i.name] = /** @type {any} */ (from)[prefix + i.name];
  }
  return into;
}
