/**
 * berth's sh against Debian's busybox sh run natively: the same snippets give the same
 * stdout, stderr and exit code. (This first corpus uses what berth's sh runs today:
 * builtins, expansions, quoting, lists; the full 150-snippet corpus comes with the rest
 * of the shell.)
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { describeWith } from '../support/requirements.js';
import { newKernel, runSh, userlandRoot } from './helpers.js';
import { CORPUS } from './sh-snippets.js';

let kernel: Kernel;
let root: MemFs;

beforeAll(async () => {
  kernel = newKernel();
  root = await userlandRoot();
});
afterAll(() => kernel.shutdown());

describeWith([{ tool: 'busybox' }], 'sh vs busybox sh', () => {
  for (const snippet of CORPUS)
    it(snippet, async () => {
      const native = spawnSync('busybox', ['sh', '-c', snippet], {
        encoding: 'utf8',
        cwd: '/',
        env: { PATH: '/usr/bin:/bin', HOME: '/' },
      });
      const ours = await runSh(kernel, root, snippet);
      const stderr = native.stderr;
      expect({ stdout: ours.stdout, code: ours.code }).toEqual({
        stdout: native.stdout,
        code: native.status,
      });
      expect(ours.stderr).toBe(stderr);
    });
});

const GLOBS = [
  'echo *',
  'echo *.txt',
  'echo [ab].txt ?.log',
  'echo nomatch*',
  'echo "*.txt" \'*\'',
  'echo .*',
  'echo sub/*',
  'echo */',
  'x="*.txt"; echo $x "$x"',
  'for f in *.txt; do echo "<$f>"; done',
];

describeWith([{ tool: 'busybox' }], 'sh globbing vs busybox sh', () => {
  const files = ['a.txt', 'b.txt', 'c.log', '.hidden', 'sub/x', 'sub/y.txt'];
  let dir = '';
  beforeAll(async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    dir = mkdtempSync(join(tmpdir(), 'berth-glob-'));
    mkdirSync(join(dir, 'sub'));
    root.mkdir('/g');
    root.mkdir('/g/sub');
    for (const f of files) {
      writeFileSync(join(dir, f), '');
      root.writeFile(`/g/${f}`, '');
    }
  });
  afterAll(async () => (await import('node:fs')).rmSync(dir, { recursive: true, force: true }));

  it.each(GLOBS)('%s', async (snippet) => {
    const native = spawnSync('busybox', ['sh', '-c', snippet], {
      encoding: 'utf8',
      cwd: dir,
      env: { PATH: '/usr/bin:/bin' },
    });
    const ours = await runSh(kernel, root, `cd /g && ${snippet}`);
    expect({ stdout: ours.stdout, stderr: ours.stderr, code: ours.code }).toEqual({
      stdout: native.stdout,
      stderr: native.stderr,
      code: native.status,
    });
  });
});
