/**
 * The path rules of `docker cp SRC DEST` (Docker's archive.CopyInfo*Path and
 * PrepareArchiveCopy), over the FileSystem contract so that either side can be a
 * container root or a host directory (HostFs):
 *
 * - the source is named by its last component ('SRC/.' or '/': its contents, named '.');
 *   a final symlink is copied as a link unless `followLink` (cp -L);
 * - DEST an existing directory: the source goes into it under its own name;
 * - DEST an existing file: a file source replaces it, a directory source is an error;
 * - DEST missing: the source is created under that name (its parent must exist), except
 *   that a file cannot become a missing directory ('DEST/'): "no such directory".
 * A final symlink in DEST is followed (up to 10 links), as Docker does.
 */
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { isFsError } from '../vfs/errno.js';
import type { FileSystem, Stat } from '../vfs/filesystem.js';
import { S_IFDIR, S_IFLNK, S_IFMT } from '../vfs/inode.js';

export interface CopySource {
  /** The path to read (with '/.' removed for a contents copy). */
  path: string;
  /** The name of the source's top entry in the copy tar: its last component, or '.'. */
  name: string;
  isDir: boolean;
  followLink: boolean;
}

export interface CopyDestination {
  /** Absolute path, final symlinks resolved. */
  path: string;
  exists: boolean;
  isDir: boolean;
  /** DEST ended in '/' or '/.': it must be a directory. */
  assertsDir: boolean;
}

/** Where to extract the copy tar, and how to rename its top entry. */
export interface CopyPlan {
  dir: string;
  rename?: { from: string; to: string };
}

const MAX_DEST_LINKS = 10;

const isDir = (st: Stat): boolean => (st.mode & S_IFMT) === S_IFDIR;

/** Absolute, without '.' components or repeated slashes; '..' resolved lexically. */
export function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** Directory and last component of a clean path ('/' → ['/', '.']). */
export function splitPath(clean: string): [string, string] {
  if (clean === '/') return ['/', '.'];
  const at = clean.lastIndexOf('/');
  return [at === 0 ? '/' : clean.slice(0, at), clean.slice(at + 1)];
}

function notFound(path: string): NotFoundError {
  return new NotFoundError(`no such file or directory: ${path}`);
}

/** Stat the source of a copy (NotFoundError when it is missing). */
export function copySource(
  fs: FileSystem,
  srcPath: string,
  options: { followLink?: boolean } = {},
): CopySource {
  const followLink = options.followLink ?? false;
  const contents = srcPath === '.' || srcPath.endsWith('/.');
  let st: Stat;
  try {
    st = followLink ? fs.stat(srcPath) : fs.lstat(srcPath);
  } catch (e) {
    if (isFsError(e, 'ENOENT')) throw notFound(srcPath);
    if (isFsError(e, 'ENOTDIR')) throw new InvalidArgumentError(`not a directory: ${srcPath}`);
    throw e;
  }
  const path = cleanPath(srcPath);
  const name = contents ? '.' : splitPath(path)[1];
  return { path, name, isDir: isDir(st), followLink };
}

/** Stat the destination of a copy, following final symlinks like Docker. */
export function copyDestination(fs: FileSystem, destPath: string): CopyDestination {
  const assertsDir = destPath.endsWith('/') || destPath.endsWith('/.') || destPath === '.';
  let path = cleanPath(destPath);
  for (let links = 0; ; links++) {
    let st: Stat | null = null;
    try {
      st = fs.lstat(assertsDir && links === 0 ? `${path}/` : path);
    } catch (e) {
      if (isFsError(e, 'ENOTDIR')) throw new InvalidArgumentError(`not a directory: ${destPath}`);
      if (!isFsError(e, 'ENOENT')) throw e;
    }
    if (st !== null && (st.mode & S_IFMT) === S_IFLNK && links < MAX_DEST_LINKS) {
      const target = fs.readlink(path);
      path = cleanPath(target.startsWith('/') ? target : `${splitPath(path)[0]}/${target}`);
      continue;
    }
    if (st !== null) return { path, exists: true, isDir: isDir(st), assertsDir };
    // Missing: its parent must be an existing directory.
    const parent = splitPath(path)[0];
    let pst: Stat;
    try {
      pst = fs.stat(parent);
    } catch (e) {
      if (isFsError(e, 'ENOENT')) throw notFound(parent);
      throw e;
    }
    if (!isDir(pst)) throw new InvalidArgumentError(`not a directory: ${parent}`);
    return { path, exists: false, isDir: false, assertsDir };
  }
}

/** Docker's PrepareArchiveCopy: the directory to extract into and the rename of the top entry. */
export function planCopy(src: CopySource, dest: CopyDestination): CopyPlan {
  if (dest.exists && dest.isDir) return { dir: dest.path };
  if (dest.exists && src.isDir)
    throw new InvalidArgumentError(`cannot copy directory onto file: ${dest.path}`);
  if (!dest.exists && !src.isDir && dest.assertsDir)
    throw new NotFoundError(`no such directory: ${dest.path}`);
  const [dir, base] = splitPath(dest.path);
  return { dir, rename: { from: src.name, to: base } };
}
