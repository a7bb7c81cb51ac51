/**
 * tar: archives made and read back (listings with fixed times and owners), extraction
 * into -C, long names (GNU and pax), names that would lead outside (stripped, with
 * busybox's warning), broken archives and bad invocations. Members are named one by one:
 * a directory's own order of entries differs between filesystems.
 */
import { END, header, member, pax } from '../tar-archive.js';
import type { Corpus } from '../toolbox-harness.js';

const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(70)}`;

/** The tree the listings are made of: fixed times, one link of each kind. */
const setup =
  'mkdir -p t/sub; echo hello > t/f; echo x > t/sub/g; ln -s f t/lnk; ln t/f t/hard; chmod 640 t/f; chmod 644 t/sub/g; ' +
  'touch -d "2020-01-02 03:04:05" t t/f t/sub t/sub/g; touch -h -d "2020-01-02 03:04:05" t/lnk; ';

export const corpus: Corpus = {
  name: 'tar',
  tree: {
    'evil.tar':
      member('../evil', 'x\n') +
      member('/abs/f', 'y\n') +
      member('ok/../../up', 'z\n') +
      member('fine', 'w\n') +
      END,
    'long.tar':
      header('././@LongLink', 'L', long.length + 1) +
      (long + '\0').padEnd(512, '\0') +
      member('short', 'long\n') +
      END,
    'pax.tar': pax(`${'p'.repeat(120)}/x`, 'pax\n') + END,
    'badsum.tar': member('f', 'x\n').replace('0000644', '0000666') + END,
    'hard.tar': member('a', 'data\n') + member('b', '', '1', 'a') + member('c', '', '1', 'nosuch') + END,
    'deep.tar': member('deep/dir/f', 'x\n') + END,
    c: 'not a tar file\n',
  },
  snippets: [
    setup + 'tar cf a.tar t/f t/lnk t/sub t/hard; tar tf a.tar; tar tvf a.tar',
    setup + 'tar cf a.tar t/f t/lnk t/sub t/hard; sha256sum a.tar',
    setup + 'tar cvf a.tar t/sub/g t/f; tar xvf a.tar -C t/sub; tar tvf a.tar',
    setup + 'tar cf - t/f | tar tvf -; tar cvf - t/f > /dev/null',
    setup + 'tar -cf a.tar t/f; tar -t -v -f a.tar; tar -xOf a.tar; tar xOf a.tar t/f',
    setup + 'tar cf a.tar t/f t/sub; tar tf a.tar nosuch t/f; echo $?; tar tvf a.tar t/sub',
    setup +
      'tar cf a.tar t/f t/sub t/lnk t/hard; mkdir x; tar xvf a.tar -C x; tar cf b.tar -C x t/f t/sub/g t/hard; tar tvf b.tar; tar cf c.tar -C x t/lnk; tar tf c.tar',
    setup +
      'tar cf a.tar t/f t/lnk; rm -r t; tar xf a.tar; tar cf b.tar t/f; tar tvf b.tar; while read l; do echo $l; done < t/lnk',
    setup + 'tar cf a.tar t; tar tf a.tar | sort; tar tf a.tar | wc -l',
    setup + 'tar cf a.tar t/f; tar xf a.tar -C nodir; echo $?',
    setup + 'mkdir y; cd y; tar cf ../a.tar ../t/f; tar tf ../a.tar',
    'tar tvf nofile; echo $?; tar xf nofile; echo $?; tar cf c.tar nofile; echo $?',
    'tar; echo $?; tar tf; echo $?; tar q; echo $?',
    setup + 'tar cf a.tar t/f; tar tf a.tar -v; tar -t -f a.tar --; tar --bogus; echo $?',
    'tar tf c; echo $?; : > empty; tar tf empty; echo $?; tar cf e.tar; echo $?',
    'i=0; while [ $i -lt 100 ]; do echo 0123456789; i=$((i+1)); done > garb; tar tf garb; echo $?',
    'tar tf badsum.tar; echo $?',
    'mkdir x; tar xf deep.tar -C x; tar cf d.tar -C x deep; tar tvf d.tar | cut -c1-30',
    'mkdir x; tar xvf evil.tar -C x; echo $?; tar tf evil.tar; cd x && tar cf ../y.tar evil abs/f up fine && tar tvf ../y.tar',
    'tar tvf long.tar; mkdir x; tar xf long.tar -C x; tar cf l2.tar -C x ' +
      long +
      '; tar tvf l2.tar; tar tf l2.tar | wc -c',
    'tar tvf pax.tar; mkdir x; tar xvf pax.tar -C x; tar cf p2.tar -C x ' +
      `${'p'.repeat(120)}/x` +
      '; tar tf p2.tar',
    'mkdir x; tar xvf hard.tar -C x; echo $?; tar cf h.tar -C x a b c; tar tvf h.tar',
    setup +
      'tar cf a.tar t/f; mkdir -p x/t; echo old > x/t/f; tar xkf a.tar -C x; while read l; do echo $l; done < x/t/f; tar xf a.tar -C x; while read l; do echo $l; done < x/t/f',
    setup + 'tar cf a.tar t/f; tar xmf a.tar -C t/sub; tar cf b.tar -C t/sub t/f; tar tvf b.tar | wc -l',
  ],
};
