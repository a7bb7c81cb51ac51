/**
 * The one inode model shared by layer trees (immutable lowers), overlay uppers, tmpfs and
 * every other in-memory filesystem.
 *
 * A layer tree holds overlayfs-style markers, exactly as an overlayfs lowerdir does on
 * Linux: a deleted entry is an inode of kind `whiteout`, and a directory that hides
 * everything below it has `opaque = true`. Layer trees are never mutated once built;
 * they are shared by every mount of every image that uses the layer.
 */
export type InodeKind = 'file' | 'dir' | 'symlink' | 'chardev' | 'blockdev' | 'fifo' | 'socket' | 'whiteout';

/** S_IF* type bits, for st_mode and tar. */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

export function kindToIfmt(kind: InodeKind): number {
  switch (kind) {
    case 'file':
      return S_IFREG;
    case 'dir':
      return S_IFDIR;
    case 'symlink':
      return S_IFLNK;
    case 'chardev':
    case 'whiteout':
      return S_IFCHR;
    case 'blockdev':
      return S_IFBLK;
    case 'fifo':
      return S_IFIFO;
    case 'socket':
      return S_IFSOCK;
  }
}

let inoCounter = 1;
/** Inode numbers are unique within one JavaScript realm, so they stay stable across copy-up. */
export function allocIno(): number {
  return ++inoCounter;
}

/** Linux dev_t encoding (new_encode_dev) of major:minor. */
export function makedev(major: number, minor: number): number {
  return ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
}
export function major(dev: number): number {
  return (dev >>> 8) & 0xfff;
}
export function minor(dev: number): number {
  return (dev & 0xff) | ((dev >>> 12) & 0xfff00);
}

export class Inode {
  ino: number;
  kind: InodeKind;
  /** Permission bits with setuid/setgid/sticky (mode & 0o7777); the type is `kind`. */
  mode: number;
  uid = 0;
  gid = 0;
  /** Directory entries naming this inode; for directories 2 + number of subdirectories. */
  nlink: number;
  atimeMs = 0;
  mtimeMs = 0;
  ctimeMs = 0;
  xattrs: Map<string, Uint8Array> | null = null;
  /** file: content bytes; `data.length` may exceed `size` (spare capacity for appends). */
  data: Uint8Array | null = null;
  /** file: logical length in bytes; symlink: target length; otherwise 0. */
  size = 0;
  /** dir: entries by name (never '.' or '..'). */
  entries: Map<string, Inode> | null = null;
  /** dir in a layer tree or an upper: hides every lower entry below it. */
  opaque = false;
  /** symlink: target as stored. */
  target: string | null = null;
  /** chardev/blockdev: device number (see makedev). */
  rdev = 0;

  constructor(kind: InodeKind, mode: number, ino: number = allocIno()) {
    this.ino = ino;
    this.kind = kind;
    this.mode = mode & 0o7777;
    this.nlink = kind === 'dir' ? 2 : 1;
    if (kind === 'dir') this.entries = new Map();
    if (kind === 'file') this.data = EMPTY;
  }

  /** Full st_mode: type bits | permission bits. */
  get stMode(): number {
    return kindToIfmt(this.kind) | this.mode;
  }

  /** The file's bytes, exactly `size` long (a view, not a copy). */
  content(): Uint8Array {
    return this.data ? this.data.subarray(0, this.size) : EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

export function newDir(mode = 0o755): Inode {
  return new Inode('dir', mode);
}
export function newFile(content: Uint8Array, mode = 0o644): Inode {
  const n = new Inode('file', mode);
  n.data = content;
  n.size = content.length;
  return n;
}
export function newSymlink(target: string): Inode {
  const n = new Inode('symlink', 0o777);
  n.target = target;
  n.size = new TextEncoder().encode(target).length;
  return n;
}
