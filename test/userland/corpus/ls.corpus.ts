/**
 * ls, stat and du on small trees. Left out because MemFs (like tmpfs) and the ext4 the
 * busybox records are made on differ: directory sizes and blocks (`ls -l`, `stat -c %s`
 * and `du` of a directory), inode and device numbers, change times.
 */
import type { Corpus } from '../toolbox-harness.js';

/** Fixed times for the files whose dates are shown (older than half a year: "Mon DD  YYYY"). */
const FIX =
  'touch -d "2021-03-04 05:06:07" a.txt b.sh big dir/one dir/two dir/.dot .hidden flat/x flat/prog flat/.dot; ';
/** `ls -l` lines without the date of a symlink (its own time cannot be fixed by touch). */
const NODATE = ' | cut -c1-44,58-';

export const corpus: Corpus = {
  name: 'ls',
  tree: {
    'a.txt': 'hello\n',
    'b.sh': '#!/bin/sh\necho b\n',
    big: 'x'.repeat(5000),
    '.hidden': '',
    dir: null,
    'dir/one': '1\n',
    'dir/two': '22\n',
    'dir/.dot': '',
    'dir/sub': null,
    'dir/sub/deep': 'deep\n',
    empty: null,
    flat: null,
    'flat/x': 'x\n',
    'flat/prog': '#!/bin/sh\n',
    'flat/.dot': '',
    link: { link: 'a.txt' },
    dangling: { link: 'nowhere' },
    dlink: { link: 'dir' },
  },
  snippets: [
    // names
    'ls',
    'ls -a',
    'ls -A',
    'ls -1 dir',
    'ls -a dir',
    'ls -A dir',
    'ls -R dir',
    'ls -RA dir',
    'ls -d dir empty a.txt',
    'ls -F',
    'chmod 755 b.sh; ls -F b.sh dir link dangling dlink',
    'ls dlink',
    'ls dir/ link dangling',
    'ls a.txt dir empty',
    'ls Z.txt A.txt 2>/dev/null; : >Z.txt; : >A.txt; : >_x; ls',
    // long listings
    FIX + 'ls -l a.txt b.sh big',
    FIX + 'ls -l flat',
    FIX + 'ls -lA flat dir/one',
    FIX + 'ls -ln a.txt .hidden',
    FIX + 'ls -lh a.txt big',
    FIX + 'ls -lh flat | head -1',
    FIX + 'chmod 4755 a.txt; chmod 2644 b.sh; chmod 1777 big; ls -l a.txt b.sh big',
    FIX + 'chmod 4644 a.txt; chmod 2600 b.sh; chmod 1640 big; ls -l a.txt b.sh big',
    FIX + 'chmod 0 a.txt; chmod 777 b.sh; ls -l a.txt b.sh',
    FIX + 'ln a.txt hard; ls -l a.txt hard',
    // (unknown ids and -n: chown is not there yet to make such files; checked by hand)
    FIX + 'touch -d "2035-06-07 08:09:10" a.txt; ls -l a.txt',
    'ls -l link dangling' + NODATE,
    'chmod 755 b.sh; ln -s b.sh lb; ls -lF link dangling lb' + NODATE,
    FIX + 'chmod +x flat/prog; ls -lF flat',
    // errors
    'ls nope; echo $?',
    'ls a.txt nope dir; echo $?',
    'ls -l nope 2>&1; echo $?',
    // stat
    FIX + 'stat -c "%n|%s|%a|%A|%F|%h|%u|%U|%g|%G|%b|%B|%o|%Y|%X" a.txt .hidden big',
    FIX + 'stat -c "%y|%x" a.txt',
    'stat -c "%n %F %s %N" link dangling',
    'stat -L -c "%n %F %s %N" link',
    'stat -c "%F" dir',
    FIX + 'stat -c "[%10s|%-6n|%05a|%%|%q]" a.txt',
    FIX + 'chmod 4755 a.txt; stat a.txt | grep -v Device | grep -v Change',
    'stat link | head -2',
    'stat nope; echo $?',
    'stat -c %n nope a.txt; echo $?',
    'stat -L -c %n dangling; echo $?',
    // du (files only: directories take no blocks on MemFs, as on tmpfs)
    'du a.txt b.sh big',
    'du -k big',
    'du -h a.txt big',
    'du -c a.txt big',
    'du -ch a.txt big',
    'du link a.txt',
    'du nope; echo $?',
  ],
};
