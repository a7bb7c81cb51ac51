/**
 * Extended attributes on one inode, with Linux's name and namespace rules: names are
 * "namespace.suffix" in the user, trusted, security (or system) namespaces; user.* lives
 * only on regular files and directories.
 */
import { FsError } from './errno.js';
import type { Inode } from './inode.js';
import { utf8Length } from './path.js';

/** XATTR_NAME_MAX and XATTR_SIZE_MAX. */
export const XATTR_NAME_MAX = 255;
export const XATTR_SIZE_MAX = 65536;

const NAMESPACES = ['user.', 'trusted.', 'security.', 'system.'];

/** Checks done before the path is even looked up: ERANGE for a bad name, E2BIG for a big value. */
export function checkXattrArgs(name: string, value: Uint8Array | null, syscall: string, path: string): void {
  if (name.length === 0 || utf8Length(name) > XATTR_NAME_MAX) throw new FsError('ERANGE', syscall, path);
  if (value !== null && value.length > XATTR_SIZE_MAX) throw new FsError('E2BIG', syscall, path);
}

/**
 * Namespace checks once the inode is known (xattr_permission, then the handler lookup):
 * user.* on anything but a file or directory is EPERM to change and ENODATA to read;
 * an unknown namespace is EOPNOTSUPP; a bare prefix ('user.') is EINVAL.
 */
export function checkXattrAccess(
  inode: Inode,
  name: string,
  write: boolean,
  syscall: string,
  path: string,
): void {
  if (name.startsWith('user.') && inode.kind !== 'file' && inode.kind !== 'dir') {
    throw new FsError(write ? 'EPERM' : 'ENODATA', syscall, path);
  }
  const ns = NAMESPACES.find((p) => name.startsWith(p));
  if (ns === undefined || ns === 'system.') throw new FsError('EOPNOTSUPP', syscall, path);
  if (name.length === ns.length) throw new FsError('EINVAL', syscall, path);
}

export function getXattr(inode: Inode, name: string, syscall: string, path: string): Uint8Array {
  const v = inode.xattrs?.get(name);
  if (v === undefined) throw new FsError('ENODATA', syscall, path);
  return v.slice();
}

export function listXattrs(inode: Inode): string[] {
  return inode.xattrs ? [...inode.xattrs.keys()] : [];
}

export function hasXattr(inode: Inode, name: string): boolean {
  return inode.xattrs?.has(name) ?? false;
}

/** Set (a copy of) `value`; EEXIST / ENODATA for 'create' / 'replace'; updates ctime. */
export function setXattr(
  inode: Inode,
  name: string,
  value: Uint8Array,
  mode: 'create' | 'replace' | undefined,
  now: number,
  syscall: string,
  path: string,
): void {
  const exists = hasXattr(inode, name);
  if (mode === 'create' && exists) throw new FsError('EEXIST', syscall, path);
  if (mode === 'replace' && !exists) throw new FsError('ENODATA', syscall, path);
  (inode.xattrs ??= new Map()).set(name, value.slice());
  inode.ctimeMs = now;
}

export function removeXattr(inode: Inode, name: string, now: number, syscall: string, path: string): void {
  if (!inode.xattrs?.delete(name)) throw new FsError('ENODATA', syscall, path);
  if (inode.xattrs.size === 0) inode.xattrs = null;
  inode.ctimeMs = now;
}

/** A copy of an xattr map (values are never changed in place, so they are shared). */
export function copyXattrs(
  src: Map<string, Uint8Array> | null,
  skip?: (name: string) => boolean,
): Map<string, Uint8Array> | null {
  if (src === null || src.size === 0) return null;
  const out = new Map<string, Uint8Array>();
  for (const [k, v] of src) if (!skip?.(k)) out.set(k, v);
  return out.size > 0 ? out : null;
}
