/**
 * THE DIFFERENTIAL TEST: OverlayFs against the kernel's overlayfs.
 *
 * Per seed: random lower layers (Inode trees) are written to a tmpfs and mounted with
 * `mount -t overlay` (redirect_dir, index, metacopy and xino off); the same layers are
 * mounted as an OverlayFs. Thousands of random operations run on both, with errno codes
 * compared one by one; then the merged trees, the upper layers (the kernel's upperdir
 * against OverlayFs.upper) and an OCI-style flattening of lowers + upper are compared.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemFs } from '../../src/vfs/memfs.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { describeWith } from '../support/requirements.js';
import { snapshotDir, writeLayer } from './kernel/disk.js';
import { compareSnapshots, snapshotFs, snapshotTree } from './kernel/compare.js';
import { ociApply, randomLayers } from './kernel/layers.js';
import { created, opens, PathPool, randomOp, realKind, runOurs, runReal, type Op } from './kernel/ops.js';
import { Rng } from './kernel/rng.js';
import { freezeTree, treeDigest } from './helpers.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const OPS = 2000;
const base = `/tmp/berth-ovl-${process.pid}`;

function mounted(): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes(base));
}

/** Fail with the differences listed (vitest would fold a long array). */
function same(diffs: string[], what: string): void {
  if (diffs.length) throw new Error(`${what}: ${diffs.length} differences\n${diffs.slice(0, 30).join('\n')}`);
}

function umount(target: string): void {
  if (mounted().some((l) => l.split(' ')[4] === target)) execFileSync('umount', [target]);
}

describeWith(
  ['root', 'overlayfs', { tool: 'setfattr' }, { tool: 'getfattr' }],
  'OverlayFs against kernel overlayfs',
  () => {
    const mounts: string[] = [];

    beforeAll(() => {
      process.umask(0);
      fs.mkdirSync(base, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512m', 'tmpfs', base]);
      mounts.push(base);
    });

    afterAll(() => {
      for (const m of mounts.reverse()) umount(m);
      fs.rmSync(base, { recursive: true, force: true });
    });

    let total = 0;
    const stats = new Map<string, number>();
    afterAll(() => {
      console.log(`overlay differential: ${SEEDS.length} seeds × ${OPS} operations (${total} run on both)`);
      if (process.env.BERTH_DEBUG)
        console.log(
          [...stats]
            .sort()
            .map(([k, n]) => `${k}=${n}`)
            .join(' '),
        );
    });

    it.each(SEEDS)('seed %i: errno codes, merged tree, upper layer and OCI flattening match', (seed) => {
      const rng = new Rng(seed);
      const layers = randomLayers(rng, 3 + (seed % 2));
      const digests = layers.map((l) => treeDigest(freezeTree(l)));

      const dir = `${base}/s${seed}`;
      const lowerDirs = layers.map((_, i) => `${dir}/l${i}`);
      const upperDir = `${dir}/upper`;
      const merged = `${dir}/x/y/z/m`; // deep, so that no '..' slip could leave the test's tmpfs
      fs.mkdirSync(dir);
      layers.forEach((l, i) => writeLayer(l, lowerDirs[i]!));
      fs.mkdirSync(upperDir);
      fs.mkdirSync(`${dir}/work`);
      fs.mkdirSync(merged, { recursive: true });
      const top = layers[0]!;
      fs.chmodSync(upperDir, top.mode);
      fs.utimesSync(upperDir, top.atimeMs / 1000, top.mtimeMs / 1000);
      const opts = `lowerdir=${lowerDirs.join(':')},upperdir=${upperDir},workdir=${dir}/work,redirect_dir=off,index=off,metacopy=off,xino=off`;
      execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', opts, merged]);
      mounts.push(merged);

      try {
        const ours = new OverlayFs(layers);
        const inoMap = { k2o: new Map<number, number>(), o2k: new Map<number, number>() };
        same(
          compareSnapshots(snapshotDir(merged, false), snapshotFs(ours), { inoMap }),
          'merged tree at mount',
        );

        const pool = new PathPool();
        const log: string[] = [];
        for (let i = 0; i < OPS; i++) {
          if (i % 25 === 0) pool.refresh(new Map([...snapshotFs(ours)].map(([p, e]) => [p, e.kind])));
          const op: Op = randomOp(rng, pool);
          const opened = opens(op);
          if (opened !== null) {
            // Opening a FIFO or a device would block or act on the host: skip those.
            const k = realKind(merged, opened);
            let o: string | null = null;
            try {
              const m = ours.stat('/' + opened).mode & 0o170000;
              o = m === 0o100000 ? 'file' : m === 0o040000 ? 'dir' : 'special';
            } catch {
              o = null;
            }
            if (k === 'special' || o === 'special') continue;
          }
          const k = runReal(op, merged);
          const o = runOurs(op, ours);
          total++;
          log.push(
            `#${i} ${JSON.stringify(op, (key, v) => (key === 'data' ? `<${v.length} bytes>` : v))} → ${k}`,
          );
          if (k !== o) {
            throw new Error(
              `seed ${seed} op #${i}: kernel ${k}, OverlayFs ${o}\n${log.slice(-12).join('\n')}`,
            );
          }
          if (k === 'OK') for (const p of created(op)) pool.add(p);
          const key = `${op.t}:${/^[A-Z0-9]+$/.test(k) ? k : 'OK'}`;
          stats.set(key, (stats.get(key) ?? 0) + 1);
          if (process.env.BERTH_DEBUG_UPPER) {
            same(
              compareSnapshots(snapshotDir(upperDir, true), snapshotTree(ours.upper), { skip: ['ino'] }),
              `upper after op #${i}\n${log.slice(-5).join('\n')}\n`,
            );
          }
          if (i % 500 === 499) {
            const diffs = compareSnapshots(snapshotDir(merged, false), snapshotFs(ours), { inoMap });
            same(diffs, `merged tree after op #${i}\n${log.slice(-8).join('\n')}\n`);
          }
        }

        // Merged trees, st_ino consistent with the first snapshot (stable across copy-up).
        same(compareSnapshots(snapshotDir(merged, false), snapshotFs(ours), { inoMap }), 'merged tree');
        // Upper layers: whiteouts, opaque directories, copied-up metadata.
        same(
          compareSnapshots(snapshotDir(upperDir, true), snapshotTree(ours.upper), { skip: ['ino'] }),
          'upper layer',
        );
        // The upper layer applied OCI-style on the lowers gives the merged tree.
        const flat = new MemFs(ociApply([...layers].reverse().concat(ours.upper)));
        same(
          compareSnapshots(snapshotFs(ours), snapshotFs(flat), { skip: ['nlink', 'ino'], skipDirSize: true }),
          'OCI',
        );
        // The shared lower layers never changed.
        expect(layers.map(treeDigest)).toEqual(digests);
      } finally {
        umount(merged);
      }
    });
  },
);

describeWith(['root', 'overlayfs'], 'kernel overlay test cleanup', () => {
  it('leaves no mount behind', () => {
    expect(mounted()).toEqual([]);
  });
});
