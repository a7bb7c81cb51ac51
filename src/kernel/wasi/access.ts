/**
 * File permission checks (the kernel's generic_permission and the sticky-directory rule)
 * for a process that is not root: WASI calls carry no credentials, so the host checks
 * the mode bits of what a call reads, writes or creates in against the process's ids.
 * Root passes every read and write check, and an execute check where any x bit is set.
 */
import { FsError } from '../../vfs/errno.js';
import type { FileSystem, Stat } from '../../vfs/filesystem.js';
import { S_IFDIR, S_IFMT } from '../../vfs/inode.js';

export interface Credentials {
  uid: number;
  gid: number;
}

export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;

const S_ISVTX = 0o1000;

/** Whether `cred` may access a file with `st` for `want` (R_OK | W_OK | X_OK bits). */
export function permits(st: Stat, cred: Credentials, want: number): boolean {
  if (cred.uid === 0) return (want & X_OK) === 0 || (st.mode & S_IFMT) === S_IFDIR || (st.mode & 0o111) !== 0;
  const bits =
    st.uid === cred.uid ? (st.mode >> 6) & 7 : st.gid === cred.gid ? (st.mode >> 3) & 7 : st.mode & 7;
  return (bits & want) === want;
}

/** The directory a path's last component is in. */
export function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const at = trimmed.lastIndexOf('/');
  return at <= 0 ? '/' : trimmed.slice(0, at);
}

/** EACCES unless `cred` may `want` the file at `path` (followed). */
export function checkAccess(
  fs: FileSystem,
  path: string,
  cred: Credentials,
  want: number,
  syscall: string,
): void {
  if (!permits(fs.stat(path), cred, want)) throw new FsError('EACCES', syscall, path);
}

/** What adding or removing an entry at `path` needs: write and search on its directory. */
export function checkDirWrite(fs: FileSystem, path: string, cred: Credentials, syscall: string): void {
  checkAccess(fs, parentOf(path), cred, W_OK | X_OK, syscall);
}

/**
 * Removing or renaming the entry at `path`: write and search on its directory, and in a
 * sticky directory (/tmp) only the entry's or the directory's owner may (EPERM).
 */
export function checkRemove(fs: FileSystem, path: string, cred: Credentials, syscall: string): void {
  if (cred.uid === 0) return;
  const dir = parentOf(path);
  const dst = fs.stat(dir);
  if (!permits(dst, cred, W_OK | X_OK)) throw new FsError('EACCES', syscall, path);
  if ((dst.mode & S_ISVTX) === 0) return;
  const st = fs.lstat(path);
  if (st.uid !== cred.uid && dst.uid !== cred.uid) throw new FsError('EPERM', syscall, path);
}
