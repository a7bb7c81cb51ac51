/**
 * The Linux backend end to end (root, overlayfs and runc needed): a busybox-static image
 * built in the setup, run under the OCI runtime berth picks, with limits, whiteouts,
 * exec, and no mounts, cgroups or runtime state left behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImageContent } from '../../src/images/image-content.js';
import type { ImageStore } from '../../src/images/image-store.js';
import { cgroupLayout } from '../../src/linux/cgroups.js';
import { cleanupStale } from '../../src/linux/cleanup.js';
import { LayerDirs } from '../../src/linux/layer-store.js';
import { LinuxRuntime, type LinuxCreateOptions } from '../../src/linux/linux-runtime.js';
import { openImageStore } from '../../src/node/image-store.js';
import { CommandError } from '../../src/runtime/command.js';
import { describeWith } from '../support/requirements.js';
import { BUSYBOX_IMAGE, BUSYBOX_REQUIREMENT, importBusyboxImage } from './busybox-image.js';

let root: string;
let store: ImageStore;
let image: ImageContent;
let rt: LinuxRuntime;
const ids: string[] = [];

async function collect(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const c of s) out += c.toString();
  return out;
}

type Opts = Omit<LinuxCreateOptions, 'content' | 'image'>;

async function run(cmd: string[], o: Opts = {}, input = '') {
  const id = await rt.create({ content: store.content, image, ...o, cmd });
  ids.push(id);
  let io;
  try {
    io = await rt.start(id);
  } catch (e) {
    await rt.delete(id); // a container that could not start stays 'created' until removed
    throw e;
  }
  io.stdin.end(input);
  const [stdout, stderr, status] = await Promise.all([collect(io.stdout), collect(io.stderr), rt.wait(id)]);
  await rt.delete(id);
  return { id, stdout, stderr, ...status };
}

function mountsUnderRoot(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(root));
}

function cgroupsLeft(id: string): string[] {
  return cgroupLayout()
    .mounts.map((m) => join(m.path, 'berth', id))
    .filter((d) => existsSync(d));
}

function runtimeStates(): string[] {
  const dir = join(root, 'linux', 'runc');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describeWith(
  ['root', 'overlayfs', { tool: 'runc' }, { tool: 'getfattr' }, BUSYBOX_REQUIREMENT],
  'LinuxRuntime',
  () => {
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'berth-linux-'));
      store = await openImageStore(root);
      await importBusyboxImage(store);
      image = await store.resolve(BUSYBOX_IMAGE);
      rt = LinuxRuntime.open(root);
      console.log(`linux backend runtime: ${rt.runtime.name} (${rt.runtime.why})`);
    }, 60_000);

    afterAll(async () => {
      if (root === undefined) return;
      for (const id of ids) await rt.delete(id, { force: true }).catch(() => undefined);
      await cleanupStale(root);
      expect(mountsUnderRoot()).toEqual([]);
      rmSync(root, { recursive: true, force: true });
    });

    it('unpacks layers once into overlayfs lower directories', async () => {
      const names = await rt.layerDirs.ensure(store.content, image);
      expect(names).toHaveLength(2);
      const [l1, l2] = names.map((n) => join(rt.layerDirs.dir, n));
      expect(lstatSync(join(l1!, 'bin/sh')).isSymbolicLink()).toBe(true);
      expect(lstatSync(join(l1!, 'tmp')).mode & 0o7777).toBe(0o1777);
      const h1 = lstatSync(join(l1!, 'data/h1'));
      expect(h1.ino).toBe(lstatSync(join(l1!, 'data/h2')).ino);
      expect([h1.uid, h1.gid, h1.mode & 0o777, h1.mtimeMs]).toEqual([
        1000,
        1000,
        0o640,
        Date.UTC(2024, 0, 2, 3, 4, 5),
      ]);
      expect(lstatSync(join(l1!, 'data/fifo')).isFIFO()).toBe(true);
      const dev = lstatSync(join(l1!, 'data/null'));
      expect([dev.isCharacterDevice(), dev.rdev, dev.mode & 0o777]).toEqual([true, 0x103, 0o666]);
      const xattr = ['--absolute-names', '--only-values', '-n', 'user.berth', join(l1!, 'data/h2')];
      expect(execFileSync('getfattr', xattr, { encoding: 'utf8' })).toBe('yes');
      const wh = lstatSync(join(l2!, 'etc/deleted.txt'));
      expect(wh.isCharacterDevice() && wh.rdev === 0).toBe(true);
      expect(
        execFileSync(
          'getfattr',
          ['--absolute-names', '--only-values', '-n', 'trusted.overlay.opaque', join(l2!, 'opq')],
          { encoding: 'utf8' },
        ),
      ).toBe('y');
      expect(readdirSync(rt.layerDirs.dir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      // A second ensure reuses the directories.
      const before = lstatSync(l1!).ino;
      await rt.layerDirs.ensure(store.content, image);
      expect(lstatSync(l1!).ino).toBe(before);
    });

    it('runs a command with hostname, cgroup and root filesystem', async () => {
      const r = await run(['sh', '-c', 'echo hi; hostname; cat /proc/self/cgroup; ls /; echo $HOME; pwd'], {
        hostname: 'box1',
      });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe('hi');
      expect(lines[1]).toBe('box1');
      expect(r.stdout).toMatch(new RegExp(`memory:/berth/${r.id}$`, 'm'));
      expect(r.stdout).toMatch(/^bin\ndata\ndev\netc\nopq\nproc\nroot\nsys\ntmp\n/m);
      expect(lines.slice(-3)).toEqual(['/root', '/', '']);
    });

    it('reports exit codes, and 127 for a missing command', async () => {
      expect((await run(['true'])).exitCode).toBe(0);
      expect((await run(['true'], {}, 'x'.repeat(1 << 20))).exitCode).toBe(0); // stdin nobody reads
      expect((await run(['sh', '-c', 'exit 3'])).exitCode).toBe(3);
      await expect(run(['no-such-command'])).rejects.toThrow(CommandError);
      expect(mountsUnderRoot().filter((m) => m.includes('/containers/'))).toEqual([]);
    });

    it('passes stdin, env, cwd and user', async () => {
      const r = await run(
        ['sh', '-c', 'cat; echo "$FOO"; pwd; id -u; id -g; id -G'],
        {
          env: ['FOO=bar'],
          workdir: '/tmp',
          user: 'user',
        },
        'from stdin\n',
      );
      expect(r.stdout).toBe('from stdin\nbar\n/tmp\n1000\n1000\n1000 2000\n');
    });

    it('has a loopback interface that is up, and nothing else', async () => {
      const r = await run(['sh', '-c', 'ls /sys/class/net; ip -o link show lo']);
      expect(r.stdout.split('\n')[0]).toBe('lo');
      expect(r.stdout).toMatch(/lo: <LOOPBACK,UP,LOWER_UP>/);
    });

    it('hides whiteouts and opaque directories of upper layers', async () => {
      const r = await run(['sh', '-c', 'ls /etc; ls /opq; test -e /etc/deleted.txt']);
      expect(r.stdout).toBe('added\ngroup\nhostname\nhosts\npasswd\nnew\n');
      expect(r.exitCode).toBe(1);
    });

    it('mounts volumes and tmpfs, and honours a read-only root', async () => {
      const vol = mkdtempSync(join(tmpdir(), 'berth-vol-'));
      writeFileSync(join(vol, 'in'), 'host file\n');
      const r = await run(
        [
          'sh',
          '-c',
          'cat /v/in; echo out > /v/out; echo t > /scratch/t && echo tmpfs-ok; touch /nope 2>&1; echo $?',
        ],
        { volumes: [{ source: vol, target: '/v' }], tmpfs: [{ target: '/scratch' }], readOnly: true },
      );
      expect(r.stdout).toMatch(/^host file\ntmpfs-ok\n.*Read-only file system\n1\n$/s);
      expect(readFileSync(join(vol, 'out'), 'utf8')).toBe('out\n');
      rmSync(vol, { recursive: true, force: true });
    });

    it('kills an out-of-memory container with 137 and says so', async () => {
      const r = await run(
        ['sh', '-c', 'yes 0123456789012345678901234567890123456789 | head -n 4000000 | sort > /dev/null'],
        {
          memoryBytes: 20 * 1024 * 1024,
        },
      );
      expect([r.exitCode, r.oomKilled]).toEqual([137, true]);
    }, 60_000);

    it('enforces the pids limit', async () => {
      const r = await run(
        [
          'sh',
          '-c',
          'ip -o link show lo; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & done; wait; echo done',
        ],
        {
          pidsLimit: 5,
        },
      );
      expect(r.stderr).toMatch(/can't fork|Resource temporarily unavailable/);
      expect(r.stdout).toMatch(/lo: <LOOPBACK,UP,LOWER_UP>/); // brought up from outside the cgroup
    }, 30_000);

    it('execs into a running container, reports stats, and kills it', async () => {
      const id = await rt.create({
        content: store.content,
        image,
        cmd: ['sh', '-c', 'echo ready; sleep 30'],
        memoryBytes: 64 << 20,
      });
      ids.push(id);
      const io = await rt.start(id);
      io.stdin.end();
      const out = collect(io.stdout);
      const x = await rt.exec(id, {
        args: ['sh', '-c', 'echo from exec; cat /proc/1/cmdline | tr "\\0" " "; exit 5'],
      });
      x.stdin.end();
      const [xout, code] = await Promise.all([collect(x.stdout), x.wait()]);
      expect(code).toBe(5);
      expect(xout).toBe('from exec\nsleep 30 '); // ash execs its last command
      const k = await rt.exec(id, { args: ['sh', '-c', 'kill -9 $$'] });
      k.stdin.end();
      k.stdout.resume();
      k.stderr.resume();
      expect(await k.wait()).toBe(137);
      const st = rt.stats(id);
      expect(st.pids).toBe(1);
      expect(st.memoryBytes).toBeGreaterThan(0);
      expect(st.memoryLimit).toBe(64 << 20);
      await rt.kill(id, 'KILL');
      expect(await rt.wait(id)).toEqual({ exitCode: 137, oomKilled: false });
      expect(await out).toBe('ready\n');
      await rt.delete(id);
    }, 30_000);

    it('deletes a running container with force', async () => {
      const id = await rt.create({ content: store.content, image, cmd: ['sleep', '30'] });
      ids.push(id);
      const io = await rt.start(id);
      io.stdin.end();
      io.stdout.resume();
      io.stderr.resume();
      await expect(rt.delete(id)).rejects.toThrow(/running/);
      await rt.delete(id, { force: true });
      expect(existsSync(join(root, 'linux', 'containers', id))).toBe(false);
    });

    it('leaves no mounts, cgroups, runtime state or bundles behind', () => {
      expect(mountsUnderRoot()).toEqual([]);
      for (const id of ids) expect(cgroupsLeft(id)).toEqual([]);
      expect(runtimeStates()).toEqual([]);
      expect(readdirSync(join(root, 'linux', 'containers'))).toEqual([]);
    });

    it('cleans up after a berth that was killed', async () => {
      // A berth process that starts a container and is then SIGKILLed.
      const id = 'stale-' + process.pid;
      const crashed = await rt.create({ content: store.content, image, id, cmd: ['sleep', '60'] });
      ids.push(crashed);
      const io = await rt.start(id);
      io.stdin.end();
      io.stdout.resume();
      io.stderr.resume();
      await new Promise((r) => setTimeout(r, 300));
      const dead = spawn('true');
      await new Promise((r) => dead.on('exit', r));
      writeFileSync(join(root, 'linux', 'containers', id, 'owner'), String(dead.pid));
      const report = await cleanupStale(root);
      expect(report.containers).toContain(id);
      expect(await rt.wait(id)).toMatchObject({ exitCode: 137 });
      expect(mountsUnderRoot()).toEqual([]);
      expect(cgroupsLeft(id)).toEqual([]);
      expect(runtimeStates()).toEqual([]);
      await rt.delete(id);
    }, 30_000);

    it('removes half-written layer directories', async () => {
      const tmp = join(rt.layerDirs.dir, '.tmp-abc-999999999-x');
      execFileSync('mkdir', ['-p', join(tmp, 'a')]);
      expect(new LayerDirs(root).removeTemps()).toEqual(['.tmp-abc-999999999-x']);
    });

    it('times start-to-exit of true', async () => {
      // Interleaved with a floor (namespaces + chroot, no container) since this host is noisy.
      const bottom = join(rt.layerDirs.dir, (await rt.layerDirs.ensure(store.content, image))[0]!);
      const floorArgs = [
        '--pid',
        '--mount',
        '--uts',
        '--ipc',
        '--net',
        '--fork',
        'chroot',
        bottom,
        '/bin/true',
      ];
      const berth: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < 10; i++) {
        let t0 = performance.now();
        await run(['true']);
        berth.push(performance.now() - t0);
        t0 = performance.now();
        execFileSync('unshare', floorArgs);
        floor.push(performance.now() - t0);
      }
      const median = (xs: number[]): string => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(1);
      console.log(
        `linux backend (${rt.runtime.name}): create+start+wait+delete of true, median ${median(berth)} ms; ` +
          `unshare+chroot floor ${median(floor)} ms`,
      );
    }, 60_000);
  },
);
