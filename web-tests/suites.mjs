// The web test suites: each is a page running one suite module (web-tests/suites/*.js)
// against files transpiled into the runner's temporary directory, served at `/out/`.
//
// A suite: {
//   name,                      shown in the output; `node web-tests/run.mjs <substring>` filters
//   module,                    the suite module, relative to the repository root
//   transpile: [{ input, out, args }],   `weft transpile <input> -o <tmp>/<out> ...args`
//   params,                    extra query parameters for the page (`out`, `mode`, `nojspi`;
//                              guest pages: `guest`, `jspi`)
//   prepare(ctx),              optional: more set-up (ctx: root, tmp, transpile, node)
//   needs,                     optional: what the configuration must have, else the suite is
//                              reported there as skipped with the reason (run.mjs SUITE_NEEDS):
//                              `jspi`
// }
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandNames } from '../tests/wasi-programs/expected.mjs';

/**
 * The environment the run started with, for the build scripts suites run: a Vite dev
 * server (`viteDevSuite`) sets NODE_ENV=development in this process, which would make
 * a later `vite build` (the playground's, say) a development build.
 */
const BUILD_ENV = { ...process.env };

/** Transpile flags for WASI 0.2 programs in a browser: blocking imports may suspend. */
const P2_JSPI = [
  '--async-imports', 'wasi:io/poll@0.2.*',
  '--async-imports', 'wasi:io/streams@0.2.*',
  '--async-exports', 'wasi:cli/run@0.2.*',
];

const esm = (input, out, args = []) => ({ input, out, args });
const inst = (input, out, args = []) => ({ input, out, args: ['--instantiation', ...args] });

