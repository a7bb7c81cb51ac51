/**
 * Writes a LayerTree into a host directory in the form overlayfs wants for a lowerdir:
 * whiteouts as 0:0 character devices, opaque directories with the xattr
 * trusted.overlay.opaque=y, and modes, owners, mtimes, symlinks, hard links, device
 * nodes and fifos as in the layer.
 *
 * Safety: every path written is `dest` + names from the tree, each checked to be one
 * plain component, and every parent on the way is a directory this writer just created
 * (files are opened with O_EXCL, symlinks are only ever created, never followed), so
 * nothing can land outside `dest`. The caller writes into a fresh temp directory and
 * renames it into place (see layer-store.ts).
 *
 * Node can neither mknod nor set trusted.* xattrs: special files are made by one `sh`
 * running coreutils' `mknod` for all of them, and xattrs by one `setfattr --restore`.
 * Plain sync fs calls are used: far faster than the promise API for many small files.
 */
import {
  chmodSync,
  chownSync,
  lchownSync,
  linkSync,
  lutimesSync,
  mkdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { InvalidArgumentError } from '../errors.js';
import { major, minor, type Inode } from '../vfs/inode.js';
import { runTool } from './tool.js';
import { overlayXattrPrefix, unmappedIdMessage } from './userns.js';

/** The overlayfs xattr that makes a directory hide the layers below it (`user.` when rootless). */
export function overlayOpaqueXattr(): string {
  return `${overlayXattrPrefix()}opaque`;
}

interface Pending {
  path: string;
  node: Inode;
}

function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new InvalidArgumentError(`layer entry name ${JSON.stringify(name)} is not a single path component`);
  }
}

/** Shell single-quoting. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** getfattr's escaping of a file name in a `# file:` line (setfattr --restore undoes it). */
function escapeDumpName(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) =>
      b <= 0x20 || b >= 0x7f || b === 0x5c || b === 0x3d
        ? `\\${b.toString(8).padStart(3, '0')}`
        : String.fromCharCode(b),
    )
    .join('');
}

export interface LayerDirTools {
  mknod?: string;
  setfattr?: string;
}

/** Write `root`'s entries into the existing, empty directory `dest`. */
export async function writeLayerDir(root: Inode, dest: string, tools: LayerDirTools = {}): Promise<void> {
  const specials: Pending[] = [];
  const xattrs: { rel: string; name: string; value: Uint8Array }[] = [];
  const meta: Pending[] = [];
  const linked = new Map<Inode, string>();

  const walk = (dir: Inode, path: string, rel: string): void => {
    for (const [name, node] of dir.entries!) {
      checkName(name);
      const p = `${path}/${name}`;
      const r = rel === '' ? name : `${rel}/${name}`;
      const first = linked.get(node);
      if (first !== undefined) {
        linkSync(first, p); // a hard link to an entry written earlier in this walk
        continue;
      }
      switch (node.kind) {
        case 'dir':
          mkdirSync(p, { mode: 0o700 });
          walk(node, p, r);
          if (node.opaque) xattrs.push({ rel: r, name: overlayOpaqueXattr(), value: Buffer.from('y') });
          break;
        case 'file':
          writeFileSync(p, node.content(), { flag: 'wx', mode: 0o600 });
          break;
        case 'symlink':
          symlinkSync(node.target ?? '', p);
          break;
        case 'chardev':
        case 'blockdev':
        case 'fifo':
        case 'whiteout':
          specials.push({ path: r, node });
          break;
        case 'socket':
          continue; // tar cannot carry sockets; nothing to write
      }
      // Hard links to special files are made as separate nodes (they exist only after mknod).
      if ((node.kind === 'file' || node.kind === 'symlink') && node.nlink > 1) linked.set(node, p);
      if (node.xattrs && (node.kind === 'file' || node.kind === 'dir')) {
        for (const [name, value] of node.xattrs) xattrs.push({ rel: r, name, value });
      }
      meta.push({ path: p, node }); // children before their directory: its mtime is set last
    }
  };
  walk(root, dest, '');

  if (specials.length > 0) {
    const lines = specials.map(({ path, node }) => {
      const type = node.kind === 'fifo' ? 'p' : node.kind === 'blockdev' ? 'b' : 'c';
      const dev =
        type === 'p' ? '' : node.kind === 'whiteout' ? ' 0 0' : ` ${major(node.rdev)} ${minor(node.rdev)}`;
      return `mknod -m ${(node.mode & 0o777).toString(8)} -- ${q(path)} ${type}${dev}`;
    });
    const mknod = tools.mknod ?? 'mknod';
    const script = `set -e\n${lines.map((l) => (mknod === 'mknod' ? l : l.replace(/^mknod/, q(mknod)))).join('\n')}\n`;
    await runTool('/bin/sh', ['-s'], { cwd: dest, input: script });
  }
  if (xattrs.length > 0) {
    const dump = xattrs
      .map(
        (x) => `# file: ${escapeDumpName(x.rel)}\n${x.name}=0s${Buffer.from(x.value).toString('base64')}\n`,
      )
      .join('\n');
    await runTool(tools.setfattr ?? 'setfattr', ['--restore=-'], { cwd: dest, input: dump });
  }

  for (const { path, node } of meta) applyMeta(path, node);
  applyMeta(dest, root);
}

/** Owner first (chown clears setuid/setgid), then mode, then times. */
function applyMeta(path: string, node: Inode): void {
  const atime = new Date(node.atimeMs || node.mtimeMs);
  const mtime = new Date(node.mtimeMs);
  if (node.kind === 'symlink') {
    chown(lchownSync, path, node);
    lutimesSync(path, atime, mtime);
    return;
  }
  chown(chownSync, path, node);
  chmodSync(path, node.mode & 0o7777);
  utimesSync(path, atime, mtime);
}

/** In a user namespace an id outside its map cannot own a file (EINVAL): say so as podman does. */
function chown(fn: (p: string, uid: number, gid: number) => void, path: string, node: Inode): void {
  try {
    fn(path, node.uid, node.gid);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
    throw new InvalidArgumentError(
      unmappedIdMessage(`cannot give ${path} the owner ${node.uid}:${node.gid}`),
    );
  }
}
