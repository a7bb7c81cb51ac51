/**
 * A synchronous WASI preview1 host (wasi_snapshot_preview1) over berth's FileSystem API:
 * an fd table of stdio callbacks, preopened directories and open files, plus args,
 * environment, clocks, randomness and poll_oneoff for clocks. Sockets are not supported.
 *
 * Guest paths are resolved by joining them to the directory fd's path inside its
 * FileSystem, which does the confinement ('..' at its root stays at its root).
 */
import { FsError, isFsError } from '../../vfs/errno.js';
import {
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  type FileHandle,
  type FileSystem,
  type Stat,
  type TimeSpec,
} from '../../vfs/filesystem.js';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from '../../vfs/inode.js';
import { checkAccess, checkDirWrite, checkRemove, R_OK, W_OK, type Credentials } from './access.js';
import { guardSyscall, WaitQueue, WouldBlock } from './blocking.js';
import { WasiErrno as E, wasiErrno } from './errno.js';
import { GuestFault, GuestMemory } from './memory.js';

/** WASI filetype. */
export const Filetype = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;

const FDFLAGS_APPEND = 1;
const OFLAGS_CREAT = 1;
const OFLAGS_DIRECTORY = 2;
const OFLAGS_EXCL = 4;
const OFLAGS_TRUNC = 8;
const LOOKUP_SYMLINK_FOLLOW = 1;
const ROOT_OWNER = { uid: 0, gid: 0 };
const FST_ATIM = 1;
const FST_ATIM_NOW = 2;
const FST_MTIM = 4;
const FST_MTIM_NOW = 8;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
/** Every preview1 right (bits 0..29). */
const ALL_RIGHTS = (1n << 30n) - 1n;
const DIRENT_SIZE = 24;

/** Thrown by proc_exit and caught by `run`. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'WasiExit';
  }
}

/** A directory of a FileSystem that the guest sees as a preopen named `guestPath`. */
export interface Preopen {
  guestPath: string;
  fs: FileSystem;
  /** The directory inside `fs` (default '/'). */
  path?: string;
}

export interface WasiOptions {
  /** argv, argv[0] included. */
  args?: string[];
  env?: Record<string, string>;
  preopens?: Preopen[];
  /** Standard input: all of it as bytes, or a callback returning the next chunk (null or empty at EOF). */
  stdin?: Uint8Array | ((max: number) => Uint8Array | null);
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  /**
   * The whole fd table to start with (the kernel passes a process's inherited fds);
   * replaces stdin/stdout/stderr, and preopens are added after it.
   */
  fds?: (Entry | undefined)[];
  /**
   * Running under the kernel: a sleep or a poll with nothing ready throws WouldBlock
   * instead of blocking the thread.
   */
  kernelMode?: boolean;
  /**
   * The process's file mode creation mask, applied to files and directories WASI calls
   * create (they take no mode: 0666 and 0777 before the mask, as open(2) and mkdir(2)
   * callers usually pass). Default: none.
   */
  umask?: () => number;
  /**
   * The credentials files and directories it creates belong to (its fsuid/fsgid);
   * default root, which is also what the filesystems give a new inode.
   */
  owner?: () => { uid: number; gid: number };
}

/**
 * A stream fd: a terminal, a pipe end, a callback. `read` returns the next bytes, an
 * empty array or null at end of file, or throws WouldBlock; `write` returns how many
 * bytes it took (all of them when void) or throws an FsError/WouldBlock.
 */
export interface StdioEntry {
  type: 'stdio';
  /** Open file descriptions are shared by dup and by inheritance: fds pointing here. */
  refs?: number;
  read?: (max: number) => Uint8Array | null;
  /**
   * `bytes` may be a view of the guest's (shared) memory, valid only during the call: copy
   * to keep. A number returned is how many bytes were taken; anything else means all.
   */
  write?: (bytes: Uint8Array) => unknown;
  /** For poll_oneoff: would a read / write proceed now, and what to wait on otherwise. */
  readable?: () => boolean;
  writable?: () => boolean;
  queue?: WaitQueue;
  /** Called when the last fd referring to it is closed. */
  close?: () => void;
  /** Filetype reported by fdstat (default CHARACTER_DEVICE). */
  filetype?: number;
  /** A listening socket: the next connection's fd entry (or throws WouldBlock). */
  accept?: () => Entry;
}

export interface FileEntry {
  type: 'file';
  refs?: number;
  fs: FileSystem;
  /** Path inside fs it was opened by (directories resolve relative paths against it). */
  path: string;
  handle: FileHandle;
  dir: boolean;
  position: number;
  append: boolean;
  preopen?: string;
  /** readdir snapshot taken at cookie 0. */
  listing?: { name: string; ino: number; type: number }[];
}

