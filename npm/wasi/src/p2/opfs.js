// The Origin Private File System (OPFS) for wasi:filesystem@0.2 in browsers.
//
// WASI 0.2 calls are synchronous, and OPFS is not: every directory operation
// (`getDirectoryHandle`, `getFileHandle`, `removeEntry`, `entries`, `move`) returns a
// Promise, in windows and in Workers alike. Only file contents have a synchronous API
// (`createSyncAccessHandle`), and only in dedicated Workers. A guest that opens,
// creates, lists or removes files therefore cannot be answered from OPFS while it
// runs. `OpfsMirror` does what can be done honestly: it is a `MemFs` (the in-memory
// tree the guest uses synchronously) loaded from an OPFS directory before the guest
// runs (`await OpfsMirror.load('dir')`), and written back by `await fs.flush()`, which
// makes the OPFS directory equal to the tree (changed files rewritten, new directories
// made, removed entries deleted). It works in windows and Workers; nothing is persisted
// until `flush()` settles, and changes made to the OPFS directory by others after
// `load` are neither seen nor kept (flush overwrites them).
import { MemFs } from '../shared/memfs.js';
import { opfsDirectory } from '../shared/opfs.js';

/** @param {FileSystemDirectoryHandle} dir */
async function* entriesOf(dir) {
  yield* /** @type {any} */ (dir).entries();
}

/**
 * Reads an OPFS directory into a tree (see `MemFs`) and each file's `lastModified`.
 * @param {FileSystemDirectoryHandle} dir @param {string} prefix @param {Map<string, number>} mtimes
 * @returns {Promise<import('../shared/memfs.js').TreeInput>}
 */
async function readTree(dir, prefix, mtimes) {
  /** @type {import('../shared/memfs.js').TreeInput} */
  const tree = {};
  for await (const [name, h] of entriesOf(dir)) {
    if (h.kind === 'directory') tree[name] = await readTree(h, `${prefix}${name}/`, mtimes);
    else {
      const file = await h.getFile();
      tree[name] = new Uint8Array(await file.arrayBuffer());
      mtimes.set(`${prefix}${name}`, file.lastModified);
    }
  }
  return tree;
}

/**
 * Every node of a MemFs tree by path (`a/b`), parents before children.
 * @param {any} dir @param {string} prefix @param {Map<string, any>} out
 */
