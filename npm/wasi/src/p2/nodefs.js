// wasi:filesystem@0.2 over `node:fs` (synchronous calls) on preopened host directories.
// Guest paths are resolved lexically inside the preopen: absolute paths and `..` above
// it are `not-permitted`. Symbolic links inside the preopen are followed by the host
// and are not checked (a link pointing outside lets the guest out).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { datetime } from '../shared/datetime.js';
import { DEFAULT_FLAGS } from '../shared/descriptor-flags.js';
import { fail } from '../shared/fs-errors.js';
import { fileTypeName, hostPathInside, timeArg } from '../shared/nodefs.js';
import { splitPath } from '../shared/paths.js';
import { DirectoryEntryStream, filesystemErrorCode, mapErrors } from './fs-common.js';
import { InputStream, OutputStream, positionedSink, positionedSource, preadExact } from './io.js';

const C = fs.constants;
/** The 0.2 `descriptor-type`: an enum, `unknown` included. */
const typeOf = fileTypeName;

/** @param {fs.BigIntStats} s */
function stat(s) {
  return {
    type: typeOf(s),
    linkCount: s.nlink,
    size: s.size,
    dataAccessTimestamp: datetime(s.atimeNs),
    dataModificationTimestamp: datetime(s.mtimeNs),
    statusChangeTimestamp: datetime(s.ctimeNs),
  };
}

