/** The multi-call entry itself, and the simplest applets. */
import type { Corpus } from '../toolbox-harness.js';

export const corpus: Corpus = {
  name: 'basics',
  tree: {},
  snippets: ['true; echo $?', 'false; echo $?'],
};
