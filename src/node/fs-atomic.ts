/** Crash-safe file replacement: write a temp file, fsync, rename (or link) into place. */
import { randomUUID } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A name no other writer (thread, process) will pick: '<prefix>.<pid>.<uuid>.tmp'. */
export function uniqueTempName(prefix: string): string {
  return `${prefix}.${process.pid}.${randomUUID()}.tmp`;
}

/** fsync a directory so a rename in it survives a crash (best effort: some hosts refuse). */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Directories cannot be fsynced on every platform; the rename is still atomic.
  }
}

/**
 * Atomically set `path` to `data`. `tempDir` (same filesystem; default: path's dir)
 * holds the temp file. With `noClobber`, an existing file is left alone and false is
 * returned.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  opts: { tempDir?: string; noClobber?: boolean; mode?: number } = {},
): Promise<boolean> {
  const tmp = join(opts.tempDir ?? dirname(path), uniqueTempName(basename(path)));
  try {
    const fh = await open(tmp, 'wx', opts.mode ?? 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.noClobber) {
      try {
        await link(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      }
    } else {
      await rename(tmp, path);
    }
    await fsyncDir(dirname(path));
    return true;
  } finally {
    await rm(tmp, { force: true });
  }
}
