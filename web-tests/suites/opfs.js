// The OPFS filesystem backends of @weft/wasi, page-side: `OpfsFs` (WASI 0.3,
// npm/wasi/src/p3/opfs.js) called the way generated code calls it (ReadableStreams in,
// async iterables and futures out, rejections with `{ payload }` for `err`), and
// `OpfsMirror` (WASI 0.2, npm/wasi/src/p2/opfs.js) under the synchronous 0.2 API, in
// the window and in a dedicated Worker. Each test works in its own OPFS directory and
// removes it at the end.
import { assert } from '../lib/assert.js';
import { test } from '../lib/test.js';

const p3 = await import('/npm/wasi/src/p3-browser.js');
const p2 = await import('/npm/wasi/src/p2/browser.js');
const { domErrorCode } = await import('/npm/wasi/src/shared/opfs.js');
const { OpfsFs, OpfsMirror } = p3;

const enc = new TextEncoder();
const dec = new TextDecoder();
const V = '@0.3.0';
const OK = { tag: 'ok', value: undefined };
const rw = { read: true, write: true };
const code = (tag) => (e) => e?.payload?.tag === tag;

/** A ReadableStream of chunks, like weft's lifted `stream<u8>`. */
const readable = (...chunks) =>
  new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(typeof x === 'string' ? enc.encode(x) : x);
      c.close();
    },
  });
async function collect(it) {
  const out = [];
  for await (const x of it) out.push(x);
  return out;
}
const bytesOf = (chunks) => new Uint8Array(chunks.flatMap((c) => [...c]));

let serial = 0;
/** A fresh OPFS directory `opfs-tests/<name>-<n>` as an `OpfsFs` preopen `/o`, and the
 * preopened descriptor. */
async function setup(name) {
  const path = `opfs-tests/${name}-${serial++}`;
  const fs = await OpfsFs.open(path);
  await fs.clear();
  const imports = p3.wasiImports({ preopens: { '/o': fs } });
  const dirs = imports[`wasi:filesystem/preopens${V}`].getDirectories();
  assert.deepEqual(dirs.map(([, g]) => g), ['/o']);
  return { fs, dir: dirs[0][0], imports, path };
}
async function cleanup(path) {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(path.split('/')[0], { recursive: true }).catch(() => {});
}
/** Whether this engine's File System API refuses a file named `name` (a TypeError). */
async function refusesName(name) {
  const scratch = await (await navigator.storage.getDirectory()).getDirectoryHandle('opfs-tests', { create: true });
  try {
    await scratch.getFileHandle(name, { create: true });
  } catch (e) {
    if (e.name === 'TypeError') return true;
    throw e;
  }
  await scratch.removeEntry(name);
  return false;
}
const open = (dir, path, openFlags = {}, flags = { read: true }) => dir.openAt({ symlinkFollow: true }, path, openFlags, flags);
async function write(d, text, offset = 0n) {
  return d.writeViaStream(readable(text), offset);
}
async function read(d, offset = 0n) {
  const [stream, done] = d.readViaStream(offset);
  const bytes = bytesOf(await collect(stream));
  assert.deepEqual(await done, OK, 'read-via-stream result');
  return dec.decode(bytes);
}
async function list(d) {
  const [stream, done] = d.readDirectory();
  const entries = await collect(stream);
  assert.deepEqual(await done, OK, 'read-directory result');
  return entries.map((e) => `${e.name}${e.type.tag === 'directory' ? '/' : ''}`).sort();
}

test('OPFS is available (secure context, navigator.storage.getDirectory)', async () => {
  assert.ok(isSecureContext, 'a secure context');
  assert.equal(typeof navigator.storage?.getDirectory, 'function');
  assert.equal((await navigator.storage.getDirectory()).kind, 'directory');
});

