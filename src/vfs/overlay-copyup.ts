/**
 * Copy-up: giving a lower-only path an upper inode before it changes, as overlayfs does.
 *
 * Parents are copied up first (directories only as themselves, never their entries).
 * The copy keeps type, mode, owner, atime, mtime, xattrs (not overlayfs's own), the data
 * (shared with the layer until first written), the symlink target and device number; its
 * ctime is the copy-up time. Copying into the parent does not change the parent's times
 * (the kernel restores them).
 *
 * Inode numbers follow overlayfs with all layers on one filesystem and xino off: a
 * copied-up inode keeps the lower st_ino, except a non-directory with several lower hard
 * links, whose links copy-up breaks (index=off), so it gets a new number.
 */
import { allocIno, Inode } from './inode.js';
import { shareContent } from './inode-data.js';
import { copyXattrs } from './inode-xattr.js';
import type { OvlNode } from './overlay-node.js';

export const OVERLAY_XATTR_PREFIX = 'trusted.overlay.';

export function isOverlayXattr(name: string): boolean {
  return name.startsWith(OVERLAY_XATTR_PREFIX);
}

/** The upper inode of `node`, copying it (and its parents) up first if needed. */
export function copyUp(node: OvlNode, upperRoot: () => Inode, now: number): Inode {
  if (node.upper !== null) return node.upper;
  const parent = node.parent;
  if (parent === null) return (node.upper = upperRoot());
  const dir = copyUp(parent, upperRoot, now);
  const up = copyOf(node.lower!.top, now);
  dir.entries!.set(node.name, up);
  if (up.kind === 'dir') dir.nlink++;
  node.upper = up;
  return up;
}

function copyOf(src: Inode, now: number): Inode {
  const ino = src.kind !== 'dir' && src.nlink > 1 ? allocIno() : src.ino;
  const n = new Inode(src.kind, src.mode, ino);
  n.uid = src.uid;
  n.gid = src.gid;
  n.atimeMs = src.atimeMs;
  n.mtimeMs = src.mtimeMs;
  n.ctimeMs = now;
  n.xattrs = copyXattrs(src.xattrs, isOverlayXattr);
  n.rdev = src.rdev;
  if (src.kind === 'file') shareContent(n, src);
  else if (src.kind === 'symlink') {
    n.target = src.target;
    n.size = src.size;
  }
  return n;
}
