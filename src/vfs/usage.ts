/**
 * How many bytes a tree of inodes holds (file contents, symlink targets, a little per
 * inode), counting a hard-linked inode once — what a tmpfs or an overlay upper layer
 * charges to a memory cgroup.
 */
import type { Inode } from './inode.js';

/** Bookkeeping per inode, roughly what Linux's shmem inode costs. */
export const INODE_BYTES = 128;

export function treeBytes(root: Inode): number {
  return walk(
    root,
    (n) => INODE_BYTES + (n.kind === 'file' ? n.size : n.kind === 'symlink' ? (n.target ?? '').length : 0),
  );
}

/** File contents only: what a tmpfs size= limit counts. */
export function fileBytes(root: Inode): number {
  return walk(root, (n) => (n.kind === 'file' ? n.size : 0));
}

/** Sum `cost` over every inode of the tree, each once. */
function walk(root: Inode, cost: (n: Inode) => number): number {
  const seen = new Set<Inode>();
  let total = 0;
  const stack: Inode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    total += cost(n);
    if (n.entries !== null) for (const child of n.entries.values()) stack.push(child);
  }
  return total;
}

/** How many inodes the tree holds (what statfs reports as files in use). */
export function inodeCount(root: Inode): number {
  return walk(root, () => 1);
}
