// wasi:filesystem@0.3 on the Origin Private File System (OPFS): `OpfsFs`, a browser
// preopen whose files live in an OPFS directory (`navigator.storage.getDirectory()`),
// for windows and Workers. WASI 0.3 is asynchronous, so every operation is answered
// from OPFS directly: directories through `FileSystemDirectoryHandle`
// (`getDirectoryHandle`, `getFileHandle`, `entries`, `removeEntry`), reads through
// `getFile()` (a `File` snapshot, read in 64 KiB slices), writes through
// `createWritable({ keepExistingData: true })`, one writable per `write-via-stream`
// (OPFS commits its bytes when the stream ends; readers see them from then on).
//
// What OPFS cannot do, and what this backend does instead:
// - no symbolic or hard links: `link-at`, `symlink-at` → `unsupported`, `readlink-at` →
//   `invalid`;
// - no settable timestamps: `set-times(-at)` → `unsupported` unless both are
//   `no-change`; files have one timestamp (`lastModified`, reported as the
//   modification time), directories none;
// - no inode numbers: `metadata-hash` and `is-same-object` use numbers this backend
//   gives the paths it has seen, kept across renames made through it;
// - directories cannot be moved (Chromium moves files only): renaming a directory makes
//   the new one, moves the files over and removes the old one (not atomic);
// - a descriptor names a path: once its file is removed or replaced (by the guest or
//   anyone else), operations on it see the new state (`no-entry` for a removed file),
//   unlike POSIX, where an open file outlives its name.
// Guest paths are resolved lexically inside the preopen (absolute paths, and `..`
// above it, are `not-permitted`). DOMException names map to `error-code`s as
// ../shared/opfs.js's `DOM_ERROR_CODES` says (`NotFoundError` → `no-entry`, …).
import { datetime as instant } from '../shared/datetime.js';
import { DEFAULT_FLAGS } from '../shared/descriptor-flags.js';
import { domErrorCode, opfsDirectory } from '../shared/opfs.js';
import { splitPath } from '../shared/paths.js';
import { FsError3, codeOf, errorCode, fail, guard } from './fs-common.js';
import { OK, drain, err, failedSource, pullSource, refuse } from './streams.js';

const CHUNK = 65536;

/**
 * Runs a File System API call, turning its failures into `err(error-code)`
 * (`FsError3`); `mismatch` is the code for a `TypeMismatchError` (an entry of the other
 * kind) at this call.
 * @template T @param {() => Promise<T> | T} f @param {string} [mismatch]
 * @returns {Promise<T>}
 */
async function call(f, mismatch) {
  try {
    return await f();
  } catch (e) {
    if (e instanceof FsError3) throw e;
    const code = domErrorCode(e);
    if (code === null) throw e;
    throw new FsError3(errorCode(mismatch !== undefined && /** @type {any} */ (e).name === 'TypeMismatchError' ? mismatch : code));
  }
}

/**
 * An entry of an OPFS directory: its kind and handle, or null when there is none.
 * @param {FileSystemDirectoryHandle} dir @param {string} name
 * @returns {Promise<{ kind: 'file', handle: FileSystemFileHandle } | { kind: 'directory', handle: FileSystemDirectoryHandle } | null>}
 */
async function entryIn(dir, name) {
  try {
    return { kind: 'file', handle: await dir.getFileHandle(name) };
  } catch (e) {
    const n = /** @type {any} */ (e)?.name;
    if (n === 'NotFoundError') return null;
    if (n !== 'TypeMismatchError') return call(() => Promise.reject(e));
  }
  return { kind: 'directory', handle: await call(() => dir.getDirectoryHandle(name)) };
}

/** @param {FileSystemDirectoryHandle} dir */
async function isEmpty(dir) {
  for await (const _ of /** @type {any} */ (dir).keys()) return false;
  return true;
}

/**
 * Moves the contents of OPFS directory `from` into `to` (files with `move`,
 * directories recursively); `from` is left empty.
 * @param {FileSystemDirectoryHandle} from @param {FileSystemDirectoryHandle} to
 */
