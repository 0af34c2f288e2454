// Tests both shims run: `sharedTests(name, wasiImports, WasiExit, makePreopen)`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const enc = new TextEncoder();
const payload = (code) => (e) => e.payload === code;

/**
 * @param {string} shim
 * @param {(o?: object) => any} wasiImports
 * @param {typeof Error} WasiExit
 * @param {() => { preopens: object, readFile(path: string): string | null }} makePreopen
 */
export function sharedTests(shim, wasiImports, WasiExit, makePreopen) {
  const t = (name, f) => test(`${shim}: ${name}`, f);

  t('any 0.2 patch version resolves; other names do not', () => {
    const imports = wasiImports();
    assert.ok(imports['wasi:cli/stdout@0.2.0'].getStdout);
    assert.ok(imports['wasi:cli/stdout@0.2.12'].getStdout);
    for (const name of ['io/error', 'io/poll', 'io/streams', 'cli/environment', 'cli/exit', 'cli/stdin', 'cli/stdout', 'cli/stderr',
      'cli/terminal-input', 'cli/terminal-output', 'cli/terminal-stdin', 'cli/terminal-stdout', 'cli/terminal-stderr',
      'clocks/monotonic-clock', 'clocks/wall-clock', 'random/random', 'random/insecure', 'random/insecure-seed',
      'filesystem/types', 'filesystem/preopens', 'sockets/network', 'sockets/instance-network', 'sockets/tcp', 'sockets/udp',
      'sockets/tcp-create-socket', 'sockets/udp-create-socket', 'sockets/ip-name-lookup']) {
      assert.equal(typeof imports[`wasi:${name}@0.2.6`], 'object', name);
    }
    assert.equal(imports['wasi:cli/stdout@0.3.0'], undefined);
    assert.equal(typeof imports['wasi:http/types@0.2.0'].Fields, 'function');
    assert.equal(imports['my:pkg/iface'], undefined);
  });

  t('stdout, args, env, cwd, terminals and exit', () => {
    const out = [];
    const imports = wasiImports({ args: ['a', 'b'], env: { K: 'v' }, cwd: '/x', stdout: (b) => out.push(new TextDecoder().decode(b)) });
    imports['wasi:cli/stdout@0.2.6'].getStdout().blockingWriteAndFlush(enc.encode('hi'));
    imports['wasi:cli/stdout@0.2.6'].getStdout().write(enc.encode('!'));
    assert.deepEqual(out, ['hi', '!']);
    const environment = imports['wasi:cli/environment@0.2.6'];
    assert.deepEqual(environment.getArguments(), ['a', 'b']);
    assert.deepEqual(environment.getEnvironment(), [['K', 'v']]);
    assert.equal(environment.initialCwd(), '/x');
    assert.equal(imports['wasi:cli/terminal-stdout@0.2.6'].getTerminalStdout(), null);
    assert.equal(imports['wasi:cli/terminal-stdin@0.2.6'].getTerminalStdin(), null);
    assert.throws(() => imports['wasi:cli/exit@0.2.6'].exit({ tag: 'err' }), (e) => e instanceof WasiExit && e.code === 1);
    assert.throws(() => imports['wasi:cli/exit@0.2.6'].exit({ tag: 'ok' }), (e) => e instanceof WasiExit && e.code === 0);
    assert.throws(() => imports['wasi:cli/exit@0.2.6'].exitWithCode(3), (e) => e instanceof WasiExit && e.code === 3);
  });

  t('stdin: bytes, then the closed stream error; a sync source', () => {
    const stdin = wasiImports({ stdin: 'abc' })['wasi:cli/stdin@0.2.0'].getStdin();
    assert.deepEqual([...stdin.blockingRead(2n)], [97, 98]);
    assert.deepEqual([...stdin.read(10n)], [99]);
    assert.throws(() => stdin.blockingRead(10n), (e) => e.payload.tag === 'closed');
    const src = wasiImports({ stdin: { read: () => null } })['wasi:cli/stdin@0.2.0'].getStdin();
    assert.throws(() => src.read(1n), (e) => e.payload.tag === 'closed');
  });

  t('a reader that went away from a socket (ECONNRESET) is closed, as for EPIPE', () => {
    const reset = () => {
      throw Object.assign(new Error('ECONNRESET: write'), { code: 'ECONNRESET', syscall: 'write' });
    };
    const out = wasiImports({ stdout: reset })['wasi:cli/stdout@0.2.0'].getStdout();
    assert.throws(() => out.blockingWriteAndFlush(enc.encode('x')), (e) => e.payload?.tag === 'closed');
  });

  t('failing stdout and stderr sinks: closed for EPIPE, last-operation-failed with the code else, closed from then on', () => {
    const errno = (code) => () => {
      throw Object.assign(new Error(`${code}: write`), { code, syscall: 'write' });
    };
    const closed = (e) => e.payload?.tag === 'closed';
    const imports = wasiImports({ stdout: errno('EPIPE'), stderr: errno('ENOSPC') });
    const out = imports['wasi:cli/stdout@0.2.0'].getStdout();
    assert.throws(() => out.blockingWriteAndFlush(enc.encode('x')), closed);
    assert.throws(() => out.write(enc.encode('x')), closed);
    assert.throws(() => out.checkWrite(), closed);
    const err = imports['wasi:cli/stderr@0.2.0'].getStderr();
    const code = imports['wasi:filesystem/types@0.2.0'].filesystemErrorCode;
    assert.throws(() => err.write(enc.encode('x')), (e) => e.payload?.tag === 'last-operation-failed' && code(e.payload.value) === 'insufficient-space');
    assert.throws(() => err.blockingFlush(), closed);
    assert.throws(() => err.blockingWriteAndFlush(enc.encode('x')), closed);
    // Not an I/O error (a bug in the sink): it propagates, and the guest traps.
    const bug = wasiImports({ stdout: () => { throw new TypeError('a bug'); } })['wasi:cli/stdout@0.2.0'].getStdout();
    assert.throws(() => bug.write(enc.encode('x')), TypeError);
  });

  t('clocks: monotonic sleep through subscribe-duration, poll, wall clock', () => {
    const imports = wasiImports();
    const mono = imports['wasi:clocks/monotonic-clock@0.2.6'];
    const t0 = mono.now();
    assert.equal(typeof t0, 'bigint');
    assert.equal(typeof mono.resolution(), 'bigint');
    const p = mono.subscribeDuration(20_000_000n);
    assert.equal(p.ready(), false);
    p.block();
    assert.ok(mono.now() - t0 >= 20_000_000n, `${mono.now() - t0} ns`);
    assert.equal(p.ready(), true);
    const { poll } = imports['wasi:io/poll@0.2.6'];
    const late = mono.subscribeDuration(10_000_000_000n);
    const soon = mono.subscribeInstant(mono.now() + 5_000_000n);
    assert.deepEqual([...poll([late, soon])], [1]);
    assert.deepEqual([...poll([late, mono.subscribeDuration(0n)])], [1]);
    const wall = imports['wasi:clocks/wall-clock@0.2.6'].now();
    assert.ok(wall.seconds > 1_577_836_800n && wall.nanoseconds >= 0 && wall.nanoseconds < 1e9);
  });

  t('random: 100 KB in one call, u64, a stable insecure seed', () => {
    const imports = wasiImports();
    const bytes = imports['wasi:random/random@0.2.6'].getRandomBytes(100_000n);
    assert.ok(bytes instanceof Uint8Array && bytes.length === 100_000);
    assert.ok(bytes.subarray(65_536).some((b) => b !== 0));
    assert.equal(typeof imports['wasi:random/random@0.2.6'].getRandomU64(), 'bigint');
    assert.equal(imports['wasi:random/insecure@0.2.6'].getInsecureRandomBytes(3n).length, 3);
    const seed = imports['wasi:random/insecure-seed@0.2.6'].insecureSeed();
    assert.deepEqual(seed, imports['wasi:random/insecure-seed@0.2.6'].insecureSeed());
    assert.equal(typeof seed[0], 'bigint');
  });

  t('sockets: typed errors, IP literals resolve to themselves', () => {
    const imports = wasiImports();
    assert.throws(() => imports['wasi:sockets/tcp-create-socket@0.2.6'].createTcpSocket('ipv4'), payload('not-supported'));
    assert.throws(() => imports['wasi:sockets/udp-create-socket@0.2.6'].createUdpSocket('ipv6'), payload('not-supported'));
    const network = imports['wasi:sockets/instance-network@0.2.6'].instanceNetwork();
    const lookup = imports['wasi:sockets/ip-name-lookup@0.2.6'];
    assert.throws(() => lookup.resolveAddresses(network, 'example.com'), payload('access-denied'));
    const s = lookup.resolveAddresses(network, '127.0.0.1');
    assert.deepEqual(s.resolveNextAddress(), { tag: 'ipv4', value: [127, 0, 0, 1] });
    assert.equal(s.resolveNextAddress(), null);
    assert.deepEqual(lookup.resolveAddresses(network, '::1').resolveNextAddress(), { tag: 'ipv6', value: [0, 0, 0, 0, 0, 0, 0, 1] });
    assert.deepEqual(lookup.resolveAddresses(network, 'fe80::1:2').resolveNextAddress().value, [0xfe80, 0, 0, 0, 0, 0, 1, 2]);
    const { TcpSocket } = imports['wasi:sockets/tcp@0.2.6'];
    assert.throws(() => TcpSocket.prototype.startConnect.call(null), payload('not-supported'));
  });

  t('filesystem: open, write, read, stat, readdir, rename, remove, errors', () => {
    const { preopens, readFile } = makePreopen();
    const imports = wasiImports({ preopens: { '/data': preopens } });
    const dirs = imports['wasi:filesystem/preopens@0.2.6'].getDirectories();
    assert.equal(dirs.length, 1);
    const [dir, name] = dirs[0];
    assert.equal(name, '/data');
    assert.equal(dir.getType(), 'directory');
    const { filesystemErrorCode } = imports['wasi:filesystem/types@0.2.6'];
    const follow = { symlinkFollow: true };
    const rw = { read: true, write: true };
    const none = {};
    const f = dir.openAt(follow, 'a.txt', { create: true }, rw);
    assert.equal(f.getType(), 'regular-file');
    f.writeViaStream(0n).blockingWriteAndFlush(enc.encode('hello world'));
    assert.equal(f.write(enc.encode('W'), 6n), 1n);
    const [bytes, eof] = f.read(100n, 0n);
    assert.equal(new TextDecoder().decode(bytes), 'hello World');
    assert.equal(eof, true);
    assert.equal(new TextDecoder().decode(f.read(5n, 0n)[0]), 'hello');
    f.appendViaStream().blockingWriteAndFlush(enc.encode('!'));
    assert.equal(new TextDecoder().decode(f.readViaStream(6n).blockingRead(100n)), 'World!');
    assert.throws(() => f.readViaStream(12n).blockingRead(1n), (e) => e.payload.tag === 'closed');
    // A read asking for far more than the file holds gets what it holds, in arrays of
    // their own (a later read does not change an earlier one's bytes).
    const whole = f.readViaStream(0n).blockingRead(1n << 30n);
    const again = f.read(1n << 30n, 6n);
    assert.equal(new TextDecoder().decode(whole), 'hello World!');
    assert.equal(new TextDecoder().decode(again[0]), 'World!');
    assert.equal(again[1], true);
    assert.equal(new TextDecoder().decode(whole), 'hello World!');
    assert.equal(f.read(0n, 0n)[0].length, 0);
    // A missing file is `no-entry`.
    assert.throws(() => dir.statAt(follow, 'missing.txt'), payload('no-entry'));
    assert.throws(() => dir.statAt(none, 'missing.txt'), payload('no-entry'));
    assert.equal(f.stat().size, 12n);
    assert.equal(f.stat().type, 'regular-file');
    assert.equal(typeof f.stat().dataModificationTimestamp.seconds, 'bigint');
    f.setSize(5n);
    assert.equal(dir.statAt(follow, 'a.txt').size, 5n);
    assert.deepEqual(f.metadataHash(), dir.metadataHashAt(follow, 'a.txt'));
    assert.throws(() => dir.metadataHashAt(none, 'missing.txt'), payload('no-entry'));
    assert.throws(() => dir.metadataHashAt(follow, 'missing.txt'), payload('no-entry'));
    assert.ok(f.isSameObject(dir.openAt(follow, 'a.txt', none, { read: true })));
    assert.ok(!f.isSameObject(dir));

    dir.createDirectoryAt('sub');
    assert.throws(() => dir.createDirectoryAt('sub'), payload('exist'));
    dir.openAt(follow, 'sub/b.bin', { create: true }, rw).write(new Uint8Array([1, 2]), 0n);
    const sub = dir.openAt(follow, 'sub', { directory: true }, { read: true });
    const list = (d) => {
      const s = d.readDirectory();
      const out = [];
      for (let e; (e = s.readDirectoryEntry()) !== null; ) out.push(`${e.name}:${e.type}`);
      return out.sort();
    };
    assert.deepEqual(list(dir), ['a.txt:regular-file', 'sub:directory']);
    assert.deepEqual(list(sub), ['b.bin:regular-file']);
    assert.equal(sub.statAt(follow, '../a.txt').size, 5n);
    // Paths are joined segment by segment: `.`, empty segments and `..` that stay inside.
    assert.equal(dir.statAt(follow, './sub//b.bin').size, 2n);
    assert.equal(dir.statAt(follow, 'sub/../sub/./b.bin').size, 2n);
    assert.deepEqual(sub.metadataHash(), dir.metadataHashAt(follow, 'sub/.'));
    assert.deepEqual(dir.metadataHash(), sub.metadataHashAt(follow, '..'));

    assert.throws(() => dir.openAt(follow, 'nope', none, { read: true }), payload('no-entry'));
    assert.throws(() => dir.openAt(follow, 'a.txt', { create: true, exclusive: true }, rw), payload('exist'));
    assert.throws(() => dir.openAt(follow, 'a.txt', { directory: true }, { read: true }), payload('not-directory'));
    assert.throws(() => dir.openAt(follow, '../x', none, { read: true }), payload('not-permitted'));
    assert.throws(() => sub.openAt(follow, '../../x', none, { read: true }), payload('not-permitted'));
    assert.throws(() => dir.openAt(follow, '/etc/passwd', none, { read: true }), payload('not-permitted'));
    assert.throws(() => dir.removeDirectoryAt('sub'), payload('not-empty'));
    assert.throws(() => dir.removeDirectoryAt('a.txt'), payload('not-directory'));
    assert.throws(() => dir.unlinkFileAt('sub'), payload('is-directory'));
    assert.throws(() => dir.readDirectory().constructor && f.readDirectory(), payload('not-directory'));
    assert.throws(() => dir.read(1n, 0n), payload('is-directory'));
    const ro = dir.openAt(follow, 'a.txt', none, { read: true });
    assert.throws(() => ro.write(new Uint8Array(1), 0n), payload('bad-descriptor'));

    dir.renameAt('a.txt', sub, 'c.txt');
    assert.throws(() => dir.statAt(follow, 'a.txt'), payload('no-entry'));
    assert.deepEqual(list(sub), ['b.bin:regular-file', 'c.txt:regular-file']);
    sub.unlinkFileAt('b.bin');
    dir.renameAt('sub/c.txt', dir, 'result.txt');
    dir.removeDirectoryAt('sub');
    assert.deepEqual(list(dir), ['result.txt:regular-file']);
    assert.equal(readFile('result.txt'), 'hello');

    // A failing stream operation carries its filesystem error code.
    const { IoError } = { IoError: imports['wasi:io/error@0.2.6'].Error };
    assert.equal(filesystemErrorCode(new IoError('x', 'no-entry')), 'no-entry');
    assert.equal(filesystemErrorCode(new IoError('x')), null);
  });
}

/**
 * Follows the static imports of `entry` (a browser entry point): every import must be a
 * relative path and no module may use node's globals (`process`, `Buffer`, `require`).
 * Returns how many modules it saw.
 * @param {URL} entry
 */
export function browserImportGraph(entry) {
  const seen = new Set();
  const visit = (url) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const src = readFileSync(url, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm)) {
      assert.ok(/^\.\.?\//.test(m[1]), `${url.pathname} imports ${m[1]}`);
      visit(new URL(m[1], url));
    }
    assert.doesNotMatch(src, /\bprocess\.|\bBuffer\b|require\(/, url.pathname);
  };
  visit(entry);
  return seen.size;
}
