/** sha256sum: digests of files and stdin (FIPS 180-4 test lengths around the padding), -c. */
import type { Corpus } from '../toolbox-harness.js';

export const corpus: Corpus = {
  name: 'sha256',
  tree: { c: 'a:b:c:d\nnodelim\n1:2\n', nonl: 'no newline', empty: '', d: null },
  snippets: [
    'sha256sum c nonl empty',
    'sha256sum c nofile; echo $?; sha256sum d; echo $?',
    'sha256sum c > sums; sha256sum -c sums; echo $?; echo x >> c; sha256sum -c sums; echo $?; sha256sum -c -s sums; echo $?',
    'echo hi | sha256sum; echo hi | sha256sum -; printf "" | sha256sum',
    'sha256sum -c nofile; echo $?; echo garbage > bad; sha256sum -c bad; echo $?; sha256sum -cw bad; echo $?',
    'sha256sum -x; echo $?',
    'i=0; s=; while [ $i -lt 100 ]; do s=$s"0123456789"; i=$((i+1)); done; printf %s $s > big; sha256sum big; printf %s$s$s$s | sha256sum',
    "printf '%055d' 0 | sha256sum; printf '%056d' 0 | sha256sum; printf '%063d' 0 | sha256sum; printf '%064d' 0 | sha256sum; printf '%119d' 0 | sha256sum",
    'printf abc | sha256sum; printf abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq | sha256sum',
    'sha256sum c nonl > sums; echo "0000000000000000000000000000000000000000000000000000000000000000  nonl" >> sums; sha256sum -c sums; echo $?',
    'sha256sum nonl | sed "s/nonl/nofile/" > sums; sha256sum -c sums; echo $?',
    'sha256sum c > sums; sha256sum -c < sums; sha256sum -c - < sums',
  ],
};
