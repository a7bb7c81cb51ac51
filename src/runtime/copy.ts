/**
 * `docker cp` data movement over the FileSystem contract: `copyOut` writes a path as a
 * tar (its top entry named as copy-paths.ts says), `copyIn` extracts such a tar into a
 * directory, `copyPath` does both with Docker's path rules. Modes, owners, mtimes,
 * symlinks, hard links, device nodes, fifos and xattrs are kept.
 *
 * Safety: the FileSystem already confines every path to its root. copyIn also keeps
 * each entry under the target directory: names are resolved lexically ('..' may not
 * climb above it), the parent of every entry is checked with realpath to still be inside
 * it (a symlink in the tar or already on disk cannot lead out), and the entry itself is
 * never followed (an existing file or link there is replaced, not written through).
 */
import { InvalidArgumentError } from '../errors.js';
import { readTar } from '../tar/reader.js';
import type { TarEntry, TarHeader, TarWriteEntry } from '../tar/types.js';
import { writeTar } from '../tar/writer.js';
import { isFsError } from '../vfs/errno.js';
import type { FileSystem, Stat } from '../vfs/filesystem.js';
import {
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  major,
  makedev,
  minor,
} from '../vfs/inode.js';
import { copyDestination, copySource, planCopy, type CopyPlan, type CopySource } from './copy-paths.js';

export interface CopyInOptions {
  /** Rename the tar's top entry (see CopyPlan). */
  rename?: CopyPlan['rename'];
  /** Give every entry this owner (Docker's default for `cp` into a container: root) instead of the tar's. */
  owner?: { uid: number; gid: number };
  /** Largest file accepted (tar reader default: 1 GiB). */
  maxEntrySize?: number;
}

function xattrsOf(fs: FileSystem, path: string): Map<string, Uint8Array> | undefined {
  try {
    const names = fs.listxattr(path, { nofollow: true });
    if (names.length === 0) return undefined;
    return new Map(names.map((n) => [n, fs.getxattr(path, n, { nofollow: true })]));
  } catch {
    return undefined; // a filesystem without xattrs
  }
}

function headerOf(fs: FileSystem, path: string, name: string, st: Stat): TarWriteEntry['header'] | null {
  const base = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtimeMs: st.mtimeMs };
  const xattrs = xattrsOf(fs, path);
  const h = xattrs ? { ...base, xattrs } : base;
  const dev = { devmajor: major(st.rdev), devminor: minor(st.rdev) };
  switch (st.mode & S_IFMT) {
    case S_IFDIR:
      return { ...h, name: `${name}/`, type: 'dir' };
    case S_IFREG:
      return { ...h, type: 'file' };
    case S_IFLNK:
      return { ...h, type: 'symlink', linkname: fs.readlink(path) };
    case S_IFCHR:
      return { ...h, type: 'chardev', ...dev };
    case S_IFBLK:
      return { ...h, type: 'blockdev', ...dev };
    case S_IFIFO:
      return { ...h, type: 'fifo' };
    default:
      return null; // sockets cannot be stored in tar
  }
}

/** The tar entries of `src` (see copySource), depth first, names in byte order. */
function* sourceEntries(fs: FileSystem, src: CopySource): Generator<TarWriteEntry> {
  const firstName = new Map<number, string>();
  const walk = function* (path: string, name: string, st: Stat): Generator<TarWriteEntry> {
    const header = headerOf(fs, path, name, st);
    if (header === null) return;
    const isDir = header.type === 'dir';
    if (!isDir && st.nlink > 1) {
      const first = firstName.get(st.ino);
      if (first !== undefined) {
        yield { header: { ...header, type: 'hardlink', linkname: first } };
        return;
      }
      firstName.set(st.ino, name);
    }
    yield header.type === 'file' ? { header, body: fs.readFile(path) } : { header };
    if (!isDir) return;
    const children = fs.readdir(path).map((d) => d.name);
    for (const child of children.sort()) {
      const p = path === '/' ? `/${child}` : `${path}/${child}`;
      yield* walk(p, `${name}/${child}`, fs.lstat(p));
    }
  };
  // A contents copy ('SRC/.') must read the directory even when SRC is a symlink to one.
  const top = src.followLink || src.name === '.' ? fs.stat(src.path) : fs.lstat(src.path);
  yield* walk(src.path, src.name, top);
}

/** `docker cp CONTAINER:SRC -`: a tar of `srcPath` (a file, a directory, or 'DIR/.' for its contents). */
export function copyOut(
  fs: FileSystem,
  srcPath: string,
  options: { followLink?: boolean } = {},
): AsyncIterable<Uint8Array> {
  // Stat now, so that a missing source fails here rather than at the first read.
  return writeTar(sourceEntries(fs, copySource(fs, srcPath, options)));
}

/** Inside `root` (both canonical absolute paths)? */
function within(root: string, path: string): boolean {
  return root === '/' || path === root || path.startsWith(`${root}/`);
}

/** Tar name → path components below the target directory, with the top entry renamed. */
function entryParts(name: string, rename: CopyPlan['rename']): string[] {
  const raw = name.split('/').filter((p) => p !== '');
  if (rename && raw[0] === rename.from) raw[0] = rename.to;
  const parts: string[] = [];
  for (const p of raw) {
    if (p === '.') continue;
    if (p !== '..') parts.push(p);
    else if (parts.pop() === undefined)
      throw new InvalidArgumentError(`tar entry '${name}' would be extracted outside the target directory`);
  }
  return parts;
}

function tryLstat(fs: FileSystem, path: string): Stat | null {
  try {
    return fs.lstat(path);
  } catch (e) {
    if (isFsError(e, 'ENOENT')) return null;
    throw e;
  }
}

