/** Options of {@link transpile}; the same as `weft transpile`'s flags. */
export interface TranspileOptions {
  /** Base name of the output files (default: the stem of `inputName`, else `component`). */
  name?: string;
  /** Export `instantiate(getCoreModule, imports)` instead of instantiating at import time: `true` or `'async'` (it returns a promise), `'sync'` (it returns the exports; `getCoreModule` returns compiled modules). */
  instantiation?: boolean | 'async' | 'sync';
  /** Value shapes: the CM Explainer's JS API (`native`, default) or jco 1.35's (`jco`). */
  compat?: 'native' | 'jco';
  /** Inline core modules smaller than this many bytes as base64 (default 4096). */
  base64Cutoff?: number;
  /** Import specifier rewrites; `*` in `from` matches any text and is substituted into `to`. */
  map?: Array<[from: string, to: string]> | Record<string, string> | Map<string, string>;
  /** Also emit `<name>.d.ts` (default true). */
  typescript?: boolean;
  /** Host imports (`interface#function` or `interface`, one `*`) whose JS may return a promise to a synchronous guest (JSPI). */
  asyncImports?: string[];
  /** Synchronous exports entered through JSPI; they return promises. */
  asyncExports?: string[];
  /** Print the JS without whitespace, comments or optional semicolons; names are kept (default false). */
  minify?: boolean;
  /** No top-level `await`: the module exports `$init`, a promise to await before using the other exports (jco's `tlaCompat`; default false). */
  tlaCompat?: boolean;
  /** Record every call across the component's boundary in WAVE, one event per line; the module exports the trace as `$trace` (`--record`, docs/record-replay.md; default false). */
  record?: boolean;
  /** Link the component's core instances into one core module (multi-memory: node 24, Chrome 120, Firefox 125) and generate the glue on it (`--lowered`, docs/lower.md; default false). */
  lowered?: boolean;
  /** Fail when the flattened component creates more component and core instances than this (default 10000; `--max-instances`). */
  maxInstances?: number;
  /** Fail when component instantiations nest deeper than this many levels (default 100; `--max-nesting`). */
  maxNesting?: number;
  /** Fail when the generated JS and `.d.ts` would be larger than this many bytes (default 67108864, 64 MiB; `--max-code-size`). */
  maxCodeSize?: number;
  /** How error messages name the input, and where the default `name` comes from (default `component`). */
  inputName?: string;
  /** Parse the input as WAT text (default: true for a string input, false for bytes; binary input passes through). */
  wat?: boolean;
}

/** What {@link transpile} produces. */
export interface TranspileResult {
  /** File name → contents: `<name>.js` first, then `<name>.d.ts`, then `<name>.core*.wasm`. */
  files: Record<string, Uint8Array>;
  /** Import names of the component. */
  imports: string[];
  /** Export names of the component. */
  exports: string[];
  /** What the native `weft` prints as `warning: …`: an `asyncImports`, `asyncExports` or `map` pattern that matches nothing. */
  warnings: string[];
}

/** A component: binary bytes, or WAT text as a string. */
export type ComponentInput = Uint8Array | ArrayBuffer | ArrayBufferView | string;

/**
 * Transpiles a component into an ES module, its TypeScript declarations and core wasm
 * files. Rejects with an `Error` whose message is what the native `weft` prints after
 * `error: ` (the message, then `Caused by:` and one line per cause). An error that is a
 * bug in weft rather than bad input has `code: 'WEFT_BUG'` and a last paragraph asking
 * for a report.
 */
export function transpile(component: ComponentInput, options?: TranspileOptions): Promise<TranspileResult>;

/**
 * The native CLI's layout of an error chain: `message`, then a blank line, `Caused by:`
 * and one indented `N: cause` line per cause (outermost first).
 */
export function formatError(message: string, causes?: string[]): Promise<string>;

/** The WIT of a component, as `weft wit` prints it. */
export function wit(component: ComponentInput, options?: Pick<TranspileOptions, 'inputName' | 'wat'>): Promise<string>;

