/**
 * tar's extraction on the kernel (Node and Chromium) where berth is stricter than
 * busybox, so there is no busybox record to compare with: a hard link whose target leads
 * outside the directory is refused (busybox would link the outside file in), and a
 * symlink in the archive is never followed by a later member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { newKernel, type ShResult } from './helpers.js';
import { END, member } from './tar-archive.js';
import { runSnippetOnKernel, toolboxRoot, type Corpus } from './toolbox-harness.js';

let kernel: Kernel;
let root: MemFs;

beforeAll(async () => {
  kernel = newKernel();
  root = await toolboxRoot();
});
afterAll(() => kernel.shutdown());

const tree: Corpus['tree'] = {
  secret: 'outside\n',
  x: null,
  'hard.tar': member('ok', 'in\n') + member('stolen', '', '1', '../secret') + END,
  'abs.tar': member('a', 'in\n') + member('b', '', '1', '/secret') + END,
  'sym.tar': member('l', '', '2', '..') + member('l/pwned', 'x\n') + END,
};

async function run(snippet: string): Promise<ShResult> {
  return runSnippetOnKernel(kernel, root, { name: 'tarsafe', tree, snippets: [snippet] }, 0);
}

describe('tar extraction stays inside its directory', () => {
  it('refuses a hard link to ../ (busybox links the outside file)', async () => {
    const r = await run(
      'tar xvf hard.tar -C x; echo $?; test -e x/stolen || echo no link; while read l; do echo $l; done < x/ok',
    );
    expect(r.stdout).toBe('ok\nstolen\n1\nno link\nin\n');
    expect(r.stderr).toBe("tar: can't create hardlink 'stolen' to '../secret'\n");
  });

  it('refuses a hard link to an absolute path', async () => {
    const r = await run('tar xf abs.tar -C x; echo $?; test -e x/b || echo no link');
    expect(r.stdout).toBe('1\nno link\n');
    expect(r.stderr).toBe("tar: can't create hardlink 'b' to '/secret'\n");
  });

  it('makes symlinks last, so no member is written through one', async () => {
    const r = await run(
      'tar xf sym.tar -C x; echo $?; test -e pwned || echo not outside; test -f x/l/pwned && echo inside',
    );
    expect(r.stdout).toBe('1\nnot outside\ninside\n');
    expect(r.stderr).toBe("tar: can't create symlink 'l' to '..'\n");
  });

  it('says that compression is not supported', async () => {
    const r = await run('tar czf a.tar secret; echo $?');
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toBe('tar: compression is not supported\n');
  });
});
