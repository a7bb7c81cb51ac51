/**
 * Helpers for the HostFs tests: temporary host directories, a result capture that checks
 * no error leaks a host path, a snapshot of a berth FileSystem through its own API, and
 * the random operations of the differential test (HostFs against MemFs).
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFsError } from '../../src/vfs/errno.js';
import {
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  type FileSystem,
} from '../../src/vfs/filesystem.js';
import type { Rng } from '../vfs/kernel/rng.js';

/** A fresh host directory `top` holding the guest's root `box` and things outside it. */
export interface Sandbox {
  top: string;
  box: string;
  /** Files outside the box that no guest operation may change: path → content. */
  outside: Map<string, string>;
}

export function makeSandbox(prefix = 'berth-hostfs-'): Sandbox {
  const top = fs.mkdtempSync(join(tmpdir(), prefix));
  const box = join(top, 'a', 'b', 'box');
  fs.mkdirSync(box, { recursive: true });
  const outside = new Map<string, string>([
    [join(top, 'secret'), 'top secret'],
    [join(top, 'a', 'secret'), 'a secret'],
    [join(top, 'a', 'b', 'secret'), 'b secret'],
  ]);
  for (const [p, c] of outside) fs.writeFileSync(p, c);
  return { top, box, outside };
}

/** Every host entry outside the box (so a test can see that nothing appeared or changed). */
export function outsideListing(sb: Sandbox): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (p === sb.box) continue;
      const st = fs.lstatSync(p);
      const what = st.isFile()
        ? `file ${(st.mode & 0o7777).toString(8)} ${fs.readFileSync(p, 'utf8')}`
        : 'other';
      out.push(`${p.slice(sb.top.length)}: ${st.isDirectory() ? 'dir' : what}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(sb.top);
  return out;
}

export function removeSandbox(sb: Sandbox): void {
  fs.rmSync(sb.top, { recursive: true, force: true });
}

/**
 * Run `f`: its result as a string, or the errno name of the FsError it throws. Throws if an
 * error is not an FsError or its message names a forbidden string (the host path).
 */
export function capture(f: () => unknown, forbidden: readonly string[] = []): string {
  try {
    const v = f();
    return v === undefined ? 'OK' : typeof v === 'string' ? v : JSON.stringify(v);
  } catch (e) {
    if (!isFsError(e)) throw e;
    for (const s of forbidden) {
      if (e.message.includes(s) || String(e.path ?? '').includes(s))
        throw new Error(`error leaks a host path: ${e.message}`);
    }
    return e.code;
  }
}

const KIND: Record<number, string> = {
  0o100000: 'file',
  0o040000: 'dir',
  0o120000: 'symlink',
  0o010000: 'fifo',
};

/** A line per entry, through the FileSystem API: kind, mode, links, owner, size, content, target. */
export function snapshot(f: FileSystem): string[] {
  const out: string[] = [];
  const dec = new TextDecoder();
  const walk = (p: string): void => {
    const st = f.lstat(p);
    const kind = KIND[st.mode & 0o170000] ?? 'other';
    let line = `${p} ${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
    // Directory sizes and link counts are the filesystem's own (ext4 vs tmpfs-like MemFs).
    if (kind !== 'dir') line += ` n${st.nlink} s${st.size}`;
    if (kind === 'file') line += ` ${JSON.stringify(dec.decode(f.readFile(p)))}`;
    if (kind === 'symlink') line += ` -> ${f.readlink(p)}`;
    out.push(line);
    if (kind === 'dir') {
      const names = f
        .readdir(p)
        .map((d) => d.name)
        .sort();
      for (const n of names) walk(p === '/' ? `/${n}` : `${p}/${n}`);
    }
  };
  walk('/');
  return out;
}

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const MODES = [0o644, 0o755, 0o600, 0o4755, 0o2755, 0o1777, 0o700, 0o444, 0o7777];
/**
 * Symlink targets: inside (relative, absolute, with '..'), pointing outside the root with
 * '..' and at host directories by absolute path, dangling and self-referencing ones.
 * On Linux the outside ones would reach the host; in a berth FileSystem they resolve
 * inside its root (an absolute target restarts there, '..' stops there), so HostFs and
 * MemFs must agree on them too.
 */
