/**
 * HostFs: a berth FileSystem backed by a real host directory, for `berth wasm run --dir
 * HOSTDIR:GUESTDIR` and bind mounts of host directories into emulated containers.
 *
 * Confinement. Nothing a guest passes reaches outside `hostRoot`:
 * - Paths are resolved here, by berth's own walker (src/vfs/resolve.ts), component by
 *   component with lstat: `..` at the root stays there (and never asks the OS: the walker
 *   pops its own stack), absolute symlink targets restart at `hostRoot`, relative ones
 *   resolve from the link's directory, 40 symlinks are ELOOP. The OS is never asked to
 *   follow a symlink.
 * - On Linux every directory on the way is pinned by an O_PATH|O_NOFOLLOW|O_DIRECTORY fd
 *   opened relative to its (already pinned) parent through `/proc/self/fd/N/name`, and
 *   checked to be the inode that lstat saw. Every OS call then names
 *   `/proc/self/fd/<parent fd>/<name>` — the equivalent of the *at() calls Node lacks — so
 *   a directory swapped for a symlink between two calls (by the guest or another host
 *   process) is never followed: the open fails or the identity check fails and the
 *   resolution starts again (at most 8 times, then EAGAIN).
 * - Calls that follow a final symlink (stat, open, chmod, chown, utimes, truncate,
 *   readFile) act on the inode the walker found: an fd opened with O_NOFOLLOW and checked
 *   against lstat's dev/ino, then `/proc/self/fd/N` for chmod/chown/utimes (an O_PATH fd
 *   works with no read or write permission, as the path calls do).
 * - Where `/proc/self/fd` is missing (not Linux) the same walk runs on host path strings:
 *   still confined against everything but a concurrent swap of a directory for a symlink.
 * - Left: a directory that a host process moves out of `hostRoot` while it is pinned (or
 *   while the guest holds an open file in it) stays reachable until the call ends — as with
 *   any fd-based sandbox (wasmtime's cap-std too).
 *
 * Errors are FsErrors with Node's errno name, the syscall and the guest's path; a host path
 * never appears in them (Node's own messages are dropped). A code berth's Errno table does
 * not list (ENXIO, ETXTBSY, EDQUOT…) becomes EIO.
 *
 * The root stays pinned by one fd for the filesystem's life: `close()` releases it. O_PATH
 * is Linux's generic value (0o10000000: x86, arm, arm64, riscv…; alpha, parisc and sparc
 * differ and are not handled).
 *
 * Differences from Linux on a real mount (see also test/node/host-fs.test.ts):
 * - mknod: Node cannot create special files, so every kind is EPERM (after the EEXIST and
 *   ENOENT checks).
 * - Extended attributes: Node has no xattr API; set/get/list/removexattr are EOPNOTSUPP
 *   (after the name checks and the path lookup), as on a filesystem without xattrs.
 * - Permission bits are exactly the requested ones: no umask (the contract's rule), done
 *   with a chmod after mkdir/open(O_CREAT).
 * - utimes goes through Node's utimes (seconds as a double, which libuv truncates to about a
 *   microsecond: 1700000000123 ms may read back as 1700000000122.999): 'now' is Node's clock
 *   and 'omit' rewrites the time lstat just read (no UTIME_NOW/UTIME_OMIT in Node).
 * - Opening a FIFO, socket or device gives a handle without I/O (O_PATH): read and write
 *   are EINVAL as for every special file in berth, and the open never blocks.
 * - readOnly: EROFS where Linux checks a read-only mount (see each method).
 */
import * as fs from 'node:fs';
import { resolve as resolveHostPath } from 'node:path';
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
  O_WRONLY,
  type Dirent,
  type FileHandle,
  type FileKind,
  type FileSystem,
  type NoFollow,
  type SetXattrOptions,
  type Stat,
  type TimeSpec,
  type WriteFileOptions,
} from '../vfs/filesystem.js';
import type { InodeKind } from '../vfs/inode.js';
import { checkXattrArgs } from '../vfs/inode-xattr.js';
import { PATH_MAX, utf8Length } from '../vfs/path.js';
import { LastType, LookupMode, resolvePath, type Resolved, type WalkHost } from '../vfs/resolve.js';

