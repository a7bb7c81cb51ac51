/**
 * The container verbs on bad input (Docker's exit 125 and a message naming the cause)
 * and after a crash: a `berth run` killed mid-run leaves a record that `ps -a` shows as
 * Dead and that `rm` and `system prune` clean up — with nothing left on the host.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWith, type Requirement } from '../support/requirements.js';
import { leftovers } from '../runtime/support/leftovers.js';
import { assertBuilt, berth, berthBin, berthOk, repoRoot, type CliResult } from './support/run-cli.js';

let root: string;
beforeAll(() => {
  assertBuilt();
  root = mkdtempSync(join(tmpdir(), 'berth-containers-'));
});
afterAll(() => {
  for (const id of berth(root, ['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean))
    berth(root, ['rm', '-f', id]);
  rmSync(root, { recursive: true, force: true });
});

describe('bad input', () => {
  it.each([
    [['run', '--nope', 'toolbox'], /^berth: unknown flag: --nope\nSee 'berth run --help'.\n$/],
    [['run', '--memory', 'lots', 'toolbox'], /invalid argument "lots" for "--memory" flag/],
    [['run', '--memory', '1k', 'toolbox', 'true'], /^berth: Minimum memory limit allowed is 6MB\n$/],
    [['run', '--cpus', 'x', 'toolbox'], /invalid argument "x" for "--cpus" flag/],
    [['run', '-v', 'a:b:c:d', 'toolbox'], /invalid volume specification: 'a:b:c:d'/],
    [['run', '--backend', 'qemu', 'toolbox'], /invalid --backend qemu: expected emulated or linux/],
    [['run', 'no/such:image'], /^berth: Unable to find image 'no\/such:image' locally\n$/],
    [['create', 'no/such:image'], /^berth: Unable to find image 'no\/such:image' locally\n$/],
    [['run', '-u', 'nosuchuser', 'toolbox', 'true'], /nosuchuser/],
    [['run', '-w', 'relative', 'toolbox', 'true'], /relative/],
    [['ps', '--format', 'yaml'], /unsupported format 'yaml'/],
    [['kill', '-s', 'NOPE', 'x'], /invalid signal: NOPE/],
    [['system', 'frobnicate'], /unknown command "frobnicate" for "berth system"/],
  ])('berth %j exits 125 naming the problem', (args, message) => {
    const r = berth(root, args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(125);
  });

  it('refuses a name in use, as Docker', () => {
    berthOk(root, ['create', '--name', 'taken', 'toolbox', 'true']);
    const r = berth(root, ['create', '--name', 'taken', 'toolbox', 'true']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(
      /Conflict. The container name "\/taken" is already in use by container "[0-9a-f]{64}"/,
    );
    berthOk(root, ['rm', 'taken']);
  });

  it('names a missing container with exit 1', () => {
    for (const verb of ['start', 'stop', 'kill', 'rm', 'logs', 'diff', 'top', 'exec']) {
      const r = berth(root, [verb, 'nosuchcontainer', ...(verb === 'exec' ? ['true'] : [])]);
      expect(r.stderr).toBe('Error: No such container: nosuchcontainer\n');
      expect(r.code).toBe(1);
    }
  });
});

const BACKENDS: { backend: string; needs: Requirement[] }[] = [
  { backend: 'emulated', needs: [] },
  { backend: 'linux', needs: ['root', 'overlayfs', { tool: 'runc' }] },
];

for (const { backend, needs } of BACKENDS) {
  describeWith(needs, `a berth killed mid-run (${backend} backend)`, () => {
    /** `berth run` in the foreground, SIGKILLed once its container runs; returns the id. */
    async function killMidRun(name: string): Promise<string> {
      const child = spawn(
        process.execPath,
        [berthBin, '--root', root, 'run', '--name', name, '--backend', backend, 'toolbox', 'sleep', '100'],
        {
          stdio: 'ignore',
        },
      );
      const exited = new Promise((r) => child.on('exit', r));
      for (let i = 0; ; i++) {
        const line = berth(root, ['ps'])
          .stdout.split('\n')
          .find((l) => l.endsWith(name));
        if (line !== undefined && /\bUp\b/.test(line)) break;
        if (i > 100) throw new Error(`${name} never ran`);
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      await exited;
      return JSON.parse(berthOk(root, ['inspect', name]))[0].Id as string;
    }

    it('leaves a Dead container that rm and system prune remove, and nothing else', async () => {
      const a = await killMidRun(`victim-a-${backend}`);
      const b = await killMidRun(`victim-b-${backend}`);
      const ps = berthOk(root, ['ps', '-a']);
      expect(ps).toMatch(new RegExp(`Dead\\s+victim-a-${backend}`));
      expect(ps).toMatch(new RegExp(`Dead\\s+victim-b-${backend}`));
      expect(berthOk(root, ['rm', `victim-a-${backend}`])).toBe(`victim-a-${backend}\n`);
      expect(berthOk(root, ['system', 'prune', '-f'])).toContain(b);
      expect(berthOk(root, ['ps', '-aq'])).toBe('');
      expect(leftovers(root, [a, b])).toEqual([]);
    });

    if (backend === 'linux')
      it('system prune removes the directories of a container whose record was never written', () => {
        const id = berthOk(root, ['create', '--backend', 'linux', 'toolbox', 'true']).trim();
        // as if berth died between making the container and recording it
        rmSync(join(root, 'containers', id), { recursive: true });
        expect(existsSync(join(root, 'linux', 'containers', id))).toBe(true);
        berthOk(root, ['system', 'prune', '-f']);
        expect(existsSync(join(root, 'linux', 'containers', id))).toBe(false);
      });
  });
}

