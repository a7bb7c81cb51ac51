/**
 * Caller credentials. Everything runs as root for now, so no permission is checked; the
 * filesystems take credentials anyway (new inodes are owned by them) and `mayAccess` is
 * the one place where DAC checks will go.
 */
export interface Credentials {
  uid: number;
  gid: number;
  groups: readonly number[];
}

export const ROOT: Credentials = Object.freeze({
  uid: 0,
  gid: 0,
  groups: Object.freeze([]) as readonly number[],
});

export const MAY_EXEC = 1;
export const MAY_WRITE = 2;
export const MAY_READ = 4;

/** Whether `cred` may access an inode with `mask` (MAY_*); root always may. */
export function mayAccess(
  cred: Credentials,
  owner: { mode: number; uid: number; gid: number },
  mask: number,
): boolean {
  if (cred.uid === 0) return true;
  let bits = owner.mode & 0o7;
  if (cred.uid === owner.uid) bits = (owner.mode >> 6) & 0o7;
  else if (cred.gid === owner.gid || cred.groups.includes(owner.gid)) bits = (owner.mode >> 3) & 0o7;
  return (bits & mask) === mask;
}
