/**
 * A berth FileSystem over a real host directory (`berth wasm run --dir`, bind mounts of
 * host directories). Nothing a guest passes can leave the directory: paths are resolved
 * here, component by component with lstat, by berth's own walker (src/vfs/resolve.ts) —
 * `..` stops at the directory, and symlinks, absolute or relative, are followed inside
 * it — and only the resolved host path is handed to the OS, with the final component not
 * followed where Linux would not follow it. Errors carry the guest's path, never the
 * host's.
 *
 * Not emulated: extended attributes (EOPNOTSUPP) and device nodes (mknod of a FIFO only).
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { Errno, FsError, type ErrnoName } from '../vfs/errno.js';
import {
  O_ACCMODE,
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_TRUNC,
  type Dirent,
  type FileHandle,
  type FileKind,
  type FileSystem,
  type NoFollow,
  type Stat,
  type TimeSpec,
  type WriteFileOptions,
} from '../vfs/filesystem.js';
import type { InodeKind } from '../vfs/inode.js';
import { LookupMode, resolvePath, type WalkHost } from '../vfs/resolve.js';

function kindOfStats(st: fs.Stats): InodeKind {
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFile()) return 'file';
  if (st.isCharacterDevice()) return 'chardev';
  if (st.isBlockDevice()) return 'blockdev';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

function toStat(st: fs.Stats): Stat {
  return {
    dev: st.dev,
    ino: st.ino,
    mode: st.mode,
    nlink: st.nlink,
    uid: st.uid,
    gid: st.gid,
    rdev: st.rdev,
    size: st.size,
    blksize: st.blksize,
    blocks: st.blocks,
    atimeMs: st.atimeMs,
    mtimeMs: st.mtimeMs,
    ctimeMs: st.ctimeMs,
  };
}

export interface HostDirOptions {
  readOnly?: boolean;
}

export class HostDirFs implements FileSystem {
  private readonly walker: WalkHost<string>;

  constructor(
    readonly hostRoot: string,
    private readonly options: HostDirOptions = {},
  ) {
    if (!fs.statSync(hostRoot).isDirectory()) throw new FsError('ENOTDIR', 'mount', hostRoot);
    this.walker = {
      rootNode: () => hostRoot,
      lookupChild: (dir, name) => {
        const p = join(dir, name);
        try {
          fs.lstatSync(p);
          return p;
        } catch {
          return null;
        }
      },
      kindOf: (p) => kindOfStats(fs.lstatSync(p)),
      linkTarget: (p) => fs.readlinkSync(p),
    };
  }

  /** Run an OS call, turning its error into an FsError with the guest's path. */
  private os<T>(syscall: string, path: string, call: () => T): T {
    try {
      return call();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== undefined && code in Errno) throw new FsError(code as ErrnoName, syscall, path);
      throw new FsError('EIO', syscall, path);
    }
  }

  /** The host path of `path`'s final node (must exist). */
  private node(path: string, mode: LookupMode, syscall: string): string {
    const r = this.os(syscall, path, () => resolvePath(this.walker, path, mode, syscall));
    if (r.node === null) throw new FsError('ENOENT', syscall, path);
    if (r.slash && kindOfStats(fs.lstatSync(r.node)) !== 'dir') throw new FsError('ENOTDIR', syscall, path);
    return r.node;
  }

  /** The host path where `path`'s final component is (or would be), and whether it exists. */
  private entry(path: string, syscall: string): { host: string; exists: boolean; name: string } {
    const r = resolvePath(this.walker, path, LookupMode.Parent, syscall);
    if (r.node !== null && r.stack.length === 0) return { host: r.node, exists: true, name: '' };
    const parent = r.stack[r.stack.length - 1] ?? this.hostRoot;
    if (r.name === '' || r.name === '.' || r.name === '..')
      return { host: r.node ?? parent, exists: true, name: r.name };
    return { host: join(parent, r.name), exists: r.node !== null, name: r.name };
  }

  private writable(syscall: string, path: string): void {
    if (this.options.readOnly) throw new FsError('EROFS', syscall, path);
  }

  stat(path: string): Stat {
    const p = this.node(path, LookupMode.Follow, 'stat');
    return toStat(this.os('stat', path, () => fs.lstatSync(p)));
  }

  lstat(path: string): Stat {
    const p = this.node(path, LookupMode.NoFollow, 'lstat');
    return toStat(this.os('lstat', path, () => fs.lstatSync(p)));
  }

  readdir(path: string): Dirent[] {
    const p = this.node(path, LookupMode.Follow, 'readdir');
    const list = this.os('readdir', path, () => fs.readdirSync(p, { withFileTypes: true }));
    return list.map((d) => {
      const st = fs.lstatSync(join(p, d.name));
      return { name: d.name, kind: kindOfStats(st) as FileKind, ino: st.ino };
    });
  }

  mkdir(path: string, mode = 0o755): void {
    this.writable('mkdir', path);
    const e = this.os('mkdir', path, () => this.entry(path, 'mkdir'));
    if (e.exists) throw new FsError('EEXIST', 'mkdir', path);
    this.os('mkdir', path, () => fs.mkdirSync(e.host, { mode: mode & 0o7777 }));
  }

  rmdir(path: string): void {
    this.writable('rmdir', path);
    const e = this.os('rmdir', path, () => this.entry(path, 'rmdir'));
    if (e.name === '.') throw new FsError('EINVAL', 'rmdir', path);
    if (e.name === '..') throw new FsError('ENOTEMPTY', 'rmdir', path);
    if (e.host === this.hostRoot) throw new FsError('EBUSY', 'rmdir', path);
    if (!e.exists) throw new FsError('ENOENT', 'rmdir', path);
    this.os('rmdir', path, () => fs.rmdirSync(e.host));
  }

  unlink(path: string): void {
    this.writable('unlink', path);
    const e = this.os('unlink', path, () => this.entry(path, 'unlink'));
    if (e.host === this.hostRoot || e.name === '.' || e.name === '..')
      throw new FsError('EISDIR', 'unlink', path);
    if (!e.exists) throw new FsError('ENOENT', 'unlink', path);
    this.os('unlink', path, () => fs.unlinkSync(e.host));
  }

  rename(oldPath: string, newPath: string): void {
    this.writable('rename', oldPath);
    const a = this.os('rename', oldPath, () => this.entry(oldPath, 'rename'));
    const b = this.os('rename', newPath, () => this.entry(newPath, 'rename'));
    for (const x of [a, b])
      if (x.host === this.hostRoot || x.name === '.' || x.name === '..')
        throw new FsError('EBUSY', 'rename', oldPath);
    if (!a.exists) throw new FsError('ENOENT', 'rename', oldPath);
    this.os('rename', oldPath, () => fs.renameSync(a.host, b.host));
  }

  link(existingPath: string, newPath: string): void {
    this.writable('link', newPath);
    const src = this.node(existingPath, LookupMode.NoFollow, 'link');
    const e = this.os('link', newPath, () => this.entry(newPath, 'link'));
    if (e.exists) throw new FsError('EEXIST', 'link', newPath);
    this.os('link', newPath, () => fs.linkSync(src, e.host));
  }

  symlink(target: string, path: string): void {
    this.writable('symlink', path);
    if (target === '') throw new FsError('ENOENT', 'symlink', path);
    const e = this.os('symlink', path, () => this.entry(path, 'symlink'));
    if (e.exists) throw new FsError('EEXIST', 'symlink', path);
    // The target is stored as given: it is only ever followed by this walker, inside the root.
    this.os('symlink', path, () => fs.symlinkSync(target, e.host));
  }

  readlink(path: string): string {
    const p = this.node(path, LookupMode.NoFollow, 'readlink');
    if (!fs.lstatSync(p).isSymbolicLink()) throw new FsError('EINVAL', 'readlink', path);
    return this.os('readlink', path, () => fs.readlinkSync(p));
  }

  mknod(path: string, kind: 'fifo' | 'chardev' | 'blockdev', _mode: number): void {
    this.writable('mknod', path);
    void kind;
    // Node cannot create special files.
    throw new FsError('EPERM', 'mknod', path);
  }

  chmod(path: string, mode: number, options?: NoFollow): void {
    this.writable('chmod', path);
    const p = this.node(path, options?.nofollow ? LookupMode.NoFollow : LookupMode.Follow, 'chmod');
    if (options?.nofollow && fs.lstatSync(p).isSymbolicLink()) throw new FsError('EOPNOTSUPP', 'chmod', path);
    this.os('chmod', path, () => fs.chmodSync(p, mode & 0o7777));
  }

  chown(path: string, uid: number, gid: number, options?: NoFollow): void {
    this.writable('chown', path);
    const p = this.node(path, options?.nofollow ? LookupMode.NoFollow : LookupMode.Follow, 'chown');
    const st = fs.lstatSync(p);
    const u = uid === -1 ? st.uid : uid;
    const g = gid === -1 ? st.gid : gid;
    this.os('chown', path, () => (options?.nofollow ? fs.lchownSync(p, u, g) : fs.chownSync(p, u, g)));
  }

  utimes(path: string, atime: TimeSpec, mtime: TimeSpec, options?: NoFollow): void {
    this.writable('utimensat', path);
    const p = this.node(path, options?.nofollow ? LookupMode.NoFollow : LookupMode.Follow, 'utimensat');
    const st = fs.lstatSync(p);
    const t = (spec: TimeSpec, current: number) =>
      (spec === 'now' ? Date.now() : spec === 'omit' ? current : spec) / 1000;
    this.os('utimensat', path, () =>
      (options?.nofollow ? fs.lutimesSync : fs.utimesSync)(p, t(atime, st.atimeMs), t(mtime, st.mtimeMs)),
    );
  }

  truncate(path: string, length: number): void {
    if (length < 0) throw new FsError('EINVAL', 'truncate', path);
    this.writable('truncate', path);
    const p = this.node(path, LookupMode.Follow, 'truncate');
    if (fs.statSync(p).isDirectory()) throw new FsError('EISDIR', 'truncate', path);
    this.os('truncate', path, () => fs.truncateSync(p, length));
  }

  readFile(path: string): Uint8Array {
    const p = this.node(path, LookupMode.Follow, 'open');
    if (fs.statSync(p).isDirectory()) throw new FsError('EISDIR', 'read', path);
    return new Uint8Array(this.os('read', path, () => fs.readFileSync(p)));
  }

  writeFile(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): void {
    const flag = options.flag ?? 'w';
    const flags = 1 | O_CREAT | (flag === 'w' ? O_TRUNC : flag === 'wx' ? O_EXCL : O_APPEND);
    const h = this.open(path, flags, options.mode ?? 0o644);
    try {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      if (flag === 'a') h.append(bytes);
      else h.write(0, bytes);
    } finally {
      h.close();
    }
  }

  open(path: string, flags: number, mode = 0o644): FileHandle {
    const acc = flags & O_ACCMODE;
    const writes = acc !== O_RDONLY || (flags & (O_CREAT | O_TRUNC)) !== 0;
    if (writes) this.writable('open', path);
    let host: string;
    if (flags & O_CREAT) {
      const e = this.os('open', path, () => this.entry(path, 'open'));
      if (e.name === '' || e.name === '.' || e.name === '..' || path.endsWith('/'))
        throw new FsError('EISDIR', 'open', path);
      // O_EXCL does not follow a final symlink, even a dangling one.
      if (e.exists && flags & O_EXCL) throw new FsError('EEXIST', 'open', path);
      if (e.exists && flags & O_NOFOLLOW && kindOfStats(fs.lstatSync(e.host)) === 'symlink')
        throw new FsError('ELOOP', 'open', path);
      // Otherwise follow it: a dangling symlink's target is created (inside the root).
      const r = this.os('open', path, () => resolvePath(this.walker, path, LookupMode.Follow, 'open'));
      host = r.node ?? join(r.stack[r.stack.length - 1] ?? this.hostRoot, r.name);
    } else {
      host = this.node(path, flags & O_NOFOLLOW ? LookupMode.NoFollow : LookupMode.Follow, 'open');
      const k = kindOfStats(fs.lstatSync(host));
      if (k === 'symlink') throw new FsError('ELOOP', 'open', path);
      if (flags & O_DIRECTORY && k !== 'dir') throw new FsError('ENOTDIR', 'open', path);
      if (k === 'dir' && (acc !== O_RDONLY || flags & O_TRUNC)) throw new FsError('EISDIR', 'open', path);
    }
    // Never follow a final symlink the OS might meet (swapped in since resolution).
    const osFlags =
      (acc === 0 ? fs.constants.O_RDONLY : acc === 1 ? fs.constants.O_WRONLY : fs.constants.O_RDWR) |
      (flags & O_CREAT ? fs.constants.O_CREAT : 0) |
      (flags & O_EXCL ? fs.constants.O_EXCL : 0) |
      (flags & O_TRUNC ? fs.constants.O_TRUNC : 0) |
      (flags & O_APPEND ? fs.constants.O_APPEND : 0) |
      fs.constants.O_NOFOLLOW;
    const fd = this.os('open', path, () => fs.openSync(host, osFlags, mode & 0o7777));
    return new HostHandle(fd, flags, path);
  }

  setxattr(path: string): void {
    throw new FsError('EOPNOTSUPP', 'setxattr', path);
  }
  getxattr(path: string): Uint8Array {
    throw new FsError('EOPNOTSUPP', 'getxattr', path);
  }
  listxattr(path: string): string[] {
    this.node(path, LookupMode.Follow, 'listxattr');
    return [];
  }
  removexattr(path: string): void {
    throw new FsError('EOPNOTSUPP', 'removexattr', path);
  }

  realpath(path: string): string {
    const p = this.node(path, LookupMode.Follow, 'realpath');
    const rel = p.slice(this.hostRoot.length);
    return rel === '' ? '/' : rel.startsWith('/') ? rel : `/${rel}`;
  }
}

