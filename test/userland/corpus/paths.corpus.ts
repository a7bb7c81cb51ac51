/**
 * basename, dirname, readlink, realpath and which. Canonical paths are absolute, so the
 * snippets print them relative to $PWD (the snippet's own directory differs per run).
 */
import type { Corpus } from '../toolbox-harness.js';

/** Print canonical paths with the snippet's directory written as "P". */
const REL = ' | while read p; do echo "P${p#"$PWD"}"; done';

/** Executable programs, and `which` by its path. */
const W = 'chmod +x bin/prog bin2/prog; w=$(command -v which); ';

export const corpus: Corpus = {
  name: 'paths',
  tree: {
    'a.txt': 'a\n',
    d: null,
    'd/f': 'f\n',
    link: { link: 'a.txt' },
    dlink: { link: 'd' },
    dangling: { link: 'nowhere' },
    chain: { link: 'link' },
    bin: null,
    'bin/prog': '#!/bin/sh\necho prog\n',
    'bin/plain': 'not executable\n',
    bin2: null,
    'bin2/prog': '#!/bin/sh\necho prog2\n',
  },
  snippets: [
    // basename
    'basename /a/b/; basename a; basename /; basename //; basename /usr//lib//',
    'basename a.txt .txt; basename .txt .txt; basename /x/y.tar.gz .gz',
    'basename -a p/x q/y/; basename -s .c x.c y.c z.h',
    'basename -- -x; basename ""; echo "[$?]"',
    'basename a b c 2>/dev/null; echo $?',
    'basename 2>/dev/null; echo $?',
    // dirname
    'dirname /a/b/; dirname a; dirname /; dirname //; dirname ///',
    'dirname //a; dirname ///a; dirname //a//b; dirname a//b//; dirname a//',
    'dirname .; dirname ..; dirname ../x; dirname ""',
    'dirname a b 2>/dev/null; echo $?',
    // readlink
    'readlink link; readlink dangling; readlink chain; readlink dlink',
    'readlink a.txt; echo $?; readlink nope; echo $?',
    'readlink -v a.txt; echo $?',
    'readlink -v nope; echo $?',
    'readlink -n link; echo "|"',
    'readlink link dangling 2>/dev/null; echo $?',
    '{ readlink -f link; readlink -f chain; readlink -f dangling; readlink -f dlink/f; }' + REL,
    '{ readlink -f d/nope; readlink -f .; readlink -f d/../a.txt; readlink -f dlink/; }' + REL,
    'readlink -f nope; echo $?; readlink -f nope/x; echo $?; readlink -f a.txt/; echo $?',
    // realpath
    '{ realpath link chain dangling dlink dlink/f d/.. ./d/../a.txt; }' + REL,
    'realpath nope d/nope 2>&1' + REL,
    'realpath nope/x a.txt/; echo $?',
    'realpath / /tmp/.. //',
    'realpath 2>/dev/null; echo $?',
    // which (found through $w: a PATH= prefix also applies to finding `which` itself)
    W + 'PATH=bin:bin2 $w prog; echo $?',
    W + 'PATH=bin:bin2 $w -a prog; echo $?',
    W + 'PATH=bin $w plain nope prog; echo $?',
    W + 'PATH=/x $w ./bin/prog bin/plain bin; echo $?',
    W + 'cd bin; PATH=: $w prog; PATH=:/nowhere $w -a prog',
    W + 'PATH=bin $w 2>/dev/null; echo $?',
  ],
};
