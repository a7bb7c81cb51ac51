/**
 * Directories of a layer tree that had no tar entry of their own (parents created for
 * deeper entries, and the root unless the tar holds './'). Their metadata are defaults,
 * so applying the layer leaves an existing directory's metadata alone, and writing the
 * tree back out omits them. Kept beside the tree (not in Inode) since only layers care.
 */
import type { Inode } from '../vfs/inode.js';

const implicitDirs = new WeakSet<Inode>();

export function markImplicitDir(dir: Inode, implicit = true): void {
  if (implicit) implicitDirs.add(dir);
  else implicitDirs.delete(dir);
}

export function isImplicitDir(dir: Inode): boolean {
  return implicitDirs.has(dir);
}
