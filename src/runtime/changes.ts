/**
 * `docker diff`: what a container changed, read from its overlay upper tree (the same
 * inode model as a layer: whiteout inodes, opaque dirs) against the image's layers.
 *
 * The rules are those of Docker's and Podman's overlay change walk:
 * - a whiteout is D;
 * - an opaque directory that exists in the lower layers is D (it was removed and made
 *   again: everything the lowers held under it is gone); its own entries follow as A/C;
 * - any other entry is C when its path exists in the lowers, else A;
 * - a directory that exists in both with the same type, mode and mtime is not listed
 *   itself (overlayfs copies it up only because something under it changed), but the
 *   parent of an A or D entry is always listed as C.
 * The walk visits names in byte order, so the list reads like a recursive listing.
 */
import { isFsError } from '../vfs/errno.js';
import type { FileSystem, Stat } from '../vfs/filesystem.js';
import { type Inode, S_IFDIR } from '../vfs/inode.js';

export type ChangeKind = 'A' | 'C' | 'D';

export interface Change {
  kind: ChangeKind;
  /** Absolute path in the container ('/etc/hostname'). */
  path: string;
}

/**
 * The image's root filesystem below the upper: a FileSystem (a read-only OverlayFs of
 * the layers, a MemFs of the flattened image, a HostFs of a lower directory), or only
 * an existence test. With a test, a directory's attributes cannot be compared, so an
 * unchanged-looking directory is listed only as the parent of an A or D.
 */
export type LowerView = FileSystem | ((path: string) => boolean);

type LowerInfo = { mode: number; mtimeMs: number } | 'exists' | null;

function lowerLookup(lower: LowerView): (path: string) => LowerInfo {
  if (typeof lower === 'function') return (path) => (lower(path) ? 'exists' : null);
  return (path) => {
    let st: Stat;
    try {
      st = lower.lstat(path);
    } catch (e) {
      if (isFsError(e, 'ENOENT') || isFsError(e, 'ENOTDIR')) return null;
      throw e;
    }
    return { mode: st.mode, mtimeMs: st.mtimeMs };
  };
}

/** Docker's sameFsTime: equal, or the same second when either side lost its sub-second part. */
function sameTime(a: number, b: number): boolean {
  if (a === b) return true;
  const sa = Math.floor(a / 1000);
  const sb = Math.floor(b / 1000);
  return sa === sb && (a % 1000 === 0 || b % 1000 === 0);
}

function byName(a: [string, Inode], b: [string, Inode]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** The changes in `upper` relative to `lower`, in walk order (each directory before its entries). */
export function containerChanges(upper: Inode, lower: LowerView): Change[] {
  const inLower = lowerLookup(lower);
  const out: Change[] = [];
  // Directories already listed, so that a parent is listed once.
  const listed = new Set<string>();

  const visit = (dir: Inode, dirPath: string): void => {
    for (const [name, node] of [...dir.entries!].sort(byName)) {
      const path = `${dirPath}/${name}`;
      const isDir = node.kind === 'dir';
      const below = inLower(path);
      let kind: ChangeKind | null;
      if (node.kind === 'whiteout' || (isDir && node.opaque && below !== null)) kind = 'D';
      else if (below === null) kind = 'A';
      else if (isDir && unchangedDir(node, below)) kind = null;
      else kind = 'C';

      if (kind !== null) {
        if (isDir) listed.add(path);
        if (kind !== 'C' && dirPath !== '' && !listed.has(dirPath)) {
          out.push({ kind: 'C', path: dirPath });
          listed.add(dirPath);
        }
        out.push({ kind, path });
      }
      if (isDir) visit(node, path);
    }
  };
  visit(upper, '');
  return out.sort((a, b) => comparePaths(a.path, b.path));
}

function unchangedDir(node: Inode, below: Exclude<LowerInfo, null>): boolean {
  if (below === 'exists') return true;
  return below.mode === (S_IFDIR | node.mode) && sameTime(below.mtimeMs, node.mtimeMs);
}

/** Component-wise order: '/etc' < '/etc/a' < '/etc-x' (a parent's listing stays together). */
function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** `docker diff` output: one 'K /path' line per change. */
export function formatChanges(changes: readonly Change[]): string {
  return changes.map((c) => `${c.kind} ${c.path}\n`).join('');
}
