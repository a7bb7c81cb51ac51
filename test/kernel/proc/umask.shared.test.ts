/**
 * The umask is kept per process and inherited by children (berth's programs apply it
 * themselves, since WASI's opens take no mode): a shell's `umask 027` reaches the cp or
 * mkdir it runs.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Kernel } from '../../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../../src/vfs/memfs.js';
import { newKernel, probeBytes, probeRoot } from './helpers.js';

let kernel: Kernel;
let root: MemFs;

beforeEach(async () => {
  kernel = newKernel();
  root = await probeRoot();
});
afterEach(() => kernel.shutdown());

it('gives a child its parent umask, and a process without a parent 022', async () => {
  const program = await probeBytes();
  const parent = await kernel.spawn({ program, argv: ['probe', 'hello'], root });
  expect(parent.umask).toBe(0o022);
  parent.umask = 0o027;
  const child = await kernel.spawn({ program, argv: ['probe', 'hello'], root, parent });
  expect(child.umask).toBe(0o027);
  await Promise.all([parent.exited, child.exited]);
});
