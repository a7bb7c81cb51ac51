/** statfs for df (src/kernel/proc/statfs.ts): the figures each kind of filesystem reports. */
import { expect, it } from 'vitest';
import { inoFor, SyntheticFs } from '../../../src/kernel/mnt/synthetic-fs.js';
import { statfsOf, STATFS_BLOCK } from '../../../src/kernel/proc/statfs.js';
import { MemFs } from '../../../src/vfs/memfs.js';
import { OverlayFs } from '../../../src/vfs/overlay.js';
import { TmpFs } from '../../../src/vfs/tmpfs.js';

const GiB = 2 ** 30;

it('a tmpfs with size= reports that size and the file data it holds, in 4 KiB blocks', () => {
  const fs = new TmpFs(1 << 20);
  fs.writeFile('/a', new Uint8Array(5000));
  fs.mkdir('/d');
  const st = statfsOf(fs, 'tmpfs', 'size=1m', GiB);
  expect(st).toEqual({
    type: 0x01021994,
    bsize: STATFS_BLOCK,
    blocks: 256,
    bfree: 254,
    bavail: 254,
    files: 256,
    ffree: 253,
  });
});

it('a tmpfs without a size: its mount option size=, else half the memory (Linux default)', () => {
  expect(statfsOf(new MemFs(), 'tmpfs', 'nosuid,size=65536k', GiB).blocks).toBe(16384);
  expect(statfsOf(new MemFs(), 'tmpfs', 'relatime', GiB).blocks).toBe(GiB / 2 / STATFS_BLOCK);
});

it('an overlay reports the memory and its upper layer; proc-like filesystems report zeros', () => {
  const lower = new MemFs();
  lower.writeFile('/big', new Uint8Array(1 << 20));
  const ov = new OverlayFs([lower.root]);
  ov.writeFile('/new', new Uint8Array(4096));
  const st = statfsOf(ov, 'overlay', 'relatime', GiB);
  expect(st.type).toBe(0x794c7630);
  expect(st.blocks - st.bfree).toBe(1);
  const cg = statfsOf(
    new SyntheticFs({ kind: 'dir', ino: inoFor('statfs-test'), entries: () => [] }),
    'cgroup2',
    '',
    GiB,
  );
  expect(cg).toMatchObject({ type: 0x63677270, blocks: 0, files: 0 });
});
