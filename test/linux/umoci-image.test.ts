/**
 * An image made by a real tool: umoci builds a two-layer linux/amd64 image from the
 * host's busybox-static (the second layer deletes a file, which umoci writes as a
 * `.wh.` whiteout), `berth load` imports the OCI layout, and the Linux backend runs it;
 * the emulated backend explores its files with --toolbox and explains its ELF programs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertBuilt, berth, berthOk } from '../cli/support/run-cli.js';
import { describeWith } from '../support/requirements.js';
import { BUSYBOX_REQUIREMENT } from './busybox-image.js';

describeWith(
  ['root', 'overlayfs', { tool: 'umoci' }, { tool: 'runc' }, BUSYBOX_REQUIREMENT],
  'a linux/amd64 image built by umoci from busybox-static',
  () => {
    let work: string;
    let root: string;
    const image = 'umoci/busybox:1';

    beforeAll(() => {
      assertBuilt();
      work = mkdtempSync(join(tmpdir(), 'berth-umoci-'));
      root = join(work, 'root');
      const layout = join(work, 'layout');
      const umoci = (...args: string[]) => execFileSync('umoci', args, { cwd: work, stdio: 'pipe' });
      umoci('init', '--layout', layout);
      umoci('new', '--image', `${layout}:bb`);
      umoci('unpack', '--image', `${layout}:bb`, 'one');
      const rootfs = join(work, 'one', 'rootfs');
      for (const d of ['bin', 'etc', 'tmp']) mkdirSync(join(rootfs, d), { recursive: true });
      copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
      for (const a of ['sh', 'ls', 'cat', 'hostname', 'id', 'ps'])
        symlinkSync('busybox', join(rootfs, 'bin', a));
      writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
      writeFileSync(join(rootfs, 'etc', 'greeting'), 'hello from umoci\n');
      writeFileSync(join(rootfs, 'etc', 'gone'), 'deleted by the second layer\n');
      umoci('repack', '--image', `${layout}:bb`, 'one');
      umoci('config', '--image', `${layout}:bb`, '--config.cmd', 'sh', '--config.env', 'PATH=/bin');
      umoci('unpack', '--image', `${layout}:bb`, 'two');
      rmSync(join(work, 'two', 'rootfs', 'etc', 'gone'));
      writeFileSync(join(work, 'two', 'rootfs', 'etc', 'second'), 'layer two\n');
      umoci('repack', '--image', `${layout}:bb`, 'two');
      const loaded = berthOk(root, ['load', '-i', layout]);
      const id = /Loaded image ID: (sha256:[0-9a-f]{64})/.exec(loaded)![1]!;
      berthOk(root, ['tag', id, image]);
    });
    afterAll(() => {
      berth(root, ['system', 'prune', '-f']);
      rmSync(work, { recursive: true, force: true });
    });

    it('runs on the Linux backend with both layers applied', () => {
      const r = berth(root, [
        'run',
        '--rm',
        '--backend',
        'linux',
        '--hostname',
        'bb',
        image,
        'sh',
        '-c',
        'cat /etc/greeting /etc/second; ls /etc; hostname; echo $$',
      ]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(
        'hello from umoci\nlayer two\ngreeting\nhostname\nhosts\npasswd\nsecond\nbb\n1\n',
      );
      expect(r.code).toBe(0);
      expect(berth(root, ['run', '--rm', '--backend', 'linux', image, 'sh', '-c', 'exit 9']).code).toBe(9);
    });

    it('is explored on the emulated backend with --toolbox; its own programs are explained', () => {
      const r = berth(root, [
        'run',
        '--rm',
        '--toolbox',
        image,
        'sh',
        '-c',
        'cat /etc/greeting; ls /etc/gone 2>&1',
      ]);
      expect(r.stdout).toBe('hello from umoci\nls: /etc/gone: No such file or directory\n');
      const own = berth(root, ['run', '--rm', image]);
      expect(own.code).toBe(126);
      expect(own.stderr).toMatch(/exec \/bin\/sh: exec format error: it is a linux\/amd64 program/);
    });
  },
);
