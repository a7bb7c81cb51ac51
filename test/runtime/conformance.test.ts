/**
 * One runtime conformance suite, run through the `berth` CLI against both backends with
 * the base image (its wasip1/wasm build on the emulated kernel, its linux/amd64 build on
 * the Linux one). Every case asserts the same result on both; where the backends differ
 * by design the case says so and docs/runtime-differences.md lists it with the reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { assertBuilt, berth, berthOk, type CliResult } from '../cli/support/run-cli.js';
import { describeWith, type Requirement } from '../support/requirements.js';
import { leftovers } from './support/leftovers.js';

const BACKENDS: { backend: 'emulated' | 'linux'; needs: Requirement[] }[] = [
  { backend: 'emulated', needs: [] },
  { backend: 'linux', needs: ['root', 'overlayfs', { tool: 'runc' }] },
];

for (const { backend, needs } of BACKENDS) {
  describeWith(needs, `runtime conformance: ${backend} backend`, () => {
    let root: string;
    let host: string;
    const run = (args: string[], input?: string): CliResult =>
      berth(
        root,
        ['run', '--rm', '--backend', backend, ...args],
        input === undefined ? {} : { input: Buffer.from(input) },
      );
    const sh = (script: string, flags: string[] = []): CliResult =>
      run([...flags, 'toolbox', 'sh', '-c', script]);
    const b = (args: string[]) => berth(root, args);
    const ok = (args: string[]) => berthOk(root, args);
    const detached = (name: string, script: string, flags: string[] = []): string => {
      const id = ok([
        'run',
        '-d',
        '--backend',
        backend,
        '--name',
        name,
        ...flags,
        'toolbox',
        'sh',
        '-c',
        script,
      ]).trim();
      seen.add(id);
      return id;
    };

    /** Every container id the suite made, for the leftovers check. */
    const seen = new Set<string>();
    afterEach(() => {
      for (const id of b(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean)) seen.add(id);
    });

    beforeAll(() => {
      assertBuilt();
      root = mkdtempSync(join(tmpdir(), `berth-conf-${backend}-`));
      host = mkdtempSync(join(tmpdir(), `berth-conf-host-`));
    });
    afterAll(() => {
      berth(root, ['system', 'prune', '-f']);
      for (const id of berth(root, ['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean))
        berth(root, ['rm', '-f', id]);
      rmSync(host, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    });

    it('sets the hostname: --hostname, else the first 12 digits of the id', () => {
      expect(sh('hostname; cat /etc/hostname', ['--hostname', 'box']).stdout).toBe('box\nbox\n');
      const id = ok(['create', '--backend', backend, '--name', 'hn', 'toolbox', 'hostname']).trim();
      const out = ok(['start', '-a', 'hn']);
      expect(out).toBe(`${id.slice(0, 12)}\n`);
      ok(['rm', 'hn']);
    });

    it('runs the command as PID 1 in its own pid namespace, with its own /proc', () => {
      const r = sh('echo $$; tr "\\0" " " < /proc/1/cmdline; echo; ps -o pid,comm > /tmp/ps; sed 1d /tmp/ps');
      expect(r.stdout).toMatch(/^1\nsh -c echo \$\$; .* \n *1 sh\n *\d+ ps\n$/);
      expect(r.code).toBe(0);
    });

    it('gives the image environment, -e and --env-file, HOSTNAME and HOME', () => {
      const file = join(host, 'env.list');
      writeFileSync(file, '# a comment\nFROMFILE=yes\n\nFROMHOST\n');
      const r = berth(
        root,
        [
          'run',
          '--rm',
          '--backend',
          backend,
          '--hostname',
          'h',
          '-e',
          'A=1',
          '--env-file',
          file,
          'toolbox',
          'sh',
          '-c',
          'echo $A $FROMFILE $FROMHOST $HOSTNAME $HOME $PATH',
        ],
        { env: { ...process.env, FROMHOST: 'host-value' } },
      );
      expect(r.stdout).toBe(
        '1 yes host-value h /root /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n',
      );
    });

    it('starts in -w (made when missing), else the image WorkingDir or /', () => {
      expect(sh('pwd').stdout).toBe('/\n');
      expect(sh('pwd', ['-w', '/tmp']).stdout).toBe('/tmp\n');
      expect(sh('pwd', ['-w', '/made/here']).stdout).toBe('/made/here\n');
    });

    it('runs as -u uid:gid or a name from /etc/passwd', () => {
      expect(sh('id -u; id -g', ['-u', '1000:1000']).stdout).toBe('1000\n1000\n');
      expect(sh('id; echo $HOME', ['-u', 'nobody']).stdout).toBe(
        'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n/nonexistent\n',
      );
      const r = sh('true', ['-u', 'nosuchuser']);
      expect(r.code).toBe(125);
      expect(r.stderr).toMatch(/nosuchuser/);
    });

    it('checks file permissions for a non-root user, and gives it what it creates', () => {
      const script = [
        'cd /tmp',
        'touch /etc/z 2>/dev/null; echo "create in /etc $?"',
        '{ echo x >> /etc/passwd; } 2>/dev/null; echo "append to /etc/passwd $?"',
        'rm -f /etc/hostname 2>/dev/null; echo "rm in /etc $?"',
        'mkdir /root/x 2>/dev/null; echo "mkdir in /root $?"',
        'ls /root >/dev/null 2>&1; echo "list /root $?"',
        'touch -d "2001-01-01 00:00" /etc/passwd 2>/dev/null; echo "set times of /etc/passwd $?"',
        'touch mine; mkdir dir; echo hi > out; chmod 600 mine; cat mine; echo "own file $?"',
        'mv mine /etc/ 2>/dev/null; echo "mv into /etc $?"',
        "ls -lnd mine dir out | tr -s ' ' | cut -d' ' -f1,3,4,9",
      ].join('\n');
      const r = sh(script, ['-u', '1000:1000']);
      expect(r.stdout).toBe(
        [
          'create in /etc 1',
          'append to /etc/passwd 1',
          'rm in /etc 1',
          'mkdir in /root 1',
          'list /root 1',
          'set times of /etc/passwd 1',
          'own file 0',
          'mv into /etc 1',
          'drwxr-xr-x 1000 1000 dir',
          '-rw------- 1000 1000 mine',
          '-rw-r--r-- 1000 1000 out',
        ].join('\n') + '\n',
      );
    });

    it('mounts volumes read-write and :ro', () => {
      const vol = join(host, 'vol');
      mkdirSync(vol);
      writeFileSync(join(vol, 'in.txt'), 'from the host\n');
      const r = sh('cat /data/in.txt; echo from the container > /data/out.txt', ['-v', `${vol}:/data`]);
      expect(r.stdout).toBe('from the host\n');
      expect(readFileSync(join(vol, 'out.txt'), 'utf8')).toBe('from the container\n');
      const ro = sh('cat /data/in.txt; echo x > /data/no.txt', ['-v', `${vol}:/data:ro`]);
      expect(ro.stdout).toBe('from the host\n');
      expect(ro.stderr).toMatch(/Read-only file system/);
      expect(ro.code).not.toBe(0);
      expect(existsSync(join(vol, 'no.txt'))).toBe(false);
    });

    it('bind-mounts a single file, made where the image has none, and nothing beside it', () => {
      const file = join(host, 'app.conf');
      writeFileSync(file, 'key=1\n');
      const r = sh('cat /etc/app/app.conf; echo key=2 >> /etc/app/app.conf; ls /etc/app/app.conf/.. 2>&1', [
        '-v',
        `${file}:/etc/app/app.conf`,
      ]);
      expect(r.stdout).toBe('key=1\nls: /etc/app/app.conf/..: Not a directory\n');
      expect(readFileSync(file, 'utf8')).toBe('key=1\nkey=2\n');
      const ro = sh('cat /app.conf; echo x > /app.conf', ['-v', `${file}:/app.conf:ro`]);
      expect(ro.stdout).toBe('key=1\nkey=2\n');
      expect(ro.stderr).toMatch(/Read-only file system/);
      expect(readFileSync(file, 'utf8')).toBe('key=1\nkey=2\n');
    });

    it('makes the root read-only with --read-only, tmpfs mounts still writable', () => {
      const r = sh('touch /x 2>&1; echo $?; touch /tmp/y && echo tmp ok', ['--read-only', '--tmpfs', '/tmp']);
      expect(r.stdout).toBe('touch: /x: Read-only file system\n1\ntmp ok\n');
    });

    it('mounts --tmpfs with its size limit', () => {
      const r = sh(
        'grep " /scratch " /proc/mounts | cut -d" " -f1,3; head -c 2000000 /dev/zero > /scratch/f; echo $?',
        ['--tmpfs', '/scratch:size=1m'],
      );
      expect(r.stdout).toBe('tmpfs tmpfs\n1\n');
      expect(r.stderr).toMatch(/No space left on device/);
    });

    it("exits with the command's code; 126 cannot execute, 127 not found, 128+n on signal n", () => {
      expect(sh('exit 42').code).toBe(42);
      const missing = run(['toolbox', 'nosuchcommand']);
      expect(missing.code).toBe(127);
      expect(missing.stderr).toMatch(/nosuchcommand.*not found/);
      const notExec = run(['toolbox', '/etc/passwd']);
      expect(notExec.code).toBe(126);
      expect(notExec.stderr).toMatch(/permission denied/);
      expect(sh('sh -c "kill -9 \\$\\$"; echo $?').stdout).toBe('137\n');
    });

    it('passes signals: kill -s, stop (TERM, then KILL after the grace time)', () => {
      detached('trapper', 'trap "echo got TERM; exit 3" TERM; echo ready; while true; do sleep 1; done');
      waitForLog('trapper', 'ready');
      ok(['kill', '-s', 'TERM', 'trapper']);
      expect(ok(['wait', 'trapper'])).toBe('3\n');
      expect(ok(['logs', 'trapper'])).toBe('ready\ngot TERM\n');
      // a PID 1 without a TERM handler ignores it (pid_namespaces(7)): stop must KILL
      detached('stubborn', 'while true; do sleep 1; done');
      ok(['stop', '-t', '1', 'stubborn']);
      const info = JSON.parse(ok(['inspect', 'stubborn'])) as { State: { ExitCode: number } }[];
      expect(info[0]!.State.ExitCode).toBe(137);
      ok(['rm', 'trapper', 'stubborn']);
    });

    it('stops an entrypoint that traps TERM and waits for its child: wait returns, the trap runs', () => {
      detached(
        'waiter',
        "trap 'echo stopping; kill $p; exit 7' TERM; sleep 1000 & p=$!; echo ready; wait $p",
      );
      waitForLog('waiter', 'ready');
      const began = Date.now();
      ok(['stop', '-t', '20', 'waiter']);
      expect(Date.now() - began).toBeLessThan(15000); // not the grace time and a KILL
      expect(ok(['wait', 'waiter'])).toBe('7\n');
      expect(ok(['logs', 'waiter'])).toBe('ready\nstopping\n');
      ok(['rm', 'waiter']);
    });

    it('kills on the memory limit: 137 and OOMKilled', () => {
      const r = berth(root, [
        'run',
        '--name',
        'oom',
        '--backend',
        backend,
        '--memory',
        '32m',
        'toolbox',
        'sh',
        '-c',
        'head -c 50000000 /dev/zero | tr "\\0" "\\n" | sort > /dev/null',
      ]);
      expect(r.code).toBe(137);
      const info = JSON.parse(ok(['inspect', 'oom'])) as {
        State: { OOMKilled: boolean; ExitCode: number };
      }[];
      expect(info[0]!.State).toMatchObject({ OOMKilled: true, ExitCode: 137 });
      ok(['rm', 'oom']);
    });

    it('limits processes with --pids-limit', () => {
      // busybox ends a shell without a terminal when it cannot fork
      const r = sh('for i in 1 2 3 4 5 6; do sleep 2 & done; wait; echo done', ['--pids-limit', '4']);
      expect(r).toMatchObject({
        code: 2,
        stdout: '',
        stderr: "sh: can't fork: Resource temporarily unavailable\n",
      });
    });

    it('sets the CPU quota from --cpus', () => {
      const r = sh('cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us', [
        '--cpus',
        '0.5',
      ]);
      expect(r.stdout.split(' ')[0]!.trim()).toBe('50000');
      const info = JSON.parse(ok(['inspect', detached('cpus', 'sleep 100', ['--cpus', '1.5'])])) as {
        HostConfig: { NanoCpus: number };
      }[];
      expect(info[0]!.HostConfig.NanoCpus).toBe(1_500_000_000);
      ok(['rm', '-f', 'cpus']);
    });

    it('execs into a running container: its namespaces, -e, -w, -u, -i, exit codes', () => {
      detached('target', 'echo hi > /tmp/mark; while true; do sleep 1; done', ['--hostname', 'tgt']);
      waitForFile('target', '/tmp/mark');
      expect(ok(['exec', 'target', 'hostname'])).toBe('tgt\n');
      expect(ok(['exec', 'target', 'cat', '/tmp/mark'])).toBe('hi\n');
      expect(
        ok([
          'exec',
          '-e',
          'X=1',
          '-w',
          '/tmp',
          '-u',
          '65534',
          'target',
          'sh',
          '-c',
          'echo $X $(pwd) $(id -u)',
        ]),
      ).toBe('1 /tmp 65534\n');
      expect(berth(root, ['exec', '-i', 'target', 'cat'], { input: Buffer.from('piped\n') }).stdout).toBe(
        'piped\n',
      );
      expect(b(['exec', 'target', 'sh', '-c', 'exit 5']).code).toBe(5);
      expect(b(['exec', 'target', 'nosuch']).code).toBe(127);
      const top = ok(['top', 'target']);
      expect(top).toMatch(/^UID\s+PID\s+PPID/);
      expect(top).toMatch(/sleep 1/);
      // ps -ef's STIME: started today, so HH:MM
      const started = JSON.parse(ok(['top', '--format', 'json', 'target']).split('\n')[0]!) as {
        STime: string;
      };
      expect(started.STime).toMatch(/^\d\d:\d\d$/);
      const stats = JSON.parse(ok(['stats', '--no-stream', '--format', 'json', 'target']).trim()) as {
        PIDs: string;
      };
      expect(Number(stats.PIDs)).toBeGreaterThanOrEqual(1);
      ok(['rm', '-f', 'target']);
      const stopped = b(['exec', 'target', 'true']);
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toBe('Error: No such container: target\n');
    });

    it('logs stdout and stderr apart, and follows', () => {
      const id = detached('talker', 'echo out; echo err >&2; sleep 1; echo later');
      const follow = b(['logs', '-f', id]);
      expect(follow.stdout).toBe('out\nlater\n');
      expect(follow.stderr).toBe('err\n');
      expect(
        ok(['ps', '-a', '--format', 'json'])
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { Names: string; State: string }),
      ).toContainEqual(expect.objectContaining({ Names: 'talker', State: 'exited' }));
      ok(['rm', 'talker']);
    });

    it('diffs like Docker and commits the changes as a new image', () => {
      const r = berth(root, [
        'run',
        '--name',
        'changer',
        '--backend',
        backend,
        'toolbox',
        'sh',
        '-c',
        'echo x > /etc/newf; rm /etc/group; mkdir /opt; touch /tmp/t',
      ]);
      expect(r.code).toBe(0);
      expect(ok(['diff', 'changer'])).toBe('C /etc\nD /etc/group\nA /etc/newf\nA /opt\nC /tmp\nA /tmp/t\n');
      const id = ok(['commit', '-m', 'conformance', 'changer', `committed-${backend}:1`]).trim();
      expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
      const after = run([
        `committed-${backend}:1`,
        'sh',
        '-c',
        'cat /etc/newf; ls /etc/group 2>&1; ls -d /opt',
      ]);
      expect(after.stdout).toBe('x\nls: /etc/group: No such file or directory\n/opt\n');
      const hist = ok(['history', `committed-${backend}:1`]);
      expect(hist).toMatch(/conformance/);
      ok(['rm', 'changer']);
    });

    it('copies files in and out with cp', () => {
      const src = join(host, 'cp-src');
      mkdirSync(src);
      writeFileSync(join(src, 'a.txt'), 'A\n');
      ok([
        'create',
        '--backend',
        backend,
        '--name',
        'cpbox',
        'toolbox',
        'sh',
        '-c',
        'cat /in/a.txt; echo made > /out.txt',
      ]);
      ok(['cp', src, 'cpbox:/in']);
      expect(ok(['start', '-a', 'cpbox'])).toBe('A\n');
      ok(['cp', 'cpbox:/out.txt', join(host, 'out.txt')]);
      expect(readFileSync(join(host, 'out.txt'), 'utf8')).toBe('made\n');
      ok(['rm', 'cpbox']);
    });

    it('copies into and out of a running container (another berth process runs it)', () => {
      const dir = join(host, 'live-src');
      mkdirSync(dir);
      writeFileSync(join(dir, 'note.txt'), 'note\n');
      detached('live', 'echo inside > /tmp/made; while true; do sleep 1; done');
      waitForFile('live', '/tmp/made');
      ok(['cp', dir, 'live:/in']);
      expect(ok(['exec', 'live', 'cat', '/in/note.txt'])).toBe('note\n');
      ok(['cp', 'live:/tmp/made', join(host, 'made.txt')]);
      expect(readFileSync(join(host, 'made.txt'), 'utf8')).toBe('inside\n');
      const missing = b(['cp', 'live:/nonexistent', join(host, 'x')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^Error: .*\/nonexistent/);
      ok(['rm', '-f', 'live']);
    });

    it('copies through volumes and /etc/hostname, running and stopped, as docker cp resolves them', () => {
      const vol = join(host, 'cp-vol');
      mkdirSync(vol);
      writeFileSync(join(vol, 'v.txt'), 'in the volume\n');
      const ro = join(host, 'cp-ro');
      mkdirSync(ro);
      detached('volbox', 'echo up > /tmp/up; while true; do sleep 1; done', [
        '-v',
        `${vol}:/data`,
        '-v',
        `${ro}:/locked:ro`,
        '--hostname',
        'volhost',
      ]);
      waitForFile('volbox', '/tmp/up');
      const check = (when: string) => {
        const out = join(host, `cp-out-${when}`);
        mkdirSync(out);
        ok(['cp', 'volbox:/data/v.txt', join(out, 'v.txt')]);
        ok(['cp', 'volbox:/etc/hostname', join(out, 'hostname')]);
        expect(readFileSync(join(out, 'v.txt'), 'utf8')).toBe('in the volume\n');
        expect(readFileSync(join(out, 'hostname'), 'utf8')).toBe('volhost\n');
        ok(['cp', join(out, 'v.txt'), `volbox:/data/${when}.txt`]);
        expect(readFileSync(join(vol, `${when}.txt`), 'utf8')).toBe('in the volume\n');
        const refused = b(['cp', join(out, 'v.txt'), 'volbox:/locked/x.txt']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/EROFS|read-only/i);
        expect(existsSync(join(ro, 'x.txt'))).toBe(false);
      };
      check('running');
      ok(['stop', '-t', '0', 'volbox']);
      check('stopped');
      ok(['rm', 'volbox']);
    });

    it('keeps records for other berth processes: ps -a, inspect, logs, rm', () => {
      const r = berth(root, [
        'run',
        '--name',
        'kept',
        '--backend',
        backend,
        'toolbox',
        'sh',
        '-c',
        'echo kept; exit 7',
      ]);
      expect(r.code).toBe(7);
      const ps = ok(['ps', '-a']);
      expect(ps).toMatch(/kept$/m);
      expect(ps).toMatch(/Exited \(7\)/);
      expect(ok(['logs', 'kept'])).toBe('kept\n');
      const info = JSON.parse(ok(['inspect', 'kept'])) as {
        State: { Status: string; ExitCode: number };
        Config: { Hostname: string };
      }[];
      expect(info[0]!.State).toMatchObject({ Status: 'exited', ExitCode: 7 });
      expect(ok(['rm', 'kept'])).toBe('kept\n');
      expect(b(['inspect', '--type', 'container', 'kept']).code).toBe(1);
    });

    it('leaves no mounts, cgroups, bundles or processes once its containers are removed', () => {
      detached('last', 'sleep 100');
      seen.add(ok(['inspect', 'last']).match(/"Id": "([0-9a-f]{64})"/)![1]!);
      ok(['rm', '-f', 'last']);
      for (const id of b(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean))
        ok(['rm', '-f', id]);
      expect(seen.size).toBeGreaterThan(5);
      expect(leftovers(root, seen)).toEqual([]);
    });

    function waitForLog(name: string, text: string): void {
      for (let i = 0; i < 100; i++) {
        if (b(['logs', name]).stdout.includes(text)) return;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
      throw new Error(`${name} never logged ${text}`);
    }
    function waitForFile(name: string, path: string): void {
      for (let i = 0; i < 100; i++) {
        if (b(['exec', name, 'test', '-e', path]).code === 0) return;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
      throw new Error(`${path} never appeared in ${name}`);
    }
  });
}
