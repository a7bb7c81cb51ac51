/**
 * The toolbox's system applets on the kernel (Node and Chromium): what cannot be compared
 * with busybox on the host — process listings, namespaces, mounts, chroot, the clock —
 * checked by assertions. Each script runs by `sh -c` in a fresh container of the toolbox root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer } from '../../src/kernel/container.js';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { newKernel, shBytes, type ShResult } from './helpers.js';
import { SNIPPET_ENV, toolboxRoot } from './toolbox-harness.js';

let kernel: Kernel;
let root: MemFs;

beforeAll(async () => {
  kernel = newKernel();
  root = await toolboxRoot();
});
afterAll(() => kernel.shutdown());

/** `sh -c script` as root in a new container (its own pid, uts and mount namespaces) on the toolbox root. */
async function run(script: string): Promise<ShResult> {
  let stdout = '';
  let stderr = '';
  const dec = (b: Uint8Array): string => new TextDecoder().decode(b.slice());
  const box = createContainer(kernel, { rootfs: root, hostname: 'box' });
  const proc = await box.start({
    program: await shBytes(),
    argv: ['sh', '-c', script],
    env: SNIPPET_ENV,
    cwd: '/',
    fds: [
      { type: 'stdio', read: () => new Uint8Array(0) },
      { type: 'stdio', write: (b) => void (stdout += dec(b)) },
      { type: 'stdio', write: (b) => void (stderr += dec(b)) },
    ],
  });
  const status = await proc.exited;
  await box.remove();
  return { stdout, stderr, code: status.signal !== undefined ? 128 + status.signal : status.code };
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

describe('system applets', () => {
  it('id, whoami, uname, hostname', async () => {
    const r = await run('id; id -un; id -G; whoami; uname; uname -a; uname -srm; hostname; hostname -s');
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([
      'uid=0(root) gid=0(root) groups=0(root)',
      'root',
      '0',
      'root',
      'Linux',
      'Linux box 6.1.0-berth #1 SMP berth wasm32 GNU/Linux',
      'Linux 6.1.0-berth wasm32',
      'box',
      'box',
    ]);
  });

  it('env runs a program with the environment it made; 127 and 126', async () => {
    const r = await run(
      'env -i A=1 sh -c "echo \\$A \\$PATH"; env -u PATH sh -c "echo \\${PATH-unset}"; env nosuch; echo $?; env /etc; echo $?',
    );
    expect(lines(r.stdout)).toEqual(['1', 'unset', '127', '126']);
    expect(r.stderr).toBe(
      "env: can't execute 'nosuch': No such file or directory\nenv: can't execute '/etc': Permission denied\n",
    );
  });

  it('kill: lists signals, signals by name and number, and reports missing pids', async () => {
    const r = await run(
      'env kill -l | head -n 1; env kill -l | grep TERM; env kill -l | tail -n 1; env kill -l 15 TERM 143; sleep 30 & env kill -s INT $!; wait $!; echo $?; sleep 30 & env kill -9 $!; wait $!; echo $?; env kill 9999; echo $?',
    );
    expect(lines(r.stdout)).toEqual([
      ' 1) HUP',
      '15) TERM',
      '31) SYS',
      'TERM',
      '15',
      'TERM',
      '130',
      '137',
      '1',
    ]);
    expect(r.stderr).toBe("kill: can't kill pid 9999: No such process\n");
  });

  it('ps: busybox default columns, -o columns, [comm] for a process without a command line', async () => {
    const r = await run('sh -c "exit 3" & sleep 1; ps; ps -o pid,ppid,user,time,comm,args; wait');
    const out = lines(r.stdout);
    // Debian's busybox, the reference here, has no TIME column by default (-o time has)
    expect(out[0]).toBe('PID   USER     COMMAND');
    expect(out[1]).toMatch(/^ {4}1 root {5}sh -c sh -c "exit 3" &/);
    expect(out).toContainEqual(expect.stringMatching(/^ {4}2 root {5}\[sh\]$/));
    expect(out).toContainEqual(expect.stringMatching(/^ +\d+ root {5}ps$/));
    const o = out.indexOf('PID   PPID  USER     TIME   COMMAND          COMMAND');
    expect(o).toBeGreaterThan(0);
    expect(out[o + 1]).toMatch(/^ {4}1 {5}0 root {6} 0:0\d sh {15}sh -c/);
    expect(out.at(-1)).toMatch(/^ +\d+ {5}1 root {6} 0:00 ps {15}ps -o pid,ppid,user,time,comm,args$/);
  });

  it('unshare -p -f --mount-proc: the program is PID 1 and ps sees only its namespace', async () => {
    const r = await run("sleep 5 & unshare -p -f --mount-proc sh -c 'echo $$; ps -o pid,args'");
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([
      '1',
      'PID   COMMAND',
      '    1 sh -c echo $$; ps -o pid,args',
      '    2 ps -o pid,args',
    ]);
  });

  it("unshare -u: the host name changes inside only; nsenter -u enters another process's", async () => {
    const r = await run(
      'unshare -u sh -c "hostname x; hostname"; hostname; unshare -u sh -c "hostname inner; sleep 5" & sleep 1; ' +
        'p=$(ps -o pid,args | grep "sh -c hostname inner" | grep -v grep | { read a b; echo $a; }); ' +
        'nsenter -t $p -u hostname; nsenter -t $p -u sh -c "uname -n"; hostname',
    );
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual(['x', 'box', 'inner', 'inner', 'box']);
  });

  it('unshare -r maps the caller to root in a new user namespace; -m keeps mounts inside', async () => {
    const r = await run(
      'unshare -r id -u; mkdir /m; unshare -m sh -c "mount -t tmpfs t /m && mount | grep -c \' /m \'"; mount | grep -c " /m "',
    );
    expect(lines(r.stdout)).toEqual(['0', '1', '0']);
  });

  it('mount and umount a tmpfs: listed by mount and df, gone after umount', async () => {
    const r = await run(
      'mkdir /t; mount -t tmpfs -o size=1m tmpfs /t && mount | grep " /t "; echo hi > /t/f; df /t; umount /t; ls /t; mount | grep -c " /t "',
    );
    expect(lines(r.stdout)).toEqual([
      'tmpfs on /t type tmpfs (rw,relatime,size=1m)',
      'Filesystem           1K-blocks      Used Available Use% Mounted on',
      'tmpfs                     1024         4      1020   0% /t',
      '0',
    ]);
  });

  it('mount -t overlay merges the lower and upper directories; writes go up', async () => {
    const r = await run(
      'mkdir /o && mount -t tmpfs tmpfs /o && mkdir /o/l /o/u /o/w /o/m && echo low > /o/l/a && echo up > /o/u/b && ' +
        'mount -t overlay overlay -o lowerdir=/o/l,upperdir=/o/u,workdir=/o/w /o/m && ls /o/m && cat /o/m/a /o/m/b && ' +
        'echo new > /o/m/c && ls /o/u /o/l && mount | grep " /o/m "',
    );
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([
      'a',
      'b',
      'low',
      'up',
      '/o/l:',
      'a',
      '/o/u:',
      'b',
      'c',
      'overlay on /o/m type overlay (rw,relatime,lowerdir=/o/l,upperdir=/o/u,workdir=/o/w)',
    ]);
  });

  it('mount --bind, -o remount,ro, umount -l and the errors', async () => {
    const r = await run(
      'mkdir /b1 /b2; echo x > /b1/f; mount --bind /b1 /b2 && cat /b2/f && mount -o remount,ro /b2 && ' +
        '{ echo y > /b2/g; mount | grep " /b2 "; }; umount -l /b2; ls /b2; mount /x; echo $?; ' +
        'mount -t bogus none /b2; echo $?; umount /b2; echo $?',
    );
    expect(lines(r.stdout)).toEqual(['x', 'overlay on /b2 type overlay (ro,relatime)', '1', '255', '1']);
    expect(lines(r.stderr)).toEqual([
      "sh: can't create /b2/g: Read-only file system",
      "mount: can't find /x in /etc/fstab",
      'mount: mounting none on /b2 failed: No such device',
      "umount: can't unmount /b2: Invalid argument",
    ]);
  });

  it('chroot runs a program in a directory holding copies of the toolbox', async () => {
    const r = await run(
      'mkdir -p /new/bin /new/etc && cat /bin/toolbox > /new/bin/toolbox && cat /bin/sh > /new/bin/sh && ' +
        'chmod 755 /new/bin/toolbox /new/bin/sh && ln -s toolbox /new/bin/ls && echo in > /new/etc/marker && ' +
        'chroot /new /bin/sh -c "ls /; ls /etc; pwd"; chroot /nonexist; echo $?; chroot /new /nope; echo $?',
    );
    expect(lines(r.stdout)).toEqual(['bin', 'etc', 'marker', '/', '1', '127']);
    expect(lines(r.stderr)).toEqual([
      "chroot: can't change root directory to '/nonexist': No such file or directory",
      "chroot: can't execute '/nope': No such file or directory",
    ]);
  });

  it('pivot_root in a new mount namespace', async () => {
    const r = await run(
      'mkdir /pr && mount -t tmpfs tmpfs /pr && mkdir /pr/old /pr/bin && cat /bin/toolbox > /pr/bin/toolbox && ' +
        'chmod 755 /pr/bin/toolbox && ln -s toolbox /pr/bin/ls && unshare -m sh -c "pivot_root /pr /pr/old && /bin/ls / && /bin/ls /old/etc/passwd"',
    );
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual(['bin', 'old', '/old/etc/passwd']);
  });

  it("lsns: util-linux's columns, one line per namespace", async () => {
    const r = await run('lsns; lsns -t uts -n');
    const out = lines(r.stdout);
    expect(out[0]).toBe('        NS TYPE   NPROCS PID USER COMMAND');
    const types = out.slice(1, 9).map((l) => l.split(/ +/)[1]);
    expect(types.sort()).toEqual(['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']);
    expect(out[1]).toMatch(/^\d{10} \w+ +2 +1 root sh -c lsns; lsns -t uts -n$/);
    expect(out.slice(9)).toEqual([expect.stringMatching(/^\d{10} uts +\d+ +1 root sh -c lsns/)]);
  });

  it('free and df: busybox layouts with the kernel memory and statfs', async () => {
    const r = await run('free; free -m; df; df -h /dev/shm; df -T /proc; df /nonexist; echo $?');
    const out = lines(r.stdout);
    expect(out[0]).toBe('              total        used        free      shared  buff/cache   available');
    expect(out[1]).toMatch(/^Mem: +2097152 +\d+ +\d+ +0 +0 +\d+$/);
    expect(out[2]).toBe('Swap:             0           0           0');
    expect(out[4]).toMatch(/^Mem: +2048 /);
    expect(out[6]).toBe('Filesystem           1K-blocks      Used Available Use% Mounted on');
    expect(out[7]).toMatch(/^overlay +\d+ +\d+ +\d+ +\d+% \/$/);
    expect(out).toContain('shm                      65536         0     65536   0% /dev/shm');
    expect(out).toContain('shm                      64.0M         0     64.0M   0% /dev/shm');
    expect(out).toContain('proc                 proc               0         0         0   0% /proc');
    expect(out.at(-1)).toBe('1');
    expect(r.stderr).toBe("df: /nonexist: can't find mount point\n");
  });

  it('date: the default format, -d, -u, +FORMAT, -R, -I', async () => {
    const r = await run(
      'date; date -u -d @0; date -d "2024-01-02 03:04:05" +%s; date -d 202401020304 "+%F %T"; date -R -d @86400; date -Iseconds -d @0; date -d x; echo $?',
    );
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/);
    expect(out.slice(1)).toEqual([
      'Thu Jan  1 00:00:00 UTC 1970',
      '1704164645',
      '2024-01-02 03:04:00',
      'Fri, 02 Jan 1970 00:00:00 +0000',
      '1970-01-01T00:00:00+00:00',
      '1',
    ]);
    expect(r.stderr).toBe("date: invalid date 'x'\n");
  });
});
