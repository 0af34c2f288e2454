/** The transpile function of @weft/transpiler (the plugin's default). */
export type TranspileFn = (
  bytes: Uint8Array,
  options: {
    name?: string;
    instantiation?: boolean;
    compat?: 'jco';
    base64Cutoff?: number;
    map?: [string, string][];
    typescript?: boolean;
    asyncImports?: string[];
    asyncExports?: string[];
    maxInstances?: number;
    maxNesting?: number;
    maxCodeSize?: number;
    /** The WebIDL files `webidl:` imports bind against (docs/webidl.md). */
    webidl?: { name: string; text: string }[];
    /** How messages name the input: the plugin passes the file's path. */
    inputName?: string;
  },
) => Promise<{ files: Record<string, Uint8Array> | Map<string, Uint8Array>; imports: string[]; exports: string[] }>;

export interface WeftPluginOptions {
  /** Which module ids to look at (default: ending in `.wasm`); only components are transpiled. */
  include?: RegExp | ((id: string) => boolean);
  /** Inline core modules smaller than this many bytes as base64 (default 4096); larger ones are emitted as assets. The Vite dev server inlines all. */
  base64Cutoff?: number;
  /** Write `<input>.wasm.d.ts` next to each component imported by its plain name (default true). */
  typescript?: boolean;
  /** Rewrites of import specifiers, as `weft transpile --map FROM=TO` (`*` matches any text). */
  map?: [string, string][] | Record<string, string>;
  /** `'jco'`: jco 1.35 value shapes. */
  compat?: 'jco';
  /** As `--async-imports` / `--async-exports`. */
  asyncImports?: string[];
  asyncExports?: string[];
  /** The transpiler's limits, as `--max-instances`, `--max-nesting`, `--max-code-size` (defaults 10000, 100, 64 MiB): a component past one fails the build with an error naming it. */
  maxInstances?: number;
  maxNesting?: number;
  maxCodeSize?: number;
  /**
   * The WebIDL (`.idl` files or directories of them, relative to the project root) that
   * components' `webidl:` imports are bound against, as `weft transpile --webidl`
   * (docs/webidl.md); default: every spec of `@webref/idl` in `node_modules` of the root
   * or a folder above it. Read once, when a component has such imports.
   */
  webidl?: string | string[];
  /** Record every call across each component's boundary (`weft transpile --record`): its module exports the trace as `$trace` (docs/record-replay.md). */
  record?: boolean;
  /** The transpile function (default: `transpile` of `@weft/transpiler`). */
  transpile?: TranspileFn;
}

/**
 * The plugin: a Rollup and Vite plugin object. Only what a configuration needs is declared
 * (not its hooks), so that neither `rollup` nor `vite` must be installed to type-check this
 * file, and `plugins: [weft()]` type-checks against either's `Plugin`.
 */
export interface WeftPlugin {
  name: 'weft';
  enforce: 'pre';
  configResolved(config: { command: string }): void;
}

/** Transpiles imported WebAssembly components at build time (Rollup and Vite). */
export default function weft(options?: WeftPluginOptions): WeftPlugin;
/** Whether `bytes` starts with the preamble of a component (`\0asm`, version, layer 1). */
export function isComponent(bytes: Uint8Array): boolean;
/** Whether `bytes` starts with the preamble of a core module (layer 0). */
export function isCoreModule(bytes: Uint8Array): boolean;