async function moveContents(from, to) {
  /** @type {[string, any][]} */
  const entries = [];
  for await (const e of /** @type {any} */ (from).entries()) entries.push(e);
  for (const [name, h] of entries) {
    if (h.kind === 'file') await h.move(to, name);
    else {
      await moveContents(h, await to.getDirectoryHandle(name, { create: true }));
      await from.removeEntry(name);
    }
  }
}

/** What this backend knows about a path it has handed out: a number for
 * `metadata-hash`/`is-same-object`, and the path (updated by renames).
 * @typedef {{ ino: bigint, segs: string[] }} Rec */

/**
 * An OPFS directory as a WASI 0.3 preopen of the browser shim:
 * `wasiImports({ preopens: { '/data': await OpfsFs.open('my-app/data') } })`, or
 * `new OpfsFs('my-app/data')` (the directory is looked up, and made when missing, on
 * first use), or `new OpfsFs(directoryHandle)`.
 */
export class OpfsFs {
  /**
   * @param {string | FileSystemDirectoryHandle | Promise<FileSystemDirectoryHandle>} [dir]
   *   a `/`-separated path below the origin's OPFS root (`''`: the root), or a handle
   */
  constructor(dir = '') {
    /** The directory handle, once known. @type {Promise<FileSystemDirectoryHandle>} */
    this.ready = typeof dir === 'string' ? opfsDirectory(dir) : Promise.resolve(dir);
    this.ready.catch(() => {}); // reported by the first operation
    /** @type {Map<string, Rec>} */
    this.recs = new Map();
    this.nextIno = 1n;
  }

  /** An `OpfsFs` whose directory exists. @param {string | FileSystemDirectoryHandle} [dir] */
  static async open(dir = '') {
    const fs = new OpfsFs(dir);
    await fs.ready;
    return fs;
  }

  /** The record for a path (made on first use). @param {string[]} segs @returns {Rec} */
  rec(segs) {
    const key = segs.join('/');
    let r = this.recs.get(key);
    if (r === undefined) {
      r = { ino: this.nextIno++, segs: [...segs] };
      this.recs.set(key, r);
    }
    return r;
  }
  /** Forgets a path and everything below it. @param {string[]} segs */
  forget(segs) {
    const key = segs.join('/');
    for (const k of [...this.recs.keys()]) if (k === key || k.startsWith(`${key}/`)) this.recs.delete(k);
  }
  /** Moves the records of `from` and below to `to` (after a rename). @param {string[]} from @param {string[]} to */
  moved(from, to) {
    this.forget(to);
    const key = from.join('/');
    const moved = [...this.recs].filter(([k]) => k === key || k.startsWith(`${key}/`));
    for (const [k, r] of moved) {
      this.recs.delete(k);
      r.segs.splice(0, from.length, ...to);
      this.recs.set(r.segs.join('/'), r);
    }
  }

  /** The directory at `segs`. @param {string[]} segs @returns {Promise<FileSystemDirectoryHandle>} */
  async dir(segs) {
    let h = await call(() => this.ready);
    for (const seg of segs) {
      const parent = h;
      h = await call(() => parent.getDirectoryHandle(seg), 'not-directory');
    }
    return h;
  }
  /** The entry at `segs` with its parent directory, or null. @param {string[]} segs */
  async entry(segs) {
    if (segs.length === 0) return { kind: /** @type {const} */ ('directory'), handle: await this.dir([]), parent: null, name: '' };
    const parent = await this.dir(segs.slice(0, -1));
    const name = segs[segs.length - 1];
    const e = await entryIn(parent, name);
    return e === null ? null : { ...e, parent, name };
  }
  /** The file at `segs` (`no-entry`, `is-directory`). @param {string[]} segs */
  async fileHandle(segs) {
    const parent = await this.dir(segs.slice(0, -1));
    return call(() => parent.getFileHandle(segs[segs.length - 1]), 'is-directory');
  }

