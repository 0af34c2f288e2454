// wasi:filesystem@0.3 over the in-memory tree (`MemFs`, shared/memfs.js, the same class
// the 0.2 shim uses; the browser backend, usable in node): each 0.3 descriptor wraps a
// `MemDescriptor` and answers its async methods from the synchronous tree. Streams move
// the bytes in 64 KiB chunks.
import { DEFAULT_FLAGS } from '../shared/descriptor-flags.js';
import { MemDescriptor, MemFs } from '../shared/memfs.js';
import { codeOf, descriptorType, fail, guard, stat3 } from './fs-common.js';
import { pullSource, drain, failedSource, listSource, refuse } from './streams.js';

export { MemFs };

const CHUNK = 65536;

/** @param {unknown} d */
function inner(d) {
  if (!(d instanceof Descriptor)) throw new TypeError('not a wasi:filesystem descriptor of this shim');
  return d.d;
}

/** `wasi:filesystem/types.descriptor` (0.3) over a `MemFs` node. */
export class Descriptor {
  /** @param {MemDescriptor} d */
  constructor(d) {
    this.d = d;
  }

  /** @param {bigint} offset */
  readViaStream(offset) {
    let file;
    try {
      file = this.d.file();
    } catch (e) {
      return failedSource(codeOf(e));
    }
    if (!this.d.flags.read) return failedSource({ tag: 'bad-descriptor' });
    let pos = Number(offset);
    return pullSource(() => {
      const buf = new Uint8Array(CHUNK);
      const n = file.pread(buf, pos);
      pos += n;
      return n === 0 ? null : buf.subarray(0, n);
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
    let file;
    try {
      file = this.d.file();
      if (!this.d.flags.write) fail('bad-descriptor');
    } catch (e) {
      return refuse(data, codeOf(e));
    }
    return drain(
      data,
      (chunk) => {
        file.pwrite(chunk, pos);
        if (pos !== null) pos += chunk.length;
      },
      codeOf,
    );
  }
  readDirectory() {
    try {
      return listSource(this.d.listDirectory().map((e) => ({ type: descriptorType(e.type), name: e.name })));
    } catch (e) {
      return failedSource(codeOf(e));
    }
  }
  async advise() {
    return guard(() => this.d.advise());
  }
  async syncData() {
    return guard(() => this.d.syncData());
  }
  async sync() {
    return guard(() => this.d.sync());
  }
  async getFlags() {
    return guard(() => this.d.getFlags());
  }
  async getType() {
    return guard(() => descriptorType(this.d.getType()));
  }
  /** @param {bigint} size */
  async setSize(size) {
    return guard(() => this.d.setSize(size));
  }
  /** @param {any} atime @param {any} mtime */
  async setTimes(atime, mtime) {
    return guard(() => this.d.setTimes(atime, mtime));
  }
  /** @param {string} path */
  async createDirectoryAt(path) {
    return guard(() => this.d.createDirectoryAt(path));
  }
  async stat() {
    return guard(() => stat3(this.d.stat()));
  }
  /** @param {any} pathFlags @param {string} path */
  async statAt(pathFlags, path) {
    return guard(() => stat3(this.d.statAt(pathFlags, path)));
  }
  /** @param {any} pathFlags @param {string} path @param {any} atime @param {any} mtime */
  async setTimesAt(pathFlags, path, atime, mtime) {
    return guard(() => this.d.setTimesAt(pathFlags, path, atime, mtime));
  }
  async linkAt() {
    return guard(() => this.d.linkAt());
  }
  /** @param {any} pathFlags @param {string} path @param {any} openFlags @param {any} flags */
  async openAt(pathFlags, path, openFlags, flags) {
    return guard(() => new Descriptor(this.d.openAt(pathFlags, path, openFlags, flags)));
  }
  /** @param {string} path */
  async readlinkAt(path) {
    return guard(() => this.d.readlinkAt(path));
  }
  /** @param {string} path */
  async removeDirectoryAt(path) {
    return guard(() => this.d.removeDirectoryAt(path));
  }
  /** @param {string} oldPath @param {Descriptor} newDescriptor @param {string} newPath */
  async renameAt(oldPath, newDescriptor, newPath) {
    return guard(() => this.d.renameAt(oldPath, inner(newDescriptor), newPath));
  }
  async symlinkAt() {
    return guard(() => this.d.symlinkAt());
  }
  /** @param {string} path */
  async unlinkFileAt(path) {
    return guard(() => this.d.unlinkFileAt(path));
  }
  /** @param {Descriptor} other */
  async isSameObject(other) {
    return other instanceof Descriptor && this.d.isSameObject(other.d);
  }
  async metadataHash() {
    return guard(() => this.d.metadataHash());
  }
  /** @param {any} pathFlags @param {string} path */
  async metadataHashAt(pathFlags, path) {
    return guard(() => this.d.metadataHashAt(pathFlags, path));
  }
}

const ROOT_FLAGS = { ...DEFAULT_FLAGS, write: true };

/**
 * The `filesystem/*` interfaces (0.3) over in-memory trees.
 * @param {Record<string, MemFs>} preopens guest path → tree
 */
export function memFilesystem(preopens) {
  const dirs = Object.entries(preopens).map(([guest, fs]) => /** @type {[MemFs, string]} */ ([fs, guest]));
  return {
    'filesystem/types': { Descriptor },
    'filesystem/preopens': {
      getDirectories: () => dirs.map(([fs, guest]) => [new Descriptor(new MemDescriptor(fs.root, fs.root, { ...ROOT_FLAGS })), guest]),
    },
  };
}