export type Entry = StdioEntry | FileEntry;

/** The open directory a preopen fd holds. */
export function preopenEntry(p: Preopen): FileEntry {
  const path = p.path ?? '/';
  const handle = p.fs.open(path, O_RDONLY | O_DIRECTORY);
  return {
    type: 'file',
    fs: p.fs,
    path,
    handle,
    dir: true,
    position: 0,
    append: false,
    preopen: p.guestPath,
  };
}

/** Another fd now refers to this open file description. */
export function retainEntry(e: Entry): Entry {
  e.refs = (e.refs ?? 1) + 1;
  return e;
}

/** An fd referring to it was closed; the last one closes it. */
export function releaseEntry(e: Entry): void {
  e.refs = (e.refs ?? 1) - 1;
  if (e.refs > 0) return;
  if (e.type === 'file') e.handle.close();
  else e.close?.();
}

function filetypeOf(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return Filetype.REGULAR_FILE;
    case S_IFDIR:
      return Filetype.DIRECTORY;
    case S_IFLNK:
      return Filetype.SYMBOLIC_LINK;
    case S_IFCHR:
      return Filetype.CHARACTER_DEVICE;
    case S_IFBLK:
      return Filetype.BLOCK_DEVICE;
    case S_IFSOCK:
      return Filetype.SOCKET_STREAM;
    default:
      return Filetype.UNKNOWN;
  }
}

const KIND_TYPE: Record<string, number> = {
  file: Filetype.REGULAR_FILE,
  dir: Filetype.DIRECTORY,
  symlink: Filetype.SYMBOLIC_LINK,
  chardev: Filetype.CHARACTER_DEVICE,
  blockdev: Filetype.BLOCK_DEVICE,
  socket: Filetype.SOCKET_STREAM,
  fifo: Filetype.UNKNOWN,
};

/** Whether a poll_oneoff fd subscription (1 read, 2 write) is ready. */
function fdReady(e: Entry, tag: number): boolean {
  if (e.type === 'file') return true;
  if (tag === 1) return e.readable?.() ?? true;
  return e.writable?.() ?? true;
}

const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
const nsToMs = (ns: bigint): number => Number(ns) / 1e6;

/** An errno result raised inside an import. */
export class WasiError extends Error {
  constructor(readonly errno: number) {
    super(`wasi errno ${errno}`);
  }
}

