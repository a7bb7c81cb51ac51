/**
 * WASI preview1 errno numbers (wasi_snapshot_preview1 `errno`, a u16) and the table that
 * maps berth's Linux errno names (src/vfs/errno.ts) to them at the host boundary.
 */
import type { ErrnoName } from '../../vfs/errno.js';

export const WasiErrno = {
  SUCCESS: 0,
  '2BIG': 1,
  ACCES: 2,
  ADDRINUSE: 3,
  AGAIN: 6,
  BADF: 8,
  BUSY: 10,
  CONNREFUSED: 14,
  CHILD: 12,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  INTR: 27,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  MLINK: 34,
  NAMETOOLONG: 37,
  NFILE: 41,
  NODEV: 43,
  NOENT: 44,
  NOEXEC: 45,
  NOMEM: 48,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSUP: 58,
  NXIO: 60,
  OVERFLOW: 61,
  PERM: 63,
  PIPE: 64,
  RANGE: 68,
  ROFS: 69,
  SPIPE: 70,
  SRCH: 71,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;

/** Linux errno name → WASI errno number. Every name of src/vfs/errno.ts has an entry. */
export const LINUX_TO_WASI: { readonly [K in ErrnoName]: number } = {
  EPERM: WasiErrno.PERM,
  ENOENT: WasiErrno.NOENT,
  EIO: WasiErrno.IO,
  E2BIG: WasiErrno['2BIG'],
  EBADF: WasiErrno.BADF,
  EAGAIN: WasiErrno.AGAIN,
  ENOMEM: WasiErrno.NOMEM,
  EACCES: WasiErrno.ACCES,
  EFAULT: WasiErrno.FAULT,
  EBUSY: WasiErrno.BUSY,
  EEXIST: WasiErrno.EXIST,
  EXDEV: WasiErrno.XDEV,
  ENODEV: WasiErrno.NODEV,
  ENOTDIR: WasiErrno.NOTDIR,
  EISDIR: WasiErrno.ISDIR,
  EINVAL: WasiErrno.INVAL,
  ENFILE: WasiErrno.NFILE,
  EMFILE: WasiErrno.MFILE,
  EFBIG: WasiErrno.FBIG,
  ENOSPC: WasiErrno.NOSPC,
  ESRCH: WasiErrno.SRCH,
  EINTR: WasiErrno.INTR,
  ENXIO: WasiErrno.NXIO,
  ENOEXEC: WasiErrno.NOEXEC,
  ECHILD: WasiErrno.CHILD,
  ESPIPE: WasiErrno.SPIPE,
  EROFS: WasiErrno.ROFS,
  EMLINK: WasiErrno.MLINK,
  EPIPE: WasiErrno.PIPE,
  ERANGE: WasiErrno.RANGE,
  ENAMETOOLONG: WasiErrno.NAMETOOLONG,
  ENOSYS: WasiErrno.NOSYS,
  ENOTEMPTY: WasiErrno.NOTEMPTY,
  ELOOP: WasiErrno.LOOP,
  // WASI has no ENODATA (missing xattr); wasi-libc defines ENODATA as ENOENT's neighbour but
  // no preview1 call can produce it, so the closest meaning is used.
  ENODATA: WasiErrno.NOENT,
  EOPNOTSUPP: WasiErrno.NOTSUP,
};

export function wasiErrno(name: ErrnoName): number {
  return LINUX_TO_WASI[name];
}
