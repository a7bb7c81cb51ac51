/**
 * The init layer of a Linux container (Docker's `<id>-init`): stubs for the mount points
 * the runtime needs (/proc, /dev, /sys, /etc/hostname, /etc/hosts) that the image lacks,
 * as the top lowerdir, so the runtime does not create them in the upper and `diff` and
 * `commit` do not show them. A parent directory made here (/etc) takes the attributes
 * the image gives it, because a merged directory shows its topmost layer's.
 */
import { lstatSync, mkdirSync, chownSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';

const DIRS = ['proc', 'dev', 'sys'];
const FILES = ['etc/hostname', 'etc/hosts'];

function lstat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The entry for `rel` in the merged image: the topmost layer's, or undefined (absent or whited out). */
function inImage(layerPaths: string[], rel: string): Stats | undefined {
  for (const layer of [...layerPaths].reverse()) {
    const st = lstat(join(layer, rel));
    if (st === undefined) continue;
    if (st.isCharacterDevice() && st.rdev === 0) return undefined; // a whiteout
    return st;
  }
  return undefined;
}

/** Make `dir` the init layer for an image whose layer directories are `layerPaths` (bottom first). */
export function writeInitLayer(dir: string, layerPaths: string[]): void {
  mkdirSync(dir, { mode: 0o755 });
  const parent = (rel: string): void => {
    const d = rel.slice(0, rel.lastIndexOf('/'));
    if (d === '' || lstat(join(dir, d))) return;
    const img = inImage(layerPaths, d);
    mkdirSync(join(dir, d), { mode: img ? img.mode & 0o7777 : 0o755 });
    if (img) {
      chownSync(join(dir, d), img.uid, img.gid);
      utimesSync(join(dir, d), img.atime, img.mtime);
    }
  };
  for (const d of DIRS) if (!inImage(layerPaths, d)) mkdirSync(join(dir, d), { mode: 0o755 });
  for (const f of FILES) {
    if (inImage(layerPaths, f)) continue;
    parent(f);
    writeFileSync(join(dir, f), '', { mode: 0o644 });
  }
}