const TARGETS = [
  'a',
  'b/c',
  '../a',
  '/a',
  '/b/c',
  '..',
  '.',
  '../../..',
  '../../../secret',
  '../../../../../etc/passwd',
  '/etc',
  '/etc/passwd',
  '/../../secret',
  '/tmp',
  'd/../e',
  'x',
  'loop',
];

export type Op =
  | { t: 'mkdir'; p: string; mode: number }
  | { t: 'writeFile'; p: string; data: string; flag: 'w' | 'wx' | 'a'; mode: number }
  | { t: 'openWrite'; p: string; flags: number; pos: number; data: string }
  | { t: 'openRead'; p: string; flags: number; pos: number; len: number }
  | { t: 'readFile'; p: string }
  | { t: 'rename'; from: string; to: string }
  | { t: 'link'; from: string; to: string }
  | { t: 'unlink'; p: string }
  | { t: 'rmdir'; p: string }
  | { t: 'symlink'; target: string; p: string }
  | { t: 'readlink'; p: string }
  | { t: 'stat'; p: string; nofollow: boolean }
  | { t: 'readdir'; p: string }
  | { t: 'truncate'; p: string; len: number }
  | { t: 'chmod'; p: string; mode: number }
  | { t: 'chown'; p: string; uid: number; gid: number; nofollow: boolean }
  | { t: 'realpath'; p: string };

/** Paths: existing ones, new names in them, with '..', '.', trailing slashes and escapes. */
function randomPath(rng: Rng, known: readonly string[], dirs: readonly string[]): string {
  const base = rng.pick(known);
  const r = rng.next();
  if (r < 0.35) return base;
  if (r < 0.7) {
    const dir = rng.pick(dirs);
    return `${dir === '/' ? '' : dir}/${rng.pick(NAMES)}`;
  }
  if (r < 0.76) return `${base}/`;
  if (r < 0.82) return `/../../..${base}`;
  if (r < 0.87) return `${base === '/' ? '' : base}/../${rng.pick(NAMES)}`;
  if (r < 0.91) return `${base === '/' ? '' : base}/./${rng.pick(NAMES)}`;
  if (r < 0.95) return base.slice(1) || '.'; // relative: starts at the root too
  return `/${rng.pick(NAMES)}/${rng.pick(NAMES)}/${rng.pick(NAMES)}`;
}

