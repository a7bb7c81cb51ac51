/**
 * berth's sh against Debian's busybox sh run natively: the same snippets give the same
 * stdout, stderr and exit code. (This first corpus uses what berth's sh runs today:
 * builtins, expansions, quoting, lists; the full 150-snippet corpus comes with the rest
 * of the shell.)
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { describeWith } from '../support/requirements.js';
import { newKernel, runSh, userlandRoot } from './helpers.js';

const CORPUS = [
  'echo hello world',
  'echo "a  b" c',
  'echo \'single $HOME\' "double $HOME"',
  'echo a\\ b\\$c',
  'echo -n no-newline; echo',
  'x=5; echo $x ${x}y "$x"',
  'echo ${UNSET:-default} ${UNSET-dash} ${HOME:+set}',
  'x=; echo "[${x:-empty}]" "[${x-unset}]"',
  'true && echo and',
  'false && echo no || echo or',
  'false; echo $?',
  '! false; echo $?',
  '! true; echo $?',
  'exit 3',
  'exit',
  'false; exit',
  'echo one; echo two; echo three',
  'nosuch-command',
  'nosuch-command; echo after $?',
  'x="a b  c"; echo $x; echo "$x"',
  'export FOO=bar; echo $FOO',
  'FOO=1; unset FOO; echo "[$FOO]"',
  'cd /; pwd',
  'cd /tmp && pwd',
  'cd /nonexistent-dir; echo $?',
  ': ; echo colon $?',
  'echo $#',
  'echo "$0"',
  'echo first # a comment',
  'echo "unterminated',
  "echo 'unterminated",
  'echo a; ; echo b',
  'echo ${HOME}',
  'a=1 b=2; echo $a$b',
  'echo "$?"; false; echo "$?"',
  'true || echo skipped; echo done',
  'if true; then echo yes; else echo no; fi',
  'if false; then echo a; elif true; then echo b; else echo c; fi',
  'if false; then echo a; fi; echo $?',
  'for i in 1 2 3; do echo $i; done',
  'for i in a "b c"; do echo "[$i]"; done',
  'i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done',
  'i=0; until [ $i -ge 2 ]; do echo u$i; i=$((i+1)); done',
  'case abc in a*) echo star;; *) echo other;; esac',
  'case x in a|b) echo ab;; x|y) echo xy;; esac',
  'case none in a) echo a;; esac; echo $?',
  'f() { echo in f $1 $#; return 3; }; f x y; echo $?',
  'g() { echo "$@"; }; g 1 "2 3"',
  'echo $(echo sub) `echo back`',
  'echo "$(echo quoted  sub)"',
  'x=$(echo a; echo b); echo "$x"',
  '{ echo a; echo b; }',
  '(echo sub; exit 4); echo $?',
  '(x=inner); echo "[$x]"',
  'set -e; false; echo not-here',
  'set -e; false || echo rescued; echo after',
  'set -e; if false; then :; fi; echo survived',
  'for i in 1 2 3; do if [ $i = 2 ]; then break; fi; echo $i; done',
  'for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done',
  'printf "%s-%d\\n" a 5 b 6',
  'printf "%x %o %c|\\n" 255 8 xyz',
  'echo $((2+3*4)) $((10/3)) $(( (1+2) << 2 )) $((7%3)) $((-2+5))',
  'x=4; echo $((x*x)) $(( x > 3 && x < 5 ))',
  '[ -n "a" ] && echo n; [ -z "" ] && echo z; [ 3 -gt 2 ] && echo gt',
  'test a = b; echo $?; test a != b; echo $?',
  '[ ! -d / ]; echo $?',
  'eval "echo evaluated; x=9"; echo $x',
  'set -- a b c; echo $# $2; shift; echo $1',
  'echo "a b" | { read x y; echo "[$x][$y]"; }',
  'if; then',
  'for; do',
  'case x in',
  'echo $(( 1 + ))',
  'echo $((1/0)); echo not-here',
  'x=hello; echo ${#x}',
  'p=/usr/lib/x.tar.gz; echo ${p#*/} ${p##*/} ${p%.*} ${p%%.*}',
  'set -u; echo $nope; echo after',
  'set -x; echo traced; x=1',
  'command -v echo; type echo; type nosuchcmd; echo $?',
  'umask 022; umask',
  'read x <<EOF\nhello $HOME "q"\nEOF\necho "[$x]"',
  'read x <<\'EOF\'\nno $HOME\nEOF\necho "[$x]"',
  'while read l; do echo "<$l>"; done <<-X\n\tone\n\ttwo\n\tX',
  'trap "echo bye" EXIT; echo hi',
  'trap "echo bye" EXIT; exit 4',
  'trap "echo caught" TERM; kill -TERM $$; echo after',
  'true & wait $!; echo $?',
  '(exit 3) & wait $!; echo $?',
  'exec 2>&1; nosuch',
  'f() { exit 7; }; f; echo not-here',
  'set -- a "b c" ""; for x in "$@"; do echo "[$x]"; done',
  'f() { echo $#; }; f "$@"',
  'set -- "x y"; g() { echo $#; }; g "$@"',
  'set -- a "b c"; echo $@; for x in $@; do echo "<$x>"; done',
  'set -- 1 2; echo "pre$@post"',
];

let kernel: Kernel;
let root: MemFs;

beforeAll(async () => {
  kernel = newKernel();
  root = await userlandRoot();
});
afterAll(() => kernel.shutdown());

describeWith([{ tool: 'busybox' }], 'sh vs busybox sh', () => {
  for (const snippet of CORPUS)
    it(snippet, async () => {
      const native = spawnSync('busybox', ['sh', '-c', snippet], {
        encoding: 'utf8',
        cwd: '/',
        env: { PATH: '/usr/bin:/bin', HOME: '/' },
      });
      const ours = await runSh(kernel, root, snippet);
      const stderr = native.stderr;
      expect({ stdout: ours.stdout, code: ours.code }).toEqual({
        stdout: native.stdout,
        code: native.status,
      });
      expect(ours.stderr).toBe(stderr);
    });
});

const GLOBS = [
  'echo *',
  'echo *.txt',
  'echo [ab].txt ?.log',
  'echo nomatch*',
  'echo "*.txt" \'*\'',
  'echo .*',
  'echo sub/*',
  'echo */',
  'x="*.txt"; echo $x "$x"',
  'for f in *.txt; do echo "<$f>"; done',
];

describeWith([{ tool: 'busybox' }], 'sh globbing vs busybox sh', () => {
  const files = ['a.txt', 'b.txt', 'c.log', '.hidden', 'sub/x', 'sub/y.txt'];
  let dir = '';
  beforeAll(async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    dir = mkdtempSync(join(tmpdir(), 'berth-glob-'));
    mkdirSync(join(dir, 'sub'));
    root.mkdir('/g');
    root.mkdir('/g/sub');
    for (const f of files) {
      writeFileSync(join(dir, f), '');
      root.writeFile(`/g/${f}`, '');
    }
  });
  afterAll(async () => (await import('node:fs')).rmSync(dir, { recursive: true, force: true }));

  it.each(GLOBS)('%s', async (snippet) => {
    const native = spawnSync('busybox', ['sh', '-c', snippet], {
      encoding: 'utf8',
      cwd: dir,
      env: { PATH: '/usr/bin:/bin' },
    });
    const ours = await runSh(kernel, root, `cd /g && ${snippet}`);
    expect({ stdout: ours.stdout, stderr: ours.stderr, code: ours.code }).toEqual({
      stdout: native.stdout,
      stderr: native.stderr,
      code: native.status,
    });
  });
});