export interface HostFsOptions {
  /** Refuse every change with EROFS. */
  readOnly?: boolean;
}

const C = fs.constants;
/** Linux's O_PATH (x86, arm, arm64, riscv…); Node does not export it. */
const O_PATH_LINUX = 0o10000000;
const S_ISGID = 0o2000;
const MAX_RETRIES = 8;
const encoder = new TextEncoder();

/** A node found by the walker: where it is (its parent and name) and what lstat saw. */
interface HNode {
  parent: HNode | null;
  name: string;
  st: fs.Stats;
  kind: InodeKind;
  /** A pinned fd (directories, on Linux), or -1. */
  fd: number;
}

/** Thrown inside a call when the tree changed under it; the call starts again. */
class Retry extends Error {}

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

function sameFile(a: fs.Stats, b: fs.Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** A Node error as an FsError with the guest's path (Node's message, which names the host path, is dropped). */
function toFsError(e: unknown, syscall: string, path: string | undefined): unknown {
  if (e instanceof FsError) return e;
  if (e instanceof Retry) return new FsError('EAGAIN', syscall, path);
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') {
    return new FsError(code in Errno ? (code as ErrnoName) : 'EIO', syscall, path);
  }
  return e;
}

function osFlags(acc: number): number {
  return acc === O_WRONLY ? C.O_WRONLY : acc === O_RDONLY ? C.O_RDONLY : C.O_RDWR;
}

export class HostFs implements FileSystem {
  readonly hostRoot: string;
  readonly readOnly: boolean;
  /** Whether directories are pinned by fds and named through /proc/self/fd. */
  private readonly pinned: boolean;
  private rootFd = -1;
  /** Fds opened by the call in progress, closed when it ends. */
  private readonly fds: number[] = [];
  private ctx: { syscall: string; path: string | undefined } = { syscall: '', path: undefined };
  private readonly walker: WalkHost<HNode>;

  constructor(hostRoot: string, options: HostFsOptions = {}) {
    this.hostRoot = resolveHostPath(hostRoot);
    this.readOnly = options.readOnly ?? false;
    this.pinned = process.platform === 'linux' && fs.existsSync('/proc/self/fd');
    let st: fs.Stats;
    try {
      st = fs.statSync(this.hostRoot);
    } catch (e) {
      throw toFsError(e, 'mount', undefined);
    }
    if (!st.isDirectory()) throw new FsError('ENOTDIR', 'mount');
    if (this.pinned) {
      try {
        this.rootFd = fs.openSync(this.hostRoot, O_PATH_LINUX | C.O_DIRECTORY);
      } catch (e) {
        throw toFsError(e, 'mount', undefined);
      }
    }
    this.walker = {
      rootNode: () => this.rootNode(),
      lookupChild: (dir, name) => this.lookupChild(dir, name),
      kindOf: (n) => n.kind,
      linkTarget: (n) => fs.readlinkSync(this.at(n), 'utf8'),
    };
  }

  /** Release the fd that pins the root (Linux). Further calls fail with EBADF. */
  close(): void {
    if (this.rootFd >= 0) fs.closeSync(this.rootFd);
    this.rootFd = -2;
  }

  // ---- the walk ----

  private rootNode(): HNode {
    if (this.rootFd === -2) throw new FsError('EBADF', this.ctx.syscall, this.ctx.path);
    const st = this.pinned ? fs.fstatSync(this.rootFd) : fs.statSync(this.hostRoot);
    return { parent: null, name: '', st, kind: 'dir', fd: this.rootFd };
  }

  private lookupChild(dir: HNode, name: string): HNode | null {
    const st = fs.lstatSync(`${this.dirRef(dir)}/${name}`, { throwIfNoEntry: false });
    if (st === undefined) return null;
    return { parent: dir, name, st, kind: kindOfStats(st), fd: -1 };
  }

