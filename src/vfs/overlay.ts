/**
 * OverlayFs: Linux overlayfs semantics over immutable lower layers and a private,
 * mutable upper layer, configured like the kernel default on this project's hosts:
 * redirect_dir=off, index=off, metacopy=off, xino=off, all layers on one filesystem.
 * docs/overlay.md lists the rules and the few deliberate differences.
 *
 * - Lookup goes through the upper layer, then the lowers top first; a whiteout hides the
 *   name below it, an opaque directory hides everything below it.
 * - Any change copies the path up first (overlay-copyup.ts).
 * - Removing a name that exists in the lowers leaves a whiteout in the upper layer;
 *   creating over an upper whiteout replaces it, and a directory made there is opaque.
 * - Renaming a directory that exists in a lower layer is EXDEV (no redirect_dir);
 *   a pure-upper directory moved into a merged parent becomes opaque.
 * - Merged directories (upper and lower, or several lowers) report st_nlink 1.
 *
 * Mounting costs a few hundred bytes: the lower view is shared between all mounts of a
 * layer stack (overlay-lower.ts), the upper root is made on first use, and lookups are
 * cached per path as they happen.
 */
import { FsError } from './errno.js';
import type { Dirent, Stat } from './filesystem.js';
import { Inode, allocIno, type InodeKind } from './inode.js';
import { inodeStat } from './inode-attr.js';
import { copyXattrs } from './inode-xattr.js';
import { InvalidArgumentError } from '../errors.js';
import { copyUp, isOverlayXattr } from './overlay-copyup.js';
import { lowerStack, type LowerNode } from './overlay-lower.js';
import { OvlNode } from './overlay-node.js';
import { PathFs, type FsOptions } from './path-fs.js';
import { attachEntry, detachEntry, moveEntry } from './tree.js';

export interface RootAttrs {
  mode: number;
  uid: number;
  gid: number;
  atimeMs: number;
  mtimeMs: number;
}

export interface OverlayOptions extends FsOptions {
  /**
   * Attributes of the upper root (the upperdir), which the mount's root shows.
   * Default: those of the top layer's root, xattrs included (or 0755 root:root with no layers).
   */
  root?: Partial<RootAttrs>;
  /**
   * An existing upper directory tree to use (mount -t overlay … upperdir=DIR): changes go
   * into it, and what it already holds shows above the lowers. Default: a new empty one.
   */
  upper?: Inode;
}

export class OverlayFs extends PathFs<OvlNode> {
  private readonly root: OvlNode;
  private readonly rootIno = allocIno();
  private upperRoot: Inode | null = null;
  private readonly rootAttrs: Partial<RootAttrs> | undefined;

  /**
   * @param lowers immutable layer trees, index 0 the top (like the leftmost lowerdir). They are
   *   shared, never changed, and may be mounted by any number of OverlayFs at once.
   */
  constructor(
    readonly lowers: readonly Inode[],
    options: OverlayOptions = {},
  ) {
    super(options);
    this.root = new OvlNode(null, '', 'dir', options.upper ?? null, lowerStack(lowers));
    this.rootAttrs = options.root;
    if (options.upper !== undefined) {
      if (options.upper.kind !== 'dir') throw new InvalidArgumentError('overlay upper is not a directory');
      this.upperRoot = options.upper;
    }
  }

  /**
   * The upper layer: a directory tree holding what changed, with kind 'whiteout' inodes for
   * deleted names and `opaque` directories, exactly as overlayfs writes its upperdir.
   * It is made (empty) on first use.
   */
  get upper(): Inode {
    return this.ensureUpperRoot();
  }

  private ensureUpperRoot(): Inode {
    if (this.upperRoot !== null) return this.upperRoot;
    const base = this.lowers[0];
    const a = this.rootAttrs ?? {};
    const r = new Inode('dir', a.mode ?? base?.mode ?? 0o755, this.rootIno);
    r.uid = a.uid ?? base?.uid ?? 0;
    r.gid = a.gid ?? base?.gid ?? 0;
    const now = this.now();
    r.atimeMs = a.atimeMs ?? base?.atimeMs ?? now;
    r.mtimeMs = a.mtimeMs ?? base?.mtimeMs ?? now;
    r.ctimeMs = now;
    if (base !== undefined && this.rootAttrs === undefined)
      r.xattrs = copyXattrs(base.xattrs, isOverlayXattr);
    this.upperRoot = r;
    this.root.upper = r;
    return r;
  }

  private up(node: OvlNode): Inode {
    return copyUp(node, () => this.ensureUpperRoot(), this.now());
  }

