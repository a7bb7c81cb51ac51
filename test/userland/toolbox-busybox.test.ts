/**
 * The toolbox corpora run by Debian's busybox natively must give exactly the recorded
 * results the kernel runs are checked against (toolbox.shared.test.ts): so the records
 * cannot drift from the real tool. BERTH_RECORD=1 rewrites the records instead.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/requirements.js';
import { corpora } from './corpus/index.js';
import { appletNames, SNIPPET_ENV, type Corpus } from './toolbox-harness.js';
import type { ShResult } from './helpers.js';

const BUSYBOX = '/bin/busybox';
const record = !!process.env.BERTH_RECORD;

let work: string;
let links: string;

/** A directory of links to busybox for every applet (and sh). */
function busyboxLinks(dir: string): string {
  mkdirSync(dir);
  for (const name of [...appletNames(), 'sh']) symlinkSync(BUSYBOX, join(dir, name));
  return dir;
}

export function runNative(
  corpus: Corpus,
  index: number,
  shell: string[],
  path: string,
  base: string,
): ShResult {
  const dir = mkdtempSync(join(base, `${corpus.name}-${index}-`));
  for (const [rel, content] of Object.entries(corpus.tree)) {
    const p = join(dir, rel);
    if (content === null) mkdirSync(p);
    else if (typeof content === 'string') writeFileSync(p, content);
    else symlinkSync(content.link, p);
  }
  const r = spawnSync(shell[0] ?? BUSYBOX, [...shell.slice(1), '-c', corpus.snippets[index] ?? ''], {
    cwd: dir,
    env: { ...SNIPPET_ENV, PATH: path },
    input: '',
    timeout: 20_000,
  });
  return { stdout: r.stdout.toString(), stderr: r.stderr.toString(), code: r.status ?? 128 + 9 };
}

describeWith(
  [{ file: BUSYBOX, why: 'busybox-static (/bin/busybox)' }, 'root'],
  'toolbox corpora on busybox',
  () => {
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'berth-corpus-'));
      links = busyboxLinks(join(work, 'bin'));
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