for (const { backend, needs } of BACKENDS) {
  describeWith(needs, `terminals (${backend} backend)`, () => {
    it('gives -t a terminal on run and exec, and exec without -i a closed stdin, not a hangup', () => {
      const on = ['--backend', backend];
      expect(
        berth(root, ['run', '--rm', '-t', ...on, 'toolbox', 'sh', '-c', 'echo hi; test -t 1 && echo tty'])
          .stdout,
      ).toBe('hi\r\ntty\r\n');
      const name = `termbox-${backend}`;
      berthOk(root, [
        'run',
        '-d',
        '--name',
        name,
        ...on,
        'toolbox',
        'sh',
        '-c',
        'while true; do sleep 1; done',
      ]);
      const r = berth(root, ['exec', '-t', name, 'sh', '-c', 'echo hi; test -t 0 && echo tty']);
      expect(r).toMatchObject({ code: 0, stdout: 'hi\r\ntty\r\n' });
      expect(berth(root, ['exec', name, 'sh', '-c', 'test -t 1 || echo pipe']).stdout).toBe('pipe\n');
      berthOk(root, ['rm', '-f', name]);
    });

    it("merges stderr into the terminal, keeps exit codes, and feeds -i input through the terminal's line discipline", () => {
      const on = ['--backend', backend];
      const script = 'test -t 0 && test -t 1 && test -t 2 && echo all; echo oops >&2; exit 3';
      expect(berth(root, ['run', '--rm', '-t', ...on, 'toolbox', 'sh', '-c', script])).toEqual({
        code: 3,
        stdout: 'all\r\noops\r\n',
        stderr: '',
      });
      // the terminal echoes the line and the shell reads it
      const r = berth(
        root,
        ['run', '--rm', '-i', '-t', ...on, 'toolbox', 'sh', '-c', 'read -r l; echo "got $l"'],
        {
          input: Buffer.from('x y\n'),
        },
      );
      expect(r).toMatchObject({ code: 0, stdout: 'x y\r\ngot x y\r\n' });
    });

    it('gives run -d -t a terminal whose output is logged, as Docker', async () => {
      const name = `termlog-${backend}`;
      berthOk(root, [
        'run',
        '-d',
        '-t',
        '--name',
        name,
        '--backend',
        backend,
        'toolbox',
        'sh',
        '-c',
        'test -t 1 && echo tty',
      ]);
      berthOk(root, ['wait', name]);
      expect(berthOk(root, ['logs', name])).toBe('tty\r\n');
      berthOk(root, ['rm', name]);
    });
  });
}

/**
 * Rootless: berth run by `nobody` (an installed copy anyone can read, since a checkout may
 * sit in a private directory) with its store under its own XDG_DATA_HOME. Its Linux
 * backend runs in a user namespace where nobody is root.
 */
