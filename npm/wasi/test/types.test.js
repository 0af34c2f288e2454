// The TypeScript declarations of @weft/wasi (every `exports` entry) and @weft/transpiler
// (the API and the plugin), as a strict TypeScript app sees them: a temporary project
// with both packages linked into node_modules, one `.ts` file per entry using it as the
// READMEs show, checked by tsc (scripts/setup installs typescript@5 into
// $WEFT_CACHE/ts) with `--strict --module nodenext`, with and without skipLibCheck.
// Each file also holds `// @ts-expect-error` lines for wrong uses (a misspelled option,
// a wrong argument type): were an entry typed `any`, they would be unused, an error.
// One tsc run per skipLibCheck covers every file; errors are attributed to the file's
// test, and an error in the packages' own declarations fails every test of that run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const npm = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cache = process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft');
const tsc = join(cache, 'ts/node_modules/.bin/tsc');

/** Entry → the `.ts` file that uses it. */
const FILES = {
  // In node (nodenext resolves the `node` condition): README's first example.
  p2: `
import { wasiImports, WasiExit, BlockingError } from '@weft/wasi/p2';
const imports = wasiImports({ args: ['app', '--verbose'], env: { HOME: '/data' }, preopens: { '/data': './data' } });
try {
  imports['wasi:cli/exit@0.2.0'].exitWithCode(3);
} catch (e) {
  if (!(e instanceof WasiExit)) throw e;
  const code: number = e.code;
  console.log(code, e instanceof BlockingError);
}
const out = imports['wasi:cli/stdout@0.2.6'].getStdout();
out.blockingWriteAndFlush(new TextEncoder().encode('hi\\n'));
const args: ReadonlyArray<string> = imports['wasi:cli/environment@0.2.3'].getArguments();
imports.flush();
wasiImports({ overrides: { 'cli/stdout': { getStdout: () => out } }, stdin: 'input', network: true });
// @ts-expect-error: a misspelled option
wasiImports({ preopen: { '/data': './data' } });
// @ts-expect-error: browser-only option in node
wasiImports({ jspi: true });
// @ts-expect-error: not a WASI 0.2 name
imports['wasi:cli/stdout@0.3.0'];
// @ts-expect-error: args are strings
wasiImports({ args: [1] });
export { args };
`,
  'p2/node': `
import { wasiImports, type Options } from '@weft/wasi/p2/node';
const options: Options = { stdin: { read: (max: number) => new Uint8Array(Math.min(max, 1)) }, stdout: (bytes) => void bytes.length };
const imports = wasiImports(options);
const [[dir, path]] = imports['wasi:filesystem/preopens@0.2.0'].getDirectories();
const stat = dir.statAt({ symlinkFollow: false }, 'a.txt');
const size: bigint = stat.size;
const now = imports['wasi:clocks/wall-clock@0.2.0'].now();
const seconds: bigint = now.seconds;
// @ts-expect-error: preopens map to host paths in node
wasiImports({ preopens: { '/': {} } });
// @ts-expect-error: stdout is a function of bytes
wasiImports({ stdout: 'console' });
export { path, size, seconds };
`,
  'p2/browser': `
import { wasiImports, MemFs, OpfsMirror, BlockingError, WasiExit, streamSource, type TreeInput } from '@weft/wasi/p2/browser';
const tree: TreeInput = { 'a.txt': 'hi', data: { 'b.bin': new Uint8Array([1]) } };
const fs = new MemFs(tree);
const imports = wasiImports({ fs, preopens: { '/tmp': {} }, jspi: true, fetch: globalThis.fetch, stdin: new ReadableStream<Uint8Array>() });
const bytes: Uint8Array | undefined = fs.readFile('data/b.bin');
const copy = fs.toTree();
const data = await OpfsMirror.load('my-app/data');
wasiImports({ preopens: { '/data': data } });
const { written, removed }: { written: number; removed: number } = await data.flush();
const source = streamSource(new ReadableStream<Uint8Array>());
const chunk: Uint8Array | null = source.read(10);
imports.flush();
console.log(new BlockingError('x').message, WasiExit.name);
// @ts-expect-error: a misspelled option
wasiImports({ jsip: true });
// @ts-expect-error: a tree holds strings, bytes and trees
new MemFs({ 'a.txt': 1 });
// @ts-expect-error: node-only option
wasiImports({ network: true });
export { bytes, copy, written, removed, chunk };
`,
  'p2/serve': `
import { wasiImports } from '@weft/wasi/p2';
import { serve, handleRequest, InstancePool, type Server } from '@weft/wasi/p2/serve';
declare function instantiate(getCoreModule: unknown, imports: unknown): Promise<object>;
declare const getCoreModule: unknown;
const app = await instantiate(getCoreModule, wasiImports());
const server: Server = await serve(app, { port: 8080, host: '127.0.0.1' });
const address = server.address();
server.close();
const response: Response = await handleRequest(app, new Request('http://localhost/'));
const pool = new InstancePool(() => instantiate(getCoreModule, wasiImports()), { maxInstanceReuseCount: 100, onTrap: (error, request) => console.error(error, request?.method) });
await serve(pool, { port: 8080 });
await serve(() => instantiate(getCoreModule, wasiImports()), { port: 0, maxInstanceReuseCount: 1 });
// @ts-expect-error: a misspelled option
await serve(pool, { prot: 8080 });
// @ts-expect-error: a WHATWG Request, not a URL
await handleRequest(app, 'http://localhost/');
export { address, response };
`,
  p3: `
import { wasiImports, WasiExit, InstancePool, toFetchHandler } from '@weft/wasi/p3';
const imports = wasiImports({ args: ['app'], preopens: { '/data': './data' }, network: true, stdout: new WritableStream<Uint8Array>() });
const names = imports['wasi:cli/environment@0.3.0'].getArguments();
await imports['wasi:clocks/monotonic-clock@0.3.0'].waitFor(1_000_000n);
const v2 = imports['wasi:cli/stdout@0.2.0'].getStdout();
const rc = imports['wasi:random/random@0.3.0-rc-2026-03-15'].getRandomU64();
const handler: (r: Request) => Promise<Response> = toFetchHandler(() => ({}), { maxInstanceReuseCount: 1 });
const pool = new InstancePool(() => ({}));
toFetchHandler(pool);
console.log(WasiExit.name);
// @ts-expect-error: a misspelled option
wasiImports({ netwrok: true });
// @ts-expect-error: browser-only option in node
wasiImports({ fs: {} });
export { names, v2, rc, handler };
`,
  'p3/node': `
import { wasiImports, type Options } from '@weft/wasi/p3/node';
const options: Options = { stdin: 'input', forbiddenHeaders: ['x-secret'], env: { A: 'b' } };
const imports = wasiImports(options);
const [[dir]] = imports['wasi:filesystem/preopens@0.3.0'].getDirectories();
const stat = await dir.stat();
const type = stat.type.tag;
// @ts-expect-error: WASI 0.3 stat is asynchronous
dir.stat().size;
export { type };
`,
  'p3/browser': `
import { wasiImports, OpfsFs, OpfsMirror, MemFs, toFetchHandler, type HttpHandler } from '@weft/wasi/p3/browser';
const data = await OpfsFs.open('my-app/data');
const later = new OpfsFs('my-app/data');
const mirror = await OpfsMirror.load('my-app/mirror');
const imports = wasiImports({ preopens: { '/data': data, '/mirror': mirror, '/mem': new MemFs(), '/tree': { 'a.txt': 'a' } }, fs: later });
const result: Uint8Array | undefined = await data.readFile('result.txt');
await data.writeFile('x.txt', 'x');
await data.clear();
const handler: HttpHandler = imports['wasi:http/handler@0.3.0'];
self.addEventListener('fetch', (event) => {
  const e = event as Event & { request: Request; respondWith(r: Promise<Response>): void };
  e.respondWith(toFetchHandler(handler)(e.request));
});
imports.flush();
// @ts-expect-error: a misspelled option
wasiImports({ preopen: {} });
// @ts-expect-error: OpfsFs.open takes a path or a handle
await OpfsFs.open(1);
export { result };
`,
  'p2/*': `
import { getStdout } from '@weft/wasi/p2/cli/stdout';
import { getArguments } from '@weft/wasi/p2/cli/environment';
import { Descriptor, filesystemErrorCode } from '@weft/wasi/p2/filesystem/types';
import { Fields, type OutgoingRequest } from '@weft/wasi/p2/http/types';
import { subscribeDuration } from '@weft/wasi/p2/clocks/monotonic-clock';
getStdout().blockingWriteAndFlush(new Uint8Array([104, 105, 10]));
const args: ReadonlyArray<string> = getArguments();
subscribeDuration(1_000_000n).block();
const fields = Fields.fromList([['content-type', new TextEncoder().encode('text/plain')]]);
declare const d: Descriptor;
declare const request: OutgoingRequest;
const path: string | null | undefined = request.pathWithQuery();
console.log(fields.has('content-type'), typeof filesystemErrorCode, d.getType());
// @ts-expect-error: a duration is a bigint
subscribeDuration(1000);
// @ts-expect-error: no such member
import { getStdot } from '@weft/wasi/p2/cli/stdout';
export { args, path, getStdot };
`,
  'p3/*': `
import { writeViaStream } from '@weft/wasi/p3/cli/stdout';
import { waitFor } from '@weft/wasi/p3/clocks/monotonic-clock';
import { Fields, Request } from '@weft/wasi/p3/http/types';
import { send } from '@weft/wasi/p3/http/client';
await waitFor(1_000_000n);
const r = await writeViaStream(new ReadableStream<Uint8Array>());
const headers = new Fields();
const [request] = Request.new(headers, null, Promise.resolve({ tag: 'ok', value: null }), null);
const response = await send(request);
const status: number = response.getStatusCode();
// @ts-expect-error: waitFor takes nanoseconds as a bigint
await waitFor(1);
export { r, status };
`,
  // @weft/transpiler: README's JS API example.
  transpiler: `
import { transpile, wit, init, formatError, type TranspileOptions } from '@weft/transpiler';
declare const bytes: Uint8Array;
await init();
const options: TranspileOptions = { name: 'hello', instantiation: true, map: { 'wasi:*': '@weft/wasi/p2/*' } };
const { files, imports, exports, warnings } = await transpile(bytes, options);
const js: Uint8Array | undefined = files['hello.js'];
console.log(await wit(bytes), await formatError('failed', ['cause']), imports, exports, warnings, js);
// @ts-expect-error: a misspelled option
await transpile(bytes, { instantation: true });
// @ts-expect-error: compat is 'native' or 'jco'
await transpile(bytes, { compat: 'wasmtime' });
`,
  // @weft/transpiler/plugin: README's plugin configuration (rollup.config.ts style).
  'transpiler/plugin': `
import weft, { isComponent, type WeftPluginOptions } from '@weft/transpiler/plugin';
const options: WeftPluginOptions = { include: /\\.wasm$/, base64Cutoff: 0, map: [['wasi:*', '@weft/wasi/p2/*']], asyncImports: ['wasi:io/poll@0.2.*'] };
export default { plugins: [weft(), weft(options)] };
console.log(isComponent(new Uint8Array(8)));
// @ts-expect-error: a misspelled option
weft({ base64cutoff: 0 });
`,
};