function sleepMs(ms: number): void {
  if (ms <= 0) return;
  try {
    if (typeof SharedArrayBuffer !== 'undefined') {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      return;
    }
  } catch {
    // Atomics.wait is forbidden here (a browser main thread): busy-wait instead.
  }
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

export class WasiHost {
  private readonly args: string[];
  private readonly env: string[];
  /** The fd table: index = fd. */
  readonly fds: (Entry | undefined)[] = [];
  private mem: GuestMemory | null = null;
  private readonly enc = new TextEncoder();
  private readonly kernelMode: boolean;
  private readonly umask: () => number;
  private readonly owner: () => { uid: number; gid: number };

  constructor(opts: WasiOptions = {}) {
    this.args = opts.args ?? [];
    this.env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`);
    this.kernelMode = opts.kernelMode ?? false;
    this.umask = opts.umask ?? (() => 0);
    this.owner = opts.owner ?? (() => ROOT_OWNER);
    if (opts.fds !== undefined) this.fds.push(...opts.fds);
    else this.stdio(opts);
    for (const p of opts.preopens ?? []) this.fds.push(preopenEntry(p));
  }

  private stdio(opts: WasiOptions): void {
    let stdin = opts.stdin;
    if (stdin instanceof Uint8Array) {
      let rest = stdin;
      stdin = (max: number) => {
        const chunk = rest.subarray(0, max);
        rest = rest.subarray(chunk.length);
        return chunk;
      };
    }
    this.fds.push({ type: 'stdio', read: stdin ?? (() => null) });
    this.fds.push({ type: 'stdio', write: opts.stdout ?? (() => {}) });
    this.fds.push({ type: 'stdio', write: opts.stderr ?? (() => {}) });
  }

  /** The memory the imports read and write (set by `run` from the instance's exports). */
  bindMemory(memory: WebAssembly.Memory): void {
    this.mem = new GuestMemory(memory);
  }

  /** Instantiate `module` with these imports, run `_start`, and return the exit code. */
  run(module: WebAssembly.Module): { exitCode: number } {
    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: this.imports() });
    const memory = instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('module exports no memory');
    this.bindMemory(memory);
    const start = instance.exports._start;
    if (typeof start !== 'function') throw new Error('module exports no _start');
    try {
      (start as () => void)();
    } catch (e) {
      if (e instanceof WasiExit) return { exitCode: e.code };
      throw e;
    }
    return { exitCode: 0 };
  }

  private get m(): GuestMemory {
    if (this.mem === null) throw new Error('WasiHost: no memory bound');
    return this.mem;
  }

  private entry(fd: number): Entry {
    const e = this.fds[fd];
    if (e === undefined) throw new WasiError(E.BADF);
    return e;
  }

  private file(fd: number): FileEntry {
    const e = this.entry(fd);
    if (e.type !== 'file') throw new WasiError(E.BADF);
    return e;
  }

  private dirEntry(fd: number): FileEntry {
    const e = this.file(fd);
    if (!e.dir) throw new WasiError(E.NOTDIR);
    return e;
  }

  /** Resolve a guest path relative to directory fd `fd` (also used by the process extension). */
  resolve(fd: number, ptr: number, len: number): { fs: FileSystem; path: string } {
    const d = this.dirEntry(fd);
    const rel = this.m.string(ptr, len);
    if (rel === '') throw new WasiError(E.NOENT);
    return { fs: d.fs, path: d.path.endsWith('/') ? d.path + rel : `${d.path}/${rel}` };
  }

  /** The memory bound, for the kernel's extension calls. */
  get memory(): GuestMemory {
    return this.m;
  }

  /** Put `e` at the lowest free fd. */
  alloc(e: Entry): number {
    let fd = 0;
    while (this.fds[fd] !== undefined) fd++;
    this.fds[fd] = e;
    return fd;
  }

  private writeFilestat(ptr: number, st: Stat): void {
    const m = this.m;
    m.range(ptr, 64);
    m.bytes(ptr, 64).fill(0);
    m.setU64(ptr, st.dev);
    m.setU64(ptr + 8, st.ino);
    m.setU8(ptr + 16, filetypeOf(st.mode));
    m.setU64(ptr + 24, st.nlink);
    m.setU64(ptr + 32, st.size);
    m.setU64(ptr + 40, msToNs(st.atimeMs));
    m.setU64(ptr + 48, msToNs(st.mtimeMs));
    m.setU64(ptr + 56, msToNs(st.ctimeMs));
  }

  /** The iovecs at iovs as [ptr, len] pairs, every buffer bounds-checked up front. */
  private iovecs(iovs: number, count: number): [number, number][] {
    count >>>= 0;
    this.m.range(iovs, count * 8);
    const out: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const p = this.m.u32(iovs + i * 8);
      const l = this.m.u32(iovs + i * 8 + 4);
      this.m.range(p, l);
      out.push([p, l]);
    }
    return out;
  }

  private readInto(iovs: [number, number][], readAt: (max: number) => Uint8Array): number {
    let total = 0;
    for (const [p, l] of iovs) {
      if (l === 0) continue;
      let chunk: Uint8Array;
      try {
        chunk = readAt(l).subarray(0, l); // a source may offer more than asked
      } catch (e) {
        if (total > 0 && e instanceof WouldBlock) break; // return what was read
        throw e;
      }
      this.m.write(p, chunk);
      total += chunk.length;
      if (chunk.length < l) break;
    }
    return total;
  }

  /** The bytes of the iovecs: a live view of guest memory when there is one (no copy). */
  private gather(iovs: [number, number][]): Uint8Array {
    if (iovs.length === 1) return this.m.bytes(iovs[0]![0], iovs[0]![1]);
    const total = iovs.reduce((n, [, l]) => n + l, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const [p, l] of iovs) {
      out.set(this.m.bytes(p, l), at);
      at += l;
    }
    return out;
  }

  /** The process's ids for permission checks, or null for root (which passes them). */
  private cred(): Credentials | null {
    const o = this.owner();
    return o.uid === 0 ? null : o;
  }

  private exists(fs: FileSystem, path: string): boolean {
    try {
      fs.lstat(path);
      return true;
    } catch {
      return false;
    }
  }

  /** open(2)'s checks: read/write on an existing file, write and search on the directory for a new one. */
  private checkOpen(fs: FileSystem, path: string, cred: Credentials, flags: number): void {
    let st: Stat;
    try {
      st = flags & O_NOFOLLOW ? fs.lstat(path) : fs.stat(path);
    } catch (e) {
      if (flags & O_CREAT && isFsError(e, 'ENOENT')) checkDirWrite(fs, path, cred, 'open');
      return; // the open itself reports what is wrong
    }
    const acc = flags & 3;
    const isDir = (st.mode & S_IFMT) === S_IFDIR;
    // a directory is only ever read through an fd (wasi-libc may ask for write rights)
    const want =
      (acc === O_RDONLY || acc === O_RDWR ? R_OK : 0) |
      (!isDir && (acc !== O_RDONLY || flags & O_TRUNC) ? W_OK : 0);
    if (want !== 0) checkAccess(fs, path, cred, want, 'open');
  }

  /** utimensat(2): explicit times need the owner (EPERM); "now" the owner or write permission. */
  private checkTimes(fs: FileSystem, path: string, cred: Credentials, fst: number, nofollow: boolean): void {
    const st = nofollow ? fs.lstat(path) : fs.stat(path);
    if (st.uid === cred.uid) return;
    if (fst & (FST_ATIM | FST_MTIM)) throw new FsError('EPERM', 'utimensat', path);
    checkAccess(fs, path, cred, W_OK, 'utimensat');
  }

  /**
   * For a call that may create `path`: a function that gives the new inode to the
   * process's owner once it exists, or null when there is nothing to do (the owner is
   * root, as new inodes are, or `path` exists already).
   */
  private creating(fs: FileSystem, path: string): (() => void) | null {
    const { uid, gid } = this.owner();
    if ((uid === 0 && gid === 0) || this.exists(fs, path)) return null;
    return () => fs.chown(path, uid, gid, { nofollow: true });
  }

  private timeSpec(ns: bigint, flags: number, set: number, now: number): TimeSpec {
    if (flags & now) return 'now';
    if (flags & set) return nsToMs(ns);
    return 'omit';
  }

  private now(clock: number): bigint {
    switch (clock) {
      case 0:
        return BigInt(Date.now()) * 1_000_000n;
      case 1:
      case 2:
      case 3:
        return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
      default:
        throw new WasiError(E.INVAL);
    }
  }

  /** The import object for module `wasi_snapshot_preview1`. */
  imports(): Record<string, (...args: never[]) => number | void> {
    const table = this.syscalls();
    const out: Record<string, (...args: never[]) => number | void> = {};
    for (const [name, fn] of Object.entries(table)) {
      out[name] = (...args: never[]) =>
        this.guarded(() => (fn as (...a: never[]) => number | void).apply(this, args));
    }
    return out;
  }

  /**
   * Run a syscall body, turning errors into errno. A WouldBlock passes through with its
   * resume guarded the same way, so the retry also ends in an errno, never an exception.
   */
  private guarded(body: () => number | void): number {
    return guardSyscall(body, (e) => this.errnoOf(e));
  }

  private errnoOf(e: unknown): number {
    if (e instanceof WasiExit || e instanceof WouldBlock) throw e;
    if (e instanceof WasiError) return e.errno;
    if (e instanceof GuestFault) return E.FAULT;
    if (isFsError(e)) return wasiErrno(e.code);
    throw e;
  }

  private listStrings(list: string[], ptrs: number, buf: number): void {
    let at = buf;
    for (let i = 0; i < list.length; i++) {
      const bytes = this.enc.encode(list[i] + '\0');
      this.m.setU32(ptrs + i * 4, at);
      this.m.write(at, bytes);
      at += bytes.length;
    }
  }

  private sizes(list: string[], countPtr: number, sizePtr: number): void {
    this.m.range(countPtr, 4);
    this.m.range(sizePtr, 4);
    this.m.setU32(countPtr, list.length);
    this.m.setU32(
      sizePtr,
      list.reduce((n, s) => n + this.enc.encode(s).length + 1, 0),
    );
  }

  private syscalls() {
    const m = () => this.m;
    return {
      args_get: (argv: number, buf: number) => this.listStrings(this.args, argv, buf),
      args_sizes_get: (c: number, s: number) => this.sizes(this.args, c, s),
      environ_get: (env: number, buf: number) => this.listStrings(this.env, env, buf),
      environ_sizes_get: (c: number, s: number) => this.sizes(this.env, c, s),

      clock_res_get: (id: number, ptr: number) => {
        this.now(id);
        m().setU64(ptr, id === 0 ? 1_000_000n : 1_000n);
      },
      clock_time_get: (id: number, _precision: bigint, ptr: number) => {
        m().range(ptr, 8);
        m().setU64(ptr, this.now(id));
      },

      fd_advise: (fd: number) => void this.file(fd),
      fd_allocate: (fd: number, offset: bigint, len: bigint) => {
        const f = this.file(fd);
        const end = Number(offset + len);
        if (f.handle.stat().size < end) f.handle.truncate(end);
      },
      fd_close: (fd: number) => {
        const e = this.entry(fd);
        this.fds[fd] = undefined;
        releaseEntry(e);
      },
      fd_datasync: (fd: number) => void this.entry(fd),
      fd_sync: (fd: number) => void this.entry(fd),

      fd_fdstat_get: (fd: number, ptr: number) => {
        const e = this.entry(fd);
        m().range(ptr, 24);
        m().bytes(ptr, 24).fill(0);
        if (e.type === 'stdio') {
          m().setU8(ptr, e.filetype ?? Filetype.CHARACTER_DEVICE);
          m().setU64(ptr + 8, (e.read ? RIGHT_FD_READ : 0n) | (e.write ? RIGHT_FD_WRITE : 0n));
          return;
        }
        m().setU8(ptr, filetypeOf(e.handle.stat().mode));
        m().setU16(ptr + 2, e.append ? FDFLAGS_APPEND : 0);
        m().setU64(ptr + 8, ALL_RIGHTS);
        m().setU64(ptr + 16, ALL_RIGHTS);
      },
      fd_fdstat_set_flags: (fd: number, flags: number) => {
        const e = this.entry(fd);
        if (e.type === 'file') e.append = (flags & FDFLAGS_APPEND) !== 0;
      },
      fd_fdstat_set_rights: (fd: number) => void this.entry(fd),

      fd_filestat_get: (fd: number, ptr: number) => {
        const e = this.entry(fd);
        m().range(ptr, 64);
        if (e.type === 'stdio') {
          m().bytes(ptr, 64).fill(0);
          m().setU8(ptr + 16, e.filetype ?? Filetype.CHARACTER_DEVICE);
          return;
        }
        this.writeFilestat(ptr, e.handle.stat());
      },
      fd_filestat_set_size: (fd: number, size: bigint) => this.file(fd).handle.truncate(Number(size)),
      fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, flags: number) => {
        const f = this.file(fd);
        f.fs.utimes(
          f.path,
          this.timeSpec(atim, flags, FST_ATIM, FST_ATIM_NOW),
          this.timeSpec(mtim, flags, FST_MTIM, FST_MTIM_NOW),
        );
      },

      fd_read: (fd: number, iovs: number, count: number, nread: number) => {
        const e = this.entry(fd);
        const vecs = this.iovecs(iovs, count);
        m().range(nread, 4);
        let n: number;
        if (e.type === 'stdio') {
          if (!e.read) throw new WasiError(E.BADF);
          const read = e.read;
          n = this.readInto(vecs, (max) => read(max) ?? new Uint8Array(0));
        } else {
          if (e.dir) throw new WasiError(E.ISDIR);
          n = this.readInto(vecs, (max) => {
            const chunk = e.handle.read(e.position, max);
            e.position += chunk.length;
            return chunk;
          });
        }
        m().setU32(nread, n);
      },
      fd_pread: (fd: number, iovs: number, count: number, offset: bigint, nread: number) => {
        const e = this.entry(fd);
        if (e.type !== 'file') throw new WasiError(E.SPIPE);
        if (e.dir) throw new WasiError(E.ISDIR);
        const vecs = this.iovecs(iovs, count);
        m().range(nread, 4);
        let at = Number(offset);
        const n = this.readInto(vecs, (max) => {
          const chunk = e.handle.read(at, max);
          at += chunk.length;
          return chunk;
        });
        m().setU32(nread, n);
      },
      fd_write: (fd: number, iovs: number, count: number, nwritten: number) => {
        const e = this.entry(fd);
        const data = this.gather(this.iovecs(iovs, count));
        m().range(nwritten, 4);
        if (e.type === 'stdio') {
          const write = e.write;
          if (!write) throw new WasiError(E.BADF);
          // A blocking write to a pipe returns only when all of it is written (or nothing
          // could be and the reader is gone), as on Linux: block for the rest.
          let done = 0;
          const step = (): void => {
            while (done < data.length) {
              let n: number;
              try {
                const r = write(done === 0 ? data : data.subarray(done));
                n = typeof r === 'number' ? r : data.length - done;
              } catch (err) {
                if (err instanceof WouldBlock) throw new WouldBlock(err.queues, err.deadline, step);
                if (done > 0) break;
                throw err;
              }
              done += n;
            }
            m().setU32(nwritten, done);
          };
          step();
          return;
        } else if (e.append) {
          e.handle.append(data);
          e.position = e.handle.stat().size;
        } else {
          e.handle.write(e.position, data);
          e.position += data.length;
        }
        m().setU32(nwritten, data.length);
      },
      fd_pwrite: (fd: number, iovs: number, count: number, offset: bigint, nwritten: number) => {
        const e = this.entry(fd);
        if (e.type !== 'file') throw new WasiError(E.SPIPE);
        const data = this.gather(this.iovecs(iovs, count));
        m().range(nwritten, 4);
        e.handle.write(Number(offset), data);
        m().setU32(nwritten, data.length);
      },
      fd_seek: (fd: number, offset: bigint, whence: number, ptr: number) => {
        const e = this.entry(fd);
        if (e.type !== 'file') throw new WasiError(E.SPIPE);
        m().range(ptr, 8);
        const delta = Number(BigInt.asIntN(64, offset));
        const base = whence === 0 ? 0 : whence === 1 ? e.position : whence === 2 ? e.handle.stat().size : NaN;
        const pos = base + delta;
        if (!Number.isSafeInteger(pos) || pos < 0) throw new WasiError(E.INVAL);
        e.position = pos;
        m().setU64(ptr, pos);
      },
      fd_tell: (fd: number, ptr: number) => {
        const e = this.entry(fd);
        if (e.type !== 'file') throw new WasiError(E.SPIPE);
        m().setU64(ptr, e.position);
      },

      fd_readdir: (fd: number, buf: number, len: number, cookie: bigint, used: number) => {
        const d = this.dirEntry(fd);
        m().range(buf, len);
        m().range(used, 4);
        if (cookie === 0n || d.listing === undefined) {
          const self = d.fs.stat(d.path);
          const parent = d.fs.stat(d.path.endsWith('/') ? d.path + '..' : `${d.path}/..`);
          d.listing = [
            { name: '.', ino: self.ino, type: Filetype.DIRECTORY },
            { name: '..', ino: parent.ino, type: Filetype.DIRECTORY },
            ...d.fs.readdir(d.path).map((x) => ({ name: x.name, ino: x.ino, type: KIND_TYPE[x.kind] ?? 0 })),
          ];
        }
        const out = new Uint8Array(len >>> 0);
        let at = 0;
        const first = cookie < 0n || cookie > BigInt(d.listing.length) ? d.listing.length : Number(cookie);
        for (let i = first; i < d.listing.length && at < out.length; i++) {
          const ent = d.listing[i];
          const name = this.enc.encode(ent.name);
          const rec = new Uint8Array(DIRENT_SIZE + name.length);
          const rv = new DataView(rec.buffer);
          rv.setBigUint64(0, BigInt(i + 1), true);
          rv.setBigUint64(8, BigInt(ent.ino), true);
          rv.setUint32(16, name.length, true);
          rv.setUint8(20, ent.type);
          rec.set(name, DIRENT_SIZE);
          const n = Math.min(rec.length, out.length - at);
          out.set(rec.subarray(0, n), at);
          at += n;
        }
        m().write(buf, out.subarray(0, at));
        m().setU32(used, at);
      },

      fd_prestat_get: (fd: number, ptr: number) => {
        const e = this.entry(fd);
        if (e.type !== 'file' || e.preopen === undefined) throw new WasiError(E.BADF);
        m().range(ptr, 8);
        m().setU32(ptr, 0);
        m().setU32(ptr + 4, this.enc.encode(e.preopen).length);
      },
      fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
        const e = this.entry(fd);
        if (e.type !== 'file' || e.preopen === undefined) throw new WasiError(E.BADF);
        const name = this.enc.encode(e.preopen);
        if (len >>> 0 < name.length) throw new WasiError(E.NAMETOOLONG);
        m().write(ptr, name);
      },
      fd_renumber: (from: number, to: number) => {
        const e = this.entry(from);
        const old = this.entry(to);
        if (from === to) return;
        this.fds[to] = e;
        this.fds[from] = undefined;
        releaseEntry(old);
      },

      path_create_directory: (fd: number, p: number, l: number) => {
        const r = this.resolve(fd, p, l);
        const cred = this.cred();
        if (cred) checkDirWrite(r.fs, r.path, cred, 'mkdir');
        const created = this.creating(r.fs, r.path);
        r.fs.mkdir(r.path, 0o777 & ~this.umask());
        created?.();
      },
      path_remove_directory: (fd: number, p: number, l: number) => {
        const r = this.resolve(fd, p, l);
        const cred = this.cred();
        if (cred) checkRemove(r.fs, r.path, cred, 'rmdir');
        r.fs.rmdir(r.path);
      },
      path_unlink_file: (fd: number, p: number, l: number) => {
        const r = this.resolve(fd, p, l);
        const cred = this.cred();
        if (cred) checkRemove(r.fs, r.path, cred, 'unlink');
        r.fs.unlink(r.path);
      },
      path_filestat_get: (fd: number, flags: number, p: number, l: number, ptr: number) => {
        const r = this.resolve(fd, p, l);
        m().range(ptr, 64);
        this.writeFilestat(ptr, flags & LOOKUP_SYMLINK_FOLLOW ? r.fs.stat(r.path) : r.fs.lstat(r.path));
      },
      path_filestat_set_times: (
        fd: number,
        flags: number,
        p: number,
        l: number,
        atim: bigint,
        mtim: bigint,
        fst: number,
      ) => {
        const r = this.resolve(fd, p, l);
        const cred = this.cred();
        if (cred) this.checkTimes(r.fs, r.path, cred, fst, (flags & LOOKUP_SYMLINK_FOLLOW) === 0);
        r.fs.utimes(
          r.path,
          this.timeSpec(atim, fst, FST_ATIM, FST_ATIM_NOW),
          this.timeSpec(mtim, fst, FST_MTIM, FST_MTIM_NOW),
          { nofollow: (flags & LOOKUP_SYMLINK_FOLLOW) === 0 },
        );
      },
      path_link: (
        ofd: number,
        _oflags: number,
        op: number,
        ol: number,
        nfd: number,
        np: number,
        nl: number,
      ) => {
        const a = this.resolve(ofd, op, ol);
        const b = this.resolve(nfd, np, nl);
        if (a.fs !== b.fs) throw new WasiError(E.XDEV);
        const cred = this.cred();
        if (cred) checkDirWrite(b.fs, b.path, cred, 'link');
        a.fs.link(a.path, b.path);
      },
      path_rename: (ofd: number, op: number, ol: number, nfd: number, np: number, nl: number) => {
        const a = this.resolve(ofd, op, ol);
        const b = this.resolve(nfd, np, nl);
        if (a.fs !== b.fs) throw new WasiError(E.XDEV);
        const cred = this.cred();
        if (cred) {
          checkRemove(a.fs, a.path, cred, 'rename');
          if (this.exists(b.fs, b.path)) checkRemove(b.fs, b.path, cred, 'rename');
          else checkDirWrite(b.fs, b.path, cred, 'rename');
        }
        a.fs.rename(a.path, b.path);
      },
      path_symlink: (tp: number, tl: number, fd: number, p: number, l: number) => {
        const target = m().string(tp, tl);
        const r = this.resolve(fd, p, l);
        const cred = this.cred();
        if (cred) checkDirWrite(r.fs, r.path, cred, 'symlink');
        const created = this.creating(r.fs, r.path);
        r.fs.symlink(target, r.path);
        created?.();
      },
      path_readlink: (fd: number, p: number, l: number, buf: number, len: number, used: number) => {
        const r = this.resolve(fd, p, l);
        m().range(buf, len);
        m().range(used, 4);
        const target = this.enc.encode(r.fs.readlink(r.path)).subarray(0, len >>> 0);
        m().write(buf, target);
        m().setU32(used, target.length);
      },
      path_open: (
        fd: number,
        dirflags: number,
        p: number,
        l: number,
        oflags: number,
        rights: bigint,
        _inheriting: bigint,
        fdflags: number,
        out: number,
      ) => {
        const r = this.resolve(fd, p, l);
        m().range(out, 4);
        const write = (rights & RIGHT_FD_WRITE) !== 0n && (oflags & OFLAGS_DIRECTORY) === 0;
        const read = (rights & RIGHT_FD_READ) !== 0n;
        let flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
        if (oflags & OFLAGS_CREAT) flags |= O_CREAT;
        if (oflags & OFLAGS_EXCL) flags |= O_EXCL;
        if (oflags & OFLAGS_TRUNC) flags |= O_TRUNC;
        if (oflags & OFLAGS_DIRECTORY) flags |= O_DIRECTORY;
        if ((dirflags & LOOKUP_SYMLINK_FOLLOW) === 0) flags |= O_NOFOLLOW;
        const cred = this.cred();
        if (cred) this.checkOpen(r.fs, r.path, cred, flags);
        let handle: FileHandle;
        const created = flags & O_CREAT ? this.creating(r.fs, r.path) : null;
        try {
          handle = r.fs.open(r.path, flags, 0o666 & ~this.umask());
          created?.();
        } catch (e) {
          // A directory asked for with write rights (wasi-libc's O_RDWR default): retry read-only.
          if (!isFsError(e, 'EISDIR') || !write || flags & (O_CREAT | O_TRUNC)) throw e;
          handle = r.fs.open(r.path, (flags & ~3) | O_RDONLY);
        }
        const dir = (handle.stat().mode & S_IFMT) === S_IFDIR;
        const entry: FileEntry = {
          type: 'file',
          fs: r.fs,
          path: r.path,
          handle,
          dir,
          position: 0,
          append: (fdflags & FDFLAGS_APPEND) !== 0,
        };
        m().setU32(out, this.alloc(entry));
      },

      poll_oneoff: (inPtr: number, outPtr: number, nsubs: number, neventsPtr: number) => {
        nsubs >>>= 0;
        if (nsubs === 0) throw new WasiError(E.INVAL);
        m().range(inPtr, nsubs * 48);
        m().range(outPtr, nsubs * 32);
        m().range(neventsPtr, 4);
        const subs: {
          userdata: bigint;
          tag: number;
          fd: number;
          clock: number;
          timeout: bigint;
          abs: boolean;
        }[] = [];
        for (let i = 0; i < nsubs; i++) {
          const s = inPtr + i * 48;
          const tag = m().u8(s + 8);
          const sub = { userdata: m().u64(s), tag, fd: 0, clock: 0, timeout: 0n, abs: false };
          if (tag === 0) {
            sub.clock = m().u32(s + 16);
            sub.timeout = m().u64(s + 24);
            sub.abs = (m().u16(s + 40) & 1) !== 0;
          } else sub.fd = m().u32(s + 16);
          subs.push(sub);
        }
        const deadline = (s: (typeof subs)[number]): bigint =>
          s.abs ? s.timeout - this.now(s.clock) + this.now(1) : this.now(1) + s.timeout;
        const fdSubs = subs.filter((s) => s.tag !== 0);
        const clocks = subs.filter((s) => s.tag === 0).map((s) => ({ s, at: deadline(s) }));
        type Event = { userdata: bigint; error: number; type: number };
        const collect = (): Event[] => {
          const events: Event[] = [];
          for (const s of fdSubs) {
            const e = this.fds[s.fd];
            if (e === undefined) events.push({ userdata: s.userdata, error: E.BADF, type: s.tag });
            else if (fdReady(e, s.tag)) events.push({ userdata: s.userdata, error: E.SUCCESS, type: s.tag });
          }
          const now = this.now(1);
          for (const c of clocks)
            if (c.at <= now) events.push({ userdata: c.s.userdata, error: E.SUCCESS, type: 0 });
          return events;
        };
        const finish = (events: Event[]): void => {
          events.forEach((ev, i) => {
            const o = outPtr + i * 32;
            m().bytes(o, 32).fill(0);
            m().setU64(o, ev.userdata);
            m().setU16(o + 8, ev.error);
            m().setU8(o + 10, ev.type);
          });
          m().setU32(neventsPtr, events.length);
        };
        let events = collect();
        const first = clocks.length > 0 ? clocks.reduce((a, b) => (b.at < a.at ? b : a)) : null;
        if (events.length === 0 && this.kernelMode) {
          const queues: WaitQueue[] = [];
          for (const s of fdSubs) {
            const e = this.fds[s.fd];
            if (e?.type === 'stdio' && e.queue !== undefined) queues.push(e.queue);
          }
          const wakeAt =
            first === null ? undefined : performance.now() + Number(first.at - this.now(1)) / 1e6;
          const resume = (): void => {
            const ready = collect();
            if (ready.length === 0) throw new WouldBlock(queues, wakeAt, resume);
            finish(ready);
          };
          throw new WouldBlock(queues, wakeAt, resume);
        }
        if (events.length === 0 && first !== null) {
          sleepMs(Number(first.at - this.now(1)) / 1e6);
          events = collect();
        }
        finish(events);
      },

      proc_exit: (code: number) => {
        throw new WasiExit(code >>> 0);
      },
      proc_raise: () => E.NOSYS,
      sched_yield: () => E.SUCCESS,
      random_get: (ptr: number, len: number) => {
        m().range(ptr, len);
        // Fill a private buffer: getRandomValues rejects views of shared memory in browsers.
        const b = new Uint8Array(len >>> 0);
        for (let i = 0; i < b.length; i += 65536) crypto.getRandomValues(b.subarray(i, i + 65536));
        m().write(ptr, b);
      },

      sock_accept: (fd: number, _flags: number, ret: number) => {
        const e = this.entry(fd);
        if (e.type !== 'stdio' || e.accept === undefined) throw new WasiError(E.NOTSUP);
        m().range(ret, 4);
        const conn = e.accept();
        m().setU32(ret, this.alloc(conn));
      },
      sock_recv: () => E.NOTSUP,
      sock_send: () => E.NOTSUP,
      sock_shutdown: () => E.NOTSUP,
    };
  }
}
