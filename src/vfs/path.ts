/** Linux path limits and the byte-length checks that go with them. */
import { FsError } from './errno.js';

/** PATH_MAX: a path (or symlink target) of this many bytes or more is ENAMETOOLONG. */
export const PATH_MAX = 4096;
/** NAME_MAX: a longer component is ENAMETOOLONG. */
export const NAME_MAX = 255;
/** MAXSYMLINKS: following more symlinks than this in one resolution is ELOOP. */
export const MAX_SYMLINKS = 40;

/** UTF-8 length of a string, without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** ENAMETOOLONG if `path` has PATH_MAX bytes or more; EINVAL if it holds a NUL. */
export function checkPathLength(path: string, syscall: string): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short strings need no count.
  if (path.length >= PATH_MAX || (path.length * 3 >= PATH_MAX && utf8Length(path) >= PATH_MAX)) {
    throw new FsError('ENAMETOOLONG', syscall, path);
  }
  if (path.includes('\0')) throw new FsError('EINVAL', syscall, path, 'NUL in path');
}

/** ENAMETOOLONG if a component is longer than NAME_MAX bytes. */
export function checkNameLength(name: string, syscall: string, path: string): void {
  if (name.length > NAME_MAX / 3 && utf8Length(name) > NAME_MAX) {
    throw new FsError('ENAMETOOLONG', syscall, path);
  }
}
