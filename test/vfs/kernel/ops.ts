/**
 * Random filesystem operations for the differential test, run both on a real overlay
 * mount (node:fs sync calls, setfattr/mknod for what node lacks) and on an OverlayFs.
 * Each run gives 'OK', an errno name, or for queries a result string to compare.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { O_RDWR, type FileSystem } from '../../../src/vfs/filesystem.js';
import { isFsError } from '../../../src/vfs/errno.js';
import { sha } from './disk.js';
import { NAMES } from './layers.js';
import type { Rng } from './rng.js';

export type Op =
  | { t: 'create'; p: string; data: Uint8Array; mode: number; excl: boolean }
  | { t: 'write'; p: string; pos: number; data: Uint8Array }
  | { t: 'append'; p: string; data: Uint8Array; mode: number }
  | { t: 'truncate'; p: string; len: number }
  | { t: 'openw'; p: string }
  | { t: 'mkdir'; p: string; mode: number }
  | { t: 'rmdir'; p: string }
  | { t: 'unlink'; p: string }
  | { t: 'rename'; from: string; to: string }
  | { t: 'link'; from: string; to: string }
  | { t: 'symlink'; target: string; p: string }
  | { t: 'chmod'; p: string; mode: number }
  | { t: 'chown'; p: string; uid: number; gid: number; nofollow: boolean }
  | { t: 'utimes'; p: string; atime: number; mtime: number; nofollow: boolean }
  | { t: 'setxattr'; p: string; name: string; value: string }
  | { t: 'removexattr'; p: string; name: string }
  | { t: 'mkfifo'; p: string; mode: number }
  | { t: 'lstat'; p: string }
  | { t: 'read'; p: string }
  | { t: 'readdir'; p: string }
  | { t: 'rmtree'; p: string };

const MODES = [0o644, 0o755, 0o600, 0o4755, 0o2755, 0o6755, 0o2745, 0o1777, 0o700, 0o7777, 0o2775, 0o444];
const IDS = [0, 1, 1000, 65534, -1];

/**
 * Where operations aim: the paths that exist now (refreshed from OverlayFs every few
 * operations), the directories among them, and every path seen so far (some gone since).
 */
export class PathPool {
  private readonly seen = new Set<string>();
  readonly history: string[] = [];
  existing: string[] = [''];
  dirs: string[] = [''];

  refresh(kinds: Map<string, string>): void {
    this.existing = [...kinds.keys()];
    this.dirs = this.existing.filter((p) => kinds.get(p) === 'dir');
    for (const p of this.existing) this.add(p);
  }

  add(p: string): void {
    const clean = p.replace(/\/+$/, '');
    if (clean.includes('..') || clean.includes('/.') || this.seen.has(clean)) return;
    this.seen.add(clean);
    this.history.push(clean);
  }
}

function join(a: string, b: string): string {
  return a ? `${a}/${b}` : b;
}

/** A path: mostly existing ones and new names in existing directories, some odd ones. */
function path(rng: Rng, pool: PathPool): string {
  const r = rng.next();
  if (r < 0.45) return rng.pick(pool.existing);
  if (r < 0.78) return join(rng.pick(pool.dirs), rng.pick(NAMES));
  if (r < 0.84) return rng.pick(pool.history);
  if (r < 0.88) return join(rng.pick(pool.existing), rng.pick(NAMES));
  const base = rng.pick(pool.existing);
  if (r < 0.94) return base ? base + '/' : base;
  if (base.includes('/')) {
    // A '..' that stays inside the mount: it follows a real component.
    const parts = base.split('/');
    return join(parts.slice(0, -1).join('/'), `${parts[parts.length - 1]}/../${rng.pick(NAMES)}`);
  }
  return join(base, `./${rng.pick(NAMES)}`);
}

/** A downward relative symlink target (see layers.ts). */
function linkTarget(rng: Rng): string {
  const parts = [rng.pick(NAMES)];
  while (parts.length < 3 && rng.chance(0.35)) parts.push(rng.pick(NAMES));
  return parts.join('/');
}