export const suites = [
  {
    name: 'hello (ESM)',
    module: 'web-tests/suites/hello.js',
    transpile: [esm('examples/hello/hello.wat', 'hello-esm')],
    params: { out: '/out/hello-esm/', mode: 'esm' },
    prepare: helloExpected,
  },
  {
    name: 'hello (--instantiation)',
    module: 'web-tests/suites/hello.js',
    transpile: [inst('examples/hello/hello.wat', 'hello-inst')],
    params: { out: '/out/hello-inst/', mode: 'instantiation' },
    prepare: helloExpected,
  },
  // Each guest's own tests (tests/guests/<guest>/test.mjs), as node runs them.
  {
    // docs/record-replay.md's walkthrough: a page records a bug, node replays it.
    name: 'record in the page, replay in node (examples/record)',
    module: 'web-tests/suites/record.js',
    transpile: [
      inst('examples/record/shout.wat', 'record', ['--record']),
      inst('target/guests/async-basics.wasm', 'record-async', ['--record']),
    ],
    params: { out: '/out/record/', asyncOut: '/out/record-async/' },
    prepare: replayEndpoint,
  },
  guestSuite('values', 'instantiation'),
  guestSuite('values', 'esm'),
  // Recording changes nothing a component does, in the page either (sync and async).
  guestSuite('values', 'instantiation', { label: '--record', args: ['--record'] }),
  guestSuite('async-basics', 'instantiation', { label: '--record, JSPI', page: { jspi: '1' }, args: ['--record'] }),
  guestSuite('resources', 'instantiation'),
  guestSuite('resources', 'esm'),
  guestSuite('async-basics', 'instantiation', { label: 'JSPI', page: { jspi: '1' } }),
  guestSuite('async-basics', 'instantiation', {
    label: 'WebAssembly.Suspending and .promising deleted',
    page: { nojspi: '1' },
  }),
  // The spec suite's 🧵 files (cooperative threads), directive by directive.
  specSuite('🧵 cooperative threads', [
    'async/during-sync-call-exclusive-resume.wast',
    'async/during-sync-call-may-block-if-other-ready-threads.wast',
    'async/during-sync-call-no-sibling-resume.wast',
    'async/during-sync-scheduling-candidates.wast',
    'async/reentrance.wast',
    'async/self-switch-traps.wast',
    'async/switch-to-ready-callback.wast',
    'async/trap-if-block-and-sync.wast',
    'async/trap-if-sync-and-waitable-set.wast',
  ]),
  // The whole suite with `--lowered`: every component's core instances linked into one
  // core module (multi-memory, which Chromium has).
  specSuite('all, --lowered', 'all', ['--lowered']),
  // 🧵 cooperative threads: stack switching with JSPI; without it, what runs and what traps.
  guestSuite('threads', 'instantiation', { label: 'JSPI', page: { jspi: '1' } }),
  guestSuite('threads', 'instantiation', {
    label: 'WebAssembly.Suspending and .promising deleted',
    page: { nojspi: '1' },
  }),
  // 🐘 64-bit memories and tables (Chromium has memory64): layouts, adapters between 32-
  // and 64-bit memories, the async built-ins and threads; JSPI is needed by the threads.
  guestSuite('memory64', 'instantiation', { label: 'JSPI', page: { jspi: '1' } }),
  // …and without JSPI, in every configuration: all but the threads test (skipped by name).
  guestSuite('memory64', 'instantiation', {
    label: 'WebAssembly.Suspending and .promising deleted',
    page: { nojspi: '1' },
  }),
  ...['maps', 'strings-utf16', 'compose-a', 'compose-b', 'compose', 'async-pair-a', 'async-pair-b', 'async-compose', 'webidl', 'async-webidl'].map(
    (guest) => guestSuite(guest, 'instantiation'),
  ),
  // Every guest again with `--lowered` (its core instances linked into one module).
  ...['values', 'resources', 'maps', 'strings-utf16', 'compose', 'async-pair-a', 'async-compose', 'async-basics', 'webidl', 'async-webidl'].map(
    (guest) => guestSuite(guest, 'instantiation', { label: '--lowered', args: ['--lowered'] }),
  ),
  guestSuite('threads', 'instantiation', { label: '--lowered, JSPI', page: { jspi: '1' }, args: ['--lowered'] }),
  guestSuite('memory64', 'instantiation', { label: '--lowered, JSPI', page: { jspi: '1' }, args: ['--lowered'] }),
  // npm/examples after `vite build` with the weft plugin (scripts/build-examples): the
  // newest Vite 8 with an absolute base (root-relative asset URLs) and a relative one, the
  // newest Vite 7.
  viteAppSuite('vite-app', 'dist', 'Vite 8, base /npm/examples/vite-app/dist/'),
  viteAppSuite('vite-app', 'dist-relative', 'Vite 8, base ./'),
  viteAppSuite('vite7-app', 'dist', 'Vite 7, base /npm/examples/vite7-app/dist/'),
  // The same apps from each Vite's dev server, mounted in the runner's server.
  viteDevSuite('vite-app', 'Vite 8'),
  viteDevSuite('vite7-app', 'Vite 7'),
  {
    name: '@weft/transpiler in the page (wasm build, browser loader)',
    module: 'web-tests/suites/transpiler.js',
    // What the page's transpile must equal; scripts/build-npm makes the wasm build.
    transpile: [inst('examples/hello/hello.wat', 'hello-native', ['--name', 'hello'])],
    params: { out: '/out/hello-native/', mode: 'instantiation' },
    prepare(ctx) {
      if (!existsSync(join(ctx.root, 'npm/transpiler/wasm/weft_bg.wasm'))) {
        const r = spawnSync(join(ctx.root, 'scripts/build-npm'), [], { cwd: ctx.root, env: BUILD_ENV, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`scripts/build-npm failed\n${r.stderr}`);
      }
    },
  },
  ...wasiProgramSuites(),
  // Every member of the WIT `weft webidl` makes for the issue's specs, bound in Chromium:
  // web-tests/webidl-exact/prepare.mjs makes the component and transpiles it.
  {
    name: 'webidl exactness: a component importing all of dom, html, cssom, uievents, url, fetch, streams, console (--instantiation, --webidl-missing trap)',
    module: 'web-tests/suites/webidl-exact.js',
    params: { out: '/out/webidl-exact/out/', mode: 'instantiation' },
    async prepare(ctx) {
      const { prepare } = await import('./webidl-exact/prepare.mjs');
      // The weft run.mjs uses (WEFT_BIN, else the release build it made).
      prepare(join(ctx.tmp, 'webidl-exact'), process.env.WEFT_BIN ?? join(ctx.root, 'target/release/weft'));
    },
  },
  // ES module output in a plain page, no bundler: the @weft/wasi specifiers and
  // #p2-defaults resolved by an import map (web-tests/import-map/, as npm/wasi/README.md
  // documents), with weft's default specifiers and with `--map` to .js ones.
  importMapSuite('esm', []),
  importMapSuite('mapped', ['--map', 'wasi:*=@weft/wasi/p2/*.js']),
  // docs/guide.md's pages as scripts/guide built them: a Rust component in a Vite app
  // (Vite 8 and 7) and in a plain page with an import map.
  guideSuite('vite-app', 'Vite 8.4.1, vite build with @weft/transpiler/plugin'),
  guideSuite('vite7-app', 'Vite 7.3.8, vite build with @weft/transpiler/plugin'),
  guideSuite('plain-page', 'no bundler: weft transpile --map and an import map'),
  // The OPFS filesystem backends of @weft/wasi (npm/wasi/src/p3/opfs.js, p2/opfs.js).
  {
    name: 'opfs backends (page-side unit tests: OpfsFs, OpfsMirror, in a window and a Worker)',
    module: 'web-tests/suites/opfs.js',
    params: {},
  },
  {
    name: 'opfs: WASI 0.3 program fs with /data in OPFS (--instantiation, OpfsFs and OpfsMirror)',
    module: 'web-tests/suites/opfs-program.js',
    // Built by scripts/build-wasi-p3-programs when missing.
    transpile: [inst('target/wasi-p3-programs/fs.wasm', 'opfs-p3-fs')],
    params: { out: '/out/opfs-p3-fs/', mode: 'instantiation', program: 'fs', set: 'wasi-p3-programs' },
  },
  {
    name: 'opfs: WASI 0.2 program fs with /data in OPFS (--instantiation, OpfsMirror)',
    module: 'web-tests/suites/opfs-program.js',
    // Built by scripts/build-wasi-programs when missing.
    transpile: [inst('target/wasi-programs/fs.wasm', 'opfs-p2-fs')],
    params: { out: '/out/opfs-p2-fs/', mode: 'instantiation', program: 'fs', set: 'wasi-programs' },
  },
  // examples/dom: a todo list whose DOM work is all in a Rust component (`webidl:`
  // imports), built by examples/dom/build.sh (by this suite's prepare when needed).
  domExampleSuite(),
  // playground/: the in-browser playground, driven from here with clicks and typing
  // (web-tests/playground/drive.mjs), built by scripts/build-playground when needed.
  playgroundSuite(),
];

/**
 * The tests of a guest (tests/guests/<guest>/test.mjs, imported by web-tests/suites/guest.js)
 * against target/guests/<guest>.wasm transpiled in `mode` (`instantiation` or `esm`). In
 * ESM mode each `weft:test/<iface>` import is mapped to the host module
 * tests/guests/<guest>/<iface>.mjs that the test uses too. `page`: more page parameters.
 */
/**
 * `POST /record/replay?build=recorded|fixed|async` with a trace as the body: `weft
 * replay` of it against examples/record/shout.wat, or the fixed build (the file without
 * its line marked BUG), or the async-basics guest; answers `{ code, report }`.
 */
function replayEndpoint(ctx) {
  const wat = readFileSync(join(ctx.root, 'examples/record/shout.wat'), 'utf8');
  const fixed = join(ctx.tmp, 'shout-fixed.wat');
  writeFileSync(fixed, wat.split('\n').filter((l) => !l.includes(';; BUG')).join('\n'));
  ctx.mount('/record/replay', async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const build = new URL(req.url, 'http://x').searchParams.get('build');
    const trace = join(ctx.tmp, `record-${build}.trace`);
    writeFileSync(trace, Buffer.concat(chunks));
    const component = { fixed, async: join(ctx.root, 'target/guests/async-basics.wasm') }[build] ?? join(ctx.root, 'examples/record/shout.wat');
    const r = spawnSync(ctx.weft, ['replay', trace, component], { encoding: 'utf8' });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ code: r.status, report: `${r.stdout}${r.stderr}` }));
  });
}

