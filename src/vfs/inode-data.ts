/**
 * File content on a mutable inode: reads, writes with zero-filled gaps, truncation.
 *
 * An inode's buffer may be borrowed from another inode (copy-up shares the lower file's
 * bytes instead of copying them); the first change then copies it, so a borrowed buffer
 * (which may belong to an immutable layer) is never written.
 */
import { FsError } from './errno.js';
import type { Inode } from './inode.js';

/** The largest file size (EFBIG above it). */
export const MAX_FILE_SIZE = 0x7fffffff;

const borrowed = new WeakSet<Inode>();

/** Give `dst` the content of `src` without copying; `dst` copies it before its first change. */
export function shareContent(dst: Inode, src: Inode): void {
  dst.data = src.data;
  dst.size = src.size;
  if (src.data !== null && src.data.length > 0) borrowed.add(dst);
}

/** Make `inode.data` its own, with room for `capacity` bytes; bytes past `size` are zero. */
function reserve(inode: Inode, capacity: number): Uint8Array {
  const cur = inode.data;
  if (cur !== null && cur.length >= capacity && !borrowed.has(inode)) return cur;
  const grown = cur !== null && !borrowed.has(inode) ? cur.length * 2 : 0;
  const room = Math.min(MAX_FILE_SIZE, Math.max(capacity, inode.size, grown, 64));
  const next = new Uint8Array(room);
  if (cur !== null) next.set(cur.subarray(0, Math.min(inode.size, cur.length)));
  borrowed.delete(inode);
  inode.data = next;
  return next;
}

/** A copy of up to `length` bytes at `position`. */
export function readContent(inode: Inode, position: number, length: number): Uint8Array {
  const end = Math.min(inode.size, position + Math.max(0, length));
  if (position >= end) return new Uint8Array(0);
  return inode.data!.slice(position, end);
}

/** Write `bytes` at `position`, zero-filling any gap; updates mtime and ctime (not for 0 bytes). */
export function writeContent(
  inode: Inode,
  position: number,
  bytes: Uint8Array,
  now: number,
  syscall: string,
): number {
  if (bytes.length === 0) return 0;
  const end = position + bytes.length;
  if (end > MAX_FILE_SIZE) throw new FsError('EFBIG', syscall);
  const data = reserve(inode, end);
  if (position > inode.size) data.fill(0, inode.size, position);
  data.set(bytes, position);
  if (end > inode.size) inode.size = end;
  inode.mtimeMs = inode.ctimeMs = now;
  return bytes.length;
}

/** Set the size, zero-filling when growing; mtime and ctime move even if the size does not (as tmpfs). */
export function truncateContent(inode: Inode, length: number, now: number, syscall: string): void {
  if (length > MAX_FILE_SIZE) throw new FsError('EFBIG', syscall);
  if (length > inode.size) {
    const data = reserve(inode, length);
    data.fill(0, inode.size, length);
  }
  inode.size = length;
  inode.mtimeMs = inode.ctimeMs = now;
}