  /** Whether a directory merges layers (overlayfs's OVL_TYPE_MERGE). */
  private isMerged(node: OvlNode): boolean {
    const low = node.lower;
    return low !== null && (node.upper !== null || node === this.root || low.layerCount > 1);
  }

  // ---- WalkHost ----

  rootNode(): OvlNode {
    return this.root;
  }

  lookupChild(dir: OvlNode, name: string): OvlNode | null {
    return dir.child(name);
  }

  kindOf(node: OvlNode): InodeKind {
    return node.kind;
  }

  linkTarget(node: OvlNode): string {
    return this.inodeOf(node).target ?? '';
  }

  // ---- storage half ----

  protected inodeOf(node: OvlNode): Inode {
    return node.upper ?? (node === this.root ? this.ensureUpperRoot() : node.lower!.top);
  }

  protected writable(node: OvlNode): Inode {
    return this.up(node);
  }

  protected statNode(node: OvlNode): Stat {
    const inode = node.upper ?? (node === this.root ? this.ensureUpperRoot() : node.lower!.top);
    // "nlink=1 seems to pacify 'find'": overlayfs does not count a merged directory's subdirectories.
    const nlink = inode.kind === 'dir' && this.isMerged(node) ? 1 : inode.nlink;
    return inodeStat(inode, this.dev, inode.ino, nlink);
  }

  protected listDir(dir: OvlNode): Dirent[] {
    return dir.listing();
  }

  protected dirIsEmpty(dir: OvlNode): boolean {
    return dir.isEmptyDir();
  }

  protected insert(dir: OvlNode, name: string, inode: Inode): void {
    const ud = this.up(dir);
    const prev = ud.entries!.get(name);
    // A directory made where the upper layer has a whiteout must not show what lies below.
    if (inode.kind === 'dir' && prev !== undefined && prev.kind === 'whiteout') inode.opaque = true;
    attachEntry(ud, name, inode, this.now());
    dir.forget(name);
  }

  protected addLink(node: OvlNode, dir: OvlNode, name: string): void {
    const u = this.up(node);
    const ud = this.up(dir);
    const now = this.now();
    u.nlink++;
    u.ctimeMs = now;
    attachEntry(ud, name, u, now);
    dir.forget(name);
  }

  protected remove(dir: OvlNode, name: string): void {
    const ud = this.up(dir);
    detachEntry(ud, name, this.now(), dir.lowerHas(name));
    dir.forget(name);
  }

  protected move(
    oldDir: OvlNode,
    oldName: string,
    node: OvlNode,
    newDir: OvlNode,
    newName: string,
    target: OvlNode | null,
  ): void {
    // Without redirect_dir, a directory with lower parts cannot move (userspace copies it).
    if (node.kind === 'dir' && node.lower !== null) throw new FsError('EXDEV', 'rename', oldName);
    // Like the kernel, a merged target is checked first; a pure-upper one only by the upper
    // rename itself, after the copy-ups and the opaque marking (which stay if it fails).
    const targetDir = target !== null && target.kind === 'dir' ? target : null;
    const pureUpper = targetDir !== null && targetDir.upper !== null && targetDir.lower === null;
    if (targetDir !== null && !pureUpper && !targetDir.isEmptyDir())
      throw new FsError('ENOTEMPTY', 'rename', newName);
    const u = this.up(node);
    const uo = this.up(oldDir);
    const un = this.up(newDir);
    // Lower entries may exist under the new name: a directory moved into a merged one hides them.
    if (u.kind === 'dir' && newDir.lower !== null) u.opaque = true;
    if (pureUpper && targetDir.upper!.entries!.size > 0) throw new FsError('ENOTEMPTY', 'rename', newName);
    moveEntry(uo, oldName, un, newName, this.now(), oldDir.lowerHas(oldName));
    oldDir.forget(oldName);
    newDir.forget(newName);
  }

  protected sameInode(a: OvlNode, b: OvlNode): boolean {
    return a === b || (a.upper !== null && a.upper === b.upper);
  }

  protected override checkMknod(kind: InodeKind, rdev: number, path: string): void {
    if (kind === 'chardev' && rdev === 0)
      throw new FsError('EPERM', 'mknod', path, 'a 0:0 device is a whiteout');
  }

  protected override isPrivateXattr(name: string): boolean {
    return isOverlayXattr(name);
  }

  /** The lower view at the root (shared between mounts), for diagnostics and tests. */
  get lowerRoot(): LowerNode | null {
    return this.root.lower;
  }
}