function guestSuite(guest, mode, { label, page = {}, args = [] } = {}) {
  const out = `guest-${guest}-${mode}${args.length ? `-${args.join('').replace(/[^a-z0-9]+/g, '-')}` : ''}`;
  const input = `target/guests/${guest}.wasm`;
  const how = mode === 'esm' ? `ESM, imports mapped to tests/guests/${guest}/` : '--instantiation';
  return {
    name: `${guest} guest (${how}${label ? `, ${label}` : ''})`,
    module: 'web-tests/suites/guest.js',
    // A guest of Web APIs binds them against the IDL beside it (`idl/`).
    transpile: [mode === 'esm'
      ? esm(input, out, ['--map', `weft:test/*=/tests/guests/${guest}/*.mjs`])
      : inst(input, out, [...(existsSync(`tests/guests/${guest}/idl`) ? ['--webidl', `tests/guests/${guest}/idl`] : []), ...args])],
    params: { guest, out: `/out/${out}/`, mode, ...page },
    // A page that asks for JSPI checks it has it: not in a configuration without.
    needs: page.jspi ? ['jspi'] : [],
  };
}

/**
 * Files of the Component Model spec suite (the copy in wasm-tools 1.263.0, paths
 * relative to its `test/`; `'all'` for every `.wast` file), run in the page by the
 * directive runner node uses (tests/conformance/spec-run.mjs; web-tests/suites/spec.js):
 * `prepare` converts each with `wasm-tools json-from-wast` and transpiles its
 * components beforehand with `args` more (weft's refusals recorded), into
 * /out/spec-<slug>/ with a manifest.
 */
