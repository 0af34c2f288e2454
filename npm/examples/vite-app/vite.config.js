import weft from '@weft/transpiler/plugin';
import { defineConfig } from 'vite';

export default defineConfig({
  // Core modules of at least 256 bytes become assets (hello's is 428 bytes), to show both.
  plugins: [weft({ base64Cutoff: 256 })],
  build: { target: 'es2022' },
});