export function randomOp(rng: Rng, pool: PathPool): Op {
  const t = rng.weighted({
    create: 9,
    write: 7,
    append: 5,
    truncate: 5,
    openw: 3,
    mkdir: 9,
    rmdir: 7,
    unlink: 8,
    rename: 12,
    link: 5,
    symlink: 5,
    chmod: 5,
    chown: 5,
    utimes: 4,
    setxattr: 3,
    removexattr: 1,
    mkfifo: 0.5,
    lstat: 4,
    read: 2,
    readdir: 3,
    rmtree: 2,
  });
  const p = path(rng, pool);
  const data = (): Uint8Array => rng.bytes(rng.pick([0, 1, 7, 100, 5000]));
  switch (t) {
    case 'create':
      return { t, p, data: data(), mode: rng.pick(MODES), excl: rng.chance(0.3) };
    case 'write':
      return { t, p, pos: rng.pick([0, 1, 5, 100, 4000]), data: data() };
    case 'append':
      return { t, p, data: data(), mode: rng.pick(MODES) };
    case 'truncate':
      return { t, p, len: rng.pick([0, 3, 100, 9000]) };
    case 'mkdir':
      return { t, p, mode: rng.pick(MODES) };
    case 'mkfifo':
      return { t, p, mode: rng.pick(MODES) & 0o777 }; // mknod(1) takes permission bits only
    case 'rename':
    case 'link': {
      // The mount's root is the host's mountpoint here: renaming it would test the host's mount table.
      const to = path(rng, pool);
      return p === '' || to === '' ? randomOp(rng, pool) : { t, from: p, to };
    }
    case 'symlink':
      return { t, target: linkTarget(rng), p };
    case 'chmod':
      return { t, p, mode: rng.pick(MODES) };
    case 'chown':
      return { t, p, uid: rng.pick(IDS), gid: rng.pick(IDS), nofollow: rng.chance(0.3) };
    case 'utimes': {
      const s = (): number => Date.UTC(2001, 0, 1) / 1000 + rng.int(400_000_000);
      return { t, p, atime: s(), mtime: s(), nofollow: rng.chance(0.3) };
    }
    case 'setxattr':
      return { t, p, name: `user.k${rng.int(3)}`, value: `v${rng.int(1000)}` };
    case 'removexattr':
      return { t, p, name: `user.k${rng.int(3)}` };
    case 'rmtree':
    case 'rmdir':
      // The real root is a host directory (or mountpoint): removing it tests the host.
      return p === '' ? randomOp(rng, pool) : { t, p };
    default:
      return { t, p };
  }
}

/** Paths an operation may create, for the pool. */
export function created(op: Op): string[] {
  switch (op.t) {
    case 'create':
    case 'append':
    case 'mkdir':
    case 'symlink':
    case 'mkfifo':
      return [op.p];
    case 'rename':
    case 'link':
      return [op.to];
    default:
      return [];
  }
}

/** Operations that open the file: skipped on FIFOs and devices (they would block or act). */
export function opens(op: Op): string | null {
  return op.t === 'create' ||
    op.t === 'write' ||
    op.t === 'append' ||
    op.t === 'truncate' ||
    op.t === 'openw' ||
    op.t === 'read'
    ? op.p
    : null;
}

/** What `rm -r` needs from a filesystem; each call throws an object with an errno `code`. */
interface TreeOps {
  list(p: string): string[];
  isDir(p: string): boolean;
  unlink(p: string): void;
  rmdir(p: string): void;
}

