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
      // busybox prefixes some messages with the line number ("sh: line 1: …"): ours does not yet.
      const stderr = native.stderr.replace(/^sh: line \d+: /gm, 'sh: ');
      expect({ stdout: ours.stdout, code: ours.code }).toEqual({
        stdout: native.stdout,
        code: native.status,
      });
      expect(ours.stderr).toBe(stderr);
    });
});
