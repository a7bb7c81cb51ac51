/**
 * Docker's `--user` rules against a container's root filesystem: `uid[:gid]` numbers as
 * given, names looked up in its /etc/passwd and /etc/group (read confined to the root, so
 * a symlink in the image cannot point the lookup at the host's files).
 */
import type { FileSystem } from '../vfs/filesystem.js';
import { InvalidArgumentError } from '../errors.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  /** The user's home directory from /etc/passwd, if found. */
  home?: string;
}

function readLines(fs: FileSystem, path: string): string[][] {
  try {
    return new TextDecoder()
      .decode(fs.readFile(path))
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

const NUMBER = /^\d+$/;

export function resolveUser(fs: FileSystem, spec: string): ResolvedUser {
  const [user = '', group] = spec === '' ? ['0'] : spec.split(':');
  const passwd = readLines(fs, '/etc/passwd');
  const groups = readLines(fs, '/etc/group');
  const entry = passwd.find((p) => (NUMBER.test(user) ? p[2] === user : p[0] === user));
  let uid: number;
  if (NUMBER.test(user)) uid = Number(user);
  else if (entry) uid = Number(entry[2]);
  else throw new InvalidArgumentError(`unable to find user ${user}: no matching entries in passwd file`);
  let gid = entry ? Number(entry[3]) : 0;
  if (group !== undefined && group !== '') {
    if (NUMBER.test(group)) gid = Number(group);
    else {
      const g = groups.find((x) => x[0] === group);
      if (!g)
        throw new InvalidArgumentError(`unable to find group ${group}: no matching entries in group file`);
      gid = Number(g[2]);
    }
  }
  const name = entry?.[0];
  const additionalGids =
    name === undefined
      ? []
      : groups
          .filter((g) => (g[3] ?? '').split(',').includes(name) && Number(g[2]) !== gid)
          .map((g) => Number(g[2]));
  const home = entry?.[5];
  return home ? { uid, gid, additionalGids, home } : { uid, gid, additionalGids };
}
