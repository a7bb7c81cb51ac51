/**
 * Random lower layers for the differential test, and a plain OCI layer applier.
 *
 * Layers hold files (setuid/setgid modes, various owners, xattrs), directories (some
 * opaque), hard links, downward relative symlinks, whiteouts, FIFOs and a char device.
 * Two kinds of input are left out on purpose (docs/overlay.md):
 * - whiteouts in a directory that does not merge with a lower one: the kernel lists them
 *   (as c????????? entries that stat cannot find), OverlayFs hides them;
 * - symlink targets with '..' or '/': the kernel resolves them on the host, OverlayFs
 *   inside the mount.
 */
import { Inode, makedev } from '../../../src/vfs/inode.js';
import { Rng } from './rng.js';

export const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
export const OLD = Date.UTC(2020, 0, 1);
const FILE_MODES = [0o644, 0o755, 0o600, 0o444, 0o4755, 0o2755, 0o6755, 0o2745, 0o1644, 0o4711];
const DIR_MODES = [0o755, 0o755, 0o700, 0o2775, 0o1777, 0o555];
const IDS = [0, 0, 1, 1000, 65534];

/** An old time (2000–2010) in whole seconds, as milliseconds. */
export function oldTime(rng: Rng): number {
  return Date.UTC(2000, 0, 1) + rng.int(3650 * 86400) * 1000;
}

function meta(rng: Rng, n: Inode, attrs: boolean): Inode {
  n.uid = rng.pick(IDS);
  n.gid = rng.pick(IDS);
  n.atimeMs = oldTime(rng);
  n.mtimeMs = oldTime(rng);
  n.ctimeMs = n.mtimeMs;
  if (attrs && rng.chance(0.2)) {
    n.xattrs = new Map();
    for (let i = rng.int(2); i >= 0; i--) n.xattrs.set(`user.k${rng.int(3)}`, rng.bytes(1 + rng.int(8)));
  }
  return n;
}

/** A downward relative symlink target (never '..' nor absolute). */
function target(rng: Rng): string {
  const parts = [rng.pick(NAMES)];
  while (parts.length < 3 && rng.chance(0.35)) parts.push(rng.pick(NAMES));
  if (rng.chance(0.1)) parts.push('zz');
  return parts.join('/');
}

/**
 * One layer over `below` (the merged tree of the layers under it, or null for the bottom).
 */
export function randomLayer(rng: Rng, below: Inode | null): Inode {
  const root = meta(rng, new Inode('dir', 0o755), false);
  root.uid = root.gid = 0;
  const files: Inode[] = [];
  fill(rng, root, below, true, 0, files);
  // nlink: 2 + subdirectories for directories, number of names for the rest.
  const refs = new Map<Inode, number>();
  const count = (d: Inode): void => {
    let subdirs = 0;
    for (const e of d.entries!.values()) {
      if (e.kind === 'dir') {
        subdirs++;
        count(e);
      } else refs.set(e, (refs.get(e) ?? 0) + 1);
    }
    d.nlink = 2 + subdirs;
  };
  count(root);
  for (const [n, c] of refs) n.nlink = c;
  return root;
}

/** Fill directory `d`; `below` is what lies under it; `merges` whether the kernel merges it. */
function fill(rng: Rng, d: Inode, below: Inode | null, merges: boolean, depth: number, files: Inode[]): void {
  const count = depth === 0 ? 3 + rng.int(5) : rng.int(5);
  for (let i = 0; i < count; i++) {
    const name = rng.pick(NAMES);
    if (d.entries!.has(name)) continue;
    const under = below?.entries?.get(name);
    const kind = rng.weighted({
      file: 40,
      dir: depth < 3 ? 25 : 0,
      symlink: 10,
      hardlink: files.length > 0 ? 6 : 0,
      whiteout: merges && under !== undefined ? 18 : 0,
      fifo: 2,
      chardev: 1,
    });
    let n: Inode;
    switch (kind) {
      case 'file': {
        n = meta(rng, new Inode('file', rng.pick(FILE_MODES)), true);
        n.data = rng.bytes(rng.pick([0, 1, 10, 100, 3000]));
        n.size = n.data.length;
        files.push(n);
        break;
      }
      case 'hardlink':
        n = rng.pick(files);
        break;
      case 'dir': {
        const isOpaque = under?.kind === 'dir' ? rng.chance(0.3) : rng.chance(0.05);
        n = meta(rng, new Inode('dir', rng.pick(DIR_MODES)), true);
        n.opaque = isOpaque;
        const childMerges = !isOpaque && under?.kind === 'dir';
        fill(rng, n, childMerges ? under : null, childMerges, depth + 1, files);
        break;
      }
      case 'symlink': {
        n = meta(rng, new Inode('symlink', 0o777), false);
        n.target = target(rng);
        n.size = n.target.length;
        break;
      }
      case 'whiteout':
        n = new Inode('whiteout', 0);
        break;
      case 'fifo':
        n = meta(rng, new Inode('fifo', 0o644), false);
        break;
      case 'chardev':
        n = meta(rng, new Inode('chardev', 0o666), false);
        n.rdev = makedev(1, 3);
        break;
    }
    d.entries!.set(name, n);
  }
}

/** Random layers, top first (index 0 = top, like lowerdir=top:…:bottom). */
export function randomLayers(rng: Rng, count: number): Inode[] {
  const bottomFirst: Inode[] = [];
  for (let i = 0; i < count; i++) {
    const below = bottomFirst.length ? ociApply(bottomFirst) : null;
    bottomFirst.push(randomLayer(rng, below));
  }
  return bottomFirst.reverse();
}

/**
 * Apply layers bottom first the OCI way: a whiteout deletes the name below, an opaque
 * directory drops what was below it, a directory over a directory merges, anything
 * else replaces. Non-directories in the result are the layers' own inodes.
 */
export function ociApply(bottomFirst: readonly Inode[]): Inode {
  const root = new Inode('dir', 0o755);
  for (const l of bottomFirst) applyDir(root, l);
  return root;
}

function applyDir(dst: Inode, src: Inode): void {
  dst.mode = src.mode;
  dst.uid = src.uid;
  dst.gid = src.gid;
  dst.atimeMs = src.atimeMs;
  dst.mtimeMs = src.mtimeMs;
  dst.xattrs = src.xattrs;
  for (const [name, e] of src.entries!) {
    if (e.kind === 'whiteout') {
      dst.entries!.delete(name);
      continue;
    }
    if (e.kind !== 'dir') {
      dst.entries!.set(name, e);
      continue;
    }
    const cur = dst.entries!.get(name);
    let d = cur;
    if (d === undefined || d.kind !== 'dir' || e.opaque) {
      d = new Inode('dir', e.mode, e.ino);
      dst.entries!.set(name, d);
    }
    applyDir(d, e);
  }
}
