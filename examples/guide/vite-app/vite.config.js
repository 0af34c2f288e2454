import weft from '@weft/transpiler/plugin';
import { defineConfig } from 'vite';

export default defineConfig({
  // Turns `import ... from './greeter.wasm'` into the component's exports.
  plugins: [weft()],
  // Relative URLs in dist/: the page works from any folder of any web server.
  base: './',
});