/** A misspelled option, with no `@ts-expect-error`: tsc must reject it. */
const WRONG = `
import { wasiImports } from '@weft/wasi/p2/browser';
wasiImports({ preopen: {} });
`;

/** The file name of an entry's test file. @param {string} entry */
const fileOf = (entry) => `${entry.replace(/\*/g, 'iface').replace(/\//g, '-')}.ts`;

let dir = '';
/** skipLibCheck → per file name, its errors; `''`: errors elsewhere. @type {Map<boolean, Promise<Map<string, string[]>>>} */
const runs = new Map();

/** Runs tsc over every file once. @param {boolean} skipLibCheck */
function check(skipLibCheck) {
  return new Promise((resolve, reject) => {
    const files = [...Object.keys(FILES).map(fileOf), 'wrong.ts'];
    const args = ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', String(skipLibCheck), '--pretty', 'false', ...files];
    execFile(tsc, args, { cwd: dir, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      /** @type {Map<string, string[]>} */
      const byFile = new Map();
      for (const line of `${stdout}${stderr}`.split('\n')) {
        if (line.trim() === '') continue;
        const m = /^(.+?)\(\d+,\d+\): error /.exec(line);
        const key = m && files.includes(m[1]) ? m[1] : m ? '' : null;
        if (key === null) {
          // A continuation line of the last error.
          const last = [...byFile.values()].at(-1);
          if (last) last[last.length - 1] += `\n${line}`;
          else byFile.set('', [...(byFile.get('') ?? []), line]);
          continue;
        }
        byFile.set(key, [...(byFile.get(key) ?? []), line]);
      }
      resolve(byFile);
    });
  });
}

