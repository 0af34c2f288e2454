// The plugin in Vite's dev server, on the newest Vite 8 and Vite 7 (the vite of
// npm/examples/vite-app and vite7-app; scripts/build-examples installs them, and these
// tests skip without them): a component's named imports and `?instantiate` run (through
// ssrLoadModule, which goes through the same plugin hooks as the browser's requests); a
// component rewritten with broken bytes is an error naming the file, for the browser's
// module and for ssrLoadModule, and once it is fixed the new one is served, without a
// restart. The built apps are loaded in Chromium by web-tests/ (vite-app suites).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import weft from '../src/plugin.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
const wasmTools = join(cache, 'tools/bin/weft-devtools');
const wat = readFileSync(join(root, 'examples/hello/hello.wat'), 'utf8');

function wat2wasm(text, out) {
  const r = spawnSync(wasmTools, ['parse', '-o', out], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/**
 * Calls `f` until it returns something other than `undefined` (a file change takes a
 * watcher's turn). `f` gets a `seen(e)` to record why a try failed: the last reason is
 * in the error when it gives up.
 */
async function until(f, what) {
  let last;
  const seen = (/** @type {unknown} */ e) => {
    last = e;
  };
  for (let i = 0; i < 400; i++) {
    const v = await f(seen);
    if (v !== undefined) return v;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`gave up waiting for ${what}${last === undefined ? '' : `; last failure: ${last?.stack ?? last}`}`);
}

const ENTRY = `import { add, greet } from './hello.wasm';
import instantiate from './hello.wasm?instantiate';
const other = await instantiate();
export const lines = [add(2, 40), greet('dev'), other.greet('again')];
`;

for (const [app, major] of [['vite-app', 8], ['vite7-app', 7]]) {
  const viteEntry = join(root, 'npm/examples', app, 'node_modules/vite/dist/node/index.js');
  describe(`Vite ${major} dev server (npm/examples/${app}/node_modules/vite)`, { skip: !existsSync(viteEntry) && 'run scripts/build-examples' }, () => {
    let dir;
    let server;
    let file;
    before(async () => {
      const vite = await import(pathToFileURL(viteEntry).href);
      assert.equal(vite.version.split('.')[0], String(major));
      dir = mkdtempSync(join(tmpdir(), `weft-vite${major}-`));
      file = join(dir, 'hello.wasm');
      wat2wasm(wat, file);
      writeFileSync(join(dir, 'entry.js'), ENTRY);
      server = await vite.createServer({
        root: dir,
        configFile: false,
        logLevel: 'silent',
        appType: 'custom',
        // Small core modules become assets in builds; the dev server inlines them all.
        plugins: [weft({ base64Cutoff: 100 })],
        optimizeDeps: { noDiscovery: true, include: [] },
        server: { middlewareMode: true, ws: false, watch: { usePolling: true, interval: 50 } },
      });
    });
    after(async () => {
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('named imports and ?instantiate run; core modules inlined', async () => {
      const { lines } = await server.ssrLoadModule('/entry.js');
      assert.deepEqual(lines, [42, 'Hello, dev!', 'Hello, again!']);
      const client = await server.transformRequest('/hello.wasm?weft-esm');
      assert.match(client.code, /fromBase64|base64/i);
      assert.doesNotMatch(client.code, /ROLLUP_FILE_URL/);
    });

    test('a broken component is an error naming the file; the fixed one is served without a restart', async () => {
      const good = readFileSync(file);
      const before = (await server.transformRequest('/hello.wasm?weft-esm')).code;
      writeFileSync(file, good.subarray(0, 100)); // half written
      const clientError = await until(async () => {
        try {
          await server.transformRequest('/hello.wasm?weft-esm');
        } catch (e) {
          return e;
        }
      }, 'the browser module of the broken file to fail');
      assert.match(clientError.message, /weft: cannot transpile the component .*hello\.wasm: failed to transpile `[^`]*hello\.wasm`/);
      assert.match(clientError.message, /core module section declares \d+ bytes but the input ends/);
      await assert.rejects(server.ssrLoadModule('/entry.js'), /weft: cannot transpile the component .*hello\.wasm/);

      wat2wasm(wat.replace('"Hello, "', '"Howdy, "'), file);
      // The change as Vite's watcher reports it. Its poller noticed this second write
      // late or not at all in two clean-clone CI runs on node 20 (the browser module
      // recovered, since a failed module is read again; the SSR entry, whose evaluation
      // failed and is cached until the file's change invalidates it, did not): the test
      // is of the plugin's recovery once Vite knows of the change, not of the poller.
      server.watcher.emit('change', file);
      const after = await until(async (seen) => {
        try {
          return (await server.transformRequest('/hello.wasm?weft-esm')).code;
        } catch (e) {
          seen(e);
        }
      }, 'the browser module of the fixed file');
      assert.notEqual(after, before);
      const { lines } = await until(async (seen) => {
        try {
          return await server.ssrLoadModule('/entry.js');
        } catch (e) {
          seen(e);
        }
      }, 'ssrLoadModule of the fixed file');
      assert.deepEqual(lines, [42, 'Howdy, dev!', 'Howdy, again!']);
    });
  });
}
