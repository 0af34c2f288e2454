import weft from '@weft/transpiler/plugin';
import { defineConfig } from 'vite';

export default defineConfig({
  // `weft()` transpiles `src/todo.wasm` when main.js imports it. The component imports
  // `webidl:web/web`, so the plugin binds it to the DOM against the platform's IDL:
  // `@webref/idl` in node_modules (a devDependency), the package `weft webidl` made the
  // component's WIT from.
  plugins: [weft()],
  build: { target: 'es2022' },
});
