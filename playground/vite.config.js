// The playground is a static site: `vite build` gives dist/, which any static host can
// serve (relative base, so it works below any path). The gallery's components and the
// WebIDL the DOM example needs are in public/examples/, made by scripts/build-playground.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'vite';

/** Writes dist/precache.json: every file of the build (for public/sw.js, which makes
 * the page work offline) and a version, the hash of their contents. */
function precache() {
  let outDir;
  return {
    name: 'weft-playground-precache',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const files = [];
      const walk = (dir) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const p = join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name !== 'sw.js' && e.name !== 'precache.json') files.push(p);
        }
      };
      walk(outDir);
      files.sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(relative(outDir, f)).update(readFileSync(f));
      const list = files.map((f) => relative(outDir, f).split('\\').join('/'));
      writeFileSync(join(outDir, 'precache.json'), JSON.stringify({ version: hash.digest('hex').slice(0, 16), files: list }));
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [precache()],
  worker: { format: 'es', rollupOptions: { external: ['node:http'] } },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
    assetsInlineLimit: 0,
    // @weft/wasi/p2/serve's `serve()` (node only) imports node:http when called; the
    // playground uses only its `handleRequest`.
    rollupOptions: { external: ['node:http'] },
  },
});
