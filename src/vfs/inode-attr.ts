/**
 * Attribute rules on a single mutable inode, as Linux applies them: stat records, new
 * inodes (owner and setgid inheritance), chmod, chown (setuid/setgid clearing) and
 * utimensat. Shared by MemFs and the overlay's upper layer.
 */
import type { Credentials } from './cred.js';
import type { Stat, TimeSpec } from './filesystem.js';
import { Inode, type InodeKind } from './inode.js';

export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;
const S_IXGRP = 0o010;

/** tmpfs reports a directory's size as 40 bytes plus 20 per entry (whiteouts included). */
export function dirSize(dir: Inode): number {
  return 40 + 20 * (dir.entries ? dir.entries.size : 0);
}

/** The stat record of `inode`; `ino` and `nlink` may be overridden (overlay rules). */
export function inodeStat(inode: Inode, dev: number, ino: number, nlink: number): Stat {
  const size = inode.kind === 'dir' ? dirSize(inode) : inode.size;
  return {
    dev,
    ino,
    mode: inode.stMode,
    nlink,
    uid: inode.uid,
    gid: inode.gid,
    rdev: inode.rdev,
    size,
    blksize: 4096,
    blocks: inode.kind === 'file' ? Math.ceil(size / 4096) * 8 : 0,
    atimeMs: inode.atimeMs,
    mtimeMs: inode.mtimeMs,
    ctimeMs: inode.ctimeMs,
  };
}

/**
 * A new inode created by `cred` in a directory whose attributes are `parent`: owned by
 * the caller, but taking the parent's group when the parent is setgid (and, for a
 * directory, the setgid bit too), as inode_init_owner does.
 */
export function newInode(
  kind: InodeKind,
  mode: number,
  parent: Inode,
  cred: Credentials,
  now: number,
): Inode {
  const n = new Inode(kind, mode);
  n.uid = cred.uid;
  n.gid = cred.gid;
  if (parent.mode & S_ISGID) {
    n.gid = parent.gid;
    if (kind === 'dir') n.mode |= S_ISGID;
  }
  n.atimeMs = n.mtimeMs = n.ctimeMs = now;
  return n;
}

/** A whiteout, as the overlay writes it: char device 0:0, mode 0, owned by root. */
export function newWhiteout(now: number): Inode {
  const w = new Inode('whiteout', 0);
  w.atimeMs = w.mtimeMs = w.ctimeMs = now;
  return w;
}

export function applyChmod(inode: Inode, mode: number, now: number): void {
  inode.mode = mode & 0o7777;
  inode.ctimeMs = now;
}

/**
 * chown: -1 keeps an id. On anything but a directory, Linux drops setuid always and
 * setgid when group-execute is set (a setgid without group-execute marks mandatory
 * locking and stays), even for root and even when neither id changes.
 */
export function applyChown(inode: Inode, uid: number, gid: number, now: number): void {
  if (uid !== -1) inode.uid = uid >>> 0;
  if (gid !== -1) inode.gid = gid >>> 0;
  if (inode.kind !== 'dir') {
    let mode = inode.mode & ~S_ISUID;
    if (mode & S_IXGRP) mode &= ~S_ISGID;
    inode.mode = mode;
  }
  inode.ctimeMs = now;
}

/** utimensat: both 'omit' changes nothing, not even ctime. */
export function applyUtimes(inode: Inode, atime: TimeSpec, mtime: TimeSpec, now: number): void {
  if (atime === 'omit' && mtime === 'omit') return;
  if (atime !== 'omit') inode.atimeMs = atime === 'now' ? now : atime;
  if (mtime !== 'omit') inode.mtimeMs = mtime === 'now' ? now : mtime;
  inode.ctimeMs = now;
}

/** A directory entry was added or removed: mtime and ctime move. */
export function touchDir(dir: Inode, now: number): void {
  dir.mtimeMs = dir.ctimeMs = now;
}
