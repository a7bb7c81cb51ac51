/**
 * What the fileops corpus cannot show through test(1): exact modes after umask, chmod's
 * symbolic forms, cp -p/-a, mkdir -m; owners after chown; times kept by cp -a and set by
 * touch. Each snippet runs on the kernel (as toolbox.shared.test.ts runs the corpora) and
 * its directory is then inspected in the root filesystem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { newKernel } from './helpers.js';
import { runSnippetOnKernel, toolboxRoot, type Corpus } from './toolbox-harness.js';

let kernel: Kernel;
let root: MemFs;

beforeAll(async () => {
  kernel = newKernel();
  root = await toolboxRoot();
});
afterAll(() => kernel.shutdown());

const tree: Corpus['tree'] = { f: 'data\n', dir: null, 'dir/x': 'x\n', 'dir/l': { link: 'x' } };
let serial = 0;

/** Run SNIPPET in a fresh tree; returns the stat of a path relative to its directory. */
async function run(
  snippet: string,
): Promise<(rel: string, follow?: boolean) => { mode: number; uid: number; gid: number; mtimeMs: number }> {
  const name = `fileops-modes${serial++}`;
  const r = await runSnippetOnKernel(kernel, root, { name, tree, snippets: [snippet] }, 0);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const dir = root.readdir('/tmp').find((e) => e.name.startsWith(`${name}-0-`))?.name;
  return (rel, follow = true) =>
    follow ? root.stat(`/tmp/${dir}/${rel}`) : root.lstat(`/tmp/${dir}/${rel}`);
}

const perm = (m: number): string => (m & 0o7777).toString(8);

describe('file applets: modes, owners and times', () => {
  it('applies the umask to files and directories they create', async () => {
    const st = await run('umask 027; touch t; mkdir d; mkdir -p p/q; cp f c; echo x | tee e >/dev/null');
    expect(['t', 'd', 'p', 'p/q', 'c', 'e'].map((p) => perm(st(p).mode))).toEqual([
      '640',
      '750',
      '750',
      '750',
      '640',
      '640',
    ]);
  });

  it('mkdir -m gives the mode exactly, only to the last of -p', async () => {
    const st = await run('umask 022; mkdir -m 1777 s; mkdir -m u=rwx,g=rx,o= -p a/b');
    expect([perm(st('s').mode), perm(st('a').mode), perm(st('a/b').mode)]).toEqual(['1777', '755', '750']);
  });

  it('chmod takes octal and symbolic modes as busybox does', async () => {
    const cases: [string, string][] = [
      ['u+x', '744'],
      ['go-w', '644'],
      ['a=r', '444'],
      ['+X', '644'],
      ['u=rwx,g=rx,o=', '750'],
      ['u+s', '4644'],
      ['+t', '1644'],
      ['o+t', '644'],
      ['=', '0'],
      ['u=g', '444'],
      ['go=u', '666'],
      ['a+rw,u-w', '466'],
      ['+x', '755'],
      ['-w', '444'],
      ['u-g', '244'],
      ['g=s', '2604'],
      ['o=t', '640'],
      ['u=x+X', '144'],
      ['+rwxst', '7755'],
    ];
    const st = await run(
      'umask 022; ' + cases.map(([m], i) => `touch m${i}; chmod 644 m${i}; chmod ${m} m${i}`).join('; '),
    );
    expect(cases.map((_, i) => perm(st(`m${i}`).mode))).toEqual(cases.map(([, want]) => want));
  });

  it('cp keeps modes with -p and -a, and only the umask-limited mode without', async () => {
    const st = await run(
      'umask 022; chmod 4777 f; cp f plain; cp -p f kept; chmod 777 dir; cp -a dir all; cp -r dir r',
    );
    expect([perm(st('plain').mode), perm(st('kept').mode), perm(st('all').mode), perm(st('r').mode)]).toEqual(
      ['4755', '4777', '777', '755'],
    );
  });

  it('touch -d sets times, cp -a keeps them (whole seconds)', async () => {
    const st = await run('touch -d "2001-02-03 04:05:06" dir/x; cp -a dir c; touch -d @1000000000 t');
    expect(st('c/x').mtimeMs).toBe(Date.UTC(2001, 1, 3, 4, 5, 6));
    expect(st('t').mtimeMs).toBe(1e12);
    expect((st('c/l', false).mode & 0o170000).toString(8)).toBe('120000');
  });

  it('chown sets owners by name and number, -h the link itself, -R without following', async () => {
    const st = await run(
      'chown nobody:nogroup f; chown -h 5:6 dir/l; chown -R 7 dir; ln -s ../f dir/out; chown -R 8:9 dir',
    );
    expect([st('f').uid, st('f').gid]).toEqual([65534, 65534]);
    expect([st('dir/l', false).uid, st('dir/l', false).gid]).toEqual([8, 9]);
    expect([st('dir/x').uid, st('dir/x').gid]).toEqual([8, 9]);
  });
});
