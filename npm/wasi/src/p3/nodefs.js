// wasi:filesystem@0.3 over `node:fs/promises` on preopened host directories. Every
// operation is asynchronous (nothing blocks the event loop). Guest paths are resolved
// lexically inside the preopen, as in the 0.2 shim: absolute paths and `..` above it
// are `not-permitted`; symbolic links inside the preopen are followed by the host and
// not checked.
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import { datetime as instant } from '../shared/datetime.js';
import { DEFAULT_FLAGS } from '../shared/descriptor-flags.js';
import { fileTypeName, hostPathInside, timeArg } from '../shared/nodefs.js';
import { splitPath } from '../shared/paths.js';
import { codeOf, fail, guard } from './fs-common.js';
import { drain, failedSource, pullSource, refuse } from './streams.js';

const C = constants;
const CHUNK = 65536;

/**
 * The 0.3 `descriptor-type`: a variant, `other(option<string>)` for what 0.2 called unknown.
 * @param {import('node:fs').BigIntStats | import('node:fs').Dirent} s
 */
function typeOf(s) {
  const name = fileTypeName(s);
  return name === 'unknown' ? { tag: 'other', value: null } : { tag: name };
}

/** @param {import('node:fs').BigIntStats} s */
function stat(s) {
  return {
    type: typeOf(s),
    linkCount: s.nlink,
    size: s.size,
    dataAccessTimestamp: instant(s.atimeNs),
    dataModificationTimestamp: instant(s.mtimeNs),
    statusChangeTimestamp: instant(s.ctimeNs),
  };
}

/** @param {unknown} d */
function asDescriptor(d) {
  if (!(d instanceof Descriptor)) throw new TypeError('not a wasi:filesystem descriptor of this shim');
  return d;
}

/** `wasi:filesystem/types.descriptor` (0.3) for a host directory (a path) or file (a `FileHandle`). */
export class Descriptor {
  /** @param {string} path host path @param {string} root the preopen's host path
   * @param {fsp.FileHandle | null} fh open file, or null for a directory @param {typeof DEFAULT_FLAGS} flags */
  constructor(path, root, fh, flags) {
    this.path = path;
    this.root = root;
    this.fh = fh;
    this.flags = flags;
  }
  [Symbol.dispose]() {
    if (this.fh !== null) this.fh.close().catch(() => {});
    this.fh = null;
  }

  /** The host path of a guest path relative to this directory. @param {string} path */
  at(path) {
    if (this.fh !== null) fail('not-directory');
    return hostPathInside(this.path, this.root, splitPath(path)) ?? fail('not-permitted');
  }
  file() {
    if (this.fh === null) fail('is-directory');
    return /** @type {fsp.FileHandle} */ (this.fh);
  }
  async hostStat() {
    return this.fh === null ? fsp.stat(this.path, { bigint: true }) : this.fh.stat({ bigint: true });
  }

