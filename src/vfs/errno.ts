/**
 * Linux errno values (asm-generic numbering) and the one error type that kernel and
 * filesystem code throws. WASI hosts map these to WASI errno at their boundary.
 */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  ENOEXEC: 8,
  ECHILD: 10,
  E2BIG: 7,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  EFBIG: 27,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EMLINK: 31,
  EPIPE: 32,
  ERANGE: 34,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ELOOP: 40,
  ENODATA: 61,
  EOPNOTSUPP: 95,
} as const;

export type ErrnoName = keyof typeof Errno;

/** A failed filesystem or kernel call: errno name and number, the syscall and the path. */
export class FsError extends Error {
  readonly errno: number;
  constructor(
    readonly code: ErrnoName,
    readonly syscall: string,
    readonly path?: string,
    detail?: string,
  ) {
    super(`${code}: ${syscall}${path !== undefined ? ` '${path}'` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'FsError';
    this.errno = Errno[code];
  }
}

export function isFsError(e: unknown, code?: ErrnoName): e is FsError {
  return e instanceof FsError && (code === undefined || e.code === code);
}
