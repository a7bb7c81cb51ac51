/**
 * The toolbox corpora, one module per group of applets (each exports `corpus`), with
 * busybox's recorded results beside each as NAME.expected.json. They are run:
 * - by busybox natively, checked against the records (toolbox-busybox.test.ts; with
 *   BERTH_RECORD=1 it writes the records instead);
 * - by berth's sh and toolbox on the kernel, in Node and in Chromium, against the records
 *   (toolbox.shared.test.ts);
 * - by the native builds of berth's sh and toolbox, against the records.
 */
import type { Corpus, Expected } from '../toolbox-harness.js';

const modules = import.meta.glob<{ corpus: Corpus }>('./*.corpus.ts', { eager: true });
const records = import.meta.glob<{ default: Expected }>('./*.expected.json', { eager: true });

export interface RecordedCorpus {
  corpus: Corpus;
  /** undefined until recorded */
  expected: Expected | undefined;
}

export const corpora: RecordedCorpus[] = Object.values(modules).map(({ corpus }) => ({
  corpus,
  expected: records[`./${corpus.name}.expected.json`]?.default,
}));