/** Remove a tree depth first, entries in name order; the log of results is what is compared. */
function rmtree(t: TreeOps, top: string): string {
  const out: string[] = [];
  const attempt = (f: () => void, ok: string): void => {
    try {
      f();
      out.push(ok);
    } catch (e) {
      out.push(String((e as { code?: string }).code ?? e));
    }
  };
  const walk = (p: string): void => {
    let names: string[] = [];
    attempt(() => (names = t.list(p).sort()), 'l');
    for (const n of names) {
      const c = `${p}/${n}`;
      let dir = false;
      attempt(() => (dir = t.isDir(c)), 's');
      if (dir) walk(c);
      else attempt(() => t.unlink(c), 'u');
    }
    attempt(() => t.rmdir(p), 'd');
  };
  walk(top);
  return out.join('');
}

const MESSAGES: Record<string, string> = {
  'No such file or directory': 'ENOENT',
  'Not a directory': 'ENOTDIR',
  'Operation not permitted': 'EPERM',
  'No data available': 'ENODATA',
  'No such attribute': 'ENODATA',
  'Too many levels of symbolic links': 'ELOOP',
  'File exists': 'EEXIST',
  'Operation not supported': 'EOPNOTSUPP',
  'Invalid argument': 'EINVAL',
  'Is a directory': 'EISDIR',
  'Numerical result out of range': 'ERANGE',
  'Argument list too long': 'E2BIG',
  'File name too long': 'ENAMETOOLONG',
};

function tool(cmd: string, args: string[]): string {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    return 'OK';
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr ?? '');
    for (const [text, code] of Object.entries(MESSAGES)) if (msg.includes(text)) return code;
    return `UNKNOWN(${msg.trim()})`;
  }
}

const KIND: Record<number, string> = {
  0o100000: 'file',
  0o040000: 'dir',
  0o120000: 'symlink',
  0o010000: 'fifo',
};
const describeStat = (mode: number, nlink: number, uid: number, gid: number, size: number): string =>
  `${KIND[mode & 0o170000] ?? 'other'} ${(mode & 0o7777).toString(8)} n${nlink} ${uid}:${gid} ${KIND[mode & 0o170000] === 'dir' ? '' : size}`;

/** Run `op` on the real mount at `root`. */
export function runReal(op: Op, root: string): string {
  const r = (p: string): string => (p ? `${root}/${p}` : root);
  try {
    switch (op.t) {
      case 'create':
        fs.writeFileSync(r(op.p), op.data, { flag: op.excl ? 'wx' : 'w', mode: op.mode });
        return 'OK';
      case 'write': {
        const fd = fs.openSync(r(op.p), 'r+');
        try {
          fs.writeSync(fd, op.data, 0, op.data.length, op.pos);
        } finally {
          fs.closeSync(fd);
        }
        return 'OK';
      }
      case 'append':
        fs.appendFileSync(r(op.p), op.data, { mode: op.mode });
        return 'OK';
      case 'truncate':
        fs.truncateSync(r(op.p), op.len);
        return 'OK';
      case 'openw':
        fs.closeSync(fs.openSync(r(op.p), 'r+'));
        return 'OK';
      case 'mkdir':
        fs.mkdirSync(r(op.p), { mode: op.mode });
        return 'OK';
      case 'rmdir':
        fs.rmdirSync(r(op.p));
        return 'OK';
      case 'unlink':
        fs.unlinkSync(r(op.p));
        return 'OK';
      case 'rename':
        fs.renameSync(r(op.from), r(op.to));
        return 'OK';
      case 'link':
        fs.linkSync(r(op.from), r(op.to));
        return 'OK';
      case 'symlink':
        fs.symlinkSync(op.target, r(op.p));
        return 'OK';
      case 'chmod':
        fs.chmodSync(r(op.p), op.mode);
        return 'OK';
      case 'chown':
        (op.nofollow ? fs.lchownSync : fs.chownSync)(r(op.p), op.uid, op.gid);
        return 'OK';
      case 'utimes':
        (op.nofollow ? fs.lutimesSync : fs.utimesSync)(r(op.p), op.atime, op.mtime);
        return 'OK';
      case 'setxattr':
        return tool('setfattr', ['-n', op.name, '-v', op.value, r(op.p)]);
      case 'removexattr':
        return tool('setfattr', ['-x', op.name, r(op.p)]);
      case 'mkfifo':
        return tool('mknod', ['-m', op.mode.toString(8), r(op.p), 'p']);
      case 'lstat': {
        const s = fs.lstatSync(r(op.p));
        return describeStat(s.mode, s.nlink, s.uid, s.gid, s.size);
      }
      case 'read':
        return sha(fs.readFileSync(r(op.p)));
      case 'readdir':
        return fs.readdirSync(r(op.p)).sort().join(',');
      case 'rmtree':
        return rmtree(
          {
            list: (p) => fs.readdirSync(p),
            isDir: (p) => fs.lstatSync(p).isDirectory(),
            unlink: (p) => fs.unlinkSync(p),
            rmdir: (p) => fs.rmdirSync(p),
          },
          r(op.p),
        );
    }
  } catch (e) {
    return String((e as NodeJS.ErrnoException).code ?? e);
  }
}

