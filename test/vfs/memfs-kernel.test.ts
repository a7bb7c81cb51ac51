/**
 * MemFs against a real tmpfs: the same random operations as the overlay differential test,
 * on a plain directory tree, errno by errno, then the trees compared (including st_ino
 * as a bijection and the old/recent mtime rule).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemFs } from '../../src/vfs/memfs.js';
import { describeWith } from '../support/requirements.js';
import { compareSnapshots, snapshotFs } from './kernel/compare.js';
import { snapshotDir, writeLayer } from './kernel/disk.js';
import { randomLayer } from './kernel/layers.js';
import { created, opens, PathPool, randomOp, realKind, runOurs, runReal } from './kernel/ops.js';
import { Rng } from './kernel/rng.js';

const SEEDS = [21, 22, 23];
const OPS = 2000;
const base = `/tmp/berth-memfs-${process.pid}`;

describeWith(['root', { tool: 'setfattr' }, { tool: 'getfattr' }], 'MemFs against tmpfs', () => {
  beforeAll(() => {
    process.umask(0);
    fs.mkdirSync(base, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', base]);
  });

  afterAll(() => {
    execFileSync('umount', [base]);
    fs.rmdirSync(base);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(base);
  });

  it.each(SEEDS)('seed %i: errno codes and the final tree match', (seed) => {
    const rng = new Rng(seed);
    const tree = randomLayer(rng, null);
    const real = `${base}/s${seed}/x/y/root`;
    fs.mkdirSync(`${base}/s${seed}/x/y`, { recursive: true });
    writeLayer(tree, real);
    const ours = new MemFs(tree); // used in place: it was written out first
    const inoMap = { k2o: new Map<number, number>(), o2k: new Map<number, number>() };
    const pool = new PathPool();
    const log: string[] = [];
    for (let i = 0; i < OPS; i++) {
      if (i % 25 === 0) pool.refresh(new Map([...snapshotFs(ours)].map(([p, e]) => [p, e.kind])));
      const op = randomOp(rng, pool);
      const opened = opens(op);
      if (opened !== null && realKind(real, opened) === 'special') continue;
      const k = runReal(op, real);
      const o = runOurs(op, ours);
      log.push(
        `#${i} ${JSON.stringify(op, (key, v) => (key === 'data' ? `<${v.length} bytes>` : v))} → ${k}`,
      );
      if (k !== o)
        throw new Error(`seed ${seed} op #${i}: kernel ${k}, MemFs ${o}\n${log.slice(-10).join('\n')}`);
      if (k === 'OK') for (const p of created(op)) pool.add(p);
    }
    const diffs = compareSnapshots(snapshotDir(real, false), snapshotFs(ours), { inoMap });
    if (diffs.length) throw new Error(diffs.slice(0, 30).join('\n'));
  });
});
