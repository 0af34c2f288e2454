// @ts-check
// A Rollup plugin (also a Vite plugin) that turns imports of WebAssembly components into
// ES modules at build time:
//
//   import { add } from './hello.wasm';          // the component's exports, instantiated on import
//   import instantiate from './hello.wasm';      // instantiate(imports): fresh instances, your imports
//   import instantiate from './hello.wasm?instantiate';   // only that, nothing instantiated on import
//
// A `.wasm` file is a component when its preamble is `\0asm`, a 2-byte version and the
// layer 1 (bytes 6-7); core modules (layer 0) are left to other plugins. Each component
// is transpiled twice (ES module output for the named exports, `instantiation` output
// for the default export); core modules below `base64Cutoff` bytes are inlined, larger
// ones are emitted as assets (hashed names) and loaded from
// `new URL(import.meta.ROLLUP_FILE_URL_<ref>, import.meta.url)`: what the bundler puts in
// place of `import.meta.ROLLUP_FILE_URL_<ref>` is a URL string, absolute or not —
//   Rollup (es):                  new URL('assets/x.wasm', import.meta.url).href  (absolute)
//   Vite 7 (any base):            new URL('x.wasm', import.meta.url).href         (absolute)
//   Vite 8 (base '/', '/app/'):   "/assets/x.wasm", "/app/assets/x.wasm"          (root-relative)
//   Vite 8 (base './'):           new URL('x.wasm', import.meta.url).href         (absolute)
//   Vite 8 (base 'https://cdn/'): "https://cdn/assets/x.wasm"                     (absolute)
// so it is resolved against the module's own URL, which leaves an absolute one as it is.
// `wasi:*` imports become `@weft/wasi/p2|p3/...` specifiers, which the bundler resolves
// with its own conditions (`browser` / `node`). Types: `<file>.wasm.d.ts` is written next
// to the input.
//
// A component that fails to transpile (a half-written file in a dev server, say) is a
// build error naming the file, with the transpiler's message; nothing of it is cached,
// and the file stays watched, so the next build (Rollup watch, Vite's dev server) tries
// again once it changes.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

const Q_ESM = 'weft-esm';
const Q_INST = 'weft-instantiation';
const Q_USER_INST = 'instantiate';
const QUERIES = new Set(['', Q_ESM, Q_INST, Q_USER_INST]);
// `<file>?weft-component-<N>`: the module `<name>.component<N>.js` of an exported
// component definition, which the component's output imports (`-<N>-<M>` for
// `<name>.component<N>.component<M>.js`, one it exports in turn).
const Q_COMPONENT = /^weft-component-(\d+(?:-\d+)*)$/;
const ours = (/** @type {string} */ q) => QUERIES.has(q) || Q_COMPONENT.test(q);

/** `\0asm`, any version, layer 1. */
export function isComponent(/** @type {Uint8Array} */ bytes) {
  return hasMagic(bytes) && bytes[6] === 1 && bytes[7] === 0;
}

/** `\0asm`, any version, layer 0. */
export function isCoreModule(/** @type {Uint8Array} */ bytes) {
  return hasMagic(bytes) && bytes[6] === 0 && bytes[7] === 0;
}

function hasMagic(/** @type {Uint8Array} */ b) {
  return b.length >= 8 && b[0] === 0 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d;
}

/**
 * Shorter than a preamble and the start of a component's: an empty or truncated file
 * (one being written, say), which is reported as a component that does not transpile
 * rather than handed to other plugins as something else.
 */
function isTruncatedPreamble(/** @type {Uint8Array} */ b) {
  const preamble = [0, 0x61, 0x73, 0x6d, undefined, undefined, 1, 0];
  return b.length < 8 && [...b].every((x, i) => preamble[i] === undefined || preamble[i] === x);
}

/** The transpile function of @weft/transpiler, or of the module WEFT_TRANSPILE_MODULE names (a test hook). */
async function defaultTranspile() {
  const override = globalThis.process?.env?.WEFT_TRANSPILE_MODULE;
  const mod = override ? await import(override) : await import('./index.js');
  if (typeof mod.transpile !== 'function') {
    throw new Error(`${override ?? '@weft/transpiler'} exports no transpile function`);
  }
  return mod.transpile;
}

/** Splits `id` into the file and its query (`''` for none). */
function splitId(/** @type {string} */ id) {
  const i = id.indexOf('?');
  return i < 0 ? [id, ''] : [id.slice(0, i), id.slice(i + 1)];
}

