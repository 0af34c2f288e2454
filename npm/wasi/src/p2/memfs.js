// wasi:filesystem@0.2 over the in-memory tree (`MemFs`, shared/memfs.js; the browser
// backend, usable in node): a `Descriptor` is a `MemDescriptor` with the 0.2 streams and
// directory-entry stream. Everything is synchronous.
import { DEFAULT_FLAGS } from '../shared/descriptor-flags.js';
import { fail } from '../shared/fs-errors.js';
import { MemDescriptor, MemFs } from '../shared/memfs.js';
import { DirectoryEntryStream, filesystemErrorCode } from './fs-common.js';
import { InputStream, OutputStream, positionedSink, positionedSource } from './io.js';

export { MemFs };

/** @typedef {import('../shared/memfs.js').TreeInput} TreeInput */

/** `wasi:filesystem/types.descriptor` over a `MemFs` node. */
export class Descriptor extends MemDescriptor {
  readViaStream(offset) {
    const file = this.file();
    if (!this.flags.read) fail('bad-descriptor');
    return new InputStream(positionedSource((buf, pos) => file.pread(buf, pos), offset));
  }
  writeViaStream(offset) {
    const file = this.file();
    if (!this.flags.write) fail('bad-descriptor');
    return new OutputStream(positionedSink((b, pos) => file.pwrite(b, pos), offset));
  }
  appendViaStream() {
    const file = this.file();
    if (!this.flags.write) fail('bad-descriptor');
    return new OutputStream(positionedSink((b, pos) => file.pwrite(b, pos), null));
  }
  readDirectory() {
    return new DirectoryEntryStream(this.listDirectory());
  }
}

/**
 * The `filesystem/*` interfaces over in-memory trees.
 * @param {Record<string, MemFs | TreeInput>} preopens guest path → tree
 */
export function memFilesystem(preopens) {
  const dirs = Object.entries(preopens).map(([guest, t]) => {
    const root = (t instanceof MemFs ? t : new MemFs(t)).root;
    return /** @type {[Descriptor, string]} */ ([new Descriptor(root, root, { ...DEFAULT_FLAGS, write: true }), guest]);
  });
  return {
    'filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode },
    'filesystem/preopens': { getDirectories: () => dirs.map(([d, g]) => [new Descriptor(d.node, d.root, d.flags), g]) },
  };
}