function specSuite(label, names, args = []) {
  const slug = label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  const base = `spec-${slug}`;
  return {
    name: `spec suite: ${label} files`,
    module: 'web-tests/suites/spec.js',
    params: { manifest: `/out/${base}/manifest.json` },
    prepare(ctx) {
      const corpus = spawnSync(join(ctx.root, 'scripts/corpus-dir'), ['wasm-tools-1.263.0'], { encoding: 'utf8' });
      if (corpus.status !== 0) throw new Error(`scripts/corpus-dir failed\n${corpus.stderr}`);
      const testDir = join(corpus.stdout.trim(), 'tests/component-model/test');
      const wasmTools = join(ctx.cache, 'tools/bin/weft-devtools');
      const files = [];
      for (const file of names === 'all' ? wastFiles(testDir) : names) {
        const path = join(testDir, file);
        const dir = join(ctx.tmp, base, file.replace(/[/.]/g, '_'));
        const json = join(dir, 'commands.json');
        mkdirSync(dir, { recursive: true });
        const conv = spawnSync(wasmTools, ['json-from-wast', path, '-o', json, '--wasm-dir', dir], { encoding: 'utf8' });
        if (conv.status !== 0) throw new Error(`json-from-wast ${file} failed\n${conv.stderr}`);
        const { commands } = JSON.parse(readFileSync(json, 'utf8'));
        /** Each component file: its transpiled output's URL, or weft's refusal. */
        const components = {};
        for (const c of commands) {
          // Text (`.wat`) too: weft reads it, and refuses the malformed ones.
          if (!c.filename || c.filename in components) continue;
          const out = `c${Object.keys(components).length}`;
          const r = spawnSync(ctx.weft, ['transpile', join(dir, c.filename), '-o', join(dir, out), '--instantiation', '--name', 'c', '-q', '--no-typescript', ...args], { encoding: 'utf8' });
          components[c.filename] = r.status === 0
            ? { out: `/out/${relative(ctx.tmp, join(dir, out))}/` }
            : { error: r.stderr.trim() || `weft exited with ${r.status}` };
        }
        files.push({ file, commands, components });
      }
      writeFileSync(join(ctx.tmp, base, 'manifest.json'), JSON.stringify({ files }));
    },
  };
}

/** Every `.wast` file under `dir`, relative to it, sorted. */
function wastFiles(dir, sub = '') {
  return readdirSync(join(dir, sub))
    .sort()
    .flatMap((f) => {
      const rel = sub ? `${sub}/${f}` : f;
      if (statSync(join(dir, rel)).isDirectory()) return wastFiles(dir, rel);
      return f.endsWith('.wast') ? [rel] : [];
    });
}