/** `wasi:filesystem/types.descriptor` for a host directory (path) or file (fd). */
export class Descriptor {
  /** @param {string} path host path @param {string} root the preopen's host path
   * @param {number | null} fd open file, or null for a directory @param {typeof DEFAULT_FLAGS} flags */
  constructor(path, root, fd, flags) {
    this.path = path;
    this.root = root;
    this.fd = fd;
    this.flags = flags;
  }
  [Symbol.dispose]() {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  /** The host path of a guest path relative to this directory. @param {string} path */
  at(path) {
    if (this.fd !== null) fail('not-directory');
    return hostPathInside(this.path, this.root, splitPath(path)) ?? fail('not-permitted');
  }
  file() {
    if (this.fd === null) fail('is-directory');
    return /** @type {number} */ (this.fd);
  }

  readViaStream(offset) {
    const fd = this.file();
    if (!this.flags.read) fail('bad-descriptor');
    return new InputStream(positionedSource((buf, pos) => mapErrors(() => fs.readSync(fd, buf, 0, buf.length, pos)), offset));
  }
  writeViaStream(offset) {
    const fd = this.file();
    if (!this.flags.write) fail('bad-descriptor');
    return new OutputStream(positionedSink((b, pos) => mapErrors(() => writeAll(fd, b, pos)), offset));
  }
  appendViaStream() {
    const fd = this.file();
    if (!this.flags.write) fail('bad-descriptor');
    return new OutputStream(positionedSink((b) => mapErrors(() => writeAll(fd, b, Number(fs.fstatSync(fd).size))), null));
  }
  advise() {}
  syncData() {
    if (this.fd !== null) mapErrors(() => fs.fdatasyncSync(/** @type {number} */ (this.fd)));
  }
  sync() {
    if (this.fd !== null) mapErrors(() => fs.fsyncSync(/** @type {number} */ (this.fd)));
  }
  getFlags() {
    return { ...this.flags };
  }
  getType() {
    return this.fd === null ? 'directory' : typeOf(mapErrors(() => fs.fstatSync(/** @type {number} */ (this.fd), { bigint: true })));
  }
  setSize(size) {
    const fd = this.file();
    if (!this.flags.write) fail('bad-descriptor');
    mapErrors(() => fs.ftruncateSync(fd, Number(size)));
  }
  setTimes(atime, mtime) {
    mapErrors(() => {
      const s = this.fd === null ? fs.statSync(this.path, { bigint: true }) : fs.fstatSync(this.fd, { bigint: true });
      const a = timeArg(atime, s.atimeNs);
      const m = timeArg(mtime, s.mtimeNs);
      if (this.fd === null) fs.utimesSync(this.path, a, m);
      else fs.futimesSync(this.fd, a, m);
    });
  }
  read(length, offset) {
    const fd = this.file();
    if (!this.flags.read) fail('bad-descriptor');
    const max = Math.min(Number(length), 1 << 24);
    const bytes = mapErrors(() => preadExact((buf, pos) => fs.readSync(fd, buf, 0, buf.length, pos), max, Number(offset)));
    if (bytes === null) return [new Uint8Array(0), true];
    return [bytes, bytes.length < max];
  }
  write(buffer, offset) {
    const fd = this.file();
    if (!this.flags.write) fail('bad-descriptor');
    return BigInt(mapErrors(() => fs.writeSync(fd, buffer, 0, buffer.length, Number(offset))));
  }
  readDirectory() {
    if (this.fd !== null) fail('not-directory');
    const entries = mapErrors(() => fs.readdirSync(this.path, { withFileTypes: true }));
    return new DirectoryEntryStream(entries.map((e) => ({ type: typeOf(e), name: e.name })));
  }
  createDirectoryAt(path) {
    const p = this.at(path);
    mapErrors(() => fs.mkdirSync(p));
  }
  stat() {
    return stat(mapErrors(() => (this.fd === null ? fs.statSync(this.path, { bigint: true }) : fs.fstatSync(this.fd, { bigint: true }))));
  }
  statAt(pathFlags, path) {
    const p = this.at(path);
    // A missing file is an answer, not an exception node makes (with its stack) first.
    const o = { bigint: true, throwIfNoEntry: false };
    const s = mapErrors(() => (pathFlags.symlinkFollow ? fs.statSync(p, o) : fs.lstatSync(p, o)));
    return stat(s ?? fail('no-entry'));
  }
  setTimesAt(pathFlags, path, atime, mtime) {
    const p = this.at(path);
    mapErrors(() => {
      const s = fs.lstatSync(p, { bigint: true });
      (pathFlags.symlinkFollow ? fs.utimesSync : fs.lutimesSync)(p, timeArg(atime, s.atimeNs), timeArg(mtime, s.mtimeNs));
    });
  }
  linkAt(_oldPathFlags, oldPath, newDescriptor, newPath) {
    const from = this.at(oldPath);
    const to = /** @type {Descriptor} */ (newDescriptor).at(newPath);
    mapErrors(() => fs.linkSync(from, to));
  }
  openAt(pathFlags, path, openFlags, flags) {
    const p = this.at(path);
    const f = { ...DEFAULT_FLAGS, ...flags };
    return mapErrors(() => {
      if (openFlags.directory) {
        if (openFlags.create) fail('invalid');
        const s = pathFlags.symlinkFollow ? fs.statSync(p) : fs.lstatSync(p);
        if (!s.isDirectory()) fail('not-directory');
        if (f.write) fail('is-directory');
        return new Descriptor(p, this.root, null, f);
      }
      let mode = f.write ? (f.read ? C.O_RDWR : C.O_WRONLY) : C.O_RDONLY;
      if (openFlags.create) mode |= C.O_CREAT;
      if (openFlags.exclusive) mode |= C.O_EXCL;
      if (openFlags.truncate) mode |= C.O_TRUNC;
      if (!pathFlags.symlinkFollow) mode |= C.O_NOFOLLOW;
      const fd = fs.openSync(p, mode, 0o666);
      if (fs.fstatSync(fd).isDirectory()) {
        fs.closeSync(fd);
        return new Descriptor(p, this.root, null, f);
      }
      return new Descriptor(p, this.root, fd, f);
    });
  }
  readlinkAt(path) {
    const p = this.at(path);
    return mapErrors(() => fs.readlinkSync(p));
  }
  removeDirectoryAt(path) {
    const p = this.at(path);
    mapErrors(() => fs.rmdirSync(p));
  }
  renameAt(oldPath, newDescriptor, newPath) {
    const from = this.at(oldPath);
    const to = /** @type {Descriptor} */ (newDescriptor).at(newPath);
    mapErrors(() => fs.renameSync(from, to));
  }
  symlinkAt(oldPath, newPath) {
    if (oldPath.startsWith('/')) fail('not-permitted');
    const p = this.at(newPath);
    mapErrors(() => fs.symlinkSync(oldPath, p));
  }
  unlinkFileAt(path) {
    const p = this.at(path);
    mapErrors(() => {
      if (fs.lstatSync(p).isDirectory()) fail('is-directory');
      fs.unlinkSync(p);
    });
  }
  isSameObject(other) {
    if (!(other instanceof Descriptor)) return false;
    const a = this.metadataHash();
    const b = other.metadataHash();
    return a.lower === b.lower && a.upper === b.upper;
  }
  metadataHash() {
    const s = mapErrors(() => (this.fd === null ? fs.statSync(this.path, { bigint: true }) : fs.fstatSync(this.fd, { bigint: true })));
    return { lower: s.ino, upper: s.dev };
  }
  metadataHashAt(pathFlags, path) {
    const p = this.at(path);
    // wasi-libc asks for this before a `stat` (for `st_ino`), so a search's look for an
    // ignore file in every directory lands here: a missing file is an answer, as in `statAt`.
    const o = { bigint: true, throwIfNoEntry: false };
    const s = mapErrors(() => (pathFlags.symlinkFollow ? fs.statSync(p, o) : fs.lstatSync(p, o))) ?? fail('no-entry');
    return { lower: s.ino, upper: s.dev };
  }
}

/** @param {number} fd @param {Uint8Array} bytes @param {number | null} pos */
function writeAll(fd, bytes, pos) {
  let off = 0;
  while (off < bytes.length) {
    const n = fs.writeSync(fd, bytes, off, bytes.length - off, pos === null ? null : pos + off);
    off += n;
  }
}

/**
 * The `filesystem/*` interfaces over host directories.
 * @param {Record<string, string>} preopens guest path → host directory
 */
export function nodeFilesystem(preopens) {
  const dirs = Object.entries(preopens).map(([guest, host]) => /** @type {[string, string]} */ ([guest, nodePath.resolve(host)]));
  return {
    'filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode },
    'filesystem/preopens': {
      getDirectories: () => dirs.map(([guest, host]) => [new Descriptor(host, host, null, { ...DEFAULT_FLAGS, write: true }), guest]),
    },
  };
}
