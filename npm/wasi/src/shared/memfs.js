// The in-memory file tree (`MemFs`) and the synchronous operations on it
// (`MemDescriptor`), which the WASI 0.2 (p2/memfs.js) and 0.3 (p3/memfs.js) in-memory
// filesystems answer from. Regular files and directories; no symbolic or hard links.
import { datetime } from './datetime.js';
import { DEFAULT_FLAGS } from './descriptor-flags.js';
import { fail } from './fs-errors.js';
import { splitPath } from './paths.js';

/**
 * A tree given as a plain object: a string or `Uint8Array` is a file, an object a
 * directory. E.g. `{ 'hello.txt': 'hi', data: { 'x.bin': new Uint8Array([1]) } }`.
 * @typedef {{ [name: string]: string | Uint8Array | TreeInput }} TreeInput
 */

let nextIno = 1n;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

class Node {
  /** @param {'directory' | 'regular-file'} type @param {Dir | null} parent */
  constructor(type, parent) {
    this.type = type;
    this.parent = parent;
    this.ino = nextIno++;
    this.atime = this.mtime = this.ctime = nowNs();
  }
  touch() {
    this.mtime = this.ctime = nowNs();
  }
}

class File extends Node {
  /** @param {Dir | null} parent @param {Uint8Array} [data] */
  constructor(parent, data) {
    super('regular-file', parent);
    this.data = data ?? new Uint8Array(0);
    this.size = this.data.length;
  }
  /** @param {number} size */
  resize(size) {
    if (size > this.data.length) {
      const grown = new Uint8Array(Math.max(size, this.data.length * 2));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    } else if (size < this.size) this.data.fill(0, size, this.size);
    this.size = size;
  }
  /** @param {Uint8Array} buf @param {number} pos */
  pread(buf, pos) {
    if (pos >= this.size) return 0;
    const n = Math.min(buf.length, this.size - pos);
    buf.set(this.data.subarray(pos, pos + n));
    this.atime = nowNs();
    return n;
  }
  /** @param {Uint8Array} bytes @param {number | null} pos (null: append) */
  pwrite(bytes, pos) {
    const at = pos ?? this.size;
    if (at + bytes.length > this.size) this.resize(at + bytes.length);
    this.data.set(bytes, at);
    this.touch();
  }
  contents() {
    return this.data.slice(0, this.size);
  }
}

class Dir extends Node {
  /** @param {Dir | null} parent */
  constructor(parent) {
    super('directory', parent);
    /** @type {Map<string, File | Dir>} */
    this.entries = new Map();
  }
}

/** @param {TreeInput} tree @param {Dir | null} parent */
function build(tree, parent) {
  const dir = new Dir(parent);
  for (const [name, v] of Object.entries(tree)) {
    if (name === '' || name === '.' || name === '..' || name.includes('/')) throw new TypeError(`bad file name ${JSON.stringify(name)}`);
    if (typeof v === 'string') dir.entries.set(name, new File(dir, new TextEncoder().encode(v)));
    else if (v instanceof Uint8Array) dir.entries.set(name, new File(dir, v.slice()));
    else dir.entries.set(name, build(v, dir));
  }
  return dir;
}

/** An in-memory tree; `toJSON()`/`read(path)` let the embedder inspect what a guest did. */
export class MemFs {
  /** @param {TreeInput} [tree] */
  constructor(tree = {}) {
    this.root = build(tree, null);
  }
  /** The tree as a plain object (file contents as `Uint8Array`). */
  toTree() {
    /** @param {Dir} d @returns {TreeInput} */
    const walk = (d) => Object.fromEntries([...d.entries].map(([k, n]) => [k, n instanceof Dir ? walk(n) : n.contents()]));
    return walk(this.root);
  }
  /** A file's bytes by `/`-separated path from the root, or undefined. @param {string} path */
  readFile(path) {
    /** @type {File | Dir | undefined} */
    let n = this.root;
    for (const seg of path.split('/').filter(Boolean)) n = n instanceof Dir ? n.entries.get(seg) : undefined;
    return n instanceof File ? n.contents() : undefined;
  }
}