test('p3 OpfsFs: create, write, read, append, read at an offset, stat; the bytes are in OPFS', async () => {
  const { fs, dir, path } = await setup('rw');
  const a = await open(dir, 'a.txt', { create: true, truncate: true }, rw);
  assert.deepEqual(await write(a, 'hello, opfs \u{1F600}\n'), OK);
  assert.equal(await read(a), 'hello, opfs \u{1F600}\n');
  assert.deepEqual(await a.appendViaStream(readable('more', '\n')), OK);
  assert.equal(await read(a, 17n), 'more\n');
  const st = await a.stat();
  assert.equal(st.type.tag, 'regular-file');
  assert.equal(st.size, 22n);
  assert.ok(st.dataModificationTimestamp.seconds > 1_600_000_000n, 'lastModified as the modification time');
  assert.deepEqual(await a.getType(), { tag: 'regular-file' });
  assert.deepEqual(await a.getFlags(), { read: true, write: true, fileIntegritySync: false, dataIntegritySync: false, requestedWriteSync: false, mutateDirectory: true });
  // Writing past the end leaves zeros; write-via-stream at an offset overwrites.
  assert.deepEqual(await write(a, 'XY', 24n), OK);
  assert.deepEqual(await fs.readFile('a.txt'), enc.encode('hello, opfs \u{1F600}\nmore\n\0\0XY'));
  assert.deepEqual(await write(a, 'J'), OK);
  assert.equal((await read(a)).slice(0, 5), 'Jello');
  // set-size truncates and extends.
  await a.setSize(5n);
  assert.equal(await read(a), 'Jello');
  await a.setSize(7n);
  assert.deepEqual(await fs.readFile('a.txt'), enc.encode('Jello\0\0'));
  // Opening with truncate empties the file.
  const again = await open(dir, 'a.txt', { truncate: true }, { write: true });
  assert.equal((await again.stat()).size, 0n);
  // Big files stream in chunks.
  const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
  const b = await open(dir, 'big.bin', { create: true }, rw);
  assert.deepEqual(await b.writeViaStream(readable(big.subarray(0, 70_000), big.subarray(70_000)), 0n), OK);
  const [s, done] = b.readViaStream(0n);
  const chunks = await collect(s);
  assert.deepEqual(await done, OK);
  assert.ok(chunks.length >= 3, `read in chunks (${chunks.length})`);
  assert.deepEqual(bytesOf(chunks), big);
  await cleanup(path);
});

