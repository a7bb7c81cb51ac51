/**
 * A real overlayfs upper directory read into the Inode model: whiteouts, opaque dirs,
 * attributes and xattrs, and the same `docker diff` as the emulated OverlayFs gives for
 * the same changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readUpperTree } from '../../src/linux/upper-tree.js';
import { HostFs } from '../../src/node/host-fs.js';
import { containerChanges, formatChanges } from '../../src/runtime/changes.js';
import type { Inode } from '../../src/vfs/inode.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { describeWith } from '../support/requirements.js';

const EXPECTED = [
  'C /etc',
  'D /etc/conf.d',
  'A /etc/conf.d/b',
  'A /etc/foo',
  'C /etc/hostname',
  'A /srv',
  'A /srv/app',
  'A /srv/link',
  'C /tmp',
  'D /tmp/x',
  'C /usr/bin',
  'C /var/lib/db/data',
];

let work: string;
let lower: string;
let upper: string;

function sh(script: string, cwd: string): void {
  execFileSync('sh', ['-ec', script], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

function child(n: Inode, path: string): Inode {
  let cur = n;
  for (const name of path.split('/').filter((p) => p !== '')) cur = cur.entries!.get(name)!;
  return cur;
}

describeWith(['root', 'overlayfs', { tool: 'getfattr' }, { tool: 'setfattr' }], 'readUpperTree', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'berth-upper-'));
    lower = join(work, 'lower');
    upper = join(work, 'upper');
    const merged = join(work, 'merged');
    for (const d of [lower, upper, merged, join(work, 'work')]) mkdirSync(d);
    sh(
      `mkdir -p etc/conf.d tmp var/lib/db usr/bin
       echo old > etc/hostname; echo a > etc/conf.d/a; echo x > tmp/x; echo d > var/lib/db/data
       echo tool > usr/bin/tool
       find . -exec touch -h -d '2024-01-02 03:04:05' {} +`,
      lower,
    );
    execFileSync('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${lower},upperdir=${upper},workdir=${join(work, 'work')}`,
      merged,
    ]);
    try {
      sh(
        `echo new > etc/foo; echo changed > etc/hostname; rm tmp/x
         rm -rf etc/conf.d; mkdir etc/conf.d; echo b > etc/conf.d/b
         chmod 700 usr/bin
         echo more >> var/lib/db/data
         mkdir srv; echo app > srv/app; chown 1000:1001 srv/app; chmod 640 srv/app
         touch -d '2023-05-06 07:08:09' srv/app; ln -s app srv/link
         setfattr -n user.berth -v yes srv/app`,
        merged,
      );
    } finally {
      execFileSync('umount', [merged]);
    }
  });

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('maps whiteouts, opaque directories, attributes and xattrs', async () => {
    const tree = await readUpperTree(upper);
    expect(child(tree, 'tmp/x').kind).toBe('whiteout');
    expect(child(tree, 'etc/conf.d')).toMatchObject({ kind: 'dir', opaque: true });
    expect(child(tree, 'etc').opaque).toBe(false);
    const app = child(tree, 'srv/app');
    expect([app.kind, app.mode, app.uid, app.gid, app.mtimeMs]).toEqual([
      'file',
      0o640,
      1000,
      1001,
      new Date('2023-05-06T07:08:09').getTime(),
    ]);
    expect(new TextDecoder().decode(app.content())).toBe('app\n');
    expect([...app.xattrs!.keys()]).toEqual(['user.berth']);
    expect(child(tree, 'srv/link')).toMatchObject({ kind: 'symlink', target: 'app' });
    expect(child(tree, 'usr/bin').mode).toBe(0o700);
    // overlayfs bookkeeping (trusted.overlay.origin on copied-up entries) is dropped
    expect(child(tree, 'var/lib/db/data').xattrs).toBeNull();
  });

  it('gives the docker diff of the changes, the same as the emulated overlay', async () => {
    const tree = await readUpperTree(upper);
    const lowerFs = new HostFs(lower, { readOnly: true });
    try {
      expect(formatChanges(containerChanges(tree, lowerFs)).trimEnd().split('\n')).toEqual(EXPECTED);
    } finally {
      lowerFs.close();
    }

    const emulated = new OverlayFs([await readUpperTree(lower)]);
    emulated.writeFile('/etc/foo', 'new\n');
    emulated.writeFile('/etc/hostname', 'changed\n');
    emulated.unlink('/tmp/x');
    emulated.unlink('/etc/conf.d/a');
    emulated.rmdir('/etc/conf.d');
    emulated.mkdir('/etc/conf.d');
    emulated.writeFile('/etc/conf.d/b', 'b\n');
    emulated.chmod('/usr/bin', 0o700);
    emulated.writeFile('/var/lib/db/data', 'more\n', { flag: 'a' });
    emulated.mkdir('/srv');
    emulated.writeFile('/srv/app', 'app\n');
    emulated.symlink('app', '/srv/link');
    const emulatedLower = new OverlayFs([await readUpperTree(lower)]);
    expect(formatChanges(containerChanges(emulated.upper, emulatedLower)).trimEnd().split('\n')).toEqual(
      EXPECTED,
    );
  });
});
