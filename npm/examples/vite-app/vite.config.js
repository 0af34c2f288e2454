import weft from '@weft/transpiler/plugin';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs, so dist/ works under any path (web-tests serves it in a subdirectory).
  base: './',
  // Core modules of at least 256 bytes become assets (hello's is 428 bytes), to show both.
  plugins: [weft({ base64Cutoff: 256 })],
  build: { target: 'es2022' },
});
