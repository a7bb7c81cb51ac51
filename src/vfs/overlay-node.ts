/**
 * One path of a mounted overlay, like an overlayfs dentry: its upper inode (if any) and
 * its merged lower view (if any), with a lookup cache of its children.
 *
 * The cache holds one node per existing path that has been looked up, so two lookups
 * of a path give the same node. Every change to a directory's entries goes through
 * OverlayFs, which drops the changed names from the cache (`forget`); copy-up only sets
 * `upper`, which keeps every cached child valid.
 */
import type { Dirent, FileKind } from './filesystem.js';
import type { Inode, InodeKind } from './inode.js';
import type { LowerNode } from './overlay-lower.js';

export class OvlNode {
  children: Map<string, OvlNode> | null = null;

  constructor(
    readonly parent: OvlNode | null,
    readonly name: string,
    readonly kind: InodeKind,
    /** The upper inode once the path exists in the upper layer (after creation or copy-up). */
    public upper: Inode | null,
    /** The lower view: for a directory, what merges below `upper`; null for pure-upper paths. */
    readonly lower: LowerNode | null,
  ) {}

  /** The child `name`, as overlayfs looks it up: upper first, then the lowers unless hidden. */
  child(name: string): OvlNode | null {
    const kids = this.children;
    if (kids !== null) {
      const hit = kids.get(name);
      if (hit !== undefined) return hit;
    }
    const node = this.computeChild(name);
    if (node !== null) (this.children ??= new Map()).set(name, node);
    return node;
  }

  private computeChild(name: string): OvlNode | null {
    const up = this.upper?.entries?.get(name);
    if (up !== undefined) {
      if (up.kind === 'whiteout') return null;
      // An upper non-directory, or an opaque directory, hides everything below.
      if (up.kind !== 'dir' || up.opaque) return new OvlNode(this, name, up.kind, up, null);
      const low = this.lower?.child(name) ?? null;
      return new OvlNode(this, name, 'dir', up, low !== null && low.top.kind === 'dir' ? low : null);
    }
    const low = this.lower?.child(name) ?? null;
    return low === null ? null : new OvlNode(this, name, low.top.kind, null, low);
  }

  /** Drop `name` from the lookup cache after its entry changed. */
  forget(name: string): void {
    this.children?.delete(name);
  }

  /** Whether `name` exists in the lowers below this directory (so removing it needs a whiteout). */
  lowerHas(name: string): boolean {
    return this.lower !== null && this.lower.child(name) !== null;
  }

  /** The merged listing: upper entries, then lower ones the upper neither has nor whites out. */
  listing(): Dirent[] {
    const out: Dirent[] = [];
    const up = this.upper?.entries ?? null;
    if (up !== null) {
      for (const [name, e] of up)
        if (e.kind !== 'whiteout') out.push({ name, kind: e.kind as FileKind, ino: e.ino });
    }
    if (this.lower !== null) {
      for (const d of this.lower.listing()) if (up === null || !up.has(d.name)) out.push({ ...d });
    }
    return out;
  }

  isEmptyDir(): boolean {
    const up = this.upper?.entries ?? null;
    if (up !== null) for (const e of up.values()) if (e.kind !== 'whiteout') return false;
    if (this.lower !== null) {
      for (const d of this.lower.listing()) if (up === null || !up.has(d.name)) return false;
    }
    return true;
  }
}