describeWith(
  ['root', 'overlayfs', { tool: 'runc' }, { tool: 'su' }, { tool: 'unshare' }, { tool: 'newuidmap' }],
  'the Linux backend as a non-root user (rootless, in a user namespace)',
  () => {
    let app: string;
    let home: string;
    let nobodyUid: number;
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    /** berth as nobody; no --root: the store is $XDG_DATA_HOME/berth. */
    const as = (args: string[]): CliResult => {
      const env = `HOME=${quote(home)} XDG_DATA_HOME=${quote(join(home, 'data'))}`;
      const bin = join(app, 'bin', 'berth.js');
      const cmd = `${env} ${[process.execPath, bin, ...args].map(quote).join(' ')}`;
      const r = spawnSync('su', ['nobody', '-s', '/bin/sh', '-c', cmd], { encoding: 'utf8' });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    const store = () => join(home, 'data', 'berth');
    /** Processes that mention the store (runc, berth __serve, containers' runtimes). */
    const processesOfStore = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(store());
          } catch {
            return false;
          }
        });

    /** berth processes whose command line names `name`, with their parents. */
    const berthProcesses = (name: string) =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .flatMap((p) => {
          try {
            const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
            const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            const node = cmd.split('\0')[0] === process.execPath;
            return node && cmd.includes(name) ? [{ pid: Number(p), ppid }] : [];
          } catch {
            return [];
          }
        });

    beforeAll(() => {
      app = mkdtempSync(join(tmpdir(), 'berth-app-'));
      chmodSync(app, 0o755);
      cpSync(join(repoRoot, 'bin'), join(app, 'bin'), { recursive: true });
      copyFileSync(join(repoRoot, 'package.json'), join(app, 'package.json'));
      mkdirSync(join(app, 'dist'));
      copyFileSync(join(repoRoot, 'dist', 'berth.cjs'), join(app, 'dist', 'berth.cjs'));
      cpSync(join(repoRoot, 'dist', 'toolbox-image'), join(app, 'dist', 'toolbox-image'), {
        recursive: true,
      });
      home = mkdtempSync(join(tmpdir(), 'berth-nobody-'));
      chmodSync(home, 0o777);
      nobodyUid = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
    });
    afterAll(() => {
      for (const id of as(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean))
        as(['rm', '-f', id]);
      rmSync(home, { recursive: true, force: true });
      rmSync(app, { recursive: true, force: true });
    });

    it('runs a container as root of a user namespace that maps the user, in its own store', () => {
      const r = as([
        'run',
        '--rm',
        '--backend',
        'linux',
        'toolbox',
        'sh',
        '-c',
        'id -u; cat /proc/self/uid_map; echo ok',
      ]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^0\\n\\s+0\\s+${nobodyUid}\\s+1\\nok\\n$`));
      expect(r.code).toBe(0);
      expect(existsSync(join(store(), 'linux', 'layers'))).toBe(true);
      // the emulated backend needs no namespace
      expect(as(['run', '--rm', 'toolbox', 'echo', 'fine'])).toMatchObject({ code: 0, stdout: 'fine\n' });
    });

    it("keeps exit codes; a volume's files belong to the user on the host; -t gives a terminal", () => {
      const vol = join(home, 'vol');
      mkdirSync(vol);
      chownSync(vol, nobodyUid, nobodyUid);
      const r = as([
        'run',
        '--rm',
        '--backend',
        'linux',
        '-v',
        `${vol}:/v`,
        'toolbox',
        'sh',
        '-c',
        'echo hi > /v/f; exit 7',
      ]);
      expect(r).toMatchObject({ code: 7, stderr: '' });
      expect(readFileSync(join(vol, 'f'), 'utf8')).toBe('hi\n');
      expect(statSync(join(vol, 'f')).uid).toBe(nobodyUid);
      expect(as(['run', '--rm', '--backend', 'linux', 'toolbox', 'sh', '-c', 'exit 3']).code).toBe(3);
      expect(
        as(['run', '--rm', '-t', '--backend', 'linux', 'toolbox', 'sh', '-c', 'test -t 1 && echo tty'])
          .stdout,
      ).toBe('tty\r\n');
    });

    it('runs -d containers that ps, exec, top, cp and rm -f reach from other berth processes, leaving nothing', () => {
      const id = as([
        'run',
        '-d',
        '--name',
        'rl',
        '--backend',
        'linux',
        'toolbox',
        'sh',
        '-c',
        'while true; do sleep 1; done',
      ]);
      expect(id.code).toBe(0);
      expect(as(['ps']).stdout).toMatch(/Up .*\brl\n/);
      expect(as(['exec', 'rl', 'sh', '-c', 'echo in; id -u']).stdout).toBe('in\n0\n');
      expect(as(['top', 'rl']).stdout).toContain('while true');
      expect(as(['exec', 'rl', 'sh', '-c', 'echo data > /tmp/f']).code).toBe(0);
      expect(as(['cp', 'rl:/tmp/f', join(home, 'f')]).code).toBe(0);
      expect(readFileSync(join(home, 'f'), 'utf8')).toBe('data\n');
      expect(as(['rm', '-f', 'rl'])).toMatchObject({ code: 0, stdout: 'rl\n' });
      expect(as(['ps', '-aq'])).toMatchObject({ code: 0, stdout: '' });
      expect(readdirSync(join(store(), 'linux', 'containers'))).toEqual([]);
      expect(readdirSync(join(store(), 'linux', 'runc'))).toEqual([]);
      expect(processesOfStore()).toEqual([]);
    });

    it('leaves a Dead container when the berth the user started is killed, which system prune removes', async () => {
      const child = spawn('su', [
        'nobody',
        '-s',
        '/bin/sh',
        '-c',
        `HOME=${quote(home)} XDG_DATA_HOME=${quote(join(home, 'data'))} exec ${quote(process.execPath)} ${quote(join(app, 'bin', 'berth.js'))} run --name victim-rl --backend linux toolbox sleep 100`,
      ]);
      const exited = new Promise((r) => child.on('exit', r));
      for (let i = 0; !/Up .*victim-rl/.test(as(['ps']).stdout); i++) {
        if (i > 100) throw new Error('victim-rl never ran');
        await new Promise((r) => setTimeout(r, 100));
      }
      // the berth the user started (the other one, in the namespace, is its child)
      const berths = berthProcesses('victim-rl');
      const outer = berths.find((b) => !berths.some((o) => o.pid === b.ppid))!;
      process.kill(outer.pid, 'SIGKILL');
      await exited;
      for (let i = 0; !/Dead\s+victim-rl/.test(as(['ps', '-a']).stdout); i++) {
        if (i > 50) throw new Error(`victim-rl is not Dead: ${as(['ps', '-a']).stdout}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(as(['system', 'prune', '-f']).code).toBe(0);
      expect(as(['ps', '-aq']).stdout).toBe('');
      expect(readdirSync(join(store(), 'linux', 'containers'))).toEqual([]);
      expect(processesOfStore()).toEqual([]);
    });

    it.each([
      [['--memory', '32m'], '--memory'],
      [['--pids-limit', '10'], '--pids-limit'],
      [['--cpus', '0.5'], '--cpus'],
    ])('refuses %j with 125: no cgroups without delegation', (flags, name) => {
      const r = as(['run', '--rm', '--backend', 'linux', ...flags, 'toolbox', 'true']);
      expect(r.stderr).toBe(
        `berth: ${name}: resource limits need cgroups, which rootless berth (a non-root user, in a user namespace) cannot create: no cgroup is delegated to it; run as root for limits\n`,
      );
      expect(r.code).toBe(125);
    });

    it('names the missing subordinate ids for a user the namespace lacks, and uses /etc/subuid ranges', () => {
      const r = as(['run', '--rm', '--backend', 'linux', '-u', '1000', 'toolbox', 'id', '-u']);
      expect(r.stderr).toMatch(/^berth: potentially insufficient UIDs or GIDs available in user namespace/);
      expect(r.stderr).toContain('/etc/subuid');
      expect(r.code).toBe(125);
      // with subordinate ids (a throwaway range for nobody, removed again)
      const files = ['/etc/subuid', '/etc/subgid'];
      const saved = files.map((f) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined));
      try {
        for (const f of files) appendFileSync(f, 'nobody:3000000:65536\n');
        const ok = as([
          'run',
          '--rm',
          '--backend',
          'linux',
          '-u',
          '1000:1000',
          'toolbox',
          'sh',
          '-c',
          'id -u; cat /proc/self/uid_map',
        ]);
        expect(ok.stderr).toBe('');
        expect(ok.stdout).toMatch(
          new RegExp(`^1000\\n\\s+0\\s+${nobodyUid}\\s+1\\n\\s+1\\s+3000000\\s+65536\\n$`),
        );
      } finally {
        files.forEach((f, i) =>
          saved[i] === undefined ? rmSync(f, { force: true }) : writeFileSync(f, saved[i]!),
        );
      }
    });
  },
);