  /** @param {bigint} offset */
  readViaStream(offset) {
    let fh;
    try {
      fh = this.file();
      if (!this.flags.read) fail('bad-descriptor');
    } catch (e) {
      return failedSource(codeOf(e));
    }
    let pos = Number(offset);
    return pullSource(async () => {
      const buf = new Uint8Array(CHUNK);
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      pos += bytesRead;
      return bytesRead === 0 ? null : buf.subarray(0, bytesRead);
    }, codeOf);
  }
  /** @param {ReadableStream<Uint8Array>} data @param {bigint} offset */
  writeViaStream(data, offset) {
    return this.writeFrom(data, Number(offset));
  }
  /** @param {ReadableStream<Uint8Array>} data */
  appendViaStream(data) {
    return this.writeFrom(data, null);
  }
  /** @param {ReadableStream<Uint8Array>} data @param {number | null} pos null: append */
  async writeFrom(data, pos) {
    let fh;
    try {
      fh = this.file();
      if (!this.flags.write) fail('bad-descriptor');
    } catch (e) {
      return refuse(data, codeOf(e));
    }
    return drain(
      data,
      async (chunk) => {
        let at = pos ?? Number((await fh.stat({ bigint: true })).size);
        for (let off = 0; off < chunk.length; ) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, at);
          off += bytesWritten;
          at += bytesWritten;
        }
        if (pos !== null) pos = at;
      },
      codeOf,
    );
  }
  readDirectory() {
    if (this.fh !== null) return failedSource({ tag: 'not-directory' });
    /** @type {import('node:fs').Dir | null} */
    let dir = null;
    const close = () => void dir?.close().catch(() => {});
    return pullSource(
      async () => {
        dir ??= await fsp.opendir(this.path);
        const e = await dir.read();
        if (e === null) return null;
        return { type: typeOf(e), name: e.name };
      },
      codeOf,
      close,
    );
  }
  async advise() {}
  async syncData() {
    return guard(() => this.fh?.datasync());
  }
  async sync() {
    return guard(() => this.fh?.sync());
  }
  async getFlags() {
    return { ...this.flags };
  }
  async getType() {
    return guard(async () => (this.fh === null ? { tag: 'directory' } : typeOf(await this.fh.stat({ bigint: true }))));
  }
  /** @param {bigint} size */
  async setSize(size) {
    return guard(() => {
      const fh = this.file();
      if (!this.flags.write) fail('bad-descriptor');
      return fh.truncate(Number(size));
    });
  }
  /** @param {any} atime @param {any} mtime */
  async setTimes(atime, mtime) {
    return guard(async () => {
      const s = await this.hostStat();
      const a = timeArg(atime, s.atimeNs);
      const m = timeArg(mtime, s.mtimeNs);
      await (this.fh === null ? fsp.utimes(this.path, a, m) : this.fh.utimes(a, m));
    });
  }
  /** @param {string} path */
  async createDirectoryAt(path) {
    return guard(() => fsp.mkdir(this.at(path)));
  }
  async stat() {
    return guard(async () => stat(await this.hostStat()));
  }
  /** @param {{ symlinkFollow: boolean }} pathFlags @param {string} path */
  async statAt(pathFlags, path) {
    return guard(async () => {
      const p = this.at(path);
      return stat(await (pathFlags.symlinkFollow ? fsp.stat(p, { bigint: true }) : fsp.lstat(p, { bigint: true })));
    });
  }
  /** @param {{ symlinkFollow: boolean }} pathFlags @param {string} path @param {any} atime @param {any} mtime */
  async setTimesAt(pathFlags, path, atime, mtime) {
    return guard(async () => {
      const p = this.at(path);
      const s = await fsp.lstat(p, { bigint: true });
      await (pathFlags.symlinkFollow ? fsp.utimes : fsp.lutimes)(p, timeArg(atime, s.atimeNs), timeArg(mtime, s.mtimeNs));
    });
  }
  /** @param {any} _oldPathFlags @param {string} oldPath @param {Descriptor} newDescriptor @param {string} newPath */
  async linkAt(_oldPathFlags, oldPath, newDescriptor, newPath) {
    return guard(() => fsp.link(this.at(oldPath), asDescriptor(newDescriptor).at(newPath)));
  }
  /** @param {{ symlinkFollow: boolean }} pathFlags @param {string} path @param {any} openFlags @param {any} flags */
  async openAt(pathFlags, path, openFlags, flags) {
    return guard(async () => {
      const p = this.at(path);
      const f = { ...DEFAULT_FLAGS, ...flags };
      if (openFlags.directory) {
        if (openFlags.create) fail('invalid');
        const s = await (pathFlags.symlinkFollow ? fsp.stat(p) : fsp.lstat(p));
        if (!s.isDirectory()) fail('not-directory');
        if (f.write) fail('is-directory');
        return new Descriptor(p, this.root, null, f);
      }
      let mode = f.write ? (f.read ? C.O_RDWR : C.O_WRONLY) : C.O_RDONLY;
      if (openFlags.create) mode |= C.O_CREAT;
      if (openFlags.exclusive) mode |= C.O_EXCL;
      if (openFlags.truncate) mode |= C.O_TRUNC;
      if (!pathFlags.symlinkFollow) mode |= C.O_NOFOLLOW;
      const fh = await fsp.open(p, mode, 0o666);
      if ((await fh.stat()).isDirectory()) {
        await fh.close();
        return new Descriptor(p, this.root, null, f);
      }
      return new Descriptor(p, this.root, fh, f);
    });
  }
  /** @param {string} path */
  async readlinkAt(path) {
    return guard(() => fsp.readlink(this.at(path)));
  }
  /** @param {string} path */
  async removeDirectoryAt(path) {
    return guard(() => fsp.rmdir(this.at(path)));
  }
  /** @param {string} oldPath @param {Descriptor} newDescriptor @param {string} newPath */
  async renameAt(oldPath, newDescriptor, newPath) {
    return guard(() => fsp.rename(this.at(oldPath), asDescriptor(newDescriptor).at(newPath)));
  }
  /** @param {string} oldPath @param {string} newPath */
  async symlinkAt(oldPath, newPath) {
    return guard(() => {
      if (oldPath.startsWith('/')) fail('not-permitted');
      return fsp.symlink(oldPath, this.at(newPath));
    });
  }
  /** @param {string} path */
  async unlinkFileAt(path) {
    return guard(async () => {
      const p = this.at(path);
      if ((await fsp.lstat(p)).isDirectory()) fail('is-directory');
      await fsp.unlink(p);
    });
  }
  /** @param {Descriptor} other */
  async isSameObject(other) {
    if (!(other instanceof Descriptor)) return false;
    try {
      const [a, b] = await Promise.all([this.hostStat(), other.hostStat()]);
      return a.ino === b.ino && a.dev === b.dev;
    } catch {
      return false;
    }
  }
  async metadataHash() {
    return guard(async () => {
      const s = await this.hostStat();
      return { lower: s.ino, upper: s.dev };
    });
  }
  /** @param {{ symlinkFollow: boolean }} pathFlags @param {string} path */
  async metadataHashAt(pathFlags, path) {
    return guard(async () => {
      const p = this.at(path);
      const s = await (pathFlags.symlinkFollow ? fsp.stat(p, { bigint: true }) : fsp.lstat(p, { bigint: true }));
      return { lower: s.ino, upper: s.dev };
    });
  }
}

/**
 * The `filesystem/*` interfaces (0.3) over host directories.
 * @param {Record<string, string>} preopens guest path → host directory
 */
export function nodeFilesystem(preopens) {
  const dirs = Object.entries(preopens).map(([guest, host]) => /** @type {[string, string]} */ ([guest, nodePath.resolve(host)]));
  return {
    'filesystem/types': { Descriptor },
    'filesystem/preopens': {
      getDirectories: () => dirs.map(([guest, host]) => [new Descriptor(host, host, null, { ...DEFAULT_FLAGS, write: true }), guest]),
    },
  };
}