test('p3 OpfsFs: directories, read-directory, stat-at, rename (files and directories), remove; OPFS follows', async () => {
  const { fs, dir, path } = await setup('dirs');
  await dir.createDirectoryAt('d');
  await dir.createDirectoryAt('d/sub');
  const b = await open(dir, 'd/b.bin', { create: true }, { write: true });
  assert.deepEqual(await b.writeViaStream(readable(new Uint8Array([1, 2, 3])), 0n), OK);
  const d = await open(dir, 'd', { directory: true }, { read: true, mutateDirectory: true });
  assert.deepEqual(await list(d), ['b.bin', 'sub/']);
  assert.deepEqual(await d.getType(), { tag: 'directory' });
  assert.equal((await dir.statAt({ symlinkFollow: false }, 'd/b.bin')).size, 3n);
  assert.equal((await dir.statAt({ symlinkFollow: false }, 'd')).type.tag, 'directory');
  assert.equal((await d.stat()).dataModificationTimestamp, null, 'directories have no timestamps');
  // `..` inside the preopen is fine.
  assert.equal((await d.statAt({ symlinkFollow: false }, '../d/./b.bin')).size, 3n);

  // A file moves between directories; the descriptor opened before follows it.
  await d.renameAt('b.bin', dir, 'c.bin');
  await assert.rejects(dir.statAt({ symlinkFollow: false }, 'd/b.bin'), code('no-entry'));
  assert.deepEqual(await fs.readFile('c.bin'), new Uint8Array([1, 2, 3]));
  assert.equal((await b.stat()).size, 3n, 'the old descriptor follows the rename');
  // Renaming onto an existing file replaces it.
  const x = await open(dir, 'x.txt', { create: true }, rw);
  await write(x, 'x');
  await dir.renameAt('x.txt', dir, 'c.bin');
  assert.equal(dec.decode(await fs.readFile('c.bin')), 'x');
  assert.equal(await fs.readFile('x.txt'), undefined);

  // A directory (with contents) moves too: made anew, contents moved, old one removed.
  const inner = await open(dir, 'd/sub/deep.txt', { create: true }, rw);
  await write(inner, 'deep');
  await dir.renameAt('d', dir, 'e');
  assert.deepEqual(await list(dir), ['c.bin', 'e/']);
  assert.deepEqual(await fs.toTree(), { 'c.bin': enc.encode('x'), e: { sub: { 'deep.txt': enc.encode('deep') } } });
  assert.equal(await read(inner), 'deep', 'a descriptor below a renamed directory follows it');
  assert.deepEqual(await list(d), ['sub/'], 'so does the directory descriptor');
  await assert.rejects(dir.renameAt('e', dir, 'e/sub/in'), code('invalid'));
  await assert.rejects(dir.renameAt('c.bin', dir, 'e'), code('is-directory'));
  await assert.rejects(dir.renameAt('e', dir, 'c.bin'), code('not-directory'));
  await dir.createDirectoryAt('f');
  await assert.rejects(dir.renameAt('f', dir, 'e'), code('not-empty'));
  await dir.renameAt('e/sub', dir, 'f');
  assert.deepEqual(await fs.toTree(), { 'c.bin': enc.encode('x'), e: {}, f: { 'deep.txt': enc.encode('deep') } });

  await assert.rejects(dir.removeDirectoryAt('f'), code('not-empty'));
  await assert.rejects(dir.removeDirectoryAt('c.bin'), code('not-directory'));
  await assert.rejects(dir.removeDirectoryAt('nope'), code('no-entry'));
  await assert.rejects(dir.removeDirectoryAt('.'), code('invalid'));
  await assert.rejects(dir.unlinkFileAt('f'), code('is-directory'));
  await assert.rejects(dir.unlinkFileAt('nope'), code('no-entry'));
  await dir.unlinkFileAt('f/deep.txt');
  await dir.removeDirectoryAt('f');
  await dir.removeDirectoryAt('e');
  await dir.unlinkFileAt('c.bin');
  assert.deepEqual(await list(dir), []);
  assert.deepEqual(await fs.toTree(), {});
  await cleanup(path);
});