/**
 * The synchronous operations on a `MemFs` node behind a descriptor: what
 * `wasi:filesystem/types.descriptor` does in WASI 0.2 (which adds its streams) and what
 * the 0.3 descriptor answers from. Failures throw `FsError`s.
 */
export class MemDescriptor {
  /** @param {File | Dir} node @param {Dir} root the preopen @param {typeof DEFAULT_FLAGS} flags */
  constructor(node, root, flags) {
    this.node = node;
    this.root = root;
    this.flags = flags;
  }

  /** The directory this descriptor is, or `not-directory`. */
  dir() {
    if (!(this.node instanceof Dir)) fail('not-directory');
    return /** @type {Dir} */ (this.node);
  }
  file() {
    if (!(this.node instanceof File)) fail('is-directory');
    return /** @type {File} */ (this.node);
  }

  /** Walks `path` to [parent directory, last name]; the last name may be absent.
   * @param {string} path @returns {[Dir, string]} */
  parentOf(path) {
    const segs = splitPath(path);
    let dir = this.dir();
    let last = segs.pop();
    if (last === undefined) return [dir, '.'];
    for (const seg of segs) dir = this.step(dir, seg);
    if (last === '..') {
      dir = this.step(dir, '..');
      return [dir, '.'];
    }
    return [dir, last];
  }
  /** @param {Dir} dir @param {string} seg @returns {Dir} */
  step(dir, seg) {
    if (seg === '..') {
      if (dir === this.root || dir.parent === null) fail('not-permitted');
      return /** @type {Dir} */ (dir.parent);
    }
    const n = dir.entries.get(seg);
    if (n === undefined) fail('no-entry');
    if (!(n instanceof Dir)) fail('not-directory');
    return /** @type {Dir} */ (n);
  }
  /** @param {string} path @returns {File | Dir} */
  lookup(path) {
    const [dir, name] = this.parentOf(path);
    if (name === '.') return dir;
    const n = dir.entries.get(name);
    if (n === undefined) fail('no-entry');
    return /** @type {File | Dir} */ (n);
  }