  /** An OS path naming directory `dir` itself, usable as a prefix. */
  private dirRef(dir: HNode): string {
    if (!this.pinned) return dir.parent === null ? this.hostRoot : `${this.dirRef(dir.parent)}/${dir.name}`;
    if (dir.fd < 0) dir.fd = this.pin(dir, C.O_DIRECTORY);
    return `/proc/self/fd/${dir.fd}`;
  }

  /** An OS path naming `node` without following it: its parent's reference and its name. */
  private at(node: HNode): string {
    return node.parent === null ? this.dirRef(node) : `${this.dirRef(node.parent)}/${node.name}`;
  }

  /** Open `node` (O_PATH|O_NOFOLLOW plus `extra`), tracked for this call, and check it is the inode lstat saw. */
  private pin(node: HNode, extra = 0): number {
    if (node.parent === null) return this.rootFd;
    return this.openChecked(node, O_PATH_LINUX | C.O_NOFOLLOW | extra);
  }

  /** Open `node` with `flags` (which must hold O_NOFOLLOW), tracked for this call, identity-checked. */
  private openChecked(node: HNode, flags: number): number {
    let fd: number;
    try {
      // The root is reached through its /proc magic link, which O_NOFOLLOW would refuse.
      fd = fs.openSync(this.at(node), node.parent === null ? flags & ~C.O_NOFOLLOW : flags);
    } catch (e) {
      // Gone or replaced (ELOOP/ENOTDIR/ENOENT) since lstat: resolve again.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'ENOENT') throw new Retry();
      throw e;
    }
    this.fds.push(fd);
    if (!sameFile(fs.fstatSync(fd), node.st)) throw new Retry();
    return fd;
  }

  /** A path that names exactly `node` (a non-symlink), for the calls that follow. */
  private exact(node: HNode): string {
    return this.pinned ? `/proc/self/fd/${this.pin(node)}` : this.at(node);
  }