const text = (/** @type {Uint8Array} */ b) => new TextDecoder().decode(b);

/** Whether a component names a `webidl:` import (its bytes hold the text). */
function importsWebidl(/** @type {Uint8Array} */ bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('webidl:');
}

/**
 * The IDL files (`{ name, text }`) of `paths` (files, or directories of `.idl` files)
 * relative to `root`; without paths, of `node_modules/@webref/idl` in `root` or a
 * folder above it (none there: no files, and the transpile says what it needs).
 */
async function readIdl(/** @type {string[] | undefined} */ paths, /** @type {string} */ root) {
  if (!paths) {
    for (let dir = resolve(root); ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules/@webref/idl');
      if (existsSync(candidate)) {
        paths = [candidate];
        break;
      }
      if (dirname(dir) === dir) return [];
    }
  }
  const files = [];
  for (const p of paths.map((p) => resolve(root, p))) {
    const list = (await stat(p)).isDirectory()
      ? (await readdir(p)).filter((f) => /\.(idl|webidl)$/.test(f)).sort().map((f) => join(p, f))
      : [p];
    for (const f of list) files.push({ name: f, text: await readFile(f, 'utf8') });
  }
  return files;
}

/**
 * @param {import('./plugin.d.ts').WeftPluginOptions} [options]
 * @returns {import('rollup').Plugin & { enforce: 'pre', configResolved(config: { command: string }): void }}
 */