/** A WIT type in a {@link ComponentDescription}; `name` is the WIT name of a named type, else `null`. */
export type WitType =
  | { kind: 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64' | 'f32' | 'f64' | 'char' | 'string' | 'error-context' }
  | { kind: 'list'; element: WitType; length?: number }
  | { kind: 'record'; name: string | null; fields: Array<{ name: string; js: string; type: WitType }> }
  | { kind: 'tuple'; types: WitType[] }
  | { kind: 'variant'; name: string | null; cases: Array<{ name: string; type: WitType | null }> }
  | { kind: 'enum'; name: string | null; cases: string[] }
  | { kind: 'option'; type: WitType }
  | { kind: 'result'; ok: WitType | null; err: WitType | null }
  | { kind: 'flags'; name: string | null; flags: Array<{ name: string; js: string }> }
  | { kind: 'own' | 'borrow'; resource: string }
  | { kind: 'future' | 'stream'; type: WitType | null }
  | { kind: 'map'; key: WitType; value: WitType };

/** An exported function in a {@link ComponentDescription}. */
export interface ExportedFunction {
  /** The exported interface (`ns:pkg/iface@1.0.0`), or `null` for a function the world exports itself. */
  interface: string | null;
  /** The WIT name. */
  name: string;
  /** The property of the JS object (the interface's, or the instance's) holding it; a reserved word may have a `_` appended for a world-level function. */
  js: string;
  /** An `async func`: the JS function returns a promise. */
  async: boolean;
  params: Array<{ name: string; type: WitType }>;
  result: WitType | null;
}

/** What {@link describe} resolves to. */
export interface ComponentDescription {
  /** The world's name. */
  world: string;
  /** The world's import names. */
  imports: string[];
  /** The free functions it exports, world-level and in exported interfaces, in order. */
  exports: ExportedFunction[];
  /** The other exported functions (resource constructors, methods and statics), by component-level name (`iface#[method]r.m`). */
  other: string[];
}

/** The exported functions of a component and their types, for generic callers (the playground's export panel). Rejects like {@link wit}. */
export function describe(component: ComponentInput, options?: Pick<TranspileOptions, 'inputName' | 'wat'>): Promise<ComponentDescription>;

/** A WebIDL file for {@link webidl}: its name (as messages and warnings show it) and text. */
export interface IdlFile {
  name: string;
  text: string;
}

/** Options of {@link webidl}; the same as `weft webidl`'s flags. */
export interface WebidlOptions {
  /** Keep these interfaces and namespaces and what they mention (`--interface`; default: every one the `keepFrom` files define). */
  interfaces?: string[];
  /** The WIT package, `namespace:name` (`--package`; default `webidl:web`): `weft transpile` binds imports of the `webidl` namespace to the platform. */
  package?: string;
  /** The WIT interface holding the resources and types (`--wit-interface`; default `web`). */
  witInterface?: string;
  /** The names of the files whose interfaces and namespaces are kept when `interfaces` is empty (default: every file); the others only define what those mention, as the other specs of `@webref/idl` do for `weft webidl dom`. */
  keepFrom?: string[];
}

/** What {@link webidl} produces. */
export interface WebidlResult {
  /** The WIT package, what `weft webidl` writes to `<name>.wit` for the package `ns:name`. */
  wit: string;
  /** What the native `weft` prints as `warning: …`: each construct WIT cannot say (left out), with its file, line and column. */
  warnings: string[];
}

/**
 * WIT for Web APIs from WebIDL files, as `weft webidl` writes it. Rejects with an
 * `Error` whose message is what the native `weft` prints after `error: ` (IDL that does
 * not parse: `file:line:col: ...`; an interface the IDL does not define; a bad
 * `package`; an unknown option).
 */
export function webidl(files: IdlFile[], options?: WebidlOptions): Promise<WebidlResult>;

/**
 * Instantiates the transpiler's wasm ahead of the first call; `source` replaces the
 * bundled `wasm/weft_bg.wasm` (a URL, a `Response`, bytes or a compiled module).
 */
export function init(source?: URL | string | Response | BufferSource | WebAssembly.Module): Promise<void>;