function walk(dir, prefix, out) {
  for (const [name, n] of dir.entries) {
    const p = `${prefix}${name}`;
    out.set(p, n);
    if (n.entries instanceof Map) walk(n, `${p}/`, out);
  }
  return out;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const isDir = (/** @type {any} */ n) => n.entries instanceof Map;

/**
 * A `MemFs` loaded from an OPFS directory and written back to it by `flush()`: the
 * WASI 0.2 backend for OPFS (usable as a preopen or `fs` of both the 0.2 and the 0.3
 * browser shims, since it is a `MemFs`).
 *
 * ```js
 * const fs = await OpfsMirror.load('my-app/data');
 * const imports = wasiImports({ preopens: { '/data': fs } });
 * // ... run the guest ...
 * await fs.flush(); // now OPFS my-app/data holds what the guest left in /data
 * ```
 */
export class OpfsMirror extends MemFs {
  /**
   * @param {string | FileSystemDirectoryHandle | Promise<FileSystemDirectoryHandle>} [dir]
   *   an OPFS path (made when missing) or a directory handle
   */
  static async load(dir = '') {
    const handle = typeof dir === 'string' ? await opfsDirectory(dir) : await dir;
    /** @type {Map<string, number>} */
    const mtimes = new Map();
    const fs = new OpfsMirror(await readTree(handle, '', mtimes), handle);
    const nodes = walk(fs.root, '', new Map());
    let latest = 0;
    for (const [p, ms] of mtimes) {
      const n = nodes.get(p);
      n.mtime = n.ctime = n.atime = BigInt(ms) * 1_000_000n;
      latest = Math.max(latest, ms);
    }
    // A guest write in the millisecond of a file's lastModified would leave its ctime
    // unchanged: start once that millisecond has passed.
    if (latest - Date.now() < 10) while (Date.now() <= latest) await tick();
    fs.synced = fs.snapshot(nodes);
    return fs;
  }

  /** Use `OpfsMirror.load`. @param {import('../shared/memfs.js').TreeInput} tree @param {FileSystemDirectoryHandle} handle */
  constructor(tree, handle) {
    super(tree);
    /** The OPFS directory this tree mirrors. */
    this.handle = handle;
    /** What OPFS holds, as far as this mirror knows: path → the node and its `ctime` then
     * (`-1n`: rewrite at the next flush), or `'dir'`. @type {Map<string, 'dir' | { node: any, ctime: bigint }>} */
    this.synced = new Map();
    /** @type {Promise<void>} */
    this.last = Promise.resolve();
  }

  /** @param {Map<string, any>} nodes */
  snapshot(nodes) {
    // A write in the same millisecond as the snapshot keeps `ctime` unchanged (MemFs
    // has ms resolution), so such files are rewritten at the next flush.
    const now = BigInt(Date.now()) * 1_000_000n;
    /** @type {Map<string, 'dir' | { node: any, ctime: bigint }>} */
    const out = new Map();
    for (const [p, n] of nodes) out.set(p, isDir(n) ? 'dir' : { node: n, ctime: n.ctime >= now ? -1n : n.ctime });
    return out;
  }

  /**
   * Makes the OPFS directory equal to the tree: deletes entries the tree no longer has
   * (or that changed kind), makes new directories, writes files that are new or changed
   * since the last load/flush. Flushes run one after another.
   * @returns {Promise<{ written: number, removed: number }>}
   */
  flush() {
    const run = this.last.then(() => this.flushNow());
    this.last = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  async flushNow() {
    // Files written in this millisecond would look unchanged after a later write in it
    // (MemFs times have ms resolution): snapshot in the next one (and a write during
    // that wait, in the snapshot's millisecond, is marked to be rewritten next time).
    const start = Date.now();
    while (Date.now() === start) await tick();
    const nodes = walk(this.root, '', new Map());
    const next = this.snapshot(nodes);
    /** @type {Map<string, FileSystemDirectoryHandle>} */
    const dirs = new Map([['', this.handle]]);
    const parentOf = (/** @type {string} */ p) => p.slice(0, Math.max(0, p.lastIndexOf('/')));
    const nameOf = (/** @type {string} */ p) => p.slice(p.lastIndexOf('/') + 1);
    const dirHandle = async (/** @type {string} */ p) => {
      let h = dirs.get(p);
      if (h === undefined) {
        h = await (await dirHandle(parentOf(p))).getDirectoryHandle(nameOf(p), { create: true });
        dirs.set(p, h);
      }
      return h;
    };
    let removed = 0;
    let written = 0;
    // 1. Removals: known entries gone or of another kind now (a removed directory takes
    // its contents with it).
    /** @type {string[]} */
    const gone = [];
    for (const [p, s] of this.synced) {
      const n = nodes.get(p);
      if (n === undefined || isDir(n) !== (s === 'dir')) gone.push(p);
    }
    const goneSet = new Set(gone);
    for (const p of gone) {
      if (goneSet.has(parentOf(p)) && parentOf(p) !== '') continue;
      try {
        await (await dirHandle(parentOf(p))).removeEntry(nameOf(p), { recursive: true });
        removed++;
      } catch (e) {
        if (!(e instanceof DOMException && e.name === 'NotFoundError')) throw e;
      }
    }
    // 2. Directories and files, parents first.
    for (const [p, n] of nodes) {
      if (isDir(n)) {
        if (this.synced.get(p) !== 'dir' || goneSet.has(p)) await dirHandle(p);
        continue;
      }
      const was = this.synced.get(p);
      const now = /** @type {{ node: any, ctime: bigint }} */ (next.get(p));
      if (was !== undefined && was !== 'dir' && was.node === n && was.ctime === now.ctime && now.ctime !== -1n) continue;
      const bytes = n.contents();
      const file = await (await dirHandle(parentOf(p))).getFileHandle(nameOf(p), { create: true });
      const w = await file.createWritable({ keepExistingData: false });
      try {
        await w.write(bytes);
        await w.close();
      } catch (e) {
        await w.abort().catch(() => {});
        throw e;
      }
      written++;
    }
    this.synced = next;
    return { written, removed };
  }
}
