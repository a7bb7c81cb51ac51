/**
 * berth's toolbox on the kernel (Node and Chromium): every corpus snippet gives busybox's
 * recorded stdout, stderr and exit code (recorded and re-checked by toolbox-busybox.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { corpora } from './corpus/index.js';
import { newKernel, type ShResult } from './helpers.js';
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
      // Every difference at once, so one run shows all that is left to fix.
      const differences: { snippet: string; berth: ShResult; busybox: ShResult | undefined }[] = [];
      for (const [i, snippet] of corpus.snippets.entries()) {
        const r = await runSnippetOnKernel(kernel, root, corpus, i);
        const want = expected?.[i];
        if (JSON.stringify(r) !== JSON.stringify(want))
          differences.push({ snippet: `${i}: ${snippet}`, berth: r, busybox: want });
      }
      for (const d of differences) console.log(JSON.stringify(d));
      expect(differences).toEqual([]);
    }, 120_000);
});