export default function weft(options = {}) {
  const {
    include = /\.wasm$/,
    base64Cutoff = 4096,
    typescript = true,
    map,
    compat,
    asyncImports,
    asyncExports,
    maxInstances,
    maxNesting,
    maxCodeSize,
    webidl,
    record,
  } = options;
  let root = process.cwd();
  /** @type {Promise<{ name: string, text: string }[]> | undefined} */
  let idlFiles;
  /** @type {Promise<Function> | undefined} */
  let transpileFn = options.transpile ? Promise.resolve(options.transpile) : undefined;
  let dev = false;
  /** file -> { key, esm, inst } */
  const cache = new Map();

  const matches = (/** @type {string} */ file) => (typeof include === 'function' ? include(file) : include.test(file));

  /** Both transpiles of `file`, cached on its bytes and the mode. */
  async function transpiled(/** @type {string} */ file, /** @type {Uint8Array} */ bytes) {
    const key = createHash('sha256').update(bytes).update(dev ? 'dev' : 'build').digest('hex');
    const hit = cache.get(file);
    if (hit?.key === key) return hit;
    transpileFn ??= defaultTranspile();
    const transpile = await transpileFn;
    const name = basename(file).replace(/\.wasm$/, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'component';
    const common = {
      name,
      // Messages name the file (`failed to transpile `/src/x.wasm``).
      inputName: file,
      compat,
      map: map && (Array.isArray(map) ? map : Object.entries(map)),
      asyncImports,
      asyncExports,
      typescript,
      ...(record && { record: true }),
      // The transpiler's limits (`--max-instances`, …): each absent one is its default.
      ...(maxInstances !== undefined && { maxInstances }),
      ...(maxNesting !== undefined && { maxNesting }),
      ...(maxCodeSize !== undefined && { maxCodeSize }),
      // The dev server cannot emit assets: inline every core module there.
      base64Cutoff: dev ? Number.MAX_SAFE_INTEGER : base64Cutoff,
    };
    const norm = (/** @type {any} */ r) => {
      const files = r.files instanceof Map ? Object.fromEntries(r.files) : r.files;
      return { files, js: text(files[`${name}.js`]), dts: files[`${name}.d.ts`] && text(files[`${name}.d.ts`]) };
    };
    if (importsWebidl(bytes)) {
      idlFiles ??= readIdl(webidl === undefined ? undefined : [webidl].flat(), root);
      const files = await idlFiles;
      // None found: the transpiler's error says what it needs.
      if (files.length > 0) /** @type {any} */ (common).webidl = files;
    }
    const [esm, inst] = await Promise.all([
      transpile(bytes, { ...common }).then(norm),
      transpile(bytes, { ...common, instantiation: true }).then(norm),
    ]);
    const entry = { key, name, esm, inst };
    cache.set(file, entry);
    return entry;
  }

  /**
   * An expression evaluating to the URL of the core module `bytes` (`fileName` in the
   * output of weft), emitted as an asset: a `URL` (see the header for why it is resolved
   * against `import.meta.url`).
   * @this {import('rollup').PluginContext}
   */
  function assetUrl(/** @type {string} */ fileName, /** @type {Uint8Array} */ bytes) {
    const ref = this.emitFile({ type: 'asset', name: fileName, source: bytes });
    return `new URL(import.meta.ROLLUP_FILE_URL_${ref}, import.meta.url)`;
  }

  /**
   * The core module loader of a served module: `weft$coreModules` (per file name, the
   * module inlined or emitted as an asset), `weft$compiled` and their helpers. The
   * names have a `$`, which weft's own never have.
   * @this {import('rollup').PluginContext}
   */
  function coreLoader(/** @type {any} */ t, /** @type {string[]} */ cores) {
    const loaders = cores.map((f) => {
      const b = t.inst.files[f];
      const src = dev || b.length < base64Cutoff
        ? `WebAssembly.compile(weft$fromBase64(${JSON.stringify(Buffer.from(b).toString('base64'))}))`
        : `weft$compileUrl(${assetUrl.call(this, f, b)})`;
      return `  ${JSON.stringify(f)}: () => ${src},`;
    });
    return `const weft$coreModules = {
${loaders.join('\n')}
};
const weft$compiled = {};
function weft$fromBase64(s) {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
async function weft$compileUrl(url) {
  if (globalThis.process?.versions?.node && url.protocol === 'file:') {
    const fs = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fs);
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(\`failed to fetch \${url}: \${response.status}\`);
  return WebAssembly.compileStreaming && (response.headers.get('content-type') ?? '').startsWith('application/wasm')
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}`;
  }

  return {
    name: 'weft',
    enforce: 'pre',
    configResolved(config) {
      dev = config.command === 'serve';
      root = /** @type {{ root?: string }} */ (config).root ?? root;
    },

    async resolveId(source, importer) {
      // weft's output loads core modules with node:fs/promises in node (never in browsers).
      if (source.startsWith('node:') && importer && /\?weft-(esm|instantiation|component-[\d-]+)$/.test(importer)) {
        return { id: source, external: true };
      }
      const [file, query] = splitId(source);
      if (!query || !ours(query) || !matches(file)) return null;
      // Our own ids are absolute file paths; the Vite dev server hands them back as URL
      // paths (`/src/x.wasm?weft-esm`), and `./x.wasm?instantiate` is relative: resolve
      // the file, keep the query.
      if (isAbsolute(file) && existsSync(file)) return source;
      const resolved = await this.resolve(file, importer, { skipSelf: true });
      return resolved && !resolved.external ? `${splitId(resolved.id)[0]}?${query}` : null;
    },

    async load(id) {
      const [file, query] = splitId(id);
      if (!ours(query) || !matches(file)) return null;
      let bytes;
      try {
        bytes = new Uint8Array(await readFile(file));
      } catch {
        return null;
      }
      if (!isComponent(bytes) && !isTruncatedPreamble(bytes)) {
        if (query === Q_ESM || query === Q_INST) this.error(`weft: ${file} is not a WebAssembly component`);
        return null; // a core module (or something else): for other plugins
      }
      this.addWatchFile(file);
      let t;
      try {
        t = await transpiled(file, bytes);
      } catch (e) {
        // The transpiler's own errors are plain `Error`s; name anything else (a
        // `RuntimeError` of a trap, after which @weft/transpiler makes a fresh instance).
        const err = /** @type {Error} */ (e);
        const what = err instanceof Error ? (Object.getPrototypeOf(err) === Error.prototype ? err.message : `${err.name}: ${err.message}`) : String(e);
        this.error(`weft: cannot transpile the component ${file}: ${what}`);
      }
      const cores = Object.keys(t.inst.files).filter((f) => f.endsWith('.wasm'));
      // An exported component definition is a module of its own next to the output
      // (`./<name>.component<N>.js`, which may import more of them): served as
      // `<file>?weft-component-<N>`.
      const components = (/** @type {string} */ code) =>
        code.replace(
          new RegExp(`(["'])\\./${t.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}((?:\\.component\\d+)+)\\.js\\1`, 'g'),
          (/** @type {string} */ _all, /** @type {string} */ _q, /** @type {string} */ path) =>
            JSON.stringify(`${file}?weft-component-${path.slice('.component'.length).split('.component').join('-')}`),
        );
      const component = Q_COMPONENT.exec(query);
      if (component !== null) {
        // Its `instantiate(getCoreModule, imports)`, given the plugin's loader when the
        // caller gives none (the ES module output does not).
        const js = t.inst.files[`${t.name}.component${component[1].split('-').join('.component')}.js`];
        if (js === undefined) this.error(`weft: ${file} has no exported component definition ${component[1]}`);
        const code = `${components(text(js)).replace(/^"use components";\n?/, '').replace(/^export async function instantiate\(/m, 'async function weft$instantiate(')}
${coreLoader.call(this, t, cores)}
export function instantiate(getCoreModule, imports) {
  return weft$instantiate(getCoreModule ?? ((p) => (weft$compiled[p] ??= weft$coreModules[p]())), imports);
}
`;
        return { code, map: { mappings: '' } };
      }

      if (query === '' || query === Q_USER_INST) {
        if (typescript && query === '') await writeTypes(file, t);
        const inst = JSON.stringify(`${file}?${Q_INST}`);
        return query === Q_USER_INST
          ? `export { default, default as instantiate } from ${inst};\n`
          : `export * from ${JSON.stringify(`${file}?${Q_ESM}`)};\nexport { default } from ${inst};\n`;
      }

      if (query === Q_ESM) {
        // Core modules weft did not inline are loaded with `new URL('./<file>', import.meta.url)`.
        const code = components(t.esm.js).replace(/^"use components";\n?/, '').replace(
          /new URL\(\s*(["'])\.\/([^"']+)\1\s*,\s*import\.meta\.url\s*\)/g,
          (/** @type {string} */ all, /** @type {string} */ _q, /** @type {string} */ f) => {
            const core = t.esm.files[f];
            return core ? assetUrl.call(this, f, core) : all;
          },
        );
        return { code, map: { mappings: '' } };
      }

      // Q_INST: weft's instantiate(getCoreModule, imports) as `default`, with the core
      // modules inlined or emitted. The names added here have a `$`, which weft's own
      // never have.
      const code = `${components(t.inst.js).replace(/^"use components";\n?/, '').replace(/^export async function instantiate\(/m, 'async function weft$instantiate(')}
${coreLoader.call(this, t, cores)}
/** A new instance: \`instantiate(imports)\` or \`instantiate(getCoreModule, imports)\`. */
export default function instantiate(imports, more) {
  if (typeof imports === 'function') return weft$instantiate(imports, more ?? {});
  return weft$instantiate((p) => (weft$compiled[p] ??= weft$coreModules[p]()), imports ?? {});
}
`;
      if (!/async function weft\$instantiate\(/.test(code)) this.error(`weft: unexpected instantiation output for ${file}`);
      return { code, map: { mappings: '' } };
    },
  };
}

/** Writes `<file>.d.ts` (e.g. `hello.wasm.d.ts`) if its content changed. */
async function writeTypes(/** @type {string} */ file, /** @type {any} */ t) {
  if (!t.esm.dts) return;
  let dts = t.inst.dts ?? '';
  const start = dts.search(/^export function instantiate\(/m);
  const end = start < 0 ? -1 : dts.indexOf(';', dts.indexOf('Promise<Exports>', start));
  if (start < 0 || end < 0) {
    dts = `${t.esm.dts}\ndeclare const weft$instantiate: (...args: any[]) => Promise<any>;\nexport default weft$instantiate;\n`;
  } else {
    const exportsOfEsm = t.esm.dts.split('\n').filter((/** @type {string} */ l) => /^export \{/.test(l));
    dts = `${dts.slice(0, start)}${dts.slice(end + 1).trimStart()}${exportsOfEsm.join('\n')}
/**
 * A new, independent instance of the component with the given imports (core modules:
 * the bundled ones), or with your own \`getCoreModule\`.
 */
declare function weft$instantiate(...args: {} extends Imports ? [imports?: Imports] : [imports: Imports]): Promise<Exports>;
declare function weft$instantiate(
  getCoreModule: (path: string) => WebAssembly.Module | Promise<WebAssembly.Module>,
  imports: Imports,
): Promise<Exports>;
export default weft$instantiate;
`;
  }
  const path = `${file}.d.ts`;
  const old = await readFile(path, 'utf8').catch(() => null);
  if (old !== dts) await writeFile(path, dts);
}
