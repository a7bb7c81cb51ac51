/**
 * The merged, read-only view of an overlay's lower layers, shared by every mount of the
 * same layer stack.
 *
 * A LowerNode is one path in that view: for a directory, the directories of every layer
 * that contribute to it (top first, ending at an opaque one or where a layer has a
 * whiteout or a non-directory at that path); for anything else, the topmost inode.
 * Lookups and listings are cached on the nodes; since layers never change, the caches
 * never need invalidating and one stack serves any number of mounts.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Dirent, FileKind } from './filesystem.js';
import type { Inode } from './inode.js';

export class LowerNode {
  private kids: Map<string, LowerNode> | null = null;
  private list: readonly Dirent[] | null = null;

  /**
   * @param top the visible inode (topmost layer).
   * @param below further directories merged under `top`, top first (directories only), or null.
   */
  constructor(
    readonly top: Inode,
    readonly below: readonly Inode[] | null,
  ) {}

  /** How many layers provide this path (more than one: a merged directory). */
  get layerCount(): number {
    return this.below === null ? 1 : this.below.length + 1;
  }

  /** The child `name` as overlayfs's lookup finds it through the layers, or null. */
  child(name: string): LowerNode | null {
    if (this.top.kind !== 'dir') return null;
    const hit = this.kids?.get(name);
    if (hit !== undefined) return hit;
    let top: Inode | null = null;
    let below: Inode[] | null = null;
    for (let i = -1; i < (this.below?.length ?? 0); i++) {
      const dir = i < 0 ? this.top : this.below![i]!;
      const e = dir.entries!.get(name);
      if (e === undefined) continue;
      if (e.kind === 'whiteout') break;
      if (top === null) {
        top = e;
        if (e.kind !== 'dir' || e.opaque) break;
      } else {
        // A non-directory under a directory is hidden, and ends the merge.
        if (e.kind !== 'dir') break;
        (below ??= []).push(e);
        if (e.opaque) break;
      }
    }
    if (top === null) return null; // misses are not cached: they would grow without bound
    const node = new LowerNode(top, below);
    (this.kids ??= new Map()).set(name, node);
    return node;
  }

  /** The merged directory listing: upper layers hide lower names; whiteouts hide and are hidden. */
  listing(): readonly Dirent[] {
    if (this.list !== null) return this.list;
    const out: Dirent[] = [];
    if (this.top.kind === 'dir') {
      const seen = new Set<string>();
      for (let i = -1; i < (this.below?.length ?? 0); i++) {
        const dir = i < 0 ? this.top : this.below![i]!;
        for (const [name, e] of dir.entries!) {
          if (seen.has(name)) continue;
          seen.add(name);
          if (e.kind !== 'whiteout') out.push(Object.freeze({ name, kind: e.kind as FileKind, ino: e.ino }));
        }
      }
    }
    this.list = Object.freeze(out);
    return this.list;
  }
}

interface Stack {
  lowers: readonly Inode[];
  root: LowerNode;
}

/** Stacks by top layer root, so mounts of the same layers share one view and its caches. */
const stacks = new WeakMap<Inode, Stack[]>();

/**
 * The shared view of `lowers` (index 0 = top layer, like the leftmost lowerdir), or null
 * when there are none. The roots of all layers merge (a root's opaque flag is ignored,
 * as overlayfs never looks the root up).
 */
export function lowerStack(lowers: readonly Inode[]): LowerNode | null {
  if (lowers.length === 0) return null;
  lowers.forEach((l, i) => {
    if (l.kind !== 'dir' || l.entries === null)
      throw new InvalidArgumentError(`lower layer ${i} is not a directory`);
  });
  const top = lowers[0]!;
  let list = stacks.get(top);
  const found = list?.find(
    (s) => s.lowers.length === lowers.length && s.lowers.every((l, i) => l === lowers[i]),
  );
  if (found !== undefined) return found.root;
  const root = new LowerNode(top, lowers.length > 1 ? Object.freeze(lowers.slice(1)) : null);
  if (list === undefined) stacks.set(top, (list = []));
  list.push({ lowers: Object.freeze(lowers.slice()), root });
  return root;
}
