// What the WASI 0.2 and 0.3 `node:fs` filesystems share: the file type of a node stat or
// directory entry, a `new-timestamp` as the seconds `utimes` takes, and the lexical
// confinement of guest paths to a preopen.
import * as nodePath from 'node:path';

/**
 * The `descriptor-type` case name of a node `Stats` or `Dirent`; `unknown` when none fits.
 * @param {import('node:fs').BigIntStats | import('node:fs').Dirent} s
 */
export function fileTypeName(s) {
  if (s.isFile()) return 'regular-file';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symbolic-link';
  if (s.isBlockDevice()) return 'block-device';
  if (s.isCharacterDevice()) return 'character-device';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  return 'unknown';
}

/**
 * A `new-timestamp` (`no-change`, `now` or `timestamp`) as the seconds `utimes` takes.
 * @param {{ tag: string, value?: any }} t @param {bigint} old the current time in ns
 */
export function timeArg(t, old) {
  if (t.tag === 'now') return Date.now() / 1000;
  if (t.tag === 'timestamp') return Number(t.value.seconds) + t.value.nanoseconds / 1e9;
  return Number(old) / 1e9;
}

/**
 * The host path of the guest path `parts` (already split) under the host directory
 * `base`, or undefined when it resolves outside the preopen `root` (absolute paths, `..`
 * above it).
 * @param {string} base @param {string} root @param {string[]} parts
 */
export function hostPathInside(base, root, parts) {
  // `base` is inside `root` and already resolved; without `..` (and with `/` as the only
  // separator, so no segment holds one) the path stays below it: a join is enough.
  if (nodePath.sep === '/' && !parts.includes('..')) {
    if (parts.length === 0) return base;
    return (base.endsWith('/') ? base : base + '/') + parts.join('/');
  }
  const host = nodePath.resolve(base, ...parts);
  const rel = nodePath.relative(root, host);
  if (rel === '..' || rel.startsWith(`..${nodePath.sep}`) || nodePath.isAbsolute(rel)) return undefined;
  return host;
}
