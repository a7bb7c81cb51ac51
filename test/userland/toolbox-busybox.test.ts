/**
 * The toolbox corpora run by Debian's busybox natively must give exactly the recorded
 * results the kernel runs are checked against (toolbox.shared.test.ts): so the records
 * cannot drift from the real tool. BERTH_RECORD=1 rewrites the records instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/requirements.js';
import { corpora } from './corpus/index.js';
import { appletLinks, BUSYBOX, runNative } from './native-harness.js';

const record = !!process.env.BERTH_RECORD;

let work: string;
let links: string;

describeWith(
  [{ file: BUSYBOX, why: 'busybox-static (/bin/busybox)' }, 'root'],
  'toolbox corpora on busybox',
  () => {
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'berth-corpus-'));
      links = appletLinks(join(work, 'bin'), BUSYBOX);
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    for (const { corpus, expected } of corpora) {
      it(`${corpus.name}: busybox gives the recorded results`, () => {
        const results = corpus.snippets.map((_, i) => runNative(corpus, i, [BUSYBOX, 'sh'], links, work));
        if (record) {
          writeFileSync(
            join(import.meta.dirname, 'corpus', `${corpus.name}.expected.json`),
            JSON.stringify(results, null, 2) + '\n',
          );
          return;
        }
        expect(
          expected,
          `no records for ${corpus.name}: run BERTH_RECORD=1 npx vitest run test/userland/toolbox-busybox.test.ts`,
        ).toBeDefined();
        for (const [i, r] of results.entries())
          expect(
            r,
            `snippet ${i}: ${corpus.snippets[i]} (re-record with BERTH_RECORD=1 if the corpus changed)`,
          ).toEqual(expected?.[i]);
      });
    }
  },
);