  /** Run one call: track its fds, retry when the tree changed under it, map Node errors. */
  private run<T>(syscall: string, path: string | undefined, f: () => T): T {
    const saved = this.ctx;
    const base = this.fds.length;
    this.ctx = { syscall, path };
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return f();
        } catch (e) {
          if (e instanceof Retry && attempt < MAX_RETRIES) {
            this.closeFrom(base);
            continue;
          }
          throw toFsError(e, syscall, path);
        }
      }
    } finally {
      this.closeFrom(base);
      this.ctx = saved;
    }
  }

  private closeFrom(base: number): void {
    while (this.fds.length > base) {
      const fd = this.fds.pop()!;
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
  }

  private resolve(path: string, mode: LookupMode, syscall: string, names = false): Resolved<HNode> {
    return resolvePath(this.walker, path, mode, syscall, names);
  }

  /** The existing node at `path`: ENOENT if missing, ENOTDIR if a trailing slash follows a non-directory. */
  private lookup(path: string, mode: LookupMode, syscall: string): HNode {
    const r = this.resolve(path, mode, syscall);
    const node = r.node;
    if (node === null) throw new FsError('ENOENT', syscall, path);
    if (r.slash && node.kind !== 'dir') throw new FsError('ENOTDIR', syscall, path);
    return node;
  }

  private parentOf(r: Resolved<HNode>): HNode {
    return r.stack[r.stack.length - 1]!;
  }

  /** Where a new entry goes: EEXIST if taken (or '.', '..', '/'), ENOENT for 'name/' unless a directory. */
  private createAt(path: string, syscall: string, wantDir: boolean): { dir: HNode; name: string } {
    const r = this.resolve(path, LookupMode.Parent, syscall);
    if (r.type !== LastType.Norm || r.node !== null) throw new FsError('EEXIST', syscall, path);
    if (r.slash && !wantDir) throw new FsError('ENOENT', syscall, path);
    return { dir: this.parentOf(r), name: r.name };
  }

  private writable(syscall: string, path: string): void {
    if (this.readOnly) throw new FsError('EROFS', syscall, path);
  }

  /** Set exact permission bits on a new entry (no umask), without following it. */
  private setMode(dir: HNode, name: string, mode: number): void {
    const p = `${this.dirRef(dir)}/${name}`;
    if (!this.pinned) return fs.chmodSync(p, mode);
    const fd = fs.openSync(p, O_PATH_LINUX | C.O_NOFOLLOW);
    this.fds.push(fd);
    fs.chmodSync(`/proc/self/fd/${fd}`, mode);
  }

  private followMode(options: NoFollow | undefined): LookupMode {
    return options?.nofollow ? LookupMode.NoFollow : LookupMode.Follow;
  }

  // ---- FileSystem ----

  stat(path: string): Stat {
    return this.run('stat', path, () => toStat(this.lookup(path, LookupMode.Follow, 'stat').st));
  }

  lstat(path: string): Stat {
    return this.run('lstat', path, () => toStat(this.lookup(path, LookupMode.NoFollow, 'lstat').st));
  }

  readdir(path: string): Dirent[] {
    return this.run('readdir', path, () => {
      const node = this.lookup(path, LookupMode.Follow, 'readdir');
      if (node.kind !== 'dir') throw new FsError('ENOTDIR', 'readdir', path);
      const ref = this.dirRef(node);
      const out: Dirent[] = [];
      // Node's Dirent has no d_ino: one lstat per entry gives the kind and st_ino (an entry
      // removed meanwhile is left out, as if readdir had run after the removal).
      for (const name of fs.readdirSync(ref)) {
        const st = fs.lstatSync(`${ref}/${name}`, { throwIfNoEntry: false });
        if (st !== undefined) out.push({ name, kind: kindOfStats(st) as FileKind, ino: st.ino });
      }
      return out;
    });
  }

  /** mkdir(2); EROFS after EEXIST/ENOENT, as Linux. */
  mkdir(path: string, mode = 0o755): void {
    this.run('mkdir', path, () => {
      const { dir, name } = this.createAt(path, 'mkdir', true);
      this.writable('mkdir', path);
      fs.mkdirSync(`${this.dirRef(dir)}/${name}`, { mode: mode & 0o777 });
      this.setMode(dir, name, (mode & 0o1777) | (dir.st.mode & S_ISGID));
    });
  }

  /** rmdir(2); EROFS after the '.', '..', '/' checks and before ENOENT, as Linux. */
  rmdir(path: string): void {
    this.run('rmdir', path, () => {
      const r = this.resolve(path, LookupMode.Parent, 'rmdir');
      if (r.type === LastType.DotDot) throw new FsError('ENOTEMPTY', 'rmdir', path);
      if (r.type === LastType.Dot) throw new FsError('EINVAL', 'rmdir', path);
      if (r.type === LastType.Root) throw new FsError('EBUSY', 'rmdir', path);
      this.writable('rmdir', path);
      const node = r.node;
      if (node === null) throw new FsError('ENOENT', 'rmdir', path);
      if (node.kind !== 'dir') throw new FsError('ENOTDIR', 'rmdir', path);
      fs.rmdirSync(`${this.dirRef(this.parentOf(r))}/${r.name}`);
    });
  }

  /** unlink(2); EROFS after the '.', '..', '/' checks and before ENOENT, as Linux. */
  unlink(path: string): void {
    this.run('unlink', path, () => {
      const r = this.resolve(path, LookupMode.Parent, 'unlink');
      if (r.type !== LastType.Norm) throw new FsError('EISDIR', 'unlink', path);
      this.writable('unlink', path);
      const node = r.node;
      if (node === null) throw new FsError('ENOENT', 'unlink', path);
      const isDir = node.kind === 'dir';
      if (r.slash && !isDir) throw new FsError('ENOTDIR', 'unlink', path);
      if (isDir) throw new FsError('EISDIR', 'unlink', path);
      fs.unlinkSync(`${this.dirRef(this.parentOf(r))}/${r.name}`);
    });
  }

  /** rename(2); EROFS after EBUSY and before ENOENT, as Linux. */
  rename(oldPath: string, newPath: string): void {
    const sc = 'rename';
    this.run(sc, oldPath, () => {
      const ro = this.resolve(oldPath, LookupMode.Parent, sc);
      const rn = this.resolve(newPath, LookupMode.Parent, sc);
      if (ro.type !== LastType.Norm || rn.type !== LastType.Norm) throw new FsError('EBUSY', sc, oldPath);
      this.writable(sc, oldPath);
      const node = ro.node;
      if (node === null) throw new FsError('ENOENT', sc, oldPath);
      const isDir = node.kind === 'dir';
      if (!isDir && (ro.slash || rn.slash)) throw new FsError('ENOTDIR', sc, oldPath);
      const within = (stack: HNode[], n: HNode) => stack.some((d) => sameFile(d.st, n.st));
      if (isDir && within(rn.stack, node)) throw new FsError('EINVAL', sc, oldPath);
      const target = rn.node;
      if (target !== null && within(ro.stack, target)) throw new FsError('ENOTEMPTY', sc, newPath);
      if (target !== null) {
        if (sameFile(node.st, target.st)) return;
        const targetIsDir = target.kind === 'dir';
        if (isDir && !targetIsDir) throw new FsError('ENOTDIR', sc, newPath);
        if (!isDir && targetIsDir) throw new FsError('EISDIR', sc, newPath);
      }
      try {
        fs.renameSync(
          `${this.dirRef(this.parentOf(ro))}/${ro.name}`,
          `${this.dirRef(this.parentOf(rn))}/${rn.name}`,
        );
      } catch (e) {
        // The OS reports a non-empty target directory as ENOTEMPTY (or EEXIST on some filesystems).
        const code = (e as NodeJS.ErrnoException).code;
        throw code === 'EEXIST' || code === 'ENOTEMPTY' ? new FsError('ENOTEMPTY', sc, newPath) : e;
      }
    });
  }

  /** link(2) of a final symlink itself; EROFS after EEXIST/ENOENT and before EPERM, as Linux. */
  link(existingPath: string, newPath: string): void {
    this.run('link', existingPath, () => {
      const node = this.lookup(existingPath, LookupMode.NoFollow, 'link');
      const rn = this.resolve(newPath, LookupMode.Parent, 'link');
      if (rn.type !== LastType.Norm || rn.node !== null) throw new FsError('EEXIST', 'link', newPath);
      if (rn.slash) throw new FsError('ENOENT', 'link', newPath);
      this.writable('link', newPath);
      if (node.kind === 'dir') throw new FsError('EPERM', 'link', existingPath);
      // link(2) does not follow a final symlink of the source: a swapped-in link is linked itself.
      fs.linkSync(this.at(node), `${this.dirRef(this.parentOf(rn))}/${rn.name}`);
    });
  }

  /** symlink(2). The target is stored as given: only this walker follows it, inside the root. */
  symlink(target: string, path: string): void {
    this.run('symlink', path, () => {
      if (target.length === 0) throw new FsError('ENOENT', 'symlink', path);
      if (utf8Length(target) >= PATH_MAX) throw new FsError('ENAMETOOLONG', 'symlink', path);
      if (target.includes('\0')) throw new FsError('EINVAL', 'symlink', path);
      const { dir, name } = this.createAt(path, 'symlink', false);
      this.writable('symlink', path);
      fs.symlinkSync(target, `${this.dirRef(dir)}/${name}`);
    });
  }

  readlink(path: string): string {
    return this.run('readlink', path, () => {
      const node = this.lookup(path, LookupMode.NoFollow, 'readlink');
      if (node.kind !== 'symlink') throw new FsError('EINVAL', 'readlink', path);
      return fs.readlinkSync(this.at(node), 'utf8');
    });
  }

  /** mknod(2): Node cannot create special files, so EPERM after EEXIST/ENOENT (and EROFS). */
  mknod(path: string, kind: 'fifo' | 'chardev' | 'blockdev', _mode: number, _rdev = 0): void {
    this.run('mknod', path, () => {
      if (kind !== 'fifo' && kind !== 'chardev' && kind !== 'blockdev')
        throw new FsError('EINVAL', 'mknod', path);
      this.createAt(path, 'mknod', false);
      this.writable('mknod', path);
      throw new FsError('EPERM', 'mknod', path, 'special files are not supported on host directories');
    });
  }

  /** chmod(2); EROFS after the lookup. */
  chmod(path: string, mode: number, options?: NoFollow): void {
    this.run('chmod', path, () => {
      const node = this.lookup(path, this.followMode(options), 'chmod');
      if (options?.nofollow && node.kind === 'symlink') throw new FsError('EOPNOTSUPP', 'chmod', path);
      this.writable('chmod', path);
      fs.chmodSync(this.exact(node), mode & 0o7777);
    });
  }

  /** chown(2)/lchown(2), -1 keeping an id; the OS clears setuid/setgid. EROFS after the lookup. */
  chown(path: string, uid: number, gid: number, options?: NoFollow): void {
    const sc = options?.nofollow ? 'lchown' : 'chown';
    this.run(sc, path, () => {
      const node = this.lookup(path, this.followMode(options), sc);
      this.writable(sc, path);
      if (node.kind === 'symlink') fs.lchownSync(this.at(node), uid, gid);
      else fs.chownSync(this.exact(node), uid, gid);
    });
  }

  /** utimensat(2); EROFS after the lookup. */
  utimes(path: string, atime: TimeSpec, mtime: TimeSpec, options?: NoFollow): void {
    this.run('utimensat', path, () => {
      const node = this.lookup(path, this.followMode(options), 'utimensat');
      if (atime === 'omit' && mtime === 'omit') return;
      this.writable('utimensat', path);
      const now = Date.now();
      const t = (spec: TimeSpec, current: number) =>
        (spec === 'now' ? now : spec === 'omit' ? current : spec) / 1000;
      const a = t(atime, node.st.atimeMs);
      const m = t(mtime, node.st.mtimeMs);
      if (node.kind === 'symlink') fs.lutimesSync(this.at(node), a, m);
      else fs.utimesSync(this.exact(node), a, m);
    });
  }

  /** truncate(2); EROFS after EISDIR/EINVAL, as Linux. */
  truncate(path: string, length: number): void {
    this.run('truncate', path, () => {
      if (!(length >= 0) || !Number.isSafeInteger(length)) throw new FsError('EINVAL', 'truncate', path);
      const node = this.lookup(path, LookupMode.Follow, 'truncate');
      if (node.kind === 'dir') throw new FsError('EISDIR', 'truncate', path);
      if (node.kind !== 'file') throw new FsError('EINVAL', 'truncate', path);
      this.writable('truncate', path);
      fs.ftruncateSync(this.openChecked(node, C.O_WRONLY | C.O_NOFOLLOW | C.O_NONBLOCK), length);
    });
  }

  readFile(path: string): Uint8Array {
    return this.run('read', path, () => {
      const node = this.lookup(path, LookupMode.Follow, 'read');
      if (node.kind === 'dir') throw new FsError('EISDIR', 'read', path);
      if (node.kind !== 'file') throw new FsError('EINVAL', 'read', path);
      const fd = this.openChecked(node, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK);
      const b = fs.readFileSync(fd);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    });
  }

  writeFile(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): void {
    const flag = options.flag ?? 'w';
    const flags = O_WRONLY | O_CREAT | (flag === 'a' ? O_APPEND : O_TRUNC) | (flag === 'wx' ? O_EXCL : 0);
    const h = this.open(path, flags, options.mode ?? 0o644);
    try {
      h.append(typeof data === 'string' ? encoder.encode(data) : data);
    } finally {
      h.close();
    }
  }

  /**
   * open(2). readOnly: EROFS when O_CREAT would create the file, or when an existing file
   * is opened for writing or with O_TRUNC (after the EISDIR checks), as Linux.
   */
  open(path: string, flags: number, mode = 0o644): FileHandle {
    const sc = 'open';
    return this.run(sc, path, () => {
      const acc = flags & O_ACCMODE;
      if (acc === O_ACCMODE || (flags & O_CREAT && flags & O_DIRECTORY))
        throw new FsError('EINVAL', sc, path);
      let node: HNode | null;
      let slash = false;
      if (flags & O_CREAT) {
        const nofollow = (flags & (O_EXCL | O_NOFOLLOW)) !== 0;
        let r = this.resolve(path, LookupMode.Parent, sc);
        if (r.type === LastType.Norm && r.slash) throw new FsError('EISDIR', sc, path);
        if (r.type === LastType.Norm && !nofollow && r.node !== null && r.node.kind === 'symlink') {
          // Follow the final symlink: a dangling one creates its target (inside the root).
          r = this.resolve(path, LookupMode.Follow, sc);
          if (r.type === LastType.Norm && r.node === null && r.slash) throw new FsError('EISDIR', sc, path);
        }
        node = r.node;
        if (node === null) {
          this.writable(sc, path);
          const dir = this.parentOf(r);
          const extra = flags & O_APPEND ? C.O_APPEND : 0;
          let fd: number;
          try {
            fd = fs.openSync(
              `${this.dirRef(dir)}/${r.name}`,
              osFlags(acc) | extra | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW,
              mode & 0o777,
            );
          } catch (e) {
            // Created by someone else since the lookup: look again.
            if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new Retry();
            throw e;
          }
          try {
            fs.fchmodSync(fd, mode & 0o7777);
          } catch (e) {
            fs.closeSync(fd);
            throw e;
          }
          return new HostHandle(fd, flags, 'file', path);
        }
        if (flags & O_EXCL) throw new FsError('EEXIST', sc, path);
        if (node.kind === 'dir') throw new FsError('EISDIR', sc, path);
      } else {
        const r = this.resolve(path, flags & O_NOFOLLOW ? LookupMode.NoFollow : LookupMode.Follow, sc);
        node = r.node;
        if (node === null) throw new FsError('ENOENT', sc, path);
        slash = r.slash;
      }
      const kind = node.kind;
      if ((flags & O_DIRECTORY || slash) && kind !== 'dir') throw new FsError('ENOTDIR', sc, path);
      if (kind === 'symlink') throw new FsError('ELOOP', sc, path);
      const trunc = (flags & O_TRUNC) !== 0;
      const write = acc !== O_RDONLY || trunc;
      if (kind === 'dir' && write) throw new FsError('EISDIR', sc, path);
      if (write && kind === 'file') this.writable(sc, path);
      let os: number;
      if (kind === 'file') {
        os =
          osFlags(acc) |
          (trunc ? C.O_TRUNC : 0) |
          (flags & O_APPEND ? C.O_APPEND : 0) |
          C.O_NOFOLLOW |
          C.O_NONBLOCK;
      } else if (kind === 'dir') os = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;
      else os = (this.pinned ? O_PATH_LINUX : C.O_RDONLY | C.O_NONBLOCK) | C.O_NOFOLLOW;
      const fd = this.openChecked(node, os);
      // The handle owns the fd from now on: take it out of this call's list.
      this.fds.splice(this.fds.indexOf(fd), 1);
      return new HostHandle(fd, flags, kind, path);
    });
  }

  private xattrNode(path: string, sc: string, options: NoFollow | undefined, modifies: boolean): never {
    this.lookup(path, this.followMode(options), sc);
    if (modifies) this.writable(sc, path);
    throw new FsError('EOPNOTSUPP', sc, path, 'no extended attributes on host directories');
  }

  /** EOPNOTSUPP (Node has no xattr API), after the name checks, the lookup and EROFS. */
  setxattr(path: string, name: string, value: Uint8Array, options?: SetXattrOptions): void {
    const sc = options?.nofollow ? 'lsetxattr' : 'setxattr';
    this.run(sc, path, () => {
      checkXattrArgs(name, value, sc, path);
      this.xattrNode(path, sc, options, true);
    });
  }

  /** EOPNOTSUPP (Node has no xattr API), after the name check and the lookup. */
  getxattr(path: string, name: string, options?: NoFollow): Uint8Array {
    const sc = options?.nofollow ? 'lgetxattr' : 'getxattr';
    return this.run(sc, path, () => {
      checkXattrArgs(name, null, sc, path);
      return this.xattrNode(path, sc, options, false);
    });
  }

  /** EOPNOTSUPP (Node has no xattr API), after the lookup. */
  listxattr(path: string, options?: NoFollow): string[] {
    const sc = options?.nofollow ? 'llistxattr' : 'listxattr';
    return this.run(sc, path, () => this.xattrNode(path, sc, options, false));
  }

  /** EOPNOTSUPP (Node has no xattr API), after the name check, the lookup and EROFS. */
  removexattr(path: string, name: string, options?: NoFollow): void {
    const sc = options?.nofollow ? 'lremovexattr' : 'removexattr';
    this.run(sc, path, () => {
      checkXattrArgs(name, null, sc, path);
      this.xattrNode(path, sc, options, true);
    });
  }

  /** The guest's canonical path (never the host's). */
  realpath(path: string): string {
    return this.run('realpath', path, () => {
      const r = this.resolve(path, LookupMode.Follow, 'realpath', true);
      if (r.node === null) throw new FsError('ENOENT', 'realpath', path);
      if (r.slash && r.node.kind !== 'dir') throw new FsError('ENOTDIR', 'realpath', path);
      const parts = r.names!;
      if (r.name !== '') parts.push(r.name);
      return '/' + parts.join('/');
    });
  }
}