test('p3 OpfsFs: error codes (open, create, escape, kinds, links, times, bad descriptors)', async () => {
  const { dir, path } = await setup('errors');
  const a = await open(dir, 'a.txt', { create: true }, rw);
  await dir.createDirectoryAt('d');
  await assert.rejects(open(dir, 'nope.txt'), code('no-entry'));
  await assert.rejects(open(dir, 'nope/x.txt', { create: true }, rw), code('no-entry'));
  await assert.rejects(open(dir, 'a.txt/x', { create: true }, rw), code('not-directory'));
  await assert.rejects(open(dir, 'a.txt', { create: true, exclusive: true }, rw), code('exist'));
  await assert.rejects(open(dir, 'a.txt', { directory: true }), code('not-directory'));
  await assert.rejects(open(dir, 'd', {}, rw), code('is-directory'));
  await assert.rejects(open(dir, 'new', { create: true, directory: true }), code('invalid'));
  await assert.rejects(open(dir, 'a.txt', { truncate: true }, { read: true }), code('access'));
  await assert.rejects(open(dir, '../x'), code('not-permitted'));
  await assert.rejects(open(dir, 'd/../../x'), code('not-permitted'));
  await assert.rejects(open(dir, '/etc/passwd'), code('not-permitted'));
  await assert.rejects(open(dir, ''), code('no-entry'));
  // A name the File System API refuses is `invalid`. Which names it refuses is the
  // platform's (the spec's "path separator on the underlying file system"): Chromium
  // refuses a backslash everywhere, Firefox on Linux takes it, and so does OpfsFs there.
  if (await refusesName('back\\slash')) {
    await assert.rejects(open(dir, 'back\\slash', { create: true }, rw), code('invalid'));
  } else {
    await open(dir, 'back\\slash', { create: true }, rw);
    await dir.unlinkFileAt('back\\slash');
  }
  await assert.rejects(dir.createDirectoryAt('d'), code('exist'));
  await assert.rejects(dir.createDirectoryAt('a.txt'), code('exist'));
  await assert.rejects(dir.createDirectoryAt('nope/d'), code('no-entry'));
  // A directory is not a file, a file not a directory.
  const d = await open(dir, 'd', { directory: true });
  const [, bad] = d.readViaStream(0n);
  assert.deepEqual(await bad, { tag: 'err', value: { tag: 'is-directory' } });
  assert.deepEqual(await d.writeViaStream(readable('x'), 0n), { tag: 'err', value: { tag: 'is-directory' } });
  const [, notDir] = a.readDirectory();
  assert.deepEqual(await notDir, { tag: 'err', value: { tag: 'not-directory' } });
  await assert.rejects(a.openAt({ symlinkFollow: true }, 'x', {}, {}), code('not-directory'));
  // A read-only descriptor cannot write, a write-only one cannot read.
  const ro = await open(dir, 'a.txt');
  assert.deepEqual(await ro.writeViaStream(readable('x'), 0n), { tag: 'err', value: { tag: 'bad-descriptor' } });
  await assert.rejects(ro.setSize(0n), code('bad-descriptor'));
  const wo = await open(dir, 'a.txt', {}, { read: false, write: true });
  const [, noRead] = wo.readViaStream(0n);
  assert.deepEqual(await noRead, { tag: 'err', value: { tag: 'bad-descriptor' } });
  // No links, no settable times.
  await assert.rejects(dir.linkAt({ symlinkFollow: false }, 'a.txt', dir, 'b.txt'), code('unsupported'));
  await assert.rejects(dir.symlinkAt('a.txt', 'l'), code('unsupported'));
  await assert.rejects(dir.readlinkAt('a.txt'), code('invalid'));
  await assert.rejects(dir.readlinkAt('nope'), code('no-entry'));
  await a.setTimes({ tag: 'no-change' }, { tag: 'no-change' });
  await assert.rejects(a.setTimes({ tag: 'now' }, { tag: 'no-change' }), code('unsupported'));
  await assert.rejects(dir.setTimesAt({ symlinkFollow: false }, 'a.txt', { tag: 'no-change' }, { tag: 'now' }), code('unsupported'));
  // A descriptor whose file was removed sees `no-entry` (OPFS has no open-file semantics).
  await dir.unlinkFileAt('a.txt');
  await assert.rejects(a.stat(), code('no-entry'));
  const [empty, gone] = a.readViaStream(0n);
  assert.deepEqual(await collect(empty), [], 'the stream ends (the error is found when it is read)');
  assert.deepEqual(await gone, { tag: 'err', value: { tag: 'no-entry' } });
  // Renames to a MemFs preopen are cross-device.
  const mixed = p3.wasiImports({ preopens: { '/o': new OpfsFs(path), '/m': new p3.MemFs({ 'm.txt': 'm' }) } });
  const [[o], [m]] = mixed[`wasi:filesystem/preopens${V}`].getDirectories();
  assert.deepEqual(await list(m), ['m.txt']);
  await assert.rejects(o.renameAt('d', m, 'd'), code('cross-device'));
  await cleanup(path);
});

