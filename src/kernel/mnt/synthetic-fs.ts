/**
 * A filesystem generated on demand from a tree of nodes, for /proc, /sys/fs/cgroup and
 * /dev. Directory entries are computed at each lookup; a file's content is produced when
 * it is opened and stays fixed for that open file (like Linux's seq_file), and a write
 * handler, where a file has one, receives each write(2) whole (like cgroup files).
 * Generated files have size 0 in stat, as in procfs. Everything else a guest may try —
 * creating files, renaming, chmod — fails as it does on procfs.
 */
import { FsError } from '../../vfs/errno.js';
import {
  O_ACCMODE,
  O_CREAT,
  O_DIRECTORY,
  O_RDONLY,
  O_WRONLY,
  type Dirent,
  type FileHandle,
  type FileKind,
  type FileSystem,
  type Stat,
} from '../../vfs/filesystem.js';
import { allocIno, kindToIfmt, type InodeKind } from '../../vfs/inode.js';
import { LookupMode, resolvePath, type WalkHost } from '../../vfs/resolve.js';

export type SynNode = SynDir | SynFile | SynLink | SynDevice;

interface Common {
  mode?: number;
  uid?: number;
  gid?: number;
  /** Stable inode number: give one for nodes rebuilt on every lookup (else one per object). */
  ino?: number;
}

export interface SynDir extends Common {
  kind: 'dir';
  entries: () => Iterable<[string, SynNode]>;
  mkdir?: (name: string) => void;
  rmdir?: (name: string) => void;
}

export interface SynFile extends Common {
  kind: 'file';
  read?: () => string | Uint8Array;
  /** One call per write(2) with its bytes; throw FsError (EINVAL, EBUSY…) to refuse. */
  write?: (data: Uint8Array) => void;
}

export interface SynLink extends Common {
  kind: 'symlink';
  target: () => string;
}

/** A character device: its open gives the handle (null, zero, random, a tty…). */
export interface SynDevice extends Common {
  kind: 'chardev';
  rdev: number;
  open: (flags: number) => FileHandle;
}

const inos = new WeakMap<object, number>();
function inoOf(n: SynNode): number {
  if (n.ino !== undefined) return n.ino;
  let i = inos.get(n);
  if (i === undefined) inos.set(n, (i = allocIno()));
  return i;
}

/** A stable number for an object (a pipe, a cgroup) that generated entries are named after. */
const objectNumbers = new WeakMap<object, number>();
export function inoForObject(o: object): number {
  let i = objectNumbers.get(o);
  if (i === undefined) objectNumbers.set(o, (i = allocIno()));
  return i;
}

/** A stable inode number for a generated path (the same across lookups). */
const pathInos = new Map<string, number>();
export function inoFor(key: string): number {
  let i = pathInos.get(key);
  if (i === undefined) pathInos.set(key, (i = allocIno()));
  return i;
}

const enc = new TextEncoder();

export class SyntheticFs implements FileSystem, WalkHost<SynNode> {
  private readonly born = Date.now();

  constructor(
    private readonly root: SynDir,
    private readonly dev = 0,
  ) {}

  rootNode(): SynNode {
    return this.root;
  }
  lookupChild(dir: SynNode, name: string): SynNode | null {
    if (dir.kind !== 'dir') return null;
    for (const [n, node] of dir.entries()) if (n === name) return node;
    return null;
  }
  kindOf(node: SynNode): InodeKind {
    return node.kind;
  }
  linkTarget(node: SynNode): string {
    return node.kind === 'symlink' ? node.target() : '';
  }

  private node(path: string, mode: LookupMode, syscall: string): SynNode {
    const r = resolvePath(this, path, mode, syscall);
    if (r.node === null) throw new FsError('ENOENT', syscall, path);
    if (r.slash && r.node.kind !== 'dir') throw new FsError('ENOTDIR', syscall, path);
    return r.node;
  }

