/**
 * The path-based filesystem API that every berth filesystem (MemFs, OverlayFs, …) offers
 * to the WASI host and the emulated kernel. It is synchronous: filesystems live in memory
 * and WASI calls are synchronous.
 *
 * Paths are resolved inside the filesystem only (see resolve.ts): the filesystem root is
 * `/`, relative paths start at the root, `..` at the root stays at the root, and absolute
 * symlink targets restart at the root of this filesystem, never the host's.
 *
 * Every failure is an FsError (errno.ts) carrying a Linux errno name; the TSDoc of each
 * method lists the errno values it produces, in the order Linux checks them. All methods
 * may also fail with the resolution errors common to every path argument:
 * ENOENT (a component is missing, or the path is empty), ENOTDIR (a non-final component is
 * not a directory), ELOOP (more than 40 symlinks), ENAMETOOLONG (a component over 255 bytes
 * or a path of 4096 bytes or more) and EINVAL (a NUL character in the path).
 */
import type { InodeKind } from './inode.js';

/** What stat(2) reports. Times are milliseconds since the epoch. */
export interface Stat {
  /** Device id of the filesystem (one per mount). */
  dev: number;
  ino: number;
  /** File type bits (S_IF*) | permission bits (including setuid/setgid/sticky). */
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  /** Device number of a character or block device (see makedev), else 0. */
  rdev: number;
  size: number;
  blksize: number;
  /** 512-byte blocks allocated. */
  blocks: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** File types that a directory listing or stat can show (never 'whiteout'). */
export type FileKind = Exclude<InodeKind, 'whiteout'>;

/** One directory entry; readdir never lists '.' or '..'. */
export interface Dirent {
  name: string;
  kind: FileKind;
  ino: number;
}

/** open(2) flags, with Linux's values. */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;

/** Set a time to the current time (UTIME_NOW) or leave it unchanged (UTIME_OMIT). */
export type TimeSpec = number | 'now' | 'omit';

/** For the *xattr and attribute calls: act on a symlink itself rather than its target. */
export interface NoFollow {
  nofollow?: boolean;
}

export interface SetXattrOptions extends NoFollow {
  /** 'create': fail with EEXIST if the attribute exists; 'replace': fail with ENODATA if it does not. */
  mode?: 'create' | 'replace';
}

export interface WriteFileOptions {
  /** Permission bits of a new file (default 0o644); no umask is applied. */
  mode?: number;
  /** 'w' create or truncate (default), 'wx' create only, 'a' create or append. */
  flag?: 'w' | 'wx' | 'a';
}

/** An open file: an inode reference that outlives unlink and rename, like a Linux file description. */
export interface FileHandle {
  /** The open(2) flags it was opened with. */
  readonly flags: number;
  /**
   * Up to `length` bytes from `position` (fewer at end of file).
   * EBADF if not open for reading; EISDIR on a directory; EINVAL on a special file or a negative position.
   */
  read(position: number, length: number): Uint8Array;
  /**
   * Write `bytes` at `position` (ignored, and the data appended, if opened with O_APPEND);
   * a gap past the end reads as zeros. Returns the number of bytes written.
   * EBADF if not open for writing; EINVAL on a special file or a negative position; EFBIG past the size limit.
   */
  write(position: number, bytes: Uint8Array): number;
  /** Write at the end of the file. Returns the number of bytes written. EBADF, EFBIG as write. */
  append(bytes: Uint8Array): number;
  /** ftruncate(2). EBADF if not open for writing; EINVAL if negative or not a regular file; EFBIG. */
  truncate(length: number): void;
  /** fstat(2). */
  stat(): Stat;
  /** Further calls fail with EBADF. */
  close(): void;
}

export interface FileSystem {
  /** stat(2), following a final symlink. ENOENT if missing; ENOTDIR if a trailing slash follows a non-directory. */
  stat(path: string): Stat;
  /** lstat(2): a final symlink itself (unless the path ends in a slash). ENOENT, ENOTDIR as stat. */
  lstat(path: string): Stat;
  /** Entries of a directory, without '.' and '..'. ENOENT if missing; ENOTDIR if not a directory. */
  readdir(path: string): Dirent[];
  /**
   * mkdir(2) with `mode` (default 0o755) masked to 0o1777; no umask is applied; inherits setgid
   * and the group from a setgid parent. EEXIST if the name exists (even a dangling symlink) or is
   * '.', '..' or '/'; ENOENT if the parent is missing.
   */
  mkdir(path: string, mode?: number): void;
  /**
   * rmdir(2). EINVAL for a final '.'; ENOTEMPTY for a final '..'; EBUSY for '/'; ENOENT if missing;
   * ENOTDIR if not a directory; ENOTEMPTY if it has entries.
   */
  rmdir(path: string): void;
  /**
   * unlink(2). EISDIR for '.', '..' or '/'; ENOENT if missing; EISDIR for a directory (with or
   * without trailing slash); ENOTDIR for a non-directory followed by a slash.
   */
  unlink(path: string): void;
  /**
   * rename(2), replacing an existing target. EBUSY if either final component is '.', '..' or '/';
   * ENOENT if the source is missing; ENOTDIR if the source is not a directory and either path ends
   * in a slash; EINVAL if a directory would move into itself; ENOTEMPTY if the target is an
   * ancestor of the source; (no-op if both name the same inode); ENOTDIR if a directory would
   * replace a non-directory; EISDIR if a non-directory would replace a directory; EXDEV where the
   * filesystem cannot move a directory (OverlayFs: one present in a lower layer); ENOTEMPTY if the
   * target directory has entries.
   */
  rename(oldPath: string, newPath: string): void;
  /**
   * link(2) without following a final symlink of `existingPath`. ENOENT if it is missing; ENOTDIR if
   * it ends in a slash but is not a directory; EEXIST if `newPath` exists or is '.', '..' or '/';
   * ENOENT if `newPath` ends in a slash; EPERM if the source is a directory.
   */
  link(existingPath: string, newPath: string): void;
  /**
   * symlink(2). ENOENT for an empty target; ENAMETOOLONG for a target of 4096 bytes or more;
   * EEXIST if `path` exists or is '.', '..' or '/'; ENOENT if `path` ends in a slash.
   */
  symlink(target: string, path: string): void;
  /** readlink(2). ENOENT if missing; EINVAL if not a symlink. */
  readlink(path: string): string;
  /**
   * mknod(2) of a FIFO, character or block device with permission bits `mode` (no umask).
   * EEXIST, ENOENT as symlink; EPERM where the filesystem forbids it (OverlayFs: a 0:0 char device,
   * which is a whiteout).
   */
  mknod(path: string, kind: 'fifo' | 'chardev' | 'blockdev', mode: number, rdev?: number): void;
  /**
   * chmod(2) to `mode & 0o7777`; updates ctime. ENOENT if missing; EOPNOTSUPP for a symlink
   * with `nofollow`.
   */
  chmod(path: string, mode: number, options?: NoFollow): void;
  /**
   * chown(2) (lchown(2) with `nofollow`); -1 leaves an id unchanged. On a non-directory it clears
   * setuid, and setgid when group-execute is set, like Linux. ENOENT if missing.
   */
  chown(path: string, uid: number, gid: number, options?: NoFollow): void;
  /** utimensat(2): set access and modification times; updates ctime. ENOENT if missing. */
  utimes(path: string, atime: TimeSpec, mtime: TimeSpec, options?: NoFollow): void;
  /**
   * truncate(2), zero-filling when growing; updates mtime and ctime. EINVAL if `length` is negative
   * (checked first); ENOENT if missing; EISDIR for a directory; EINVAL if not a regular file;
   * EFBIG above the size limit.
   */
  truncate(path: string, length: number): void;
  /** The whole content of a file. ENOENT if missing; EISDIR for a directory; EINVAL for a special file. */
  readFile(path: string): Uint8Array;
  /** Create, truncate or append to a file and write `data` (see WriteFileOptions). Errors as open and write. */
  writeFile(path: string, data: Uint8Array | string, options?: WriteFileOptions): void;
  /**
   * open(2) with O_* `flags` and, when creating, permission bits `mode` (default 0o644, no umask).
   * EISDIR if O_CREAT names '.', '..', '/' or ends in a slash; EEXIST if O_CREAT|O_EXCL and the name
   * exists (a symlink is not followed); ELOOP for a symlink with O_NOFOLLOW; ENOENT if missing without
   * O_CREAT, or the parent is missing; EISDIR if O_CREAT names a directory, or a directory is opened
   * for writing or with O_TRUNC; ENOTDIR for O_DIRECTORY or a trailing slash on a non-directory.
   */
  open(path: string, flags: number, mode?: number): FileHandle;
  /**
   * setxattr(2). ERANGE for an empty name or one over 255 bytes; E2BIG for a value over 64 KiB;
   * ENOENT if missing; EPERM for `user.*` on anything but a regular file or directory;
   * EOPNOTSUPP for a namespace other than user, trusted, security (EPERM for OverlayFs's own
   * `trusted.overlay.*`); EINVAL for the bare prefix ('user.'); EEXIST / ENODATA per `options.mode`.
   */
  setxattr(path: string, name: string, value: Uint8Array, options?: SetXattrOptions): void;
  /** getxattr(2). ERANGE for a bad name; ENOENT if missing; ENODATA if the attribute is not set. */
  getxattr(path: string, name: string, options?: NoFollow): Uint8Array;
  /** listxattr(2): names of the attributes set. ENOENT if missing. */
  listxattr(path: string, options?: NoFollow): string[];
  /** removexattr(2). ERANGE for a bad name; ENOENT if missing; EPERM as setxattr; ENODATA if not set. */
  removexattr(path: string, name: string, options?: NoFollow): void;
  /** The canonical absolute path, with every symlink resolved. ENOENT if missing. */
  realpath(path: string): string;
}
