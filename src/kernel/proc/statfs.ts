/**
 * statfs(2) for berth's filesystems (module `berth`, call `statfs`): what `df` shows.
 * berth keeps every file in memory, so a memory-backed filesystem reports its limit and
 * what its files hold, in 4 KiB blocks:
 * - tmpfs with size= (TmpFs): that size; without (MemFs): the size= of its mount options
 *   if any, else half the kernel's memory — Linux's default for tmpfs;
 * - overlay (a container's rootfs): the memory the process's cgroup may use (memory.max,
 *   else the kernel's memory), used = the files of the upper layer;
 * - proc, sysfs, cgroup2: all zero, as Linux reports proc; the synthetic /dev (a tmpfs
 *   that holds no data) its size= as free space.
 * Inodes: a memory filesystem has one per block (Linux's default nr_inodes is half the
 * RAM's pages, the same figure), in use = the inodes its tree holds.
 */
import type { FileSystem } from '../../vfs/filesystem.js';
import type { Inode } from '../../vfs/inode.js';
import { MemFs } from '../../vfs/memfs.js';
import { OverlayFs } from '../../vfs/overlay.js';
import { parseTmpfsSize, TmpFs } from '../../vfs/tmpfs.js';
import { fileBytes, inodeCount } from '../../vfs/usage.js';

export const STATFS_BLOCK = 4096;
/** sizeof(struct berth_statfs): seven u64 fields. */
export const STATFS_SIZE = 56;

export interface StatFs {
  /** f_type: the filesystem's magic number, as Linux's statfs gives it. */
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

const MAGIC: Record<string, number> = {
  tmpfs: 0x01021994,
  devtmpfs: 0x01021994,
  rootfs: 0x01021994,
  ramfs: 0x858458f6,
  proc: 0x9fa0,
  sysfs: 0x62656572,
  cgroup2: 0x63677270,
  overlay: 0x794c7630,
  ext4: 0xef53,
};

/** What a mounted filesystem reports. `options` are its mount options; `memory` the bytes a container's memory may reach. */
export function statfsOf(fs: FileSystem, fstype: string, options: string, memory: number): StatFs {
  const type = MAGIC[fstype] ?? (fs instanceof MemFs ? MAGIC.tmpfs! : 0);
  let size: number;
  let root: Inode;
  if (fs instanceof TmpFs) [size, root] = [fs.sizeBytes, fs.root];
  else if (fs instanceof MemFs)
    [size, root] = [mountSize(options, memory) ?? Math.floor(memory / 2), fs.root];
  else if (fs instanceof OverlayFs) [size, root] = [memory, fs.upper];
  else {
    // A synthetic tmpfs (a container's /dev) holds no file data: its size= is all free.
    const blocks = /tmpfs$/.test(fstype) ? Math.floor((mountSize(options, memory) ?? 0) / STATFS_BLOCK) : 0;
    return { type, bsize: STATFS_BLOCK, blocks, bfree: blocks, bavail: blocks, files: blocks, ffree: blocks };
  }
  const blocks = Math.floor(size / STATFS_BLOCK);
  const free = Math.max(0, blocks - Math.ceil(fileBytes(root) / STATFS_BLOCK));
  const files = Math.max(blocks, 1);
  const ffree = Math.max(0, files - inodeCount(root));
  return { type, bsize: STATFS_BLOCK, blocks, bfree: free, bavail: free, files, ffree };
}

/** The size= of a mount's options (as /proc/mounts shows them), if given. */
function mountSize(options: string, memory: number): number | undefined {
  const m = /(?:^|,)size=([^,]+)/.exec(options);
  if (m === null) return undefined;
  try {
    return parseTmpfsSize(m[1]!, memory);
  } catch {
    return undefined;
  }
}