  private statOf(n: SynNode): Stat {
    const defaultMode =
      n.kind === 'dir' ? 0o555 : n.kind === 'symlink' ? 0o777 : n.kind === 'chardev' ? 0o666 : 0o444;
    return {
      dev: this.dev,
      ino: inoOf(n),
      mode: kindToIfmt(n.kind) | (n.mode ?? defaultMode),
      nlink: n.kind === 'dir' ? 2 : 1,
      uid: n.uid ?? 0,
      gid: n.gid ?? 0,
      rdev: n.kind === 'chardev' ? n.rdev : 0,
      size: n.kind === 'symlink' ? enc.encode(n.target()).length : 0,
      blksize: 1024,
      blocks: 0,
      atimeMs: this.born,
      mtimeMs: this.born,
      ctimeMs: this.born,
    };
  }

  stat(path: string): Stat {
    return this.statOf(this.node(path, LookupMode.Follow, 'stat'));
  }
  lstat(path: string): Stat {
    return this.statOf(this.node(path, LookupMode.NoFollow, 'lstat'));
  }

  readdir(path: string): Dirent[] {
    const n = this.node(path, LookupMode.Follow, 'readdir');
    if (n.kind !== 'dir') throw new FsError('ENOTDIR', 'readdir', path);
    return [...n.entries()].map(([name, c]) => ({ name, kind: c.kind as FileKind, ino: inoOf(c) }));
  }

  private parentOf(path: string, syscall: string): { dir: SynDir; name: string; exists: boolean } {
    const r = resolvePath(this, path, LookupMode.Parent, syscall);
    const dir = r.stack[r.stack.length - 1];
    if (dir === undefined || dir.kind !== 'dir' || r.name === '') throw new FsError('EBUSY', syscall, path);
    return { dir, name: r.name, exists: r.node !== null };
  }

  mkdir(path: string): void {
    const p = this.parentOf(path, 'mkdir');
    if (p.exists) throw new FsError('EEXIST', 'mkdir', path);
    // procfs answers ENOENT for a new name it does not generate.
    if (p.dir.mkdir === undefined) throw new FsError('ENOENT', 'mkdir', path);
    p.dir.mkdir(p.name);
  }

  rmdir(path: string): void {
    const p = this.parentOf(path, 'rmdir');
    if (!p.exists) throw new FsError('ENOENT', 'rmdir', path);
    if (p.dir.rmdir === undefined) throw new FsError('EPERM', 'rmdir', path);
    p.dir.rmdir(p.name);
  }

  private denied(syscall: string, path: string): never {
    this.node(path, LookupMode.Parent, syscall);
    throw new FsError('EPERM', syscall, path);
  }
  /** A name that would be created: EEXIST if it exists, else ENOENT, as procfs answers. */
  private noCreate(syscall: string, path: string): never {
    const p = this.parentOf(path, syscall);
    throw new FsError(p.exists ? 'EEXIST' : 'ENOENT', syscall, path);
  }
  unlink(path: string): void {
    this.denied('unlink', path);
  }
  rename(oldPath: string, newPath: string): void {
    this.node(oldPath, LookupMode.Parent, 'rename');
    this.noCreate('rename', newPath);
  }
  link(existingPath: string, newPath: string): void {
    this.node(existingPath, LookupMode.Parent, 'link');
    this.noCreate('link', newPath);
  }
  symlink(_target: string, path: string): void {
    this.noCreate('symlink', path);
  }
  readlink(path: string): string {
    const n = this.node(path, LookupMode.NoFollow, 'readlink');
    if (n.kind !== 'symlink') throw new FsError('EINVAL', 'readlink', path);
    return n.target();
  }
  mknod(path: string): void {
    this.noCreate('mknod', path);
  }
  /** procfs lets root chmod and chown its files; generated files keep no attributes, so it is a no-op. */
  chmod(path: string): void {
    this.node(path, LookupMode.Follow, 'chmod');
  }
  chown(path: string): void {
    this.node(path, LookupMode.Follow, 'chown');
  }
  utimes(path: string): void {
    this.node(path, LookupMode.Follow, 'utimensat');
  }
  truncate(path: string): void {
    // `echo 100 > memory.max` opens with O_TRUNC: cgroupfs accepts and ignores it.
    const n = this.node(path, LookupMode.Follow, 'truncate');
    if (n.kind !== 'file' || n.write === undefined) throw new FsError('EACCES', 'truncate', path);
  }

