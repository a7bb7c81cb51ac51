/** A canonical, comparable description of an inode tree (inode numbers left out). */
import { createHash } from 'node:crypto';
import { isImplicitDir } from '../../src/layers/implicit.js';
import type { Inode } from '../../src/vfs/inode.js';

export interface NodeInfo {
  path: string;
  kind: string;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  nlink: number;
  size: number;
  content?: string;
  target?: string | null;
  rdev?: number;
  xattrs?: Record<string, string>;
  opaque?: boolean;
  implicit?: boolean;
  /** Path of the first name of the same inode, when this is a second name. */
  sameAs?: string;
}

export function describeTree(root: Inode): NodeInfo[] {
  const out: NodeInfo[] = [];
  const first = new Map<Inode, string>();
  const visit = (n: Inode, path: string) => {
    const info: NodeInfo = {
      path,
      kind: n.kind,
      mode: n.mode,
      uid: n.uid,
      gid: n.gid,
      mtimeMs: n.mtimeMs,
      nlink: n.nlink,
      size: n.size,
    };
    if (first.has(n)) info.sameAs = first.get(n);
    else first.set(n, path);
    if (n.kind === 'file') info.content = createHash('sha256').update(n.content()).digest('hex');
    if (n.kind === 'symlink') info.target = n.target;
    if (n.kind === 'chardev' || n.kind === 'blockdev') info.rdev = n.rdev;
    if (n.xattrs?.size) {
      info.xattrs = Object.fromEntries([...n.xattrs].map(([k, v]) => [k, Buffer.from(v).toString('hex')]));
    }
    if (n.kind === 'dir') {
      info.opaque = n.opaque;
      info.implicit = isImplicitDir(n);
    }
    out.push(info);
    if (n.kind === 'dir') {
      for (const name of [...n.entries!.keys()].sort())
        visit(n.entries!.get(name)!, `${path}${name}${n.entries!.get(name)!.kind === 'dir' ? '/' : ''}`);
    }
  };
  visit(root, '/');
  return out;
}

/** Walks a path of names from a directory. */
export function lookup(root: Inode, path: string): Inode | undefined {
  let n: Inode | undefined = root;
  for (const p of path.split('/').filter(Boolean)) n = n?.entries?.get(p);
  return n;
}
