/** Snapshots of berth filesystems and trees in the same shape as disk.ts's, and their comparison. */
import type { FileSystem } from '../../../src/vfs/filesystem.js';
import { major, minor, type Inode, type InodeKind } from '../../../src/vfs/inode.js';
import { dirSize } from '../../../src/vfs/inode-attr.js';
import { sha, type Entry, type Snapshot } from './disk.js';
import { OLD } from './layers.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const KINDS: Record<number, InodeKind> = {
  0o100000: 'file',
  0o040000: 'dir',
  0o120000: 'symlink',
  0o010000: 'fifo',
  0o020000: 'chardev',
  0o060000: 'blockdev',
  0o140000: 'socket',
};

/** The merged view of a FileSystem, walked through its API. */
export function snapshotFs(fs: FileSystem): Snapshot {
  const snap: Snapshot = new Map();
  const walk = (rel: string): void => {
    const p = '/' + rel;
    const st = fs.lstat(p);
    const kind = KINDS[st.mode & 0o170000]!;
    const x = kind === 'file' || kind === 'dir' ? fs.listxattr(p).filter((n) => n.startsWith('user.')) : [];
    const e: Entry = {
      kind,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      size: st.size,
      nlink: st.nlink,
      ino: st.ino,
      mtimeMs: st.mtimeMs,
      rdev: kind === 'chardev' || kind === 'blockdev' ? `${major(st.rdev)}:${minor(st.rdev)}` : '',
      xattrs: x
        .map((n) => `${n}=${hex(fs.getxattr(p, n))}`)
        .sort()
        .join(','),
    };
    if (kind === 'file') e.sha = sha(fs.readFile(p));
    if (kind === 'symlink') e.target = fs.readlink(p);
    snap.set(rel, e);
    if (kind === 'dir') for (const d of fs.readdir(p)) walk(rel ? `${rel}/${d.name}` : d.name);
  };
  walk('');
  return snap;
}

/** An Inode tree as it is stored (an upper layer: whiteouts and opaque flags included). */
export function snapshotTree(root: Inode): Snapshot {
  const snap: Snapshot = new Map();
  const walk = (n: Inode, rel: string): void => {
    const e: Entry = {
      kind: n.kind,
      mode: n.mode,
      uid: n.uid,
      gid: n.gid,
      size: n.kind === 'dir' ? dirSize(n) : n.size,
      nlink: n.nlink,
      ino: n.ino,
      mtimeMs: n.mtimeMs,
      rdev: n.kind === 'chardev' || n.kind === 'blockdev' ? `${major(n.rdev)}:${minor(n.rdev)}` : '',
      xattrs: [...(n.xattrs ?? [])]
        .filter(([k]) => k.startsWith('user.'))
        .map(([k, v]) => `${k}=${hex(v)}`)
        .sort()
        .join(','),
    };
    if (n.kind === 'dir') e.opaque = n.opaque;
    if (n.kind === 'file') e.sha = sha(n.content());
    if (n.kind === 'symlink') e.target = n.target!;
    snap.set(rel, e);
    if (n.entries) for (const [name, c] of n.entries) walk(c, rel ? `${rel}/${name}` : name);
  };
  walk(root, '');
  return snap;
}

export interface CompareOptions {
  /** Fields not compared. */
  skip?: (keyof Entry)[];
  /** Directory sizes count whiteouts on the overlay side: not comparable with a flattened tree. */
  skipDirSize?: boolean;
  /** Compare st_ino as a bijection between the two sides (kernel numbers differ from ours). */
  inoMap?: { k2o: Map<number, number>; o2k: Map<number, number> };
}

/**
 * Differences between a kernel snapshot and ours. Times: an old time (before 2020,
 * i.e. from a layer or utimes) must match exactly; a recent one (set by a change) only
 * needs to be recent on both sides.
 */
export function compareSnapshots(kernel: Snapshot, ours: Snapshot, opts: CompareOptions = {}): string[] {
  const diffs: string[] = [];
  const skip = new Set(opts.skip ?? []);
  for (const [p, k] of kernel) {
    const o = ours.get(p);
    if (o === undefined) {
      diffs.push(`${p || '/'}: only in kernel (${k.kind})`);
      continue;
    }
    const fields: (keyof Entry)[] = [
      'kind',
      'mode',
      'uid',
      'gid',
      'size',
      'nlink',
      'rdev',
      'sha',
      'target',
      'xattrs',
      'opaque',
    ];
    for (const f of fields) {
      if (skip.has(f)) continue;
      if (k.kind === 'whiteout' && f !== 'kind') continue;
      if (f === 'size' && k.kind === 'dir' && opts.skipDirSize) continue;
      if (k[f] !== o[f]) diffs.push(`${p || '/'}: ${f} kernel=${fmt(k[f])} ours=${fmt(o[f])}`);
    }
    if (!skip.has('mtimeMs') && k.kind !== 'whiteout') {
      const kOld = k.mtimeMs < OLD;
      if (kOld ? o.mtimeMs !== k.mtimeMs : o.mtimeMs < OLD) {
        diffs.push(
          `${p || '/'}: mtime kernel=${new Date(k.mtimeMs).toISOString()} ours=${new Date(o.mtimeMs).toISOString()}`,
        );
      }
    }
    if (opts.inoMap && k.kind !== 'whiteout') {
      const { k2o, o2k } = opts.inoMap;
      const mo = k2o.get(k.ino);
      const mk = o2k.get(o.ino);
      if ((mo !== undefined && mo !== o.ino) || (mk !== undefined && mk !== k.ino)) {
        diffs.push(`${p || '/'}: st_ino mapping differs (kernel ${k.ino}→${mo}, ours ${o.ino}→${mk})`);
      } else {
        k2o.set(k.ino, o.ino);
        o2k.set(o.ino, k.ino);
      }
    }
  }
  for (const [p, o] of ours) if (!kernel.has(p)) diffs.push(`${p || '/'}: only in ours (${o.kind})`);
  return diffs;
}

function fmt(v: unknown): string {
  return typeof v === 'number' && v > 7 ? `${v} (0o${v.toString(8)})` : String(v);
}