  /** The preopen's descriptor (what `get-directories` hands out). */
  descriptor() {
    return new Descriptor(this, this.rec([]), 'directory', { ...DEFAULT_FLAGS, write: true });
  }

  /** A file's bytes by `/`-separated path, or undefined when there is no such file. @param {string} path */
  async readFile(path) {
    try {
      const h = await this.fileHandle(path.split('/').filter(Boolean));
      return new Uint8Array(await (await h.getFile()).arrayBuffer());
    } catch (e) {
      if (e instanceof FsError3) return undefined;
      throw e;
    }
  }
  /** Writes a file (and its missing parent directories). @param {string} path @param {string | Uint8Array} data */
  async writeFile(path, data) {
    const segs = path.split('/').filter(Boolean);
    let dir = await this.ready;
    for (const seg of segs.slice(0, -1)) dir = await dir.getDirectoryHandle(seg, { create: true });
    const w = await (await dir.getFileHandle(segs[segs.length - 1], { create: true })).createWritable();
    await w.write(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    await w.close();
  }
  /** The directory as a tree (as `MemFs` takes it: `Uint8Array` files, object directories). */
  async toTree() {
    /** @param {FileSystemDirectoryHandle} dir @returns {Promise<Record<string, any>>} */
    const read = async (dir) => {
      /** @type {Record<string, any>} */
      const out = {};
      for await (const [name, h] of /** @type {any} */ (dir).entries()) {
        out[name] = h.kind === 'directory' ? await read(h) : new Uint8Array(await (await h.getFile()).arrayBuffer());
      }
      return out;
    };
    return read(await this.ready);
  }
  /** Removes everything in the directory. */
  async clear() {
    const dir = await this.ready;
    const names = [];
    for await (const name of /** @type {any} */ (dir).keys()) names.push(name);
    for (const name of names) await dir.removeEntry(name, { recursive: true });
    this.recs.clear();
  }
}

/** @param {unknown} d */
function asOpfs(d) {
  if (!(d instanceof Descriptor)) fail('cross-device');
  return /** @type {Descriptor} */ (d);
}

/** `wasi:filesystem/types.descriptor` (0.3) for a path in an `OpfsFs`. */
export class Descriptor {
  /** @param {OpfsFs} fs @param {Rec} rec @param {'file' | 'directory'} kind @param {typeof DEFAULT_FLAGS} flags */
  constructor(fs, rec, kind, flags) {
    this.fs = fs;
    this.rec = rec;
    this.kind = kind;
    this.flags = flags;
  }

  /**
   * A guest path relative to this directory, as segments from the preopen, and whether
   * it names the directory it is in (`.`, or ending in `..`), as MemFs sees it.
   * @param {string} path @returns {{ segs: string[], self: boolean }}
   */
  target(path) {
    if (this.kind !== 'directory') fail('not-directory');
    const raw = splitPath(path);
    const segs = [...this.rec.segs];
    for (const seg of raw) {
      if (seg !== '..') segs.push(seg);
      else if (segs.length === 0) fail('not-permitted');
      else segs.pop();
    }
    return { segs, self: raw.length === 0 || raw[raw.length - 1] === '..' };
  }
  /** @param {string} path */
  async existing(path) {
    const { segs } = this.target(path);
    const e = await this.fs.entry(segs);
    if (e === null) fail('no-entry');
    return { segs, e: /** @type {NonNullable<typeof e>} */ (e) };
  }

