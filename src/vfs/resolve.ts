/**
 * The confined path walker shared by every filesystem, modelled on Linux's namei.
 *
 * Resolution starts at the filesystem root for absolute and relative paths alike; `..` at
 * the root stays at the root; an absolute symlink target restarts at the root of this
 * filesystem (never the host's); a relative target resolves from the symlink's directory.
 * Non-final symlinks are always followed; the final one per `LookupMode`. More than 40
 * symlinks in one resolution is ELOOP; a non-directory used as a directory is ENOTDIR.
 *
 * The walker keeps the chain of directories it went through (its `stack`) instead of
 * asking nodes for their parent, so it works on any node type: plain inodes (MemFs) and
 * overlay dentries alike.
 */
import { FsError } from './errno.js';
import type { InodeKind } from './inode.js';
import { checkNameLength, checkPathLength, MAX_SYMLINKS } from './path.js';

/** What a filesystem tells the walker about its nodes. */
export interface WalkHost<N> {
  rootNode(): N;
  /** The child `name` of directory `dir`, or null; never called with '.' or '..'. */
  lookupChild(dir: N, name: string): N | null;
  kindOf(node: N): InodeKind;
  linkTarget(node: N): string;
}

/** How the final component is treated. */
export const LookupMode = {
  /** Follow a final symlink (stat, open, chmod…). */
  Follow: 0,
  /** Keep a final symlink, unless the path ends in a slash (lstat, readlink, lchown…). */
  NoFollow: 1,
  /** Keep a final symlink even with a trailing slash (mkdir, unlink, rmdir, rename, link target…). */
  Parent: 2,
} as const;
export type LookupMode = (typeof LookupMode)[keyof typeof LookupMode];

/** The kind of final component, as Linux's LAST_* types. */
export const LastType = {
  Norm: 0,
  Root: 1,
  Dot: 2,
  DotDot: 3,
} as const;
export type LastType = (typeof LastType)[keyof typeof LastType];

export interface Resolved<N> {
  /** Directories from the root down to the parent of `node` (empty when `node` is the root). */
  stack: N[];
  /** When names were asked for: the names along `stack` after the root. */
  names: string[] | null;
  /**
   * The final component. For '.' and '..' it is the name of the directory reached when names
   * were asked for (else ''); '' for the root.
   */
  name: string;
  /** The node found, or null when the final component is missing. */
  node: N | null;
  type: LastType;
  /** The path ends in a slash: the node must be a directory. */
  slash: boolean;
}

interface WalkState {
  links: number;
  syscall: string;
  path: string;
}

const SLASH = 47;

/**
 * Resolve `path` under `host`'s root. Throws ENOENT for an empty path or a missing
 * non-final component, ENOTDIR, ELOOP, ENAMETOOLONG; a missing final component is
 * returned as `node: null` with its parent in `stack`.
 */
export function resolvePath<N>(
  host: WalkHost<N>,
  path: string,
  mode: LookupMode,
  syscall: string,
  wantNames = false,
): Resolved<N> {
  if (path.length === 0) throw new FsError('ENOENT', syscall, path);
  checkPathLength(path, syscall);
  const state: WalkState = { links: 0, syscall, path };
  return walk(host, [host.rootNode()], wantNames ? [] : null, path, mode, state);
}

function walk<N>(
  host: WalkHost<N>,
  stack: N[],
  names: string[] | null,
  path: string,
  mode: LookupMode,
  st: WalkState,
): Resolved<N> {
  const len = path.length;
  let i = 0;
  if (path.charCodeAt(0) === SLASH) {
    stack.length = 1;
    if (names) names.length = 0;
  }
  for (;;) {
    while (i < len && path.charCodeAt(i) === SLASH) i++;
    if (i >= len) {
      // No component at all ("/", "//"): the root itself.
      stack.length = 1;
      if (names) names.length = 0;
      const root = stack.pop()!;
      return { stack, names, name: '', node: root, type: LastType.Root, slash: false };
    }
    let j = path.indexOf('/', i);
    if (j < 0) j = len;
    const name = path.slice(i, j);
    let k = j;
    while (k < len && path.charCodeAt(k) === SLASH) k++;
    if (j - i > 85) checkNameLength(name, st.syscall, st.path);

    if (k < len) {
      // A directory on the way.
      if (name === '..') {
        if (stack.length > 1) {
          stack.pop();
          if (names) names.pop();
        }
      } else if (name !== '.') {
        const dir = stack[stack.length - 1]!;
        let node = host.lookupChild(dir, name);
        if (node === null) throw new FsError('ENOENT', st.syscall, st.path);
        let nodeName = name;
        if (host.kindOf(node) === 'symlink') {
          // `stack` now leads to the target; the target's name replaces the link's.
          const r = follow(host, stack, names, node, st);
          if (r.node === null) throw new FsError('ENOENT', st.syscall, st.path);
          node = r.node;
          nodeName = r.name;
        }
        if (host.kindOf(node) !== 'dir') throw new FsError('ENOTDIR', st.syscall, st.path);
        stack.push(node);
        if (names && stack.length > 1) names.push(nodeName);
      }
      i = k;
      continue;
    }

    // The final component.
    const slash = j < len;
    if (name === '.' || name === '..') {
      if (name === '..' && stack.length > 1) {
        stack.pop();
        if (names) names.pop();
      }
      const node = stack.pop()!;
      const dirName = names?.pop() ?? '';
      return {
        stack,
        names,
        name: dirName,
        node,
        type: name === '.' ? LastType.Dot : LastType.DotDot,
        slash,
      };
    }
    const node = host.lookupChild(stack[stack.length - 1]!, name);
    if (
      node !== null &&
      (mode === LookupMode.Follow || (mode === LookupMode.NoFollow && slash)) &&
      host.kindOf(node) === 'symlink'
    ) {
      const r = follow(host, stack, names, node, st);
      if (slash) r.slash = true;
      return r;
    }
    return { stack, names, name, node, type: LastType.Norm, slash };
  }
}

/** Resolve a symlink's target from its directory (the top of `stack`), following to the end. */
function follow<N>(
  host: WalkHost<N>,
  stack: N[],
  names: string[] | null,
  link: N,
  st: WalkState,
): Resolved<N> {
  if (++st.links > MAX_SYMLINKS) throw new FsError('ELOOP', st.syscall, st.path);
  const target = host.linkTarget(link);
  if (target.length === 0) throw new FsError('ENOENT', st.syscall, st.path);
  return walk(host, stack, names, target, LookupMode.Follow, st);
}