/** Run `op` on a berth filesystem. */
export function runOurs(op: Op, o: FileSystem): string {
  const r = (p: string): string => '/' + p;
  try {
    switch (op.t) {
      case 'create':
        o.writeFile(r(op.p), op.data, { flag: op.excl ? 'wx' : 'w', mode: op.mode });
        return 'OK';
      case 'write': {
        const h = o.open(r(op.p), O_RDWR);
        try {
          h.write(op.pos, op.data);
        } finally {
          h.close();
        }
        return 'OK';
      }
      case 'append':
        o.writeFile(r(op.p), op.data, { flag: 'a', mode: op.mode });
        return 'OK';
      case 'truncate':
        o.truncate(r(op.p), op.len);
        return 'OK';
      case 'openw':
        o.open(r(op.p), O_RDWR).close();
        return 'OK';
      case 'mkdir':
        o.mkdir(r(op.p), op.mode);
        return 'OK';
      case 'rmdir':
        o.rmdir(r(op.p));
        return 'OK';
      case 'unlink':
        o.unlink(r(op.p));
        return 'OK';
      case 'rename':
        o.rename(r(op.from), r(op.to));
        return 'OK';
      case 'link':
        o.link(r(op.from), r(op.to));
        return 'OK';
      case 'symlink':
        o.symlink(op.target, r(op.p));
        return 'OK';
      case 'chmod':
        o.chmod(r(op.p), op.mode);
        return 'OK';
      case 'chown':
        o.chown(r(op.p), op.uid, op.gid, { nofollow: op.nofollow });
        return 'OK';
      case 'utimes':
        o.utimes(r(op.p), op.atime * 1000, op.mtime * 1000, { nofollow: op.nofollow });
        return 'OK';
      case 'setxattr':
        o.setxattr(r(op.p), op.name, new TextEncoder().encode(op.value));
        return 'OK';
      case 'removexattr':
        o.removexattr(r(op.p), op.name);
        return 'OK';
      case 'mkfifo':
        o.mknod(r(op.p), 'fifo', op.mode);
        return 'OK';
      case 'lstat': {
        const s = o.lstat(r(op.p));
        return describeStat(s.mode, s.nlink, s.uid, s.gid, s.size);
      }
      case 'read':
        return sha(o.readFile(r(op.p)));
      case 'readdir':
        return o
          .readdir(r(op.p))
          .map((d) => d.name)
          .sort()
          .join(',');
      case 'rmtree':
        return rmtree(
          {
            list: (p) => o.readdir(p).map((d) => d.name),
            isDir: (p) => (o.lstat(p).mode & 0o170000) === 0o040000,
            unlink: (p) => o.unlink(p),
            rmdir: (p) => o.rmdir(p),
          },
          r(op.p),
        );
    }
  } catch (e) {
    if (isFsError(e)) return e.code;
    throw e;
  }
}

/** The kind of what `p` leads to (following symlinks) on the real mount, or null. */
export function realKind(root: string, p: string): string | null {
  try {
    const s = fs.statSync(p ? `${root}/${p}` : root);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'special';
  } catch {
    return null;
  }
}