/** npm/examples/<app>/<dist>/index.html in an iframe (web-tests/suites/vite-app.js). */
function viteAppSuite(app, dist, how) {
  return {
    name: `${app} example (${how}: vite build with @weft/transpiler/plugin, ${dist}/ in an iframe)`,
    module: 'web-tests/suites/vite-app.js',
    params: { app: `/npm/examples/${app}/${dist}/` },
    // The page as a person sees it, once the component ran.
    screenshot: { url: `/npm/examples/${app}/${dist}/index.html`, file: `${app}-${dist}.png`, ready: () => Array.isArray(window.weftLines) },
    prepare(ctx) {
      if (!existsSync(join(ctx.root, `npm/examples/${app}/${dist}/index.html`))) {
        const r = spawnSync(join(ctx.root, 'scripts/build-examples'), [], { cwd: ctx.root, env: BUILD_ENV, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`scripts/build-examples failed\n${r.stderr}`);
      }
      helloExpected(ctx);
    },
  };
}

/**
 * npm/examples/<app> served by its Vite's dev server (middleware mode, base
 * `/vite-dev/<app>/`) under the runner's origin, in an iframe.
 */
function viteDevSuite(app, how) {
  const base = `/vite-dev/${app}/`;
  return {
    name: `${app} example (${how} dev server with @weft/transpiler/plugin, in an iframe)`,
    module: 'web-tests/suites/vite-app.js',
    params: { app: base, dev: '1' },
    screenshot: { url: `${base}index.html`, file: `${app}-dev.png`, ready: () => Array.isArray(window.weftLines) },
    async prepare(ctx) {
      const dir = join(ctx.root, 'npm/examples', app);
      const viteEntry = join(dir, 'node_modules/vite/dist/node/index.js');
      if (!existsSync(viteEntry) || !existsSync(join(dir, 'src/hello.wasm'))) {
        const r = spawnSync(join(ctx.root, 'scripts/build-examples'), [], { cwd: ctx.root, env: BUILD_ENV, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`scripts/build-examples failed\n${r.stderr}`);
      }
      const vite = await import(pathToFileURL(viteEntry).href);
      const server = await vite.createServer({
        root: dir,
        base,
        logLevel: 'warn',
        appType: 'spa',
        // HMR's WebSocket on the runner's server too (the client always opens one).
        server: { middlewareMode: true, hmr: { server: ctx.httpServer } },
      });
      ctx.cleanup(() => server.close());
      ctx.mount(base, server.middlewares);
      helloExpected(ctx);
    },
  };
}

/** hello's page compares its lines with what examples/hello/run.mjs prints in node. */
function helloExpected(ctx) {
  ctx.transpile(esm('examples/hello/hello.wat', 'hello-node'));
  const out = ctx.node([join(ctx.root, 'examples/hello/run.mjs'), relative(ctx.root, join(ctx.tmp, 'hello-node'))]);
  writeFileSync(join(ctx.tmp, 'hello-expected.json'), JSON.stringify(out.trimEnd().split('\n')));
}

// --- WASI test programs ----------------------------------------------------------------
//
// The WASI 0.2 programs of tests/wasi-programs/ (scripts/build-wasi-programs builds them
// into target/wasi-programs/<name>.wasm; tests/wasi-programs/expected.json says what each
// must do), run against the browser shim npm/wasi/src/p2/browser.js. One suite per
// program named in expected.json, once the shim and expected.json exist;
// web-tests/suites/wasi-program.js is the page side.

/**
 * The command programs of tests/<set>/expected.json (none if the shim is missing);
 * entries without `args` (an http service) are not commands.
 * @param {string} [root] @param {'wasi-programs' | 'wasi-p3-programs'} [set]
 */
export function wasiPrograms(root = new URL('..', import.meta.url).pathname, set = 'wasi-programs') {
  const expected = join(root, 'tests', set, 'expected.json');
  const shim = set === 'wasi-p3-programs' ? 'p3-browser.js' : 'p2/browser.js';
  if (!existsSync(join(root, 'npm/wasi/src', shim)) || !existsSync(expected)) return [];
  return commandNames(JSON.parse(readFileSync(expected, 'utf8')).programs ?? {});
}

function importMapSuite(page, args) {
  const out = `importmap-${page}`;
  return {
    name: `wasi hello, ESM in a plain page (import map, web-tests/import-map/${page}.html)`,
    module: 'web-tests/suites/import-map.js',
    // Built by scripts/build-wasi-programs when missing.
    transpile: [esm('target/wasi-programs/hello.wasm', out, args)],
    params: { page, out: `/out/${out}/hello.js` },
  };
}

/**
 * target/guide/<page>/index.html (web-tests/suites/guide.js), built by scripts/guide
 * (which runs docs/guide.md) when missing; its screenshot is the one docs/guide/ shows.
 */
function guideSuite(page, how) {
  const url = `/target/guide/${page}/index.html`;
  return {
    name: `guide (docs/guide.md) ${page}: ${how}`,
    module: 'web-tests/suites/guide.js',
    params: { page: url, ...(page === 'plain-page' ? { plain: '1' } : {}) },
    screenshot: { url, file: `guide-${page}.png`, ready: () => document.querySelectorAll('#parsed li').length > 0 },
    prepare(ctx) {
      if (!existsSync(join(ctx.root, url))) {
        const r = spawnSync(join(ctx.root, 'scripts/guide'), [], { cwd: ctx.root, env: BUILD_ENV, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`scripts/guide failed\n${r.stderr}`);
      }
    },
  };
}

function wasiProgramSuites() {
  const http = existsSync(join(new URL('..', import.meta.url).pathname, 'tests/wasi-programs/http-client'))
    ? [
        {
          name: 'WASI 0.2 program http-client against /upstream (--instantiation, browser shim, JSPI)',
          module: 'web-tests/suites/wasi-program.js',
          transpile: [inst('target/wasi-programs/http-client.wasm', 'wasi-programs-http-client', P2_JSPI)],
          params: { out: '/out/wasi-programs-http-client/', mode: 'instantiation', program: 'http-client', set: 'wasi-programs', section: 'http' },
          // Its blocking wasi:io calls suspend the guest on fetch's promises.
          needs: ['jspi'],
        },
      ]
    : [];
  if (existsSync(join(new URL('..', import.meta.url).pathname, 'tests/wasi-p3-programs/http-client'))) {
    http.push({
      name: 'WASI 0.3 program http-client against /upstream (--instantiation, browser shim)',
      module: 'web-tests/suites/wasi-program.js',
      transpile: [inst('target/wasi-p3-programs/http-client.wasm', 'wasi-p3-programs-http-client')],
      params: { out: '/out/wasi-p3-programs-http-client/', mode: 'instantiation', program: 'http-client', set: 'wasi-p3-programs', section: 'http' },
    });
  }
  http.push(
    {
      name: 'wasi:http 0.2 handler http-proxy in the page (handleRequest)',
      module: 'web-tests/suites/http-handler.js',
      transpile: [inst('target/wasi-programs/http-proxy.wasm', 'http-proxy')],
      params: { out: '/out/http-proxy/', mode: 'instantiation', set: 'wasi-programs' },
    },
    {
      name: 'wasi:http 0.3 handler http-service in the page (toFetchHandler)',
      module: 'web-tests/suites/http-handler.js',
      transpile: [inst('target/wasi-p3-programs/http-service.wasm', 'http-service')],
      params: { out: '/out/http-service/', mode: 'instantiation', set: 'wasi-p3-programs' },
    },
  );
  return http.concat(['wasi-programs', 'wasi-p3-programs'].flatMap((set) => {
    const p3 = set === 'wasi-p3-programs';
    return wasiPrograms(undefined, set).map((name) => ({
      name: `WASI ${p3 ? '0.3' : '0.2'} program ${name} (--instantiation, browser shim)`,
      module: 'web-tests/suites/wasi-program.js',
      // Built by scripts/build-wasi-programs / build-wasi-p3-programs when missing.
      // WASI 0.2 is synchronous: its blocking calls (pollable.block for a sleep, say)
      // return promises from the browser shim (`jspi`), and the guest suspends on them.
      transpile: [inst(`target/${set}/${name}.wasm`, `${set}-${name}`, p3 ? [] : P2_JSPI)],
      params: { out: `/out/${set}-${name}/`, mode: 'instantiation', program: name, set },
    }));
  }));
}

/**
 * examples/dom/vite-app/dist/index.html (web-tests/suites/dom-example.js), built by
 * examples/dom/build.sh (the WIT from @webref/idl, the Rust crate, `vite build`) when it
 * is missing or older than the example's sources; the screenshot is the one
 * examples/dom/README.md shows.
 */
function domExampleSuite() {
  const dist = 'examples/dom/vite-app/dist/';
  return {
    name: 'dom-example (examples/dom: a todo list in Rust on the DOM through webidl: imports, vite build, in an iframe)',
    module: 'web-tests/suites/dom-example.js',
    params: { app: `/${dist}` },
    screenshot: { url: `/${dist}index.html`, file: 'dom-example.png', ready: domExampleDemo },
    prepare(ctx) {
      const sources = ['todo/src/lib.rs', 'todo/wit/world.wit', 'todo/Cargo.toml', 'todo/Cargo.lock', 'vite-app/index.html', 'vite-app/src/main.js', 'vite-app/package.json', 'vite-app/vite.config.js', 'build.sh'];
      buildWhenStale(ctx, join(dist, 'index.html'), sources.map((f) => join('examples/dom', f)), 'examples/dom/build.sh');
    },
  };
}

/**
 * The screenshot's `ready`, run in the page every 100 ms: once the component enabled the
 * input, types three todos (one per call, each once the previous one is in the list),
 * marks the second done, and is true when the count says so.
 */
function domExampleDemo() {
  const todos = ['Buy milk', 'Write the report', 'Water the plants'];
  const input = document.querySelector('#new-todo');
  if (input.disabled) return false;
  const texts = document.querySelectorAll('#list .text');
  window.demoSent ??= 0;
  if (texts.length < todos.length) {
    if (window.demoSent === texts.length) {
      input.value = todos[window.demoSent++];
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    }
    return false;
  }
  if (!window.demoToggled) {
    window.demoToggled = true;
    texts[1].click();
  }
  return document.querySelector('#count').textContent === '2 items left';
}

/**
 * playground/dist (scripts/build-playground: the gallery's components, `vite build`),
 * rebuilt when missing or older than the playground's sources or the wasm transpiler.
 */
function playgroundSuite() {
  return {
    name: 'playground (playground/: transpile, inspect and run components in the page, driven as a person would)',
    driver: 'web-tests/playground/drive.mjs',
    prepare(ctx) {
      const sources = [
        ...readdirSync(join(ctx.root, 'playground/src')).map((f) => join('playground/src', f)),
        'playground/index.html',
        'playground/package.json',
        'playground/vite.config.js',
        'playground/public/sw.js',
        'playground/scripts/examples.mjs',
        'npm/transpiler/wasm/weft_bg.wasm',
        // The WASI shims it bundles (`@weft/wasi` is a link to npm/wasi).
        ...filesUnder(ctx.root, 'npm/wasi/src'),
      ];
      buildWhenStale(ctx, 'playground/dist/index.html', sources, 'scripts/build-playground');
    },
  };
}

/** Every file under `dir` (relative to `root`), as paths relative to `root`. */
function filesUnder(root, dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(root, join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Runs `script` (paths relative to the root) when `built` is missing or older than one
 * of `sources` (a missing source counts as newer), with the weft run.mjs uses (WEFT_BIN,
 * else the release build it made); its stderr in the error when it fails.
 */
function buildWhenStale(ctx, built, sources, script) {
  const at = (f) => join(ctx.root, f);
  const stale = !existsSync(at(built)) || sources.some((f) => !existsSync(at(f)) || statSync(at(f)).mtimeMs > statSync(at(built)).mtimeMs);
  if (!stale) return;
  const env = { ...BUILD_ENV, WEFT_BIN: process.env.WEFT_BIN ?? join(ctx.root, 'target/release/weft') };
  const r = spawnSync(at(script), [], { cwd: ctx.root, env, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed\n${r.stderr}`);
}
