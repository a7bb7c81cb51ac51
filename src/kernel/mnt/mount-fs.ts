/**
 * The FileSystem a process sees through its mount namespace, from its root directory.
 * Paths are walked here with berth's resolver (src/vfs/resolve.ts) one component at a
 * time across mounts: entering a mount point switches to the mounted filesystem, `..`
 * comes back out of it, and symlinks — absolute ones restart at this view's root — may
 * lead anywhere in the namespace but never above the root. Each call then goes to the
 * filesystem that owns the resolved path, with Linux's rules for mounts: EROFS on a
 * read-only mount, EXDEV for rename or link across mounts, EBUSY for removing or
 * renaming a mount point.
 */
import { FsError } from '../../vfs/errno.js';
import {
  O_ACCMODE,
  O_CREAT,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_TRUNC,
  type Dirent,
  type FileHandle,
  type FileSystem,
  type NoFollow,
  type SetXattrOptions,
  type Stat,
  type TimeSpec,
  type WriteFileOptions,
} from '../../vfs/filesystem.js';
import type { InodeKind } from '../../vfs/inode.js';
import { S_IFMT } from '../../vfs/inode.js';
import { LookupMode, resolvePath, type Resolved, type WalkHost } from '../../vfs/resolve.js';
import type { Mount, MountNamespace } from './mount-namespace.js';

/** A resolved place: the mount, the path inside its filesystem, the path in the namespace. */
export interface MountNode {
  mount: Mount;
  path: string;
  nsPath: string;
  kind: InodeKind;
  /** The filesystem's own node, when it offers node-level lookups (see walkerOf). */
  inner?: unknown;
}

/**
 * A filesystem that exposes berth's walker interface (MemFs, OverlayFs, SyntheticFs): the
 * walk can then step node by node (O(1) per component) instead of an lstat of the whole
 * prefix per component.
 */
function walkerOf(fs: FileSystem): WalkHost<unknown> | null {
  const w = fs as Partial<WalkHost<unknown>>;
  return typeof w.rootNode === 'function' &&
    typeof w.lookupChild === 'function' &&
    typeof w.kindOf === 'function' &&
    typeof w.linkTarget === 'function'
    ? (fs as unknown as WalkHost<unknown>)
    : null;
}

/** The node of `root` inside mount `m`'s filesystem, if it walks by nodes. */
function innerRoot(m: Mount): unknown {
  const w = walkerOf(m.fs);
  if (w === null) return undefined;
  if (m.root === '/') return w.rootNode();
  try {
    return resolvePath(w, m.root, LookupMode.Follow, 'mount').node ?? undefined;
  } catch {
    return undefined;
  }
}