/** An open host file: a real fd, read and written with positioned calls. */
class HostHandle implements FileHandle {
  private closed = false;

  constructor(
    private readonly fd: number,
    readonly flags: number,
    private readonly kind: InodeKind,
    private readonly path: string,
  ) {}

  private call<T>(syscall: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw toFsError(e, syscall, this.path);
    }
  }

  private check(syscall: string, write: boolean): void {
    const acc = this.flags & O_ACCMODE;
    if (this.closed || (write ? acc === O_RDONLY : acc === O_WRONLY)) throw new FsError('EBADF', syscall);
  }

  private regular(syscall: string, position: number): void {
    if (this.kind === 'dir') throw new FsError('EISDIR', syscall);
    if (this.kind !== 'file' || !(position >= 0) || !Number.isSafeInteger(position))
      throw new FsError('EINVAL', syscall);
  }

  read(position: number, length: number): Uint8Array {
    this.check('read', false);
    this.regular('read', position);
    return this.call('read', () => {
      const size = fs.fstatSync(this.fd).size;
      const buf = new Uint8Array(Math.max(0, Math.min(length, size - position)));
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(this.fd, buf, got, buf.length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    });
  }

  private writeAll(bytes: Uint8Array, position: number | null): number {
    let done = 0;
    while (done < bytes.length) {
      done += fs.writeSync(
        this.fd,
        bytes,
        done,
        bytes.length - done,
        position === null ? null : position + done,
      );
    }
    return done;
  }

  write(position: number, bytes: Uint8Array): number {
    this.check('write', true);
    this.regular('write', position);
    // With O_APPEND Linux's pwrite appends whatever the position: so does write(2) here.
    return this.call('write', () => this.writeAll(bytes, this.flags & O_APPEND ? null : position));
  }

  append(bytes: Uint8Array): number {
    this.check('write', true);
    this.regular('write', 0);
    return this.call('write', () =>
      this.writeAll(bytes, this.flags & O_APPEND ? null : fs.fstatSync(this.fd).size),
    );
  }

  truncate(length: number): void {
    this.check('ftruncate', true);
    if (length < 0) throw new FsError('EINVAL', 'ftruncate');
    this.regular('ftruncate', 0);
    this.call('ftruncate', () => fs.ftruncateSync(this.fd, length));
  }

  stat(): Stat {
    if (this.closed) throw new FsError('EBADF', 'fstat');
    return toStat(this.call('fstat', () => fs.fstatSync(this.fd)));
  }

  close(): void {
    if (this.closed) throw new FsError('EBADF', 'close');
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
