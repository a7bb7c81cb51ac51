/**
 * The path-level half of every filesystem, like Linux's VFS: it resolves paths, applies
 * the syscall-level rules and errno order (trailing slashes, '.' and '..', EEXIST, EISDIR,
 * rename's loop and type checks, open flags, xattr names), and leaves the storage-level
 * half (lookup, create, remove, move, copy-up) to the subclass, like inode_operations.
 */
import { ROOT, type Credentials } from './cred.js';
import { FsError } from './errno.js';
import {
  O_ACCMODE,
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  type Dirent,
  type FileHandle,
  type FileSystem,
  type NoFollow,
  type SetXattrOptions,
  type Stat,
  type TimeSpec,
  type WriteFileOptions,
} from './filesystem.js';
import { InodeHandle } from './handle.js';
import { applyChmod, applyChown, applyUtimes, newInode } from './inode-attr.js';
import { readContent, truncateContent } from './inode-data.js';
import {
  checkXattrAccess,
  checkXattrArgs,
  getXattr,
  hasXattr,
  listXattrs,
  removeXattr,
  setXattr,
} from './inode-xattr.js';
import type { Inode, InodeKind } from './inode.js';
import { PATH_MAX, utf8Length } from './path.js';
import { LastType, LookupMode, resolvePath, type Resolved, type WalkHost } from './resolve.js';

export interface FsOptions {
  /** Milliseconds since the epoch for new timestamps (default Date.now). */
  clock?: () => number;
  /** Who acts: owner of new inodes; the place for permission checks (default root). */
  cred?: Credentials;
  /** st_dev (default: a number unique to this filesystem). */
  dev?: number;
}

let lastDev = 0x800;

const encoder = new TextEncoder();

export abstract class PathFs<N> implements FileSystem, WalkHost<N> {
  readonly dev: number;
  protected readonly cred: Credentials;
  private readonly clock: (() => number) | undefined;

  constructor(options: FsOptions = {}) {
    this.dev = options.dev ?? ++lastDev;
    this.cred = options.cred ?? ROOT;
    this.clock = options.clock;
  }

  now(): number {
    return this.clock ? this.clock() : Date.now();
  }

  // ---- storage half, implemented by each filesystem ----

  abstract rootNode(): N;
  abstract lookupChild(dir: N, name: string): N | null;
  abstract kindOf(node: N): InodeKind;
  abstract linkTarget(node: N): string;
  /** The inode that reads see (never to be changed: it may belong to an immutable layer). */
  protected abstract inodeOf(node: N): Inode;
  /** The inode to change, made mutable first (overlay: copied up). */
  protected abstract writable(node: N): Inode;
  protected abstract statNode(node: N): Stat;
  protected abstract listDir(dir: N): Dirent[];
  protected abstract dirIsEmpty(dir: N): boolean;
  /** Add a new inode as `name` (currently absent) in `dir`. */
  protected abstract insert(dir: N, name: string, inode: Inode): void;
  /** Add `name` in `dir` as a hard link to `node` (a non-directory). */
  protected abstract addLink(node: N, dir: N, name: string): void;
  /** Remove entry `name` of `dir`, which is `node` (an empty directory or a non-directory). */
  protected abstract remove(dir: N, name: string, node: N): void;
  /**
   * rename(2) after the VFS checks: `target` (if any) is of the same type class as `node`.
   * The filesystem checks EXDEV, then ENOTEMPTY for a directory target.
   */
  protected abstract move(
    oldDir: N,
    oldName: string,
    node: N,
    newDir: N,
    newName: string,
    target: N | null,
  ): void;
  /** Whether two names lead to the same inode (rename between them is a no-op). */
  protected abstract sameInode(a: N, b: N): boolean;
  /** Refuse an mknod the filesystem cannot hold (overlay: a 0:0 char device). */
  protected checkMknod(_kind: InodeKind, _rdev: number, _path: string): void {}
  /** Extended attributes that the filesystem keeps for itself and hides. */
  protected isPrivateXattr(_name: string): boolean {
    return false;
  }

  // ---- helpers ----

  /** The existing node at `path`: ENOENT if missing, ENOTDIR if a trailing slash follows a non-directory. */
  protected lookup(path: string, mode: LookupMode, syscall: string): N {
    const r = resolvePath(this, path, mode, syscall);
    const node = r.node;
    if (node === null) throw new FsError('ENOENT', syscall, path);
    if (r.slash && this.kindOf(node) !== 'dir') throw new FsError('ENOTDIR', syscall, path);
    return node;
  }