const KIND_OF_MODE: Record<number, InodeKind> = {
  0o040000: 'dir',
  0o100000: 'file',
  0o120000: 'symlink',
  0o020000: 'chardev',
  0o060000: 'blockdev',
  0o010000: 'fifo',
  0o140000: 'socket',
};

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export class MountFs implements FileSystem, WalkHost<MountNode> {
  constructor(
    readonly ns: MountNamespace,
    /** The namespace path of this view's root. */
    readonly rootPath: string,
  ) {}

  /**
   * The filesystem itself when the namespace is one mount seen from its root — the usual
   * case for a plain process — so calls skip the cross-mount walk (same results: a single
   * filesystem resolves paths by the same rules).
   */
  private direct(): FileSystem | null {
    const list = this.ns.mounts();
    if (list.length !== 1 || this.rootPath !== '/') return null;
    const m = list[0]!;
    return m.root === '/' && !m.readOnly ? m.fs : null;
  }

  rootNode(): MountNode {
    const m = this.ns.covering(this.rootPath);
    const rest = this.rootPath.slice(m.mountpoint === '/' ? 0 : m.mountpoint.length);
    const path = m.root === '/' ? rest || '/' : m.root + (rest === '/' ? '' : rest);
    const node: MountNode = { mount: m, path: path || '/', nsPath: this.rootPath, kind: 'dir' };
    const w = walkerOf(m.fs);
    if (w !== null && (path || '/') === m.root) node.inner = innerRoot(m);
    else if (w !== null)
      node.inner = resolvePath(w, path || '/', LookupMode.Follow, 'chroot').node ?? undefined;
    return node;
  }

  lookupChild(dir: MountNode, name: string): MountNode | null {
    const nsPath = join(dir.nsPath, name);
    const mounted = this.ns.at(nsPath);
    if (mounted !== undefined) {
      const inner = innerRoot(mounted);
      const w = walkerOf(mounted.fs);
      const kind =
        w !== null && inner !== undefined
          ? w.kindOf(inner)
          : (KIND_OF_MODE[mounted.fs.lstat(mounted.root).mode & S_IFMT] ?? 'file');
      return { mount: mounted, path: mounted.root, nsPath, kind, inner };
    }
    const path = join(dir.path, name);
    const w = walkerOf(dir.mount.fs);
    if (w !== null && dir.inner !== undefined) {
      const child = w.lookupChild(dir.inner, name);
      return child === null ? null : { mount: dir.mount, path, nsPath, kind: w.kindOf(child), inner: child };
    }
    try {
      const st = dir.mount.fs.lstat(path);
      return { mount: dir.mount, path, nsPath, kind: KIND_OF_MODE[st.mode & S_IFMT] ?? 'file' };
    } catch {
      return null;
    }
  }

  kindOf(node: MountNode): InodeKind {
    return node.kind;
  }

  linkTarget(node: MountNode): string {
    const w = walkerOf(node.mount.fs);
    if (w !== null && node.inner !== undefined) return w.linkTarget(node.inner);
    return node.mount.fs.readlink(node.path);
  }

  private resolve(path: string, mode: LookupMode, syscall: string): Resolved<MountNode> {
    return resolvePath(this, path, mode, syscall);
  }

  /** The existing node at `path`. */
  private node(path: string, mode: LookupMode, syscall: string): MountNode {
    const r = this.resolve(path, mode, syscall);
    if (r.node === null) throw new FsError('ENOENT', syscall, path);
    if (r.slash && r.node.kind !== 'dir') throw new FsError('ENOTDIR', syscall, path);
    return r.node;
  }

  /** Where `path`'s last component is or would be: its parent node and name. */
  private place(
    path: string,
    syscall: string,
  ): { parent: MountNode; name: string; node: MountNode | null; special: boolean } {
    const r = this.resolve(path, LookupMode.Parent, syscall);
    const parent = r.stack[r.stack.length - 1];
    const special = r.name === '' || r.type !== 0 || parent === undefined;
    return { parent: parent ?? r.node!, name: r.name, node: r.node, special };
  }

  private ro(m: Mount, syscall: string, path: string): void {
    if (m.readOnly) throw new FsError('EROFS', syscall, path);
  }

  /** A mount point (the root of a mount other than this view's root) cannot be removed or renamed. */
  private busy(node: MountNode | null, syscall: string, path: string): void {
    if (node !== null && this.ns.at(node.nsPath) !== undefined) throw new FsError('EBUSY', syscall, path);
  }

  /** Stat a resolved node: straight from the filesystem's node when it can, else by path. */
  private statNodeOf(n: MountNode, noFollow: boolean): Stat {
    const fs = n.mount.fs as FileSystem & { statOf?: (node: unknown) => Stat };
    if (n.inner !== undefined && typeof fs.statOf === 'function') return fs.statOf(n.inner);
    return noFollow ? fs.lstat(n.path) : fs.stat(n.path);
  }

  /** Namespace path of an existing `path` (mount targets must be resolved, like Linux). */
  resolveMountpoint(path: string, syscall: string): string {
    return this.node(path, LookupMode.Follow, syscall).nsPath;
  }

  /** The mount and inner path of an existing `path`. */
  locate(path: string, syscall: string): MountNode {
    return this.node(path, LookupMode.Follow, syscall);
  }

  stat(path: string): Stat {
    const d = this.direct();
    if (d !== null) return d.stat(path);
    return this.statNodeOf(this.node(path, LookupMode.Follow, 'stat'), false);
  }

  lstat(path: string): Stat {
    const d = this.direct();
    if (d !== null) return d.lstat(path);
    return this.statNodeOf(this.node(path, LookupMode.NoFollow, 'lstat'), true);
  }

  readdir(path: string): Dirent[] {
    const d = this.direct();
    if (d !== null) return d.readdir(path);
    const n = this.node(path, LookupMode.Follow, 'readdir');
    return n.mount.fs.readdir(n.path);
  }

  mkdir(path: string, mode?: number): void {
    const d = this.direct();
    if (d !== null) return d.mkdir(path, mode);
    const p = this.place(path, 'mkdir');
    if (p.special || p.node !== null) throw new FsError('EEXIST', 'mkdir', path);
    this.ro(p.parent.mount, 'mkdir', path);
    p.parent.mount.fs.mkdir(join(p.parent.path, p.name), mode);
  }

  rmdir(path: string): void {
    const d = this.direct();
    if (d !== null) return d.rmdir(path);
    const p = this.place(path, 'rmdir');
    if (p.special)
      return this.node(path, LookupMode.Parent, 'rmdir').mount.fs.rmdir(path.endsWith('..') ? '/..' : '/.');
    if (p.node === null) throw new FsError('ENOENT', 'rmdir', path);
    this.busy(p.node, 'rmdir', path);
    this.ro(p.parent.mount, 'rmdir', path);
    p.parent.mount.fs.rmdir(join(p.parent.path, p.name));
  }

  unlink(path: string): void {
    const d = this.direct();
    if (d !== null) return d.unlink(path);
    const p = this.place(path, 'unlink');
    if (p.special) throw new FsError('EISDIR', 'unlink', path);
    if (p.node === null) throw new FsError('ENOENT', 'unlink', path);
    this.busy(p.node, 'unlink', path);
    this.ro(p.parent.mount, 'unlink', path);
    p.parent.mount.fs.unlink(join(p.parent.path, p.name) + (path.endsWith('/') ? '/' : ''));
  }

  rename(oldPath: string, newPath: string): void {
    const d = this.direct();
    if (d !== null) return d.rename(oldPath, newPath);
    const a = this.place(oldPath, 'rename');
    const b = this.place(newPath, 'rename');
    if (a.special || b.special) throw new FsError('EBUSY', 'rename', oldPath);
    if (a.node === null) throw new FsError('ENOENT', 'rename', oldPath);
    this.busy(a.node, 'rename', oldPath);
    this.busy(b.node, 'rename', newPath);
    if (a.parent.mount !== b.parent.mount) throw new FsError('EXDEV', 'rename', oldPath);
    this.ro(a.parent.mount, 'rename', oldPath);
    a.parent.mount.fs.rename(
      join(a.parent.path, a.name) + (oldPath.endsWith('/') ? '/' : ''),
      join(b.parent.path, b.name) + (newPath.endsWith('/') ? '/' : ''),
    );
  }

  link(existingPath: string, newPath: string): void {
    const d = this.direct();
    if (d !== null) return d.link(existingPath, newPath);
    const src = this.node(existingPath, LookupMode.NoFollow, 'link');
    const p = this.place(newPath, 'link');
    if (p.special || p.node !== null) throw new FsError('EEXIST', 'link', newPath);
    if (src.mount !== p.parent.mount) throw new FsError('EXDEV', 'link', existingPath);
    this.ro(p.parent.mount, 'link', newPath);
    p.parent.mount.fs.link(src.path, join(p.parent.path, p.name));
  }

  symlink(target: string, path: string): void {
    const d = this.direct();
    if (d !== null) return d.symlink(target, path);
    if (target === '') throw new FsError('ENOENT', 'symlink', path);
    const p = this.place(path, 'symlink');
    if (p.special || p.node !== null) throw new FsError('EEXIST', 'symlink', path);
    this.ro(p.parent.mount, 'symlink', path);
    p.parent.mount.fs.symlink(target, join(p.parent.path, p.name));
  }

  readlink(path: string): string {
    const d = this.direct();
    if (d !== null) return d.readlink(path);
    const n = this.node(path, LookupMode.NoFollow, 'readlink');
    return n.mount.fs.readlink(n.path);
  }

  mknod(path: string, kind: 'fifo' | 'chardev' | 'blockdev', mode: number, rdev?: number): void {
    const d = this.direct();
    if (d !== null) return d.mknod(path, kind, mode, rdev);
    const p = this.place(path, 'mknod');
    if (p.special || p.node !== null) throw new FsError('EEXIST', 'mknod', path);
    this.ro(p.parent.mount, 'mknod', path);
    p.parent.mount.fs.mknod(join(p.parent.path, p.name), kind, mode, rdev);
  }

  private attr(path: string, options: NoFollow | undefined, syscall: string): MountNode {
    const n = this.node(path, options?.nofollow ? LookupMode.NoFollow : LookupMode.Follow, syscall);
    this.ro(n.mount, syscall, path);
    return n;
  }

  chmod(path: string, mode: number, options?: NoFollow): void {
    const d = this.direct();
    if (d !== null) return d.chmod(path, mode, options);
    const n = this.attr(path, options, 'chmod');
    n.mount.fs.chmod(n.path, mode, options);
  }

  chown(path: string, uid: number, gid: number, options?: NoFollow): void {
    const d = this.direct();
    if (d !== null) return d.chown(path, uid, gid, options);
    const n = this.attr(path, options, 'chown');
    n.mount.fs.chown(n.path, uid, gid, options);
  }

  utimes(path: string, atime: TimeSpec, mtime: TimeSpec, options?: NoFollow): void {
    const d = this.direct();
    if (d !== null) return d.utimes(path, atime, mtime, options);
    const n = this.attr(path, options, 'utimensat');
    n.mount.fs.utimes(n.path, atime, mtime, options);
  }

  truncate(path: string, length: number): void {
    const d = this.direct();
    if (d !== null) return d.truncate(path, length);
    if (length < 0) throw new FsError('EINVAL', 'truncate', path);
    const n = this.attr(path, undefined, 'truncate');
    n.mount.fs.truncate(n.path, length);
  }

  readFile(path: string): Uint8Array {
    const d = this.direct();
    if (d !== null) return d.readFile(path);
    const n = this.node(path, LookupMode.Follow, 'open');
    return n.mount.fs.readFile(n.path);
  }

  writeFile(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): void {
    const d = this.direct();
    if (d !== null) return d.writeFile(path, data, options);
    const flag = options.flag ?? 'w';
    const h = this.open(
      path,
      1 | O_CREAT | (flag === 'w' ? O_TRUNC : flag === 'wx' ? O_EXCL : 0o2000),
      options.mode,
    );
    try {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      if (flag === 'a') h.append(bytes);
      else h.write(0, bytes);
    } finally {
      h.close();
    }
  }

  open(path: string, flags: number, mode?: number): FileHandle {
    const d = this.direct();
    if (d !== null) return d.open(path, flags, mode);
    const writes = (flags & O_ACCMODE) !== O_RDONLY || (flags & (O_CREAT | O_TRUNC)) !== 0;
    if (flags & O_CREAT) {
      const p = this.place(path, 'open');
      if (p.special) throw new FsError('EISDIR', 'open', path);
      if (p.node !== null && flags & O_EXCL) throw new FsError('EEXIST', 'open', path);
      if (p.node !== null && p.node.kind === 'symlink' && !(flags & O_NOFOLLOW)) {
        // Follow it; a dangling one's target is created where it points (inside this view).
        const r = this.resolve(path, LookupMode.Follow, 'open');
        const at = r.node ?? null;
        const parent = r.stack[r.stack.length - 1]!;
        const m = at?.mount ?? parent.mount;
        if (writes) this.ro(m, 'open', path);
        return m.fs.open(at?.path ?? join(parent.path, r.name), flags, mode);
      }
      const m = p.node?.mount ?? p.parent.mount;
      if (writes) this.ro(m, 'open', path);
      return m.fs.open(
        p.node?.path ?? join(p.parent.path, p.name) + (path.endsWith('/') ? '/' : ''),
        flags,
        mode,
      );
    }
    const n = this.node(path, flags & O_NOFOLLOW ? LookupMode.NoFollow : LookupMode.Follow, 'open');
    if (writes) this.ro(n.mount, 'open', path);
    return n.mount.fs.open(n.path, flags, mode);
  }

  setxattr(path: string, name: string, value: Uint8Array, options?: SetXattrOptions): void {
    const d = this.direct();
    if (d !== null) return d.setxattr(path, name, value, options);
    const n = this.attr(path, options, 'setxattr');
    n.mount.fs.setxattr(n.path, name, value, options);
  }

  getxattr(path: string, name: string, options?: NoFollow): Uint8Array {
    const d = this.direct();
    if (d !== null) return d.getxattr(path, name, options);
    const n = this.node(path, options?.nofollow ? LookupMode.NoFollow : LookupMode.Follow, 'getxattr');
    return n.mount.fs.getxattr(n.path, name, options);
  }

  listxattr(path: string, options?: NoFollow): string[] {
    const d = this.direct();
    if (d !== null) return d.listxattr(path, options);
    const n = this.node(path, options?.nofollow ? LookupMode.NoFollow : LookupMode.Follow, 'listxattr');
    return n.mount.fs.listxattr(n.path, options);
  }

  removexattr(path: string, name: string, options?: NoFollow): void {
    const d = this.direct();
    if (d !== null) return d.removexattr(path, name, options);
    const n = this.attr(path, options, 'removexattr');
    n.mount.fs.removexattr(n.path, name, options);
  }

  realpath(path: string): string {
    const d = this.direct();
    if (d !== null) return d.realpath(path);
    const n = this.node(path, LookupMode.Follow, 'realpath');
    if (this.rootPath === '/') return n.nsPath;
    return n.nsPath === this.rootPath ? '/' : n.nsPath.slice(this.rootPath.length);
  }
}
