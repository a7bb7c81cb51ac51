/**
 * The native build of berth's sh and toolbox (wasm/build/linux-amd64, made by
 * wasm/build-native.sh) on the tests the kernel runs pass: the first sh corpus against
 * busybox sh run alongside, and every toolbox corpus against busybox's records.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/requirements.js';
import { corpora } from './corpus/index.js';
import type { ShResult } from './helpers.js';
import { appletLinks, BUSYBOX, runNative } from './native-harness.js';
import { CORPUS } from './sh-snippets.js';

const built = fileURLToPath(new URL('../../wasm/build/linux-amd64/', import.meta.url));
const SH = join(built, 'sh');
const TOOLBOX = join(built, 'toolbox');

/** busybox and root, on Linux amd64 (what wasm/build/linux-amd64 runs on). */
function suite(name: string, body: () => void): void {
  describeWith([{ file: BUSYBOX, why: 'busybox-static (/bin/busybox)' }, 'root', 'linux-amd64'], name, body);
}

suite('native sh vs busybox sh', () => {
  for (const snippet of CORPUS)
    it(snippet, () => {
      const run = (file: string, args: string[]): ShResult => {
        const r = spawnSync(file, [...args, '-c', snippet], {
          encoding: 'utf8',
          cwd: '/',
          env: { PATH: '/usr/bin:/bin', HOME: '/' },
          argv0: file === SH ? 'sh' : file,
        });
        return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? 128 + 9 };
      };
      expect(run(SH, [])).toEqual(run(BUSYBOX, ['sh']));
    });
});

suite('toolbox corpora natively', () => {
  let work = '';
  let links = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'berth-native-'));
    links = appletLinks(join(work, 'bin'), TOOLBOX, SH);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const { corpus, expected } of corpora)
    it(`${corpus.name}: same results as busybox`, () => {
      // Every difference at once, as toolbox.shared.test.ts shows them.
      const differences: { snippet: string; berth: ShResult; busybox: ShResult | undefined }[] = [];
      for (const [i, snippet] of corpus.snippets.entries()) {
        const r = runNative(corpus, i, [join(links, 'sh')], links, work, 'sh');
        const want = expected?.[i];
        if (JSON.stringify(r) !== JSON.stringify(want))
          differences.push({ snippet: `${i}: ${snippet}`, berth: r, busybox: want });
      }
      for (const d of differences) console.log(JSON.stringify(d));
      expect(differences).toEqual([]);
    }, 120_000);
});