test('p3 OpfsFs: metadata-hash and is-same-object (stable across renames, change with contents)', async () => {
  const { dir, path } = await setup('hash');
  const a = await open(dir, 'a.txt', { create: true }, rw);
  const a2 = await open(dir, 'a.txt');
  await dir.createDirectoryAt('d');
  assert.ok(await a.isSameObject(a2));
  assert.ok(!(await a.isSameObject(dir)));
  const h1 = await a.metadataHash();
  assert.deepEqual(await a2.metadataHash(), h1);
  assert.deepEqual(await dir.metadataHashAt({ symlinkFollow: false }, 'a.txt'), h1);
  assert.ok((await dir.metadataHashAt({ symlinkFollow: false }, 'd')).lower !== h1.lower);
  await write(a, 'some bytes');
  const h2 = await a.metadataHash();
  assert.equal(h2.lower, h1.lower);
  assert.ok(h2.upper !== h1.upper, 'the hash changes with the contents');
  await dir.renameAt('a.txt', dir, 'd/b.txt');
  const b = await open(dir, 'd/b.txt');
  assert.ok(await b.isSameObject(a), 'same object after a rename');
  assert.deepEqual(await b.metadataHash(), h2);
  // Another OpfsFs on the same directory: compared with isSameEntry.
  const other = p3.wasiImports({ preopens: { '/p': new OpfsFs(path) } })[`wasi:filesystem/preopens${V}`].getDirectories()[0][0];
  assert.ok(await (await open(other, 'd/b.txt')).isSameObject(b));
  assert.ok(!(await (await open(other, 'd', { directory: true })).isSameObject(b)));
  await cleanup(path);
});

test('p3 OpfsFs: new OpfsFs(path) resolves lazily; a handle works too; errors map from DOMException names', async () => {
  const path = `opfs-tests/lazy-${serial++}`;
  const fs = new OpfsFs(path);
  const dir = p3.wasiImports({ preopens: { '/o': fs } })[`wasi:filesystem/preopens${V}`].getDirectories()[0][0];
  const f = await open(dir, 'f', { create: true }, rw);
  await write(f, 'lazy');
  const handle = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('opfs-tests')).getDirectoryHandle(path.split('/')[1]);
  assert.equal(dec.decode(await new OpfsFs(handle).readFile('f')), 'lazy');
  assert.equal(await fs.readFile('nope'), undefined);
  await fs.writeFile('x/y/z.txt', 'deep');
  assert.deepEqual(await fs.toTree(), { f: enc.encode('lazy'), x: { y: { 'z.txt': enc.encode('deep') } } });
  const names = { NotFoundError: 'no-entry', TypeMismatchError: 'not-directory', InvalidModificationError: 'not-empty', NoModificationAllowedError: 'busy', QuotaExceededError: 'quota', NotAllowedError: 'access', SecurityError: 'access', AbortError: 'interrupted', NotReadableError: 'io', SomethingNewError: 'io' };
  for (const [n, c] of Object.entries(names)) assert.equal(domErrorCode(new DOMException('m', n)), c, n);
  assert.equal(domErrorCode(new TypeError('Name is not allowed.')), 'invalid');
  assert.equal(domErrorCode(new Error('x')), null);
  // A file locked by a sync access handle (a Worker) would be NoModificationAllowedError → busy;
  // the real errors OPFS throws map through the same table:
  const root = await navigator.storage.getDirectory();
  const e = await root.getFileHandle('opfs-tests-missing').catch((x) => x);
  assert.equal(e.name, 'NotFoundError');
  await cleanup(path);
});

