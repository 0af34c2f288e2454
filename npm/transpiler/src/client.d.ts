/**
 * Ambient types for the plugin's queries, which TypeScript cannot find beside the file:
 * `import instantiate from './x.wasm?instantiate'` (only the `instantiate` function,
 * nothing instantiated on import). Add `/// <reference types="@weft/transpiler/client" />`
 * (or `"types": ["@weft/transpiler/client"]` in tsconfig.json). The plain import
 * (`import { add } from './x.wasm'`) has precise types: the `x.wasm.d.ts` the plugin
 * writes beside the component.
 */
declare module '*.wasm?instantiate' {
  /**
   * A fresh instance of the component from `imports` (its WIT imports, by name; the
   * WASI ones default to `@weft/wasi`), as the plain import's default export.
   */
  const instantiate: (imports?: Record<string, unknown>) => Promise<Record<string, unknown>>;
  export default instantiate;
}