  private parentOf(r: Resolved<N>): N {
    return r.stack[r.stack.length - 1]!;
  }

  /** Where a new non-directory (or, with `wantDir`, directory) goes: EEXIST if taken, ENOENT for 'name/'. */
  private createAt(path: string, syscall: string, wantDir: boolean): { dir: N; name: string } {
    const r = resolvePath(this, path, LookupMode.Parent, syscall);
    if (r.type !== LastType.Norm || r.node !== null) throw new FsError('EEXIST', syscall, path);
    if (r.slash && !wantDir) throw new FsError('ENOENT', syscall, path);
    return { dir: this.parentOf(r), name: r.name };
  }

  private mode(options: NoFollow | undefined): LookupMode {
    return options?.nofollow ? LookupMode.NoFollow : LookupMode.Follow;
  }

  // ---- FileSystem ----

  /** stat(2) of a node this filesystem's walker returned (for walkers that resolved the path already). */
  statOf(node: N): Stat {
    return this.statNode(node);
  }

  stat(path: string): Stat {
    return this.statNode(this.lookup(path, LookupMode.Follow, 'stat'));
  }

  lstat(path: string): Stat {
    return this.statNode(this.lookup(path, LookupMode.NoFollow, 'lstat'));
  }

  readdir(path: string): Dirent[] {
    const node = this.lookup(path, LookupMode.Follow, 'readdir');
    if (this.kindOf(node) !== 'dir') throw new FsError('ENOTDIR', 'readdir', path);
    return this.listDir(node);
  }

  mkdir(path: string, mode = 0o755): void {
    const { dir, name } = this.createAt(path, 'mkdir', true);
    this.insert(dir, name, newInode('dir', mode & 0o1777, this.inodeOf(dir), this.cred, this.now()));
  }

  rmdir(path: string): void {
    const r = resolvePath(this, path, LookupMode.Parent, 'rmdir');
    if (r.type === LastType.DotDot) throw new FsError('ENOTEMPTY', 'rmdir', path);
    if (r.type === LastType.Dot) throw new FsError('EINVAL', 'rmdir', path);
    if (r.type === LastType.Root) throw new FsError('EBUSY', 'rmdir', path);
    const node = r.node;
    if (node === null) throw new FsError('ENOENT', 'rmdir', path);
    if (this.kindOf(node) !== 'dir') throw new FsError('ENOTDIR', 'rmdir', path);
    if (!this.dirIsEmpty(node)) throw new FsError('ENOTEMPTY', 'rmdir', path);
    this.remove(this.parentOf(r), r.name, node);
  }

  unlink(path: string): void {
    const r = resolvePath(this, path, LookupMode.Parent, 'unlink');
    if (r.type !== LastType.Norm) throw new FsError('EISDIR', 'unlink', path);
    const node = r.node;
    if (node === null) throw new FsError('ENOENT', 'unlink', path);
    const isDir = this.kindOf(node) === 'dir';
    if (r.slash && !isDir) throw new FsError('ENOTDIR', 'unlink', path);
    if (isDir) throw new FsError('EISDIR', 'unlink', path);
    this.remove(this.parentOf(r), r.name, node);
  }

  rename(oldPath: string, newPath: string): void {
    const sc = 'rename';
    const ro = resolvePath(this, oldPath, LookupMode.Parent, sc);
    const rn = resolvePath(this, newPath, LookupMode.Parent, sc);
    if (ro.type !== LastType.Norm || rn.type !== LastType.Norm) throw new FsError('EBUSY', sc, oldPath);
    const node = ro.node;
    if (node === null) throw new FsError('ENOENT', sc, oldPath);
    const isDir = this.kindOf(node) === 'dir';
    if (!isDir && (ro.slash || rn.slash)) throw new FsError('ENOTDIR', sc, oldPath);
    // lock_rename's "trap": a directory cannot move below itself, nor replace its own ancestor.
    if (isDir && rn.stack.includes(node)) throw new FsError('EINVAL', sc, oldPath);
    const target = rn.node;
    if (target !== null && ro.stack.includes(target)) throw new FsError('ENOTEMPTY', sc, newPath);
    if (target !== null) {
      if (this.sameInode(node, target)) return;
      const targetIsDir = this.kindOf(target) === 'dir';
      if (isDir && !targetIsDir) throw new FsError('ENOTDIR', sc, newPath);
      if (!isDir && targetIsDir) throw new FsError('EISDIR', sc, newPath);
    }
    this.move(this.parentOf(ro), ro.name, node, this.parentOf(rn), rn.name, target);
  }