/** Extracts copy tars below one directory of one filesystem. */
class Extractor {
  private readonly root: string;
  /** Directories made or merged, for their attributes once their entries are in. */
  private readonly dirs: { path: string; h: TarHeader }[] = [];

  constructor(
    private readonly fs: FileSystem,
    dir: string,
    private readonly o: CopyInOptions,
  ) {
    this.root = fs.realpath(dir);
    if ((fs.stat(this.root).mode & S_IFMT) !== S_IFDIR)
      throw new InvalidArgumentError(`not a directory: ${dir}`);
  }

  /** The canonical path of the directory `parts` names, made (0755) where missing. */
  private parentDir(parts: string[], name: string): string {
    let cur = this.root;
    for (const p of parts) {
      const next = cur === '/' ? `/${p}` : `${cur}/${p}`;
      if (tryLstat(this.fs, next) === null) this.fs.mkdir(next, 0o755);
      cur = this.fs.realpath(next);
      if (!within(this.root, cur))
        throw new InvalidArgumentError(`tar entry '${name}' would be extracted outside the target directory`);
      if ((this.fs.stat(cur).mode & S_IFMT) !== S_IFDIR)
        throw new InvalidArgumentError(`tar entry '${name}': ${next} is not a directory`);
    }
    return cur;
  }

  private target(name: string): string | null {
    const parts = entryParts(name, this.o.rename);
    if (parts.length === 0) return null; // the target directory itself: left as it is
    const dir = this.parentDir(parts.slice(0, -1), name);
    return `${dir === '/' ? '' : dir}/${parts[parts.length - 1]!}`;
  }

  extract({ header: h, body }: TarEntry): void {
    const path = this.target(h.name);
    if (path === null) return;
    const fs = this.fs;
    const existing = tryLstat(fs, path);
    const existingDir = existing !== null && (existing.mode & S_IFMT) === S_IFDIR;
    if (existingDir !== (h.type === 'dir') && existing !== null) {
      throw new InvalidArgumentError(
        existingDir
          ? `cannot overwrite directory ${path} with non-directory`
          : `cannot overwrite non-directory ${path} with directory`,
      );
    }
    if (existing !== null && !existingDir) fs.unlink(path);
    switch (h.type) {
      case 'dir':
        if (!existingDir) fs.mkdir(path, 0o700);
        this.dirs.push({ path, h });
        return;
      case 'file':
        fs.writeFile(path, body, { flag: 'wx', mode: 0o600 });
        break;
      case 'symlink':
        fs.symlink(h.linkname, path);
        break;
      case 'hardlink': {
        const parts = entryParts(h.linkname, this.o.rename);
        if (parts.length === 0) throw new InvalidArgumentError(`tar entry '${h.name}': bad link target`);
        const dir = this.parentDir(parts.slice(0, -1), h.name);
        fs.link(`${dir === '/' ? '' : dir}/${parts[parts.length - 1]!}`, path);
        return; // the inode's attributes came with its first name
      }
      case 'chardev':
      case 'blockdev':
        fs.mknod(path, h.type, 0o600, makedev(h.devmajor, h.devminor));
        break;
      case 'fifo':
        fs.mknod(path, 'fifo', 0o600);
        break;
    }
    this.applyMeta(path, h);
  }

  /** Owner first (chown clears setuid/setgid), then mode, xattrs and times. */
  private applyMeta(path: string, h: TarHeader): void {
    const fs = this.fs;
    const nofollow = { nofollow: true };
    const owner = this.o.owner ?? { uid: h.uid, gid: h.gid };
    fs.chown(path, owner.uid, owner.gid, nofollow);
    if (h.type !== 'symlink') fs.chmod(path, h.mode & 0o7777);
    for (const [name, value] of h.xattrs) {
      try {
        fs.setxattr(path, name, value, nofollow);
      } catch {
        // best effort, as Docker: a namespace the filesystem refuses is skipped
      }
    }
    fs.utimes(path, h.mtimeMs, h.mtimeMs, nofollow);
  }

  /** Directory attributes last and deepest first, so that extracting did not change their mtimes. */
  finish(): void {
    for (const { path, h } of this.dirs.reverse()) this.applyMeta(path, h);
  }
}

/** Extract `tar` into the existing directory `dir` (`docker cp - CONTAINER:DIR`). */
export async function copyIn(
  fs: FileSystem,
  dir: string,
  tar: AsyncIterable<Uint8Array>,
  options: CopyInOptions = {},
): Promise<void> {
  const x = new Extractor(fs, dir, options);
  const readOpts = options.maxEntrySize === undefined ? {} : { maxEntrySize: options.maxEntrySize };
  for await (const entry of readTar(tar, readOpts)) x.extract(entry);
  x.finish();
}

export interface CopyPathOptions {
  /** cp -L: copy what a final symlink in SRC points at. */
  followLink?: boolean;
  /** See CopyInOptions.owner. */
  owner?: { uid: number; gid: number };
}

/**
 * `docker cp SRC DEST` between two filesystems (a container root and a HostFs, say).
 * Both sides must not be the same tree with DEST inside SRC (the tar is streamed).
 */
export async function copyPath(
  srcFs: FileSystem,
  srcPath: string,
  destFs: FileSystem,
  destPath: string,
  options: CopyPathOptions = {},
): Promise<void> {
  const src = copySource(srcFs, srcPath, options);
  const plan = planCopy(src, copyDestination(destFs, destPath));
  const o: CopyInOptions = {};
  if (plan.rename) o.rename = plan.rename;
  if (options.owner) o.owner = options.owner;
  await copyIn(destFs, plan.dir, copyOut(srcFs, srcPath, options), o);
}
