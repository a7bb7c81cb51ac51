/**
 * How many bytes a tree of inodes holds (file contents, symlink targets, a little per
 * inode), counting a hard-linked inode once — what a tmpfs or an overlay upper layer
 * charges to a memory cgroup.
 */
import type { Inode } from './inode.js';

/** Bookkeeping per inode, roughly what Linux's shmem inode costs. */
export const INODE_BYTES = 128;

export function treeBytes(root: Inode): number {
  const seen = new Set<Inode>();
  let total = 0;
  const stack: Inode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    total += INODE_BYTES;
    if (n.kind === 'file') total += n.size;
    else if (n.kind === 'symlink') total += (n.target ?? '').length;
    if (n.entries !== null) for (const child of n.entries.values()) stack.push(child);
  }
  return total;
}
