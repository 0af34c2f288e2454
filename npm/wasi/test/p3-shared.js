// Tests both WASI 0.3 shims run: `p3SharedTests(name, wasiImports, WasiExit, makePreopen)`.
// The imports are called the way weft's generated code calls them: `stream<u8>`
// parameters are ReadableStreams of Uint8Array chunks, `stream<T>` results are
// (async) iterables, `future<T>` results Promises, async functions return Promises and
// reject with `{ payload }` for `err`.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const enc = new TextEncoder();
const dec = new TextDecoder();
const V = '@0.3.2';

/** A ReadableStream of the given chunks, like weft's lifted `stream<u8>`. @param {(string | Uint8Array)[]} chunks */
export function readable(chunks) {
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(typeof x === 'string' ? enc.encode(x) : x);
      c.close();
    },
  });
}

/** Collects a `stream<T>` result (any async or sync iterable). */
export async function collect(it) {
  const out = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Concatenates byte chunks. @param {Uint8Array[]} chunks */
export function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const errTag = (tag) => (e) => e.payload?.tag === tag;

/**
 * @param {string} shim
 * @param {(o?: object) => any} wasiImports
 * @param {typeof Error} WasiExit
 * @param {() => { preopens: object, readFile(path: string): string | null }} makePreopen
 */
export function p3SharedTests(shim, wasiImports, WasiExit, makePreopen) {
  const t = (name, f) => test(`${shim} p3: ${name}`, f);

  t('any 0.3 version and the 0.3.0 release candidates from 2026-03-15 resolve; 0.2 names go to the 0.2 shim', () => {
    const imports = wasiImports();
    for (const v of ['0.3.0', '0.3.1', '0.3.2', '0.3.17', '0.3.0-rc-2026-03-15']) assert.ok(imports[`wasi:cli/stdout@${v}`].writeViaStream, v);
    assert.equal(imports['wasi:cli/stdout@0.3.0-rc-2025-09-16'], undefined);
    assert.equal(imports['wasi:cli/stdout@0.4.0'], undefined);
    assert.equal(typeof imports['wasi:cli/stdout@0.2.6'].getStdout, 'function');
    assert.equal(imports['my:pkg/iface@0.3.0'], undefined);
    for (const name of ['cli/types', 'cli/environment', 'cli/exit', 'cli/stdin', 'cli/stdout', 'cli/stderr', 'cli/terminal-input',
      'cli/terminal-output', 'cli/terminal-stdin', 'cli/terminal-stdout', 'cli/terminal-stderr', 'clocks/types',
      'clocks/monotonic-clock', 'clocks/system-clock', 'clocks/timezone', 'random/random', 'random/insecure',
      'random/insecure-seed', 'filesystem/types', 'filesystem/preopens', 'sockets/types', 'sockets/ip-name-lookup']) {
      assert.equal(typeof imports[`wasi:${name}${V}`], 'object', name);
      assert.ok(`wasi:${name}${V}` in imports, name);
    }
    assert.ok('flush' in imports);
  });

  t('stdout and stderr drain streams into the sinks; sink failures are error codes', async () => {
    const out = [];
    const errs = [];
    const imports = wasiImports({ stdout: (b) => out.push(dec.decode(b)), stderr: (b) => errs.push(dec.decode(b)) });
    assert.deepEqual(await imports[`wasi:cli/stdout${V}`].writeViaStream(readable(['he', 'llo', new Uint8Array(0)])), { tag: 'ok', value: undefined });
    assert.deepEqual(out, ['he', 'llo']);
    // Any async iterable works too (the generated code passes ReadableStreams).
    await imports[`wasi:cli/stderr${V}`].writeViaStream((async function* () { yield enc.encode('e'); })());
    assert.deepEqual(errs, ['e']);
    // An async sink is awaited before the next chunk.
    const order = [];
    const slow = wasiImports({ stdout: async (b) => { await new Promise((r) => setTimeout(r, 5)); order.push(dec.decode(b)); } });
    await slow[`wasi:cli/stdout${V}`].writeViaStream(readable(['1', '2', '3']));
    assert.deepEqual(order, ['1', '2', '3']);
    // A failing sink: `pipe` for EPIPE, else `io`; the stream is cancelled.
    let cancelled = false;
    const stream = new ReadableStream({ pull: (c) => c.enqueue(enc.encode('x')), cancel: () => void (cancelled = true) });
    const broken = wasiImports({ stdout: () => { throw Object.assign(new Error('gone'), { code: 'EPIPE' }); } });
    assert.deepEqual(await broken[`wasi:cli/stdout${V}`].writeViaStream(stream), { tag: 'err', value: 'pipe' });
    assert.ok(cancelled);
    // A socket's reader that went away (ECONNRESET) too.
    const reset = wasiImports({ stdout: () => { throw Object.assign(new Error('reset'), { code: 'ECONNRESET' }); } });
    assert.deepEqual(await reset[`wasi:cli/stdout${V}`].writeViaStream(readable(['x'])), { tag: 'err', value: 'pipe' });
    const failing = wasiImports({ stderr: () => { throw new Error('nope'); } });
    assert.deepEqual(await failing[`wasi:cli/stderr${V}`].writeViaStream(readable(['x'])), { tag: 'err', value: 'io' });
    // A WritableStream sink.
    const got = [];
    const ws = new WritableStream({ write: (c) => void got.push(dec.decode(c)) });
    await wasiImports({ stdout: ws })[`wasi:cli/stdout${V}`].writeViaStream(readable(['w', 's']));
    assert.deepEqual(got, ['w', 's']);
  });

  t('0.2 and 0.3 stdout share one sink', async () => {
    const out = [];
    const imports = wasiImports({ stdout: (b) => out.push(dec.decode(b)) });
    imports['wasi:cli/stdout@0.2.6'].getStdout().blockingWriteAndFlush(enc.encode('p2 '));
    await imports[`wasi:cli/stdout${V}`].writeViaStream(readable(['p3']));
    assert.equal(out.join(''), 'p2 p3');
  });

  t('0.2 stdout over a failing 0.3 sink: a thrown EPIPE is closed; a rejected write fails the next 0.2 write, never unhandled', async () => {
    const epipe = () => Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' });
    const closed = (e) => e.payload?.tag === 'closed';
    const thrown = wasiImports({ stdout: () => { throw epipe(); } })['wasi:cli/stdout@0.2.6'].getStdout();
    assert.throws(() => thrown.blockingWriteAndFlush(enc.encode('x')), closed);
    assert.throws(() => thrown.write(enc.encode('x')), closed);
    let unhandled = null;
    const onUnhandled = (e) => void (unhandled = e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ws = new WritableStream({ write: () => Promise.reject(epipe()) });
      const rejected = wasiImports({ stdout: ws })['wasi:cli/stdout@0.2.6'].getStdout();
      rejected.blockingWriteAndFlush(enc.encode('accepted before the sink failed'));
      await new Promise((r) => setTimeout(r, 20));
      assert.throws(() => rejected.blockingWriteAndFlush(enc.encode('x')), closed);
      assert.throws(() => rejected.write(enc.encode('x')), closed);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(unhandled, null, 'no unhandled rejection');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  t('stdin: read-via-stream over a string, a ReadableStream and an iterable; later streams continue', async () => {
    let imports = wasiImports({ stdin: 'abc' });
    let [s, done] = imports[`wasi:cli/stdin${V}`].readViaStream();
    assert.equal(dec.decode(concat(await collect(s))), 'abc');
    assert.deepEqual(await done, { tag: 'ok', value: undefined });
    [s, done] = imports[`wasi:cli/stdin${V}`].readViaStream();
    assert.deepEqual(await collect(s), []);
    assert.deepEqual(await done, { tag: 'ok', value: undefined });

    imports = wasiImports({ stdin: readable(['one ', 'two']) });
    const stdin = imports[`wasi:cli/stdin${V}`];
    const [a, aDone] = stdin.readViaStream();
    const it = a[Symbol.asyncIterator]();
    assert.equal(dec.decode((await it.next()).value), 'one ');
    await it.return(); // the guest drops the stream after one chunk
    assert.deepEqual(await aDone, { tag: 'ok', value: undefined });
    const [b] = stdin.readViaStream();
    assert.equal(dec.decode(concat(await collect(b))), 'two');

    imports = wasiImports({ stdin: [enc.encode('x'), enc.encode('y')] });
    assert.equal(dec.decode(concat(await collect(imports[`wasi:cli/stdin${V}`].readViaStream()[0]))), 'xy');

    const failing = wasiImports({ stdin: (async function* () { yield enc.encode('k'); throw new Error('broken'); })() });
    const [f, fDone] = failing[`wasi:cli/stdin${V}`].readViaStream();
    assert.equal(dec.decode(concat(await collect(f))), 'k');
    assert.deepEqual(await fDone, { tag: 'err', value: 'io' });
  });

  t('environment, terminals and exit', () => {
    const imports = wasiImports({ args: ['a', 'b'], env: { K: 'v' }, cwd: '/x' });
    const environment = imports[`wasi:cli/environment${V}`];
    assert.deepEqual(environment.getArguments(), ['a', 'b']);
    assert.deepEqual(environment.getEnvironment(), [['K', 'v']]);
    assert.equal(environment.getInitialCwd(), '/x');
    assert.equal(wasiImports()[`wasi:cli/environment${V}`].getInitialCwd(), null);
    assert.equal(imports[`wasi:cli/terminal-stdin${V}`].getTerminalStdin(), null);
    assert.equal(imports[`wasi:cli/terminal-stdout${V}`].getTerminalStdout(), null);
    assert.equal(imports[`wasi:cli/terminal-stderr${V}`].getTerminalStderr(), null);
    assert.equal(typeof imports[`wasi:cli/terminal-input${V}`].TerminalInput, 'function');
    const exit = imports[`wasi:cli/exit${V}`];
    assert.throws(() => exit.exit({ tag: 'err' }), (e) => e instanceof WasiExit && e.code === 1);
    assert.throws(() => exit.exit({ tag: 'ok' }), (e) => e instanceof WasiExit && e.code === 0);
    assert.throws(() => exit.exitWithCode(3), (e) => e instanceof WasiExit && e.code === 3);
  });

  t('clocks: now, wait-for and wait-until return promises (none for an instant that has passed); system clock; timezone', async () => {
    const mono = wasiImports()[`wasi:clocks/monotonic-clock${V}`];
    const t0 = mono.now();
    assert.equal(typeof t0, 'bigint');
    assert.ok(mono.getResolution() > 0n);
    const p = mono.waitFor(20_000_000n);
    assert.ok(p instanceof Promise);
    await p;
    assert.ok(mono.now() - t0 >= 20_000_000n, `${mono.now() - t0} ns`);
    const t1 = mono.now();
    await mono.waitUntil(t1 + 5_000_000n);
    assert.ok(mono.now() >= t1 + 5_000_000n);
    // Passed instants return at once, so a guest's call completes eagerly.
    assert.equal(mono.waitUntil(0n), undefined);
    assert.equal(mono.waitUntil(mono.now()), undefined);
    assert.equal(mono.waitFor(0n), undefined);
    assert.ok(mono.waitFor(1_000_000n) instanceof Promise);
    const imports = wasiImports();
    const now = imports[`wasi:clocks/system-clock${V}`].now();
    assert.equal(typeof now.seconds, 'bigint');
    assert.ok(now.seconds > 1_577_836_800n && now.nanoseconds >= 0 && now.nanoseconds < 1e9);
    assert.equal(imports[`wasi:clocks/system-clock${V}`].getResolution(), 1_000_000n);
    const tz = imports[`wasi:clocks/timezone${V}`];
    assert.equal(typeof tz.toDebugString(), 'string');
    assert.equal(typeof tz.utcOffset(now), 'bigint');
  });

  t('random: max-len bounds the answer; u64s; a stable insecure seed', () => {
    const imports = wasiImports();
    const random = imports[`wasi:random/random${V}`];
    const bytes = random.getRandomBytes(100_000n);
    assert.ok(bytes instanceof Uint8Array && bytes.length === 100_000);
    assert.ok(bytes.subarray(65_536).some((b) => b !== 0));
    assert.equal(random.getRandomBytes(0n).length, 0);
    const huge = random.getRandomBytes(0xffff_ffff_ffff_ffffn);
    assert.ok(huge.length > 0 && huge.length <= 1 << 20);
    assert.equal(typeof random.getRandomU64(), 'bigint');
    assert.equal(imports[`wasi:random/insecure${V}`].getInsecureRandomBytes(3n).length, 3);
    assert.equal(typeof imports[`wasi:random/insecure${V}`].getInsecureRandomU64(), 'bigint');
    const seed = imports[`wasi:random/insecure-seed${V}`].getInsecureSeed();
    assert.deepEqual(seed, imports[`wasi:random/insecure-seed${V}`].getInsecureSeed());
    assert.equal(typeof seed[1], 'bigint');
  });

  t('sockets: typed errors, IP literals resolve to themselves', async () => {
    const imports = wasiImports();
    const { TcpSocket, UdpSocket } = imports[`wasi:sockets/types${V}`];
    assert.throws(() => TcpSocket.create('ipv4'), errTag('not-supported'));
    assert.throws(() => UdpSocket.create('ipv6'), errTag('not-supported'));
    assert.throws(() => TcpSocket.prototype.bind.call(null), errTag('invalid-state'));
    await assert.rejects(TcpSocket.prototype.connect.call(null), errTag('invalid-state'));
    await assert.rejects(UdpSocket.prototype.receive.call(null), errTag('invalid-state'));
    const lookup = imports[`wasi:sockets/ip-name-lookup${V}`];
    await assert.rejects(lookup.resolveAddresses('example.com'), errTag('access-denied'));
    assert.deepEqual(await lookup.resolveAddresses('127.0.0.1'), [{ tag: 'ipv4', value: [127, 0, 0, 1] }]);
    assert.deepEqual(await lookup.resolveAddresses('::1'), [{ tag: 'ipv6', value: [0, 0, 0, 0, 0, 0, 0, 1] }]);
  });

  t('filesystem: open-at, streams, stat, read-directory, rename, remove, error variants', async () => {
    const { preopens, readFile } = makePreopen();
    const imports = wasiImports({ preopens: { '/data': preopens } });
    const dirs = imports[`wasi:filesystem/preopens${V}`].getDirectories();
    assert.equal(dirs.length, 1);
    const [dir, name] = dirs[0];
    assert.equal(name, '/data');
    assert.ok(dir instanceof imports[`wasi:filesystem/types${V}`].Descriptor);
    assert.deepEqual(await dir.getType(), { tag: 'directory' });
    const follow = { symlinkFollow: true };
    const rw = { read: true, write: true };
    const f = await dir.openAt(follow, 'a.txt', { create: true }, rw);
    assert.deepEqual(await f.getType(), { tag: 'regular-file' });
    assert.deepEqual(await f.writeViaStream(readable(['hello ', 'world']), 0n), { tag: 'ok', value: undefined });
    assert.deepEqual(await f.writeViaStream(readable(['W']), 6n), { tag: 'ok', value: undefined });
    assert.deepEqual(await f.appendViaStream(readable(['!'])), { tag: 'ok', value: undefined });
    let [s, done] = f.readViaStream(0n);
    assert.equal(dec.decode(concat(await collect(s))), 'hello World!');
    assert.deepEqual(await done, { tag: 'ok', value: undefined });
    [s, done] = f.readViaStream(6n);
    assert.equal(dec.decode(concat(await collect(s))), 'World!');
    [s, done] = f.readViaStream(100n);
    assert.deepEqual(await collect(s), []);
    assert.deepEqual(await done, { tag: 'ok', value: undefined });
    const st = await f.stat();
    assert.equal(st.size, 12n);
    assert.deepEqual(st.type, { tag: 'regular-file' });
    assert.equal(typeof st.dataModificationTimestamp.seconds, 'bigint');
    await f.setSize(5n);
    assert.equal((await dir.statAt(follow, 'a.txt')).size, 5n);
    assert.deepEqual(await f.metadataHash(), await dir.metadataHashAt(follow, 'a.txt'));
    assert.equal(await f.isSameObject(await dir.openAt(follow, 'a.txt', {}, { read: true })), true);
    assert.equal(await f.isSameObject(dir), false);
    assert.equal((await f.getFlags()).write, true);
    await f.setTimes({ tag: 'timestamp', value: { seconds: 1_000_000n, nanoseconds: 0 } }, { tag: 'timestamp', value: { seconds: 2_000_000n, nanoseconds: 0 } });
    assert.equal((await f.stat()).dataModificationTimestamp.seconds, 2_000_000n);
    await f.sync();
    await f.syncData();
    await f.advise(0n, 0n, 'normal');

    await dir.createDirectoryAt('sub');
    await assert.rejects(dir.createDirectoryAt('sub'), errTag('exist'));
    const b = await dir.openAt(follow, 'sub/b.bin', { create: true }, { write: true });
    await b.writeViaStream(readable([new Uint8Array([1, 2])]), 0n);
    const sub = await dir.openAt(follow, 'sub', { directory: true }, { read: true });
    const list = async (d) => {
      const [entries, listed] = d.readDirectory();
      const names = (await collect(entries)).map((e) => `${e.name}:${e.type.tag}`).sort();
      assert.deepEqual(await listed, { tag: 'ok', value: undefined });
      return names;
    };
    assert.deepEqual(await list(dir), ['a.txt:regular-file', 'sub:directory']);
    assert.deepEqual(await list(sub), ['b.bin:regular-file']);
    assert.equal((await sub.statAt(follow, '../a.txt')).size, 5n);

    await assert.rejects(dir.openAt(follow, 'nope', {}, { read: true }), errTag('no-entry'));
    await assert.rejects(dir.openAt(follow, 'a.txt', { create: true, exclusive: true }, rw), errTag('exist'));
    await assert.rejects(dir.openAt(follow, 'a.txt', { directory: true }, { read: true }), errTag('not-directory'));
    await assert.rejects(dir.openAt(follow, '../x', {}, { read: true }), errTag('not-permitted'));
    await assert.rejects(sub.openAt(follow, '../../x', {}, { read: true }), errTag('not-permitted'));
    await assert.rejects(dir.openAt(follow, '/etc/passwd', {}, { read: true }), errTag('not-permitted'));
    await assert.rejects(dir.removeDirectoryAt('sub'), errTag('not-empty'));
    await assert.rejects(dir.removeDirectoryAt('a.txt'), errTag('not-directory'));
    await assert.rejects(dir.unlinkFileAt('sub'), errTag('is-directory'));
    // Stream-returning calls report errors through their future.
    const [none, notDir] = f.readDirectory();
    assert.deepEqual(await collect(none), []);
    assert.deepEqual(await notDir, { tag: 'err', value: { tag: 'not-directory' } });
    assert.deepEqual(await dir.readViaStream(0n)[1], { tag: 'err', value: { tag: 'is-directory' } });
    const ro = await dir.openAt(follow, 'a.txt', {}, { read: true });
    let cancelled = false;
    const refused = new ReadableStream({ pull: (c) => c.enqueue(enc.encode('x')), cancel: () => void (cancelled = true) });
    assert.deepEqual(await ro.writeViaStream(refused, 0n), { tag: 'err', value: { tag: 'bad-descriptor' } });
    assert.ok(cancelled);
    await assert.rejects(ro.setSize(0n), errTag('bad-descriptor'));

    await dir.renameAt('a.txt', sub, 'c.txt');
    await assert.rejects(dir.statAt(follow, 'a.txt'), errTag('no-entry'));
    assert.deepEqual(await list(sub), ['b.bin:regular-file', 'c.txt:regular-file']);
    await sub.unlinkFileAt('b.bin');
    await dir.renameAt('sub/c.txt', dir, 'result.txt');
    await dir.removeDirectoryAt('sub');
    assert.deepEqual(await list(dir), ['result.txt:regular-file']);
    assert.equal(readFile('result.txt'), 'hello');
    for (const d of [f, b, sub, ro]) d[Symbol.dispose]?.();
  });
}