  readFile(path: string): Uint8Array {
    const h = this.open(path, O_RDONLY);
    try {
      return h.read(0, Number.MAX_SAFE_INTEGER);
    } finally {
      h.close();
    }
  }

  writeFile(path: string, data: Uint8Array | string): void {
    const h = this.open(path, O_WRONLY);
    try {
      h.write(0, typeof data === 'string' ? enc.encode(data) : data);
    } finally {
      h.close();
    }
  }

  open(path: string, flags: number): FileHandle {
    const acc = flags & O_ACCMODE;
    let n: SynNode;
    try {
      n = this.node(path, LookupMode.Follow, 'open');
    } catch (e) {
      // Creating files here is not possible (procfs answers ENOENT for a new name).
      if (flags & O_CREAT)
        throw new FsError(e instanceof FsError && e.code === 'ENOENT' ? 'ENOENT' : 'EACCES', 'open', path);
      throw e;
    }
    if (n.kind === 'chardev') return n.open(flags);
    if (flags & O_DIRECTORY && n.kind !== 'dir') throw new FsError('ENOTDIR', 'open', path);
    if (n.kind === 'dir') {
      if (acc !== O_RDONLY) throw new FsError('EISDIR', 'open', path);
      return new SynHandle(new Uint8Array(0), flags, () => this.statOf(n), undefined);
    }
    if (n.kind !== 'file') throw new FsError('ELOOP', 'open', path);
    const writes = acc !== O_RDONLY;
    if (writes && n.write === undefined) throw new FsError('EACCES', 'open', path);
    if (acc !== O_WRONLY && n.read === undefined) throw new FsError('EACCES', 'open', path);
    // Read-write opens read the content too (cgroup files do).
    const content = acc !== O_WRONLY && n.read ? n.read() : '';
    return new SynHandle(
      typeof content === 'string' ? enc.encode(content) : content,
      flags,
      () => this.statOf(n),
      n.write,
    );
  }

  setxattr(path: string): void {
    this.node(path, LookupMode.Follow, 'setxattr');
    throw new FsError('EOPNOTSUPP', 'setxattr', path);
  }
  getxattr(path: string): Uint8Array {
    this.node(path, LookupMode.Follow, 'getxattr');
    throw new FsError('EOPNOTSUPP', 'getxattr', path);
  }
  listxattr(path: string): string[] {
    this.node(path, LookupMode.Follow, 'listxattr');
    return [];
  }
  removexattr(path: string): void {
    this.node(path, LookupMode.Follow, 'removexattr');
    throw new FsError('ENODATA', 'removexattr', path);
  }
  realpath(path: string): string {
    const r = resolvePath(this, path, LookupMode.Follow, 'realpath', true);
    if (r.node === null) throw new FsError('ENOENT', 'realpath', path);
    const names = [...(r.names ?? [])];
    if (r.name !== '') names.push(r.name);
    return '/' + names.join('/');
  }
}

/** An open generated file: its content as of open, and the file's write handler. */
class SynHandle implements FileHandle {
  private closed = false;
  constructor(
    private readonly content: Uint8Array,
    readonly flags: number,
    private readonly statFn: () => Stat,
    private readonly onWrite: ((data: Uint8Array) => void) | undefined,
  ) {}
  read(position: number, length: number): Uint8Array {
    if (this.closed || (this.flags & O_ACCMODE) === O_WRONLY) throw new FsError('EBADF', 'read');
    return this.content.slice(position, position + Math.max(0, length));
  }
  write(_position: number, bytes: Uint8Array): number {
    if (this.closed || (this.flags & O_ACCMODE) === O_RDONLY || this.onWrite === undefined)
      throw new FsError('EBADF', 'write');
    this.onWrite(bytes.slice());
    return bytes.length;
  }
  append(bytes: Uint8Array): number {
    return this.write(0, bytes);
  }
  truncate(): void {}
  stat(): Stat {
    return this.statFn();
  }
  close(): void {
    this.closed = true;
  }
}
