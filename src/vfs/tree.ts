/**
 * Changes to a mutable directory tree (a MemFs, or an overlay's upper layer): adding,
 * removing and moving entries with Linux's link-count and timestamp bookkeeping.
 * A directory's nlink is 2 plus its subdirectories; whiteouts are not directories.
 */
import { newWhiteout, touchDir } from './inode-attr.js';
import type { Inode } from './inode.js';

/** Add `child` as `name` in `dir`, replacing a whiteout there if any. */
export function attachEntry(dir: Inode, name: string, child: Inode, now: number): void {
  const prev = dir.entries!.get(name);
  if (prev !== undefined) dropLink(dir, prev, now);
  dir.entries!.set(name, child);
  if (child.kind === 'dir') dir.nlink++;
  touchDir(dir, now);
}

/** Remove entry `name` from `dir`, leaving a whiteout in its place when `whiteout` is set. */
export function detachEntry(dir: Inode, name: string, now: number, whiteout: boolean): void {
  const child = dir.entries!.get(name);
  if (child !== undefined) dropLink(dir, child, now);
  if (whiteout) dir.entries!.set(name, newWhiteout(now));
  else dir.entries!.delete(name);
  touchDir(dir, now);
}

/**
 * Move entry `oldName` of `oldDir` to `newName` of `newDir`, replacing what is there; the
 * old name is left as a whiteout when `whiteoutOld` is set.
 */
export function moveEntry(
  oldDir: Inode,
  oldName: string,
  newDir: Inode,
  newName: string,
  now: number,
  whiteoutOld: boolean,
): void {
  const node = oldDir.entries!.get(oldName)!;
  const target = newDir.entries!.get(newName);
  if (target !== undefined) dropLink(newDir, target, now);
  if (whiteoutOld) oldDir.entries!.set(oldName, newWhiteout(now));
  else oldDir.entries!.delete(oldName);
  newDir.entries!.set(newName, node);
  if (node.kind === 'dir') {
    oldDir.nlink--;
    newDir.nlink++;
  }
  node.ctimeMs = now;
  touchDir(oldDir, now);
  touchDir(newDir, now);
}

/** `child` loses the entry in `dir` that named it. */
function dropLink(dir: Inode, child: Inode, now: number): void {
  if (child.kind === 'dir') {
    dir.nlink--;
    child.nlink = 0;
  } else if (child.kind !== 'whiteout') {
    child.nlink--;
    child.ctimeMs = now;
  }
}
