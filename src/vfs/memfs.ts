/**
 * MemFs: a tmpfs-like filesystem over one mutable Inode tree. The same tree code
 * (tree.ts, inode-*.ts) runs the overlay's upper layer.
 */
import { FsError } from './errno.js';
import type { Dirent, FileKind, Stat } from './filesystem.js';
import { inodeStat } from './inode-attr.js';
import { Inode, type InodeKind } from './inode.js';
import { PathFs, type FsOptions } from './path-fs.js';
import { attachEntry, detachEntry, moveEntry } from './tree.js';

export class MemFs extends PathFs<Inode> {
  /** The tree; it may be read (and, between calls, changed) directly. */
  readonly root: Inode;

  /** @param root an existing directory tree to use in place (default: an empty 0755 root). */
  constructor(root?: Inode, options: FsOptions = {}) {
    super(options);
    if (root !== undefined && root.kind !== 'dir') throw new FsError('ENOTDIR', 'mount');
    this.root = root ?? MemFs.emptyRoot(this.now());
  }

  private static emptyRoot(now: number): Inode {
    const r = new Inode('dir', 0o755);
    r.atimeMs = r.mtimeMs = r.ctimeMs = now;
    return r;
  }

  rootNode(): Inode {
    return this.root;
  }

  lookupChild(dir: Inode, name: string): Inode | null {
    const e = dir.entries!.get(name);
    return e === undefined || e.kind === 'whiteout' ? null : e;
  }

  kindOf(node: Inode): InodeKind {
    return node.kind;
  }

  linkTarget(node: Inode): string {
    return node.target ?? '';
  }

  protected inodeOf(node: Inode): Inode {
    return node;
  }

  protected writable(node: Inode): Inode {
    return node;
  }

  protected statNode(node: Inode): Stat {
    return inodeStat(node, this.dev, node.ino, node.nlink);
  }

  protected listDir(dir: Inode): Dirent[] {
    const out: Dirent[] = [];
    for (const [name, e] of dir.entries!) {
      if (e.kind !== 'whiteout') out.push({ name, kind: e.kind as FileKind, ino: e.ino });
    }
    return out;
  }

  protected dirIsEmpty(dir: Inode): boolean {
    for (const e of dir.entries!.values()) if (e.kind !== 'whiteout') return false;
    return true;
  }

  protected insert(dir: Inode, name: string, inode: Inode): void {
    attachEntry(dir, name, inode, this.now());
  }

  protected addLink(node: Inode, dir: Inode, name: string): void {
    const now = this.now();
    node.nlink++;
    node.ctimeMs = now;
    attachEntry(dir, name, node, now);
  }

  protected remove(dir: Inode, name: string): void {
    detachEntry(dir, name, this.now(), false);
  }

  protected move(
    oldDir: Inode,
    oldName: string,
    _node: Inode,
    newDir: Inode,
    newName: string,
    target: Inode | null,
  ): void {
    if (target !== null && target.kind === 'dir' && !this.dirIsEmpty(target)) {
      throw new FsError('ENOTEMPTY', 'rename', newName);
    }
    moveEntry(oldDir, oldName, newDir, newName, this.now(), false);
  }

  protected sameInode(a: Inode, b: Inode): boolean {
    return a === b;
  }
}