  /** @param {bigint} offset */
  readViaStream(offset) {
    if (this.kind !== 'file') return failedSource({ tag: 'is-directory' });
    if (!this.flags.read) return failedSource({ tag: 'bad-descriptor' });
    let pos = Number(offset);
    /** @type {FileSystemFileHandle | null} */
    let handle = null;
    return pullSource(async () => {
      handle ??= await this.fs.fileHandle(this.rec.segs);
      const h = handle;
      const file = await call(() => h.getFile());
      if (pos >= file.size) return null;
      const buf = new Uint8Array(await call(() => file.slice(pos, pos + CHUNK).arrayBuffer()));
      pos += buf.length;
      return buf;
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
  /** @param {ReadableStream<Uint8Array>} data @param {number | null} start null: append */
  async writeFrom(data, start) {
    if (this.kind !== 'file') return refuse(data, { tag: 'is-directory' });
    if (!this.flags.write) return refuse(data, { tag: 'bad-descriptor' });
    /** @type {FileSystemWritableFileStream | null} */
    let w = null;
    let pos = start;
    const result = await drain(
      data,
      async (chunk) => {
        if (w === null) {
          const h = await this.fs.fileHandle(this.rec.segs);
          if (pos === null) pos = (await call(() => h.getFile())).size;
          w = await call(() => h.createWritable({ keepExistingData: true }));
        }
        const writable = w;
        const at = /** @type {number} */ (pos);
        await call(() => writable.write({ type: 'write', position: at, data: chunk }));
        pos = at + chunk.length;
      },
      codeOf,
    );
    if (w === null) return result;
    const writable = /** @type {FileSystemWritableFileStream} */ (w);
    if (result.tag !== 'ok') {
      await writable.abort().catch(() => {});
      return result;
    }
    try {
      await call(() => writable.close());
    } catch (e) {
      return err(codeOf(e));
    }
    return OK;
  }
  readDirectory() {
    if (this.kind !== 'directory') return failedSource({ tag: 'not-directory' });
    /** @type {AsyncIterator<[string, FileSystemHandle]> | null} */
    let it = null;
    return pullSource(async () => {
      it ??= /** @type {any} */ (await this.fs.dir(this.rec.segs)).entries();
      const step = await call(() => /** @type {AsyncIterator<[string, FileSystemHandle]>} */ (it).next());
      if (step.done) return null;
      const [name, h] = step.value;
      return { type: { tag: h.kind === 'directory' ? 'directory' : 'regular-file' }, name };
    }, codeOf);
  }
  async advise() {}
  async syncData() {
    // Bytes are committed when a write-via-stream ends.
  }
  async sync() {}
  async getFlags() {
    return { ...this.flags };
  }
  async getType() {
    return { tag: this.kind === 'directory' ? 'directory' : 'regular-file' };
  }
  /** @param {bigint} size */
  async setSize(size) {
    return guard(async () => {
      if (this.kind !== 'file') fail('is-directory');
      if (!this.flags.write) fail('bad-descriptor');
      const h = await this.fs.fileHandle(this.rec.segs);
      const w = await call(() => h.createWritable({ keepExistingData: true }));
      try {
        await call(() => w.truncate(Number(size)));
        await call(() => w.close());
      } catch (e) {
        await w.abort().catch(() => {});
        throw e;
      }
    });
  }
  /** @param {{ tag: string }} atime @param {{ tag: string }} mtime */
  async setTimes(atime, mtime) {
    return guard(async () => {
      if ((await this.fs.entry(this.rec.segs)) === null) fail('no-entry');
      if (atime.tag !== 'no-change' || mtime.tag !== 'no-change') fail('unsupported');
    });
  }
  /** @param {string} path */
  async createDirectoryAt(path) {
    return guard(async () => {
      const { segs, self } = this.target(path);
      if (self) fail('exist');
      const parent = await this.fs.dir(segs.slice(0, -1));
      const name = segs[segs.length - 1];
      if ((await entryIn(parent, name)) !== null) fail('exist');
      await call(() => parent.getDirectoryHandle(name, { create: true }));
    });
  }
  async stat() {
    return guard(async () => {
      const e = await this.fs.entry(this.rec.segs);
      if (e === null) fail('no-entry');
      return statOf(/** @type {NonNullable<typeof e>} */ (e));
    });
  }
  /** @param {any} _pathFlags @param {string} path */
  async statAt(_pathFlags, path) {
    return guard(async () => statOf((await this.existing(path)).e));
  }
  /** @param {any} _pathFlags @param {string} path @param {{ tag: string }} atime @param {{ tag: string }} mtime */
  async setTimesAt(_pathFlags, path, atime, mtime) {
    return guard(async () => {
      await this.existing(path);
      if (atime.tag !== 'no-change' || mtime.tag !== 'no-change') fail('unsupported');
    });
  }
  async linkAt() {
    return guard(() => fail('unsupported'));
  }
  /** @param {any} _pathFlags @param {string} path @param {any} openFlags @param {any} flags */
  async openAt(_pathFlags, path, openFlags, flags) {
    return guard(async () => {
      const { segs } = this.target(path);
      const f = { ...DEFAULT_FLAGS, ...flags };
      const e = await this.fs.entry(segs);
      /** @type {'file' | 'directory'} */
      let kind;
      if (e !== null) {
        if (openFlags.create && openFlags.exclusive) fail('exist');
        if (openFlags.directory && e.kind !== 'directory') fail('not-directory');
        if (e.kind === 'directory' && (f.write || openFlags.truncate)) fail('is-directory');
        if (openFlags.truncate) {
          if (!f.write) fail('access');
          const w = await call(() => /** @type {FileSystemFileHandle} */ (e.handle).createWritable({ keepExistingData: false }));
          await call(() => w.close());
        }
        kind = e.kind;
      } else {
        if (!openFlags.create) fail('no-entry');
        if (openFlags.directory) fail('invalid');
        const parent = await this.fs.dir(segs.slice(0, -1));
        await call(() => parent.getFileHandle(segs[segs.length - 1], { create: true }), 'is-directory');
        kind = 'file';
      }
      return new Descriptor(this.fs, this.fs.rec(segs), kind, f);
    });
  }
  /** @param {string} path */
  async readlinkAt(path) {
    return guard(async () => {
      await this.existing(path);
      fail('invalid');
    });
  }
  /** @param {string} path */
  async removeDirectoryAt(path) {
    return guard(async () => {
      const { segs, self } = this.target(path);
      if (self) fail('invalid');
      const e = await this.fs.entry(segs);
      if (e === null) fail('no-entry');
      const { kind, handle, parent, name } = /** @type {NonNullable<typeof e>} */ (e);
      if (kind !== 'directory') fail('not-directory');
      if (!(await call(() => isEmpty(/** @type {FileSystemDirectoryHandle} */ (handle))))) fail('not-empty');
      await call(() => /** @type {FileSystemDirectoryHandle} */ (parent).removeEntry(name));
      this.fs.forget(segs);
    });
  }
  /** @param {string} oldPath @param {Descriptor} newDescriptor @param {string} newPath */
  async renameAt(oldPath, newDescriptor, newPath) {
    return guard(async () => {
      const to = asOpfs(newDescriptor);
      const a = this.target(oldPath);
      const b = to.target(newPath);
      if (a.self || b.self) fail('invalid');
      const src = await this.fs.entry(a.segs);
      if (src === null) fail('no-entry');
      const { kind, handle, parent: srcParent, name: srcName } = /** @type {NonNullable<typeof src>} */ (src);
      const same = this.fs === to.fs;
      const key = a.segs.join('/');
      const dest = b.segs.join('/');
      if (same && dest === key) return;
      if (same && dest.startsWith(`${key}/`)) fail('invalid');
      const dstParent = await to.fs.dir(b.segs.slice(0, -1));
      const name = b.segs[b.segs.length - 1];
      const existing = await entryIn(dstParent, name);
      if (existing !== null) {
        if (existing.kind === 'directory') {
          if (kind !== 'directory') fail('is-directory');
          if (!(await call(() => isEmpty(existing.handle)))) fail('not-empty');
          await call(() => dstParent.removeEntry(name));
        } else if (kind === 'directory') fail('not-directory');
      }
      if (kind === 'file') {
        await call(() => /** @type {any} */ (handle).move(dstParent, name));
      } else {
        const made = await call(() => dstParent.getDirectoryHandle(name, { create: true }));
        await call(() => moveContents(/** @type {FileSystemDirectoryHandle} */ (handle), made));
        await call(() => /** @type {FileSystemDirectoryHandle} */ (srcParent).removeEntry(srcName, { recursive: true }));
      }
      if (same) this.fs.moved(a.segs, b.segs);
      else {
        this.fs.forget(a.segs);
        to.fs.forget(b.segs);
      }
    });
  }
  async symlinkAt() {
    return guard(() => fail('unsupported'));
  }
  /** @param {string} path */
  async unlinkFileAt(path) {
    return guard(async () => {
      const { segs, self } = this.target(path);
      if (self) fail('is-directory');
      const e = await this.fs.entry(segs);
      if (e === null) fail('no-entry');
      const { kind, parent, name } = /** @type {NonNullable<typeof e>} */ (e);
      if (kind === 'directory') fail('is-directory');
      await call(() => /** @type {FileSystemDirectoryHandle} */ (parent).removeEntry(name));
      this.fs.forget(segs);
    });
  }
  /** @param {Descriptor} other */
  async isSameObject(other) {
    if (!(other instanceof Descriptor)) return false;
    if (other.fs === this.fs) return other.rec === this.rec;
    try {
      const [a, b] = await Promise.all([this.fs.entry(this.rec.segs), other.fs.entry(other.rec.segs)]);
      return a !== null && b !== null && (await a.handle.isSameEntry(b.handle));
    } catch {
      return false;
    }
  }
  async metadataHash() {
    return guard(async () => {
      const e = await this.fs.entry(this.rec.segs);
      if (e === null) fail('no-entry');
      return hashOf(this.rec, /** @type {NonNullable<typeof e>} */ (e));
    });
  }
  /** @param {any} _pathFlags @param {string} path */
  async metadataHashAt(_pathFlags, path) {
    return guard(async () => {
      const { segs, e } = await this.existing(path);
      return hashOf(this.fs.rec(segs), e);
    });
  }
}

/** @param {{ kind: string, handle: any }} e */
async function statOf(e) {
  if (e.kind === 'directory') {
    return { type: { tag: 'directory' }, linkCount: 1n, size: 0n, dataAccessTimestamp: null, dataModificationTimestamp: null, statusChangeTimestamp: null };
  }
  const file = await call(() => e.handle.getFile());
  return {
    type: { tag: 'regular-file' },
    linkCount: 1n,
    size: BigInt(file.size),
    dataAccessTimestamp: null,
    dataModificationTimestamp: instant(BigInt(file.lastModified) * 1_000_000n),
    statusChangeTimestamp: null,
  };
}

/** @param {Rec} rec @param {{ kind: string, handle: any }} e */
async function hashOf(rec, e) {
  if (e.kind === 'directory') return { lower: rec.ino, upper: 0n };
  const file = await call(() => e.handle.getFile());
  return { lower: rec.ino, upper: (BigInt(file.lastModified) * 1_000_000n) ^ (BigInt(file.size) << 32n) };
}

/**
 * The `filesystem/*` interfaces (0.3) of the browser shim over its preopens: `OpfsFs`
 * ones here, the others (`MemFs`) through `memFilesystem`, in the preopens' order.
 * @param {Record<string, any>} preopens guest path → `OpfsFs` or `MemFs`
 * @param {(preopens: Record<string, any>) => Record<string, any>} memFilesystem
 */
export function withOpfs(preopens, memFilesystem) {
  const entries = Object.entries(preopens);
  const mem = memFilesystem(Object.fromEntries(entries.filter(([, t]) => !(t instanceof OpfsFs))));
  if (!entries.some(([, t]) => t instanceof OpfsFs)) return mem;
  const memDirs = mem['filesystem/preopens'].getDirectories;
  return {
    'filesystem/types': mem['filesystem/types'],
    'filesystem/preopens': {
      getDirectories() {
        const m = new Map(memDirs().map((/** @type {[any, string]} */ [d, g]) => [g, d]));
        return entries.map(([guest, t]) => [t instanceof OpfsFs ? t.descriptor() : m.get(guest), guest]);
      },
    },
  };
}
