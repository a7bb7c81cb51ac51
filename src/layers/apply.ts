/**
 * OCI layer application into a mutable merged tree (no whiteouts or opaque flags
 * remain): a whiteout deletes, an opaque dir drops the existing children first, a
 * non-directory replaces whatever was there, a directory merges into an existing one.
 * The layer tree is never modified: inodes are copied (file data buffers are shared,
 * so whoever writes a merged file in place must copy its data first).
 */
import { InvalidArgumentError } from '../errors.js';
import { Inode } from '../vfs/inode.js';
import { isImplicitDir } from './implicit.js';

export function applyLayer(target: Inode, layer: Inode): void {
  if (target.kind !== 'dir' || layer.kind !== 'dir') {
    throw new InvalidArgumentError('applyLayer: target and layer must both be directories');
  }
  mergeDir(target, layer, new Map());
}

function mergeDir(dst: Inode, src: Inode, copies: Map<Inode, Inode>): void {
  const entries = dst.entries!;
  if (src.opaque) for (const name of [...entries.keys()]) remove(dst, name);
  if (!isImplicitDir(src)) copyMeta(src, dst);
  for (const [name, child] of src.entries!) {
    if (child.kind === 'whiteout') {
      remove(dst, name);
      continue;
    }
    const existing = entries.get(name);
    if (child.kind === 'dir') {
      let dir = existing;
      if (dir?.kind !== 'dir') {
        remove(dst, name);
        dir = new Inode('dir', child.mode);
        copyMeta(child, dir);
        entries.set(name, dir);
        dst.nlink++;
      }
      mergeDir(dir, child, copies);
      continue;
    }
    if (existing) remove(dst, name);
    let copy = copies.get(child);
    if (!copy) {
      copy = copyLeaf(child);
      copies.set(child, copy);
    }
    copy.nlink++;
    entries.set(name, copy);
  }
}

function remove(dir: Inode, name: string): void {
  const old = dir.entries!.get(name);
  if (!old) return;
  dir.entries!.delete(name);
  if (old.kind === 'dir') dir.nlink--;
  else old.nlink--;
}

function copyMeta(src: Inode, dst: Inode): void {
  dst.mode = src.mode;
  dst.uid = src.uid;
  dst.gid = src.gid;
  dst.atimeMs = src.atimeMs;
  dst.mtimeMs = src.mtimeMs;
  dst.ctimeMs = src.ctimeMs;
  dst.xattrs = src.xattrs ? new Map(src.xattrs) : null;
}

/** A fresh inode (own ino) with the leaf's metadata and content; nlink starts at 0. */
function copyLeaf(src: Inode): Inode {
  const n = new Inode(src.kind, src.mode);
  copyMeta(src, n);
  n.nlink = 0;
  n.data = src.data;
  n.size = src.size;
  n.target = src.target;
  n.rdev = src.rdev;
  return n;
}