before(() => {
  if (!existsSync(tsc)) return;
  dir = mkdtempSync(join(tmpdir(), 'weft-types-'));
  mkdirSync(join(dir, 'node_modules/@weft'), { recursive: true });
  symlinkSync(join(npm, 'wasi'), join(dir, 'node_modules/@weft/wasi'), 'dir');
  symlinkSync(join(npm, 'transpiler'), join(dir, 'node_modules/@weft/transpiler'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  for (const [entry, text] of Object.entries(FILES)) writeFileSync(join(dir, fileOf(entry)), text);
  writeFileSync(join(dir, 'wrong.ts'), WRONG);
  for (const skip of [false, true]) runs.set(skip, check(skip));
  for (const p of runs.values()) p.catch(() => {}); // reported by the tests
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** The errors of a run for `file`, and those in the packages' declarations. @param {boolean} skip @param {string} file */
async function errorsOf(skip, file) {
  assert.ok(existsSync(tsc), `TypeScript is not installed at ${tsc}: run scripts/setup`);
  const byFile = await /** @type {Promise<Map<string, string[]>>} */ (runs.get(skip));
  return { own: byFile.get(file) ?? [], elsewhere: byFile.get('') ?? [] };
}

for (const skip of [false, true]) {
  for (const entry of Object.keys(FILES)) {
    test(`${entry.startsWith('transpiler') ? '@weft/' : '@weft/wasi/'}${entry} type-checks (strict, skipLibCheck ${skip})`, async () => {
      const { own, elsewhere } = await errorsOf(skip, fileOf(entry));
      assert.deepEqual([...elsewhere, ...own], [], `tsc errors:\n${[...elsewhere, ...own].join('\n')}`);
    });
  }
  test(`a misspelled option is a tsc error (skipLibCheck ${skip})`, async () => {
    const { own } = await errorsOf(skip, 'wrong.ts');
    assert.equal(own.length, 1, `expected one error in wrong.ts, got:\n${own.join('\n')}`);
    assert.match(own[0], /error TS2561: .*'preopen'.*'preopens'/);
  });
}