  link(existingPath: string, newPath: string): void {
    const node = this.lookup(existingPath, LookupMode.NoFollow, 'link');
    const rn = resolvePath(this, newPath, LookupMode.Parent, 'link');
    if (rn.type !== LastType.Norm || rn.node !== null) throw new FsError('EEXIST', 'link', newPath);
    if (rn.slash) throw new FsError('ENOENT', 'link', newPath);
    if (this.kindOf(node) === 'dir') throw new FsError('EPERM', 'link', existingPath);
    this.addLink(node, this.parentOf(rn), rn.name);
  }

  symlink(target: string, path: string): void {
    if (target.length === 0) throw new FsError('ENOENT', 'symlink', path);
    const size = utf8Length(target);
    if (size >= PATH_MAX) throw new FsError('ENAMETOOLONG', 'symlink', path);
    const { dir, name } = this.createAt(path, 'symlink', false);
    const inode = newInode('symlink', 0o777, this.inodeOf(dir), this.cred, this.now());
    inode.target = target;
    inode.size = size;
    this.insert(dir, name, inode);
  }

  readlink(path: string): string {
    const node = this.lookup(path, LookupMode.NoFollow, 'readlink');
    if (this.kindOf(node) !== 'symlink') throw new FsError('EINVAL', 'readlink', path);
    return this.linkTarget(node);
  }

  mknod(path: string, kind: 'fifo' | 'chardev' | 'blockdev', mode: number, rdev = 0): void {
    if (kind !== 'fifo' && kind !== 'chardev' && kind !== 'blockdev')
      throw new FsError('EINVAL', 'mknod', path);
    const { dir, name } = this.createAt(path, 'mknod', false);
    const dev = kind === 'fifo' ? 0 : rdev >>> 0;
    this.checkMknod(kind, dev, path);
    const inode = newInode(kind, mode & 0o7777, this.inodeOf(dir), this.cred, this.now());
    inode.rdev = dev;
    this.insert(dir, name, inode);
  }

  chmod(path: string, mode: number, options?: NoFollow): void {
    const node = this.lookup(path, this.mode(options), 'chmod');
    if (options?.nofollow && this.kindOf(node) === 'symlink') throw new FsError('EOPNOTSUPP', 'chmod', path);
    applyChmod(this.writable(node), mode, this.now());
  }

  chown(path: string, uid: number, gid: number, options?: NoFollow): void {
    const node = this.lookup(path, this.mode(options), options?.nofollow ? 'lchown' : 'chown');
    applyChown(this.writable(node), uid, gid, this.now());
  }

  utimes(path: string, atime: TimeSpec, mtime: TimeSpec, options?: NoFollow): void {
    const node = this.lookup(path, this.mode(options), 'utimensat');
    if (atime === 'omit' && mtime === 'omit') return;
    applyUtimes(this.writable(node), atime, mtime, this.now());
  }

  truncate(path: string, length: number): void {
    if (!(length >= 0) || !Number.isSafeInteger(length)) throw new FsError('EINVAL', 'truncate', path);
    const node = this.lookup(path, LookupMode.Follow, 'truncate');
    const kind = this.kindOf(node);
    if (kind === 'dir') throw new FsError('EISDIR', 'truncate', path);
    if (kind !== 'file') throw new FsError('EINVAL', 'truncate', path);
    truncateContent(this.writable(node), length, this.now(), 'truncate');
  }

  readFile(path: string): Uint8Array {
    const node = this.lookup(path, LookupMode.Follow, 'read');
    const kind = this.kindOf(node);
    if (kind === 'dir') throw new FsError('EISDIR', 'read', path);
    if (kind !== 'file') throw new FsError('EINVAL', 'read', path);
    const inode = this.inodeOf(node);
    return readContent(inode, 0, inode.size);
  }

  writeFile(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): void {
    const flag = options.flag ?? 'w';
    const flags = O_WRONLY | O_CREAT | (flag === 'a' ? O_APPEND : O_TRUNC) | (flag === 'wx' ? O_EXCL : 0);
    const h = this.open(path, flags, options.mode ?? 0o644);
    h.append(typeof data === 'string' ? encoder.encode(data) : data);
    h.close();
  }