class HostHandle implements FileHandle {
  private closed = false;
  constructor(
    private readonly fd: number,
    readonly flags: number,
    private readonly path: string,
  ) {}

  private check(syscall: string, write: boolean): void {
    const acc = this.flags & O_ACCMODE;
    if (this.closed || (write ? acc === O_RDONLY : acc === 1)) throw new FsError('EBADF', syscall, this.path);
  }

  private call<T>(syscall: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FsError(
        code !== undefined && code in Errno ? (code as ErrnoName) : 'EIO',
        syscall,
        this.path,
      );
    }
  }

  read(position: number, length: number): Uint8Array {
    this.check('read', false);
    if (position < 0) throw new FsError('EINVAL', 'read', this.path);
    const buf = new Uint8Array(Math.max(0, Math.min(length, 1 << 24)));
    const n = this.call('read', () => fs.readSync(this.fd, buf, 0, buf.length, position));
    return buf.subarray(0, n);
  }

  write(position: number, bytes: Uint8Array): number {
    this.check('write', true);
    if (position < 0) throw new FsError('EINVAL', 'write', this.path);
    return this.call('write', () =>
      fs.writeSync(this.fd, bytes, 0, bytes.length, this.flags & O_APPEND ? null : position),
    );
  }

  append(bytes: Uint8Array): number {
    this.check('write', true);
    const size = fs.fstatSync(this.fd).size;
    return this.call('write', () =>
      fs.writeSync(this.fd, bytes, 0, bytes.length, this.flags & O_APPEND ? null : size),
    );
  }

  truncate(length: number): void {
    this.check('ftruncate', true);
    if (length < 0) throw new FsError('EINVAL', 'ftruncate', this.path);
    this.call('ftruncate', () => fs.ftruncateSync(this.fd, length));
  }

  stat(): Stat {
    if (this.closed) throw new FsError('EBADF', 'fstat', this.path);
    return toStat(this.call('fstat', () => fs.fstatSync(this.fd)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
