/**
 * System applets that give the same results on the host's busybox (as root) and on berth:
 * ids, signals, env, date with fixed times, uname -s, and error cases. Nothing here may
 * change the host: no setting of the clock or the host name, no mounts. kill is run by
 * `env` so that the applet answers, not the shell's builtin. Plain `id` is left out: the
 * host's root has no supplementary groups, berth's shows groups=0(root) as in Docker.
 */
import type { Corpus } from '../toolbox-harness.js';

export const corpus: Corpus = {
  name: 'system',
  tree: { f: 'not a program\n', d: null },
  snippets: [
    'id -u; id -g; id -un; id -gn',
    'id nobody; id -u nobody; id -G nobody; id -Gn nobody; id -gn nobody',
    'id nosuch; echo $?',
    'whoami',
    'env kill -l',
    'env kill -l 9 KILL kill SIGINT 137 0 99',
    'env kill -l FOO; echo $?',
    'env kill; echo $?',
    'env kill -FOO 1; echo $?',
    'env kill -s BAR 1; echo $?',
    'env kill -9; echo $?',
    'env kill abc; echo $?',
    'env kill -0 999999 abc; echo $?',
    'env -i',
    'env -i A=1 B=2',
    'env -i -- A=1; env - B=2; env -u HOME -i X=1',
    "env -i X=1 sh -c 'echo $X'",
    'env -i A=1 nosuch; echo $?',
    'env ./f; echo $?',
    'env ./d; echo $?',
    'date -u -d @0',
    'date -d @0 -u',
    "date -u -d '2024-01-02 03:04:05' +%s",
    'date -d 2024-01-02; date -d "2024-01-02 03:04"; date -d "2024-1-2 3:4:5"',
    'date -d 202401020304; date -d 2024.01.02-03:04:05; date -d 0102030424.05',
    'date -d 2024-02-30; date -d " 2024-01-02"',
    "date -d @1700000000 '+%Y-%m-%d %H:%M:%S %a %b %j %u %w %Z %z %e %I %p %%'",
    'date -d @1700000000 +%D%T%R%r%y%C%h%n%k%l%s%P',
    'date -R -d @0; date -I -d @0; date -Iseconds -d @86399',
    'date -d foo; echo $?',
    'date -d 2024-13-02; echo $?',
    "date -d '2024-01-02T03:04:05'; echo $?",
    'date -d @-1; echo $?',
    'date -u +%s extra; echo $?',
    'uname -s; uname -o',
    'chroot ./nonexist; echo $?',
    'chroot ./f; echo $?',
    'hostname -F ./nonexist; echo $?',
    'umount ./nonexist; echo $?',
  ],
};