test('p2 OpfsMirror: load an OPFS directory, run the synchronous 0.2 API on it, flush it back', async () => {
  const path = `opfs-tests/mirror-${serial++}`;
  const seed = await OpfsFs.open(path);
  await seed.writeFile('keep.txt', 'keep');
  await seed.writeFile('old/gone.txt', 'gone');
  await seed.writeFile('ren.txt', 'ren');
  const fs = await OpfsMirror.load(path);
  assert.ok(fs instanceof p2.MemFs, 'a MemFs');
  assert.deepEqual(fs.toTree(), { 'keep.txt': enc.encode('keep'), old: { 'gone.txt': enc.encode('gone') }, 'ren.txt': enc.encode('ren') });
  const imports = p2.wasiImports({ preopens: { '/m': fs } });
  const [[dir]] = imports['wasi:filesystem/preopens@0.2.0'].getDirectories();
  const pf = { symlinkFollow: false };
  const st = dir.statAt(pf, 'keep.txt');
  assert.equal(st.dataModificationTimestamp.seconds > 1_600_000_000n, true, 'times from lastModified');
  const n = dir.openAt(pf, 'new.txt', { create: true }, { read: true, write: true });
  n.write(enc.encode('new file'), 0n);
  dir.createDirectoryAt('made');
  dir.renameAt('ren.txt', dir, 'made/ren2.txt');
  dir.unlinkFileAt('old/gone.txt');
  dir.removeDirectoryAt('old');
  assert.deepEqual(await seed.toTree(), { 'keep.txt': enc.encode('keep'), old: { 'gone.txt': enc.encode('gone') }, 'ren.txt': enc.encode('ren') }, 'nothing in OPFS before flush');
  assert.deepEqual(await fs.flush(), { written: 2, removed: 2 });
  const want = { 'keep.txt': enc.encode('keep'), 'new.txt': enc.encode('new file'), made: { 'ren2.txt': enc.encode('ren') } };
  assert.deepEqual(await seed.toTree(), want);
  assert.deepEqual(await fs.flush(), { written: 0, removed: 0 }, 'nothing changed since');
  // Two writes of the same size with a flush between them both reach OPFS (however
  // close together: MemFs times have millisecond resolution).
  n.write(enc.encode('A'), 0n);
  await fs.flush();
  n.write(enc.encode('B'), 1n);
  await fs.flush();
  assert.equal(dec.decode(await seed.readFile('new.txt')), 'AB' + 'w file');
  // A file that became a directory and back.
  dir.unlinkFileAt('keep.txt');
  dir.createDirectoryAt('keep.txt');
  await fs.flush();
  assert.deepEqual((await seed.toTree())['keep.txt'], {});
  assert.deepEqual((await OpfsMirror.load(path)).toTree(), fs.toTree(), 'a new load sees the same tree');
  await cleanup(path);
});

test('in a dedicated Worker: OpfsFs (0.3) and OpfsMirror (0.2) work the same', async () => {
  const src = `
    const { wasiImports, OpfsFs, OpfsMirror } = await import('${location.origin}/npm/wasi/src/p3-browser.js');
    const enc = new TextEncoder();
    onmessage = async () => {
      try {
        const fs = await OpfsFs.open('opfs-tests/worker');
        await fs.clear();
        const [[dir]] = wasiImports({ preopens: { '/o': fs } })['wasi:filesystem/preopens@0.3.0'].getDirectories();
        const f = await dir.openAt({ symlinkFollow: true }, 'w.txt', { create: true }, { read: true, write: true });
        const r = await f.writeViaStream(new ReadableStream({ start(c) { c.enqueue(enc.encode('from a worker')); c.close(); } }), 0n);
        const m = await OpfsMirror.load('opfs-tests/worker');
        const [[d2]] = wasiImports({ preopens: { '/m': m } })['wasi:filesystem/preopens@0.2.0'].getDirectories();
        d2.openAt({ symlinkFollow: false }, 'w2.txt', { create: true }, { write: true }).write(enc.encode('mirrored'), 0n);
        await m.flush();
        const tree = await fs.toTree();
        postMessage({ r: r.tag, tree: Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, new TextDecoder().decode(v)])) });
      } catch (e) {
        postMessage({ error: String(e?.stack ?? e) });
      }
    };
    postMessage('ready');
  `;
  const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
  const msgs = [];
  const next = () => new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message));
  });
  assert.equal(await next(), 'ready');
  const result = next();
  worker.postMessage(0);
  msgs.push(await result);
  worker.terminate();
  assert.deepEqual(msgs[0], { r: 'ok', tree: { 'w.txt': 'from a worker', 'w2.txt': 'mirrored' } });
  await cleanup('opfs-tests/worker');
});