  advise() {}
  syncData() {}
  sync() {}
  getFlags() {
    return { ...this.flags };
  }
  getType() {
    return this.node.type;
  }
  setSize(size) {
    const file = this.file();
    if (!this.flags.write) fail('bad-descriptor');
    file.resize(Number(size));
    file.touch();
  }
  setTimes(atime, mtime) {
    setTimes(this.node, atime, mtime);
  }
  read(length, offset) {
    const file = this.file();
    if (!this.flags.read) fail('bad-descriptor');
    const buf = new Uint8Array(Math.min(Number(length), Math.max(0, file.size - Number(offset))));
    const n = file.pread(buf, Number(offset));
    return [buf.subarray(0, n), Number(offset) + n >= file.size];
  }
  write(buffer, offset) {
    const file = this.file();
    if (!this.flags.write) fail('bad-descriptor');
    file.pwrite(buffer, Number(offset));
    return BigInt(buffer.length);
  }
  /** The entries of this directory (`not-directory` for a file). */
  listDirectory() {
    const dir = this.dir();
    return [...dir.entries].map(([name, n]) => ({ type: n.type, name }));
  }
  createDirectoryAt(path) {
    const [dir, name] = this.parentOf(path);
    if (name === '.' || dir.entries.has(name)) fail('exist');
    dir.entries.set(name, new Dir(dir));
    dir.touch();
  }
  stat() {
    return stat(this.node);
  }
  statAt(_pathFlags, path) {
    return stat(this.lookup(path));
  }
  setTimesAt(_pathFlags, path, atime, mtime) {
    setTimes(this.lookup(path), atime, mtime);
  }
  linkAt() {
    fail('unsupported');
  }
  openAt(_pathFlags, path, openFlags, flags) {
    const [dir, name] = this.parentOf(path);
    let node = name === '.' ? dir : dir.entries.get(name);
    if (node !== undefined) {
      if (openFlags.create && openFlags.exclusive) fail('exist');
      if (openFlags.directory && !(node instanceof Dir)) fail('not-directory');
      if (node instanceof Dir && (flags.write || openFlags.truncate)) fail('is-directory');
      if (openFlags.truncate) {
        if (!flags.write) fail('access');
        /** @type {File} */ (node).resize(0);
        node.touch();
      }
    } else {
      if (!openFlags.create) fail('no-entry');
      if (openFlags.directory) fail('invalid');
      node = new File(dir);
      dir.entries.set(name, node);
      dir.touch();
    }
    // A descriptor of the same class (the 0.2 shim's `Descriptor` opens 0.2 descriptors).
    return new /** @type {any} */ (this.constructor)(node, this.root, { ...DEFAULT_FLAGS, ...flags });
  }
  readlinkAt(path) {
    this.lookup(path);
    fail('invalid');
  }
  removeDirectoryAt(path) {
    const [dir, name] = this.parentOf(path);
    if (name === '.') fail('invalid');
    const n = dir.entries.get(name);
    if (n === undefined) fail('no-entry');
    if (!(n instanceof Dir)) fail('not-directory');
    if (/** @type {Dir} */ (n).entries.size > 0) fail('not-empty');
    dir.entries.delete(name);
    dir.touch();
  }
  renameAt(oldPath, newDescriptor, newPath) {
    const [from, oldName] = this.parentOf(oldPath);
    const [to, newName] = /** @type {MemDescriptor} */ (newDescriptor).parentOf(newPath);
    if (oldName === '.' || newName === '.') fail('invalid');
    const n = from.entries.get(oldName);
    if (n === undefined) fail('no-entry');
    for (let d = /** @type {Dir | null} */ (to); d !== null; d = d.parent) if (d === n) fail('invalid');
    const existing = to.entries.get(newName);
    if (existing !== undefined && existing !== n) {
      if (existing instanceof Dir) {
        if (!(n instanceof Dir)) fail('is-directory');
        if (existing.entries.size > 0) fail('not-empty');
      } else if (n instanceof Dir) fail('not-directory');
    }
    from.entries.delete(oldName);
    to.entries.set(newName, /** @type {File | Dir} */ (n));
    /** @type {File | Dir} */ (n).parent = to;
    /** @type {File | Dir} */ (n).ctime = nowNs();
    from.touch();
    to.touch();
  }
  symlinkAt() {
    fail('unsupported');
  }
  unlinkFileAt(path) {
    const [dir, name] = this.parentOf(path);
    const n = name === '.' ? dir : dir.entries.get(name);
    if (n === undefined) fail('no-entry');
    if (n instanceof Dir) fail('is-directory');
    dir.entries.delete(name);
    dir.touch();
  }
  isSameObject(other) {
    return other instanceof MemDescriptor && other.node === this.node;
  }
  metadataHash() {
    return hash(this.node);
  }
  metadataHashAt(_pathFlags, path) {
    return hash(this.lookup(path));
  }
}

/** @param {File | Dir} n */
function stat(n) {
  return {
    type: n.type,
    linkCount: 1n,
    size: BigInt(n instanceof File ? n.size : 0),
    dataAccessTimestamp: datetime(n.atime),
    dataModificationTimestamp: datetime(n.mtime),
    statusChangeTimestamp: datetime(n.ctime),
  };
}

/** @param {File | Dir} n */
function hash(n) {
  return { lower: n.ino, upper: n.mtime ^ (BigInt(n instanceof File ? n.size : 0) << 32n) };
}

/** @param {File | Dir} n @param {{ tag: string, value?: { seconds: bigint, nanoseconds: number } }} atime @param {typeof atime} mtime */
function setTimes(n, atime, mtime) {
  const pick = (/** @type {typeof atime} */ t, /** @type {bigint} */ old) =>
    t.tag === 'now' ? nowNs() : t.tag === 'timestamp' ? /** @type {any} */ (t.value).seconds * 1_000_000_000n + BigInt(/** @type {any} */ (t.value).nanoseconds) : old;
  n.atime = pick(atime, n.atime);
  n.mtime = pick(mtime, n.mtime);
  n.ctime = nowNs();
}