  open(path: string, flags: number, mode = 0o644): FileHandle {
    const sc = 'open';
    const acc = flags & O_ACCMODE;
    if (acc === O_ACCMODE || (flags & O_CREAT && flags & O_DIRECTORY)) throw new FsError('EINVAL', sc, path);
    let node: N | null;
    let slash: boolean;
    let created = false;
    if (flags & O_CREAT) {
      const nofollow = (flags & (O_EXCL | O_NOFOLLOW)) !== 0;
      let r = resolvePath(this, path, LookupMode.Parent, sc);
      if (r.type === LastType.Norm && r.slash) throw new FsError('EISDIR', sc, path);
      if (r.type === LastType.Norm && !nofollow && r.node !== null && this.kindOf(r.node) === 'symlink') {
        // Follow the final symlink: a dangling one creates its target.
        r = resolvePath(this, path, LookupMode.Follow, sc);
        if (r.type === LastType.Norm && r.node === null && r.slash) throw new FsError('EISDIR', sc, path);
      }
      node = r.node;
      slash = false;
      if (node === null) {
        const dir = this.parentOf(r);
        this.insert(dir, r.name, newInode('file', mode & 0o7777, this.inodeOf(dir), this.cred, this.now()));
        node = this.lookupChild(dir, r.name)!;
        created = true;
      } else {
        if (flags & O_EXCL) throw new FsError('EEXIST', sc, path);
        if (this.kindOf(node) === 'dir') throw new FsError('EISDIR', sc, path);
      }
    } else {
      const r = resolvePath(this, path, flags & O_NOFOLLOW ? LookupMode.NoFollow : LookupMode.Follow, sc);
      node = r.node;
      if (node === null) throw new FsError('ENOENT', sc, path);
      slash = r.slash;
    }
    const kind = this.kindOf(node);
    if ((flags & O_DIRECTORY || slash) && kind !== 'dir') throw new FsError('ENOTDIR', sc, path);
    if (kind === 'symlink') throw new FsError('ELOOP', sc, path);
    const trunc = (flags & O_TRUNC) !== 0 && !created;
    const write = acc !== O_RDONLY || trunc;
    if (kind === 'dir' && write) throw new FsError('EISDIR', sc, path);
    const opened = node;
    let inode: () => Inode;
    if (write && kind === 'file') {
      const mutable = this.writable(node);
      if (trunc) truncateContent(mutable, 0, this.now(), sc);
      inode = () => mutable;
    } else inode = () => this.inodeOf(opened);
    return new InodeHandle(inode, flags, this, () => this.statNode(opened));
  }

  setxattr(path: string, name: string, value: Uint8Array, options?: SetXattrOptions): void {
    const sc = options?.nofollow ? 'lsetxattr' : 'setxattr';
    checkXattrArgs(name, value, sc, path);
    const node = this.lookup(path, this.mode(options), sc);
    checkXattrAccess(this.inodeOf(node), name, true, sc, path);
    if (this.isPrivateXattr(name)) throw new FsError('EPERM', sc, path);
    setXattr(this.writable(node), name, value, options?.mode, this.now(), sc, path);
  }

  getxattr(path: string, name: string, options?: NoFollow): Uint8Array {
    const sc = options?.nofollow ? 'lgetxattr' : 'getxattr';
    checkXattrArgs(name, null, sc, path);
    const node = this.lookup(path, this.mode(options), sc);
    const inode = this.inodeOf(node);
    checkXattrAccess(inode, name, false, sc, path);
    if (this.isPrivateXattr(name)) throw new FsError('ENODATA', sc, path);
    return getXattr(inode, name, sc, path);
  }

  listxattr(path: string, options?: NoFollow): string[] {
    const node = this.lookup(path, this.mode(options), options?.nofollow ? 'llistxattr' : 'listxattr');
    return listXattrs(this.inodeOf(node)).filter((n) => !this.isPrivateXattr(n));
  }

  removexattr(path: string, name: string, options?: NoFollow): void {
    const sc = options?.nofollow ? 'lremovexattr' : 'removexattr';
    checkXattrArgs(name, null, sc, path);
    const node = this.lookup(path, this.mode(options), sc);
    checkXattrAccess(this.inodeOf(node), name, true, sc, path);
    if (this.isPrivateXattr(name)) throw new FsError('EPERM', sc, path);
    // Nothing to remove: fail before making anything mutable (no copy-up).
    if (!hasXattr(this.inodeOf(node), name)) throw new FsError('ENODATA', sc, path);
    removeXattr(this.writable(node), name, this.now(), sc, path);
  }

  realpath(path: string): string {
    const r = resolvePath(this, path, LookupMode.Follow, 'realpath', true);
    if (r.node === null) throw new FsError('ENOENT', 'realpath', path);
    if (r.slash && this.kindOf(r.node) !== 'dir') throw new FsError('ENOTDIR', 'realpath', path);
    const parts = r.names!;
    if (r.name !== '') parts.push(r.name);
    return '/' + parts.join('/');
  }
}
