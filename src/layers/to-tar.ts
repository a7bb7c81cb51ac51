/**
 * Inode tree (a layer or an overlay upper) → deterministic layer tar. Order: a directory,
 * then its `.wh..wh..opq` marker if opaque, its `.wh.<name>` whiteouts, then its other
 * entries, each group sorted by name. An inode reached under a second name becomes a
 * hard link to the first. Implicit directories (see implicit.ts) are left out when they
 * have contents. Sockets cannot be stored in tar and are skipped.
 */
import { writeTar } from '../tar/writer.js';
import type { TarWriteEntry } from '../tar/types.js';
import { type Inode, major, minor } from '../vfs/inode.js';
import { isImplicitDir } from './implicit.js';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from './whiteout.js';

export function treeToTar(root: Inode): AsyncIterable<Uint8Array> {
  return writeTar(treeEntries(root));
}

function byName(a: [string, Inode], b: [string, Inode]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function meta(n: Inode) {
  return {
    mode: n.mode,
    uid: n.uid,
    gid: n.gid,
    mtimeMs: n.mtimeMs,
    xattrs: n.xattrs && n.xattrs.size > 0 ? n.xattrs : undefined,
  };
}

function dirEntries(dir: Inode, name: string, path: string): TarWriteEntry[] {
  const out: TarWriteEntry[] = [];
  if (!isImplicitDir(dir) || (dir.entries!.size === 0 && !dir.opaque)) {
    out.push({ header: { name, type: 'dir', ...meta(dir) } });
  }
  if (dir.opaque) {
    out.push({
      header: {
        name: path + OPAQUE_MARKER,
        type: 'file',
        mode: dir.mode & 0o777,
        uid: dir.uid,
        gid: dir.gid,
      },
    });
  }
  return out;
}

/** The tar members of a tree, in the order described above. */
export function* treeEntries(root: Inode): Generator<TarWriteEntry> {
  const firstPath = new Map<Inode, string>();
  yield* dirEntries(root, './', '');
  // Explicit stack of (directory path prefix, remaining sorted children).
  const stack: { prefix: string; children: [string, Inode][]; i: number }[] = [];
  const push = (dir: Inode, prefix: string) => {
    const all = [...dir.entries!].sort(byName);
    const whiteouts = all.filter(([, n]) => n.kind === 'whiteout');
    const rest = all.filter(([, n]) => n.kind !== 'whiteout');
    stack.push({ prefix, children: [...whiteouts, ...rest], i: 0 });
  };
  push(root, '');
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i >= top.children.length) {
      stack.pop();
      continue;
    }
    const [name, node] = top.children[top.i++];
    const path = top.prefix + name;
    switch (node.kind) {
      case 'whiteout':
        yield { header: { name: top.prefix + WHITEOUT_PREFIX + name, type: 'file', ...meta(node) } };
        break;
      case 'dir':
        yield* dirEntries(node, path + '/', path + '/');
        push(node, path + '/');
        break;
      case 'socket':
        break;
      default: {
        const first = firstPath.get(node);
        if (first !== undefined) {
          yield { header: { name: path, type: 'hardlink', linkname: first, ...meta(node) } };
          break;
        }
        firstPath.set(node, path);
        if (node.kind === 'file') {
          yield { header: { name: path, type: 'file', ...meta(node) }, body: node.content() };
        } else if (node.kind === 'symlink') {
          yield { header: { name: path, type: 'symlink', linkname: node.target ?? '', ...meta(node) } };
        } else if (node.kind === 'fifo') {
          yield { header: { name: path, type: 'fifo', ...meta(node) } };
        } else {
          const dev = { devmajor: major(node.rdev), devminor: minor(node.rdev) };
          yield { header: { name: path, type: node.kind, ...dev, ...meta(node) } };
        }
      }
    }
  }
}
