/**
 * The container verbs on bad input (Docker's exit 125 and a message naming the cause)
 * and after a crash: a `berth run` killed mid-run leaves a record that `ps -a` shows as
 * Dead and that `rm` and `system prune` clean up — with nothing left on the host.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWith, type Requirement } from '../support/requirements.js';
import { leftovers } from '../runtime/support/leftovers.js';
import { assertBuilt, berth, berthBin, berthOk, repoRoot } from './support/run-cli.js';

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

describe('terminals (emulated backend)', () => {
  it('gives -t a terminal on run and exec, and exec without -i a closed stdin, not a hangup', () => {
    expect(
      berth(root, ['run', '--rm', '-t', 'toolbox', 'sh', '-c', 'echo hi; test -t 1 && echo tty']).stdout,
    ).toBe('hi\r\ntty\r\n');
    berthOk(root, ['run', '-d', '--name', 'termbox', 'toolbox', 'sh', '-c', 'while true; do sleep 1; done']);
    const r = berth(root, ['exec', '-t', 'termbox', 'sh', '-c', 'echo hi; test -t 0 && echo tty']);
    expect(r).toMatchObject({ code: 0, stdout: 'hi\r\ntty\r\n' });
    expect(berth(root, ['exec', 'termbox', 'sh', '-c', 'test -t 1 || echo pipe']).stdout).toBe('pipe\n');
    berthOk(root, ['rm', '-f', 'termbox']);
  });
});

describeWith(['root', { tool: 'su' }], 'the Linux backend on a host where berth is not root', () => {
  it('exits 125 naming what is missing; the emulated backend still runs', () => {
    // berth as an installed package nobody can read (a checkout may sit in a private directory)
    const app = mkdtempSync(join(tmpdir(), 'berth-app-'));
    chmodSync(app, 0o755);
    cpSync(join(repoRoot, 'bin'), join(app, 'bin'), { recursive: true });
    copyFileSync(join(repoRoot, 'package.json'), join(app, 'package.json'));
    mkdirSync(join(app, 'dist'));
    copyFileSync(join(repoRoot, 'dist', 'berth.cjs'), join(app, 'dist', 'berth.cjs'));
    cpSync(join(repoRoot, 'dist', 'toolbox-image'), join(app, 'dist', 'toolbox-image'), { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'berth-nobody-'));
    chmodSync(dir, 0o777);
    const bin = join(app, 'bin', 'berth.js');
    const as = (args: string) =>
      spawnSync(
        'su',
        [
          'nobody',
          '-s',
          '/bin/sh',
          '-c',
          `HOME=${dir} "${process.execPath}" "${bin}" --root ${dir}/r ${args}`,
        ],
        {
          encoding: 'utf8',
        },
      );
    try {
      const linux = as('run --rm --backend linux toolbox true');
      expect(linux.stderr).toMatch(/^berth: the Linux backend cannot run on this host: root is required/);
      expect(linux.status).toBe(125);
      const emulated = as('run --rm toolbox echo fine');
      expect(emulated.stdout).toBe('fine\n');
      expect(emulated.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(app, { recursive: true, force: true });
    }
  });
});
