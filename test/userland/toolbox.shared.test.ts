/**
 * berth's toolbox on the kernel (Node and Chromium): every corpus snippet gives busybox's
 * recorded stdout, stderr and exit code (recorded and re-checked by toolbox-busybox.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { corpora } from './corpus/index.js';
import { newKernel } from './helpers.js';
import { runSnippetOnKernel, toolboxRoot } from './toolbox-harness.js';

let kernel: Kernel;
let root: MemFs;

beforeAll(async () => {
  kernel = newKernel();
  root = await toolboxRoot();
});
afterAll(() => kernel.shutdown());

describe('toolbox corpora on the kernel', () => {
  it('has corpora, each recorded', () => {
    expect(corpora.length).toBeGreaterThan(0);
    for (const { corpus, expected } of corpora)
      expect(expected?.length, corpus.name).toBe(corpus.snippets.length);
  });
  for (const { corpus, expected } of corpora)
    it(`${corpus.name}: same results as busybox`, async () => {
      for (const [i, snippet] of corpus.snippets.entries()) {
        const r = await runSnippetOnKernel(kernel, root, corpus, i);
        expect(r, `snippet ${i}: ${snippet}`).toEqual(expected?.[i]);
      }
    }, 120_000);
});
