// Fills public/examples/ with the gallery: the components (built from this repository
// by its own scripts; see scripts/build-playground), examples.json describing each, and
// webidl.json (the IDL files of @webref/idl, which the DOM example's transpile needs).
// Usage: node scripts/examples.mjs ROOT (the repository). Fails naming a missing input.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const root = process.argv[2] ?? join(here, '..');
const out = join(here, 'public/examples');

/** The gallery, in the order the page shows it. `from`: the input, relative to the root. */
const gallery = [
  {
    id: 'hello',
    title: 'Hello (WAT)',
    blurb: 'A small component written as WAT text: edit it and transpile. Call add, greet and sum from the exports panel.',
    from: 'examples/hello/hello.wat',
    wat: true,
  },
  {
    id: 'wasi-files',
    title: 'WASI 0.2 command: files',
    blurb: 'A Rust program (wasm32-wasip2) that writes, reads, renames and removes files under /data and prints what it did.',
    from: 'target/wasi-programs/fs.wasm',
    args: ['fs'],
    preopen: '/data',
    files: { 'notes.txt': 'a file that was there before the run\n' },
  },
  {
    id: 'wasi-p3-streams',
    title: 'WASI 0.3 command: streams',
    blurb: 'A WASI 0.3 program: stdout and stdin as stream<u8>, writes cancelled and dropped, futures for their results.',
    from: 'target/wasi-p3-programs/stdio-streams.wasm',
    args: ['stdio-streams'],
    stdin: 'hello stdin\nmore that is never read\n',
  },
  {
    id: 'async-exports',
    title: 'Async exports: futures and streams',
    blurb: 'async func exports (callback ABI, no JSPI needed): echo, produce a stream, upper-case a stream, make a future.',
    from: 'target/guests/async-basics.wasm',
  },
  {
    id: 'threads',
    title: 'Cooperative threads (WAT)',
    blurb:
      'Threads made with thread.new-indirect that yield, join and switch directly, written in WAT: spawn-join(3, 4) shows the interleaving, switch-chain(5) a chain of direct switches. Stack switching needs JSPI: untick the box to see the trap.',
    from: 'tests/guests/threads/threads.wat',
    wat: true,
  },
  {
    id: 'http-handler',
    title: 'HTTP handler (WASI 0.3)',
    blurb: 'A wasi:http/handler component served in the page: send it requests from the form.',
    from: 'target/wasi-p3-programs/http-service.wasm',
    request: { method: 'POST', path: '/hello?x=1', body: 'some body' },
  },
  {
    id: 'dom-todo',
    title: 'DOM: a todo list (WebIDL)',
    blurb: 'A Rust component that builds and runs a page through webidl: imports bound directly to the DOM.',
    from: 'examples/dom/vite-app/src/todo.wasm',
    html: 'examples/dom/vite-app/index.html',
  },
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const manifest = [];
for (const { from, html, ...entry } of gallery) {
  const src = join(root, from);
  if (!existsSync(src)) throw new Error(`${from} is missing: scripts/build-playground builds it`);
  const file = `${entry.id}${from.endsWith('.wat') ? '.wat' : '.wasm'}`;
  copyFileSync(src, join(out, file));
  const item = { ...entry, file };
  if (html) {
    // The page the component runs in: the example's own, without its script tags.
    const page = readFileSync(join(root, html), 'utf8').replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
    writeFileSync(join(out, `${entry.id}.html`), page);
    item.html = `${entry.id}.html`;
    item.webidl = true;
  }
  manifest.push(item);
}
writeFileSync(join(out, 'examples.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// The web platform's IDL for components with webidl: imports (loaded only for them).
const idl = join(here, 'node_modules/@webref/idl');
if (!existsSync(idl)) throw new Error('node_modules/@webref/idl is missing: run npm install in playground/');
const files = readdirSync(idl)
  .filter((f) => f.endsWith('.idl'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(idl, f), 'utf8') }));
writeFileSync(join(out, 'webidl.json'), JSON.stringify(files));
console.log(`playground: ${manifest.length} examples and ${files.length} IDL files in public/examples/`);