/** An operation on the paths `known` to exist (and the directories among them). */
export function randomOp(rng: Rng, known: readonly string[], dirs: readonly string[], chown: boolean): Op {
  const t = rng.weighted({
    mkdir: 12,
    writeFile: 12,
    openWrite: 7,
    openRead: 5,
    readFile: 4,
    rename: 7,
    link: 4,
    unlink: 5,
    rmdir: 3,
    symlink: 8,
    readlink: 2,
    stat: 6,
    readdir: 4,
    truncate: 4,
    chmod: 4,
    chown: chown ? 2 : 0,
    realpath: 3,
  });
  const p = randomPath(rng, known, dirs);
  const text = (): string => 'xyz'.repeat(rng.pick([0, 1, 5, 40]));
  switch (t) {
    case 'mkdir':
    case 'chmod':
      return { t, p, mode: rng.pick(MODES) };
    case 'writeFile':
      return { t, p, data: text(), flag: rng.pick(['w', 'wx', 'a'] as const), mode: rng.pick(MODES) };
    case 'openWrite': {
      const flags =
        rng.pick([O_WRONLY, O_RDWR]) |
        (rng.chance(0.4) ? O_CREAT : 0) |
        (rng.chance(0.2) ? O_EXCL : 0) |
        (rng.chance(0.2) ? O_TRUNC : 0) |
        (rng.chance(0.1) ? O_NOFOLLOW : 0);
      return { t, p, flags, pos: rng.pick([0, 2, 50]), data: text() };
    }
    case 'openRead': {
      const flags = O_RDONLY | (rng.chance(0.15) ? O_DIRECTORY : 0) | (rng.chance(0.15) ? O_NOFOLLOW : 0);
      return { t, p, flags, pos: rng.pick([0, 1, 10]), len: rng.pick([0, 3, 100]) };
    }
    case 'rename':
    case 'link':
      return { t, from: p, to: randomPath(rng, known, dirs) };
    case 'symlink':
      return { t, target: rng.pick(TARGETS), p };
    case 'stat':
    case 'chown':
      return t === 'stat'
        ? { t, p, nofollow: rng.chance(0.5) }
        : { t, p, uid: rng.pick([0, 1, 1000, -1]), gid: rng.pick([0, 7, -1]), nofollow: rng.chance(0.3) };
    case 'truncate':
      return { t, p, len: rng.pick([0, 1, 10, 300, -1]) };
    default:
      return { t, p };
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function describeStat(s: { mode: number; nlink: number; uid: number; gid: number; size: number }): string {
  const kind = KIND[s.mode & 0o170000] ?? 'other';
  return `${kind} ${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid}${kind === 'dir' ? '' : ` n${s.nlink} s${s.size}`}`;
}

/** Run `op` on `f`: 'OK', a result, or the errno name. */
export function runOp(op: Op, f: FileSystem, forbidden: readonly string[]): string {
  return capture(() => {
    switch (op.t) {
      case 'mkdir':
        return f.mkdir(op.p, op.mode);
      case 'writeFile':
        return f.writeFile(op.p, op.data, { flag: op.flag, mode: op.mode });
      case 'openWrite': {
        const h = f.open(op.p, op.flags, 0o640);
        try {
          const n = h.write(op.pos, enc.encode(op.data));
          const st = h.stat();
          return `wrote ${n} size ${st.size} ${dec.decode(h.flags & O_RDWR ? h.read(0, 1000) : new Uint8Array())}`;
        } finally {
          h.close();
        }
      }
      case 'openRead': {
        const h = f.open(op.p, op.flags);
        try {
          return `${describeStat(h.stat())} ${capture(() => dec.decode(h.read(op.pos, op.len)), forbidden)}`;
        } finally {
          h.close();
        }
      }
      case 'readFile':
        return dec.decode(f.readFile(op.p));
      case 'rename':
        return f.rename(op.from, op.to);
      case 'link':
        return f.link(op.from, op.to);
      case 'unlink':
        return f.unlink(op.p);
      case 'rmdir':
        return f.rmdir(op.p);
      case 'symlink':
        return f.symlink(op.target, op.p);
      case 'readlink':
        return f.readlink(op.p);
      case 'stat':
        return describeStat(op.nofollow ? f.lstat(op.p) : f.stat(op.p));
      case 'readdir':
        return f
          .readdir(op.p)
          .map((d) => `${d.name}:${d.kind}`)
          .sort()
          .join(',');
      case 'truncate':
        return f.truncate(op.p, op.len);
      case 'chmod':
        return f.chmod(op.p, op.mode);
      case 'chown':
        return f.chown(op.p, op.uid, op.gid, { nofollow: op.nofollow });
      case 'realpath':
        return f.realpath(op.p);
    }
  }, forbidden);
}

/** Paths an operation may have created. */
export function createdBy(op: Op): string | null {
  switch (op.t) {
    case 'mkdir':
    case 'writeFile':
    case 'symlink':
    case 'openWrite':
      return op.p;
    case 'rename':
    case 'link':
      return op.to;
    default:
      return null;
  }
}
