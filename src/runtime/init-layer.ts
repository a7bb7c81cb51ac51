/**
 * The init layer, as Docker's `<id>-init`: the mount points a container needs (/proc,
 * /dev, /sys, /etc/hostname, /etc/hosts) made in a layer of their own between the image
 * and the container's upper, so `diff` and `commit` do not show them as the container's
 * changes. Made once per image and shared, like the image's layers.
 */
import { isFsError } from '../vfs/errno.js';
import type { FileSystem } from '../vfs/filesystem.js';
import type { Inode } from '../vfs/inode.js';
import { OverlayFs } from '../vfs/overlay.js';

const DIRS = ['/proc', '/dev', '/sys', '/etc'];
const FILES = ['/etc/hostname', '/etc/hosts'];

function exists(fs: FileSystem, path: string): boolean {
  try {
    fs.lstat(path);
    return true;
  } catch (e) {
    if (isFsError(e, 'ENOENT') || isFsError(e, 'ENOTDIR')) return false;
    throw e;
  }
}

/** The init layer's tree over `lowers` (top first); empty when the image has them all. */
export function initLayer(lowers: readonly Inode[]): Inode {
  const fs = new OverlayFs(lowers);
  for (const d of DIRS) if (!exists(fs, d)) fs.mkdir(d, 0o755);
  for (const f of FILES) if (!exists(fs, f)) fs.writeFile(f, '', { mode: 0o644 });
  return fs.upper;
}
