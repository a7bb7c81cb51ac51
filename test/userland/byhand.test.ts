/**
 * A container from scratch, by hand: the classic sequence — an overlay over an unpacked
 * layer, `unshare -p -f -m -u --mount-proc sh`, a hostname, pivot_root into the overlay,
 * a cgroup with pids.max holding the shell, and a fork bomb (2^10 deep, so that it ends by
 * itself on both: a bomb without end is held at pids.max but outlives the test) — given to berth's sh on the
 * emulated kernel (as a script, and typed line by line into the interactive shell on a
 * terminal) and to busybox sh as root on Linux. What `hostname`, `/proc/self/cgroup`,
 * `readlink /proc/self/ns/pid`, `ps` and the contained fork bomb show must agree.
 *
 * Differences the comparison normalises, with their reason:
 * - cgroups: this host has the pids controller on cgroup v1 (`N:pids:/byhand`), berth
 *   emulates cgroup v2 (`0::/byhand`): the pids controller's path is compared.
 * - namespace inode numbers differ by nature: `pid:[N]` is compared as a shape, and
 *   against the host's.
 * - busybox runs ps in the forked shell without exec ("{ps} sh"); berth's toolbox is its
 *   own program ("ps"): the command's name is compared.
 * - `wait` with no job: ash returns at once; berth's sh also reaps the bomb's orphans,
 *   which PID 1 inherits (berth's processes start slower, so the bomb lasts longer than
 *   the two seconds Linux needs).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  rmdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContainer } from '../../src/kernel/container.js';
import type { Kernel } from '../../src/kernel/proc/kernel.js';
import { Terminal } from '../../src/kernel/tty/index.js';
import type { MemFs } from '../../src/vfs/memfs.js';
import { describeWith } from '../support/requirements.js';
import { newKernel, shBytes } from './helpers.js';
import { appletNames, toolboxBytes, toolboxRoot } from './toolbox-harness.js';

/** The sequence, as typed; $B is the work directory, $CG the cgroup hierarchy with pids. */
export const BY_HAND = `mkdir -p $B/c/upper $B/c/work $B/c/root
mount -t overlay overlay -o lowerdir=$B/layer,upperdir=$B/c/upper,workdir=$B/c/work $B/c/root
mkdir -p $CG/byhand
echo 20 > $CG/byhand/pids.max
readlink /proc/self/ns/pid
unshare -p -f -m -u --mount-proc sh <<'IN'
hostname container
echo $$ > $CG/byhand/cgroup.procs
mount --bind /dev $B/c/root/dev
cd $B/c/root
mkdir -p old
pivot_root . old
cd /
PATH=/bin
mount -t proc proc /proc
umount -l /old
hostname
cat /proc/self/cgroup
readlink /proc/self/ns/pid
ps
sh -c 'f() { [ $1 -gt 0 ] || return; f $(($1-1)) | f $(($1-1)) & }; f 10' 2>/tmp/bomb
wait
sleep 2
sort -u /tmp/bomb
echo survived
IN
echo "inner exit $?"
cat $CG/byhand/pids.max
read events < $CG/byhand/pids.events
echo "$events" | { read name count; [ "$count" -gt 0 ] && echo "pids.max was hit"; }
umount $B/c/root
`;

interface ByHand {
  hostNs: string;
  hostname: string;
  cgroupPath: string;
  containerNs: string;
  ps: string[];
  bomb: string[];
  rest: string[];
}

/** The facts the test compares, from the script's output. */
function facts(stdout: string): ByHand {
  const lines = stdout.trimEnd().split('\n');
  const hostNs = lines.shift() ?? '';
  const hostname = lines.shift() ?? '';
  const cgroupLines: string[] = [];
  while (lines[0] !== undefined && /^\d+:[^:]*:/.test(lines[0])) cgroupLines.push(lines.shift()!);
  const pidsLine =
    cgroupLines.find((l) => /^\d+:[^:]*\bpids\b/.test(l)) ?? cgroupLines.find((l) => l.startsWith('0::'));
  const containerNs = lines.shift() ?? '';
  const ps: string[] = [];
  while (lines[0] !== undefined && (lines[0].startsWith('PID') || /^\s*\d+\s/.test(lines[0])))
    ps.push(
      lines
        .shift()!
        .replace(/\{(\S+)\} \S+$/, '$1')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  const bomb: string[] = [];
  while (lines[0] !== undefined && lines[0] !== 'survived') bomb.push(lines.shift()!);
  return {
    hostNs,
    hostname,
    cgroupPath: pidsLine?.replace(/^\d+:[^:]*:/, '') ?? '',
    containerNs,
    ps,
    bomb,
    rest: lines,
  };
}

function expectContainerFacts(f: ByHand): void {
  expect(f.hostname).toBe('container');
  expect(f.cgroupPath).toBe('/byhand');
  expect(f.containerNs).toMatch(/^pid:\[\d+\]$/);
  expect(f.hostNs).toMatch(/^pid:\[\d+\]$/);
  expect(f.containerNs).not.toBe(f.hostNs);
  // busybox prefixes "sh: " once per level of forked shell, and concurrent writers may
  // interleave: the message itself is compared
  const bomb = f.bomb.filter((l) => l !== '');
  expect(bomb.length).toBeGreaterThan(0);
  for (const line of bomb) expect(line).toMatch(/can't fork: Resource temporarily unavailable/);
  expect(f.rest).toEqual(['survived', 'inner exit 0', '20', 'pids.max was hit']);
}

/** The base image's files, and under /tmp/bh the layer (sh and the toolbox) and the script. */
async function byHandRoot(): Promise<MemFs> {
  const root = await toolboxRoot();
  for (const d of [
    '/tmp/bh',
    '/tmp/bh/layer',
    '/tmp/bh/layer/bin',
    '/tmp/bh/layer/tmp',
    '/tmp/bh/layer/proc',
    '/tmp/bh/layer/dev',
  ])
    root.mkdir(d);
  root.writeFile('/tmp/bh/layer/bin/sh', await shBytes(), { mode: 0o755 });
  root.writeFile('/tmp/bh/layer/bin/toolbox', await toolboxBytes(), { mode: 0o755 });
  for (const a of appletNames()) root.symlink('toolbox', `/tmp/bh/layer/bin/${a}`);
  root.writeFile('/tmp/bh/script.sh', BY_HAND);
  return root;
}

describeWith(
  [{ file: '/bin/busybox', why: 'busybox-static (/bin/busybox)' }, 'root', 'overlayfs'],
  'a container by hand',
  () => {
    let kernel: Kernel;
    let work: string;
    const cgroupV1 = '/sys/fs/cgroup/pids';

    beforeAll(() => {
      kernel = newKernel();
      work = mkdtempSync(join(tmpdir(), 'berth-byhand-'));
    });
    afterAll(() => {
      kernel.shutdown();
      spawnSync('umount', ['-l', join(work, 'c', 'root')]);
      rmSync(work, { recursive: true, force: true });
    });

    let native: ByHand;
    it('on Linux with busybox, as root', () => {
      const links = join(work, 'links');
      const layer = join(work, 'layer');
      mkdirSync(links);
      for (const d of ['bin', 'tmp', 'proc', 'dev']) mkdirSync(join(layer, d), { recursive: true });
      cpSync('/bin/busybox', join(layer, 'bin', 'busybox'));
      for (const a of [...appletNames(), 'sh']) {
        symlinkSync('busybox', join(layer, 'bin', a));
        symlinkSync('/bin/busybox', join(links, a));
      }
      const cg = existsSync(cgroupV1) ? cgroupV1 : '/sys/fs/cgroup';
      if (existsSync(join(cg, 'byhand'))) rmdirSync(join(cg, 'byhand'));
      writeFileSync(join(work, 'script.sh'), BY_HAND);
      const r = spawnSync('/bin/busybox', ['sh', join(work, 'script.sh')], {
        encoding: 'utf8',
        env: { PATH: links, B: work, CG: cg },
        timeout: 60_000,
      });
      rmdirSync(join(cg, 'byhand'));
      expect(r.stderr).toBe('');
      native = facts(r.stdout);
      expectContainerFacts(native);
    }, 90_000);

    it('on the emulated kernel with berth sh and toolbox: the same', async () => {
      const root = await byHandRoot();
      const host = createContainer(kernel, { rootfs: root });
      let stdout = '';
      let stderr = '';
      const dec = (b: Uint8Array): string => new TextDecoder().decode(b.slice());
      const proc = await host.start({
        program: await shBytes(),
        argv: ['sh', '/tmp/bh/script.sh'],
        env: { PATH: '/bin', B: '/tmp/bh', CG: '/sys/fs/cgroup' },
        fds: [
          { type: 'stdio', read: () => new Uint8Array(0) },
          { type: 'stdio', write: (b) => void (stdout += dec(b)) },
          { type: 'stdio', write: (b) => void (stderr += dec(b)) },
        ],
      });
      await proc.exited;
      await host.remove();
      expect(stderr, stdout).toBe('');
      const ours = facts(stdout);
      expectContainerFacts(ours);
      expect(ours.ps).toEqual(native.ps);
    }, 90_000);

    it('typed line by line into the interactive shell on a terminal: the same', async () => {
      const box = createContainer(kernel, { rootfs: await byHandRoot() });
      const term = new Terminal({ rows: 24, cols: 200 });
      let screen = '';
      term.onOutput((b) => void (screen += new TextDecoder().decode(b)));
      const shell = await box.start({
        program: await shBytes(),
        argv: ['sh'],
        env: { PATH: '/bin', B: '/tmp/bh', CG: '/sys/fs/cgroup', PS1: '', PS2: '' },
        fds: [term.entry(), term.entry(), term.entry()],
      });
      term.attach(kernel).control(shell);
      const typed = [...BY_HAND.trimEnd().split('\n'), 'exit'];
      for (const line of typed) term.input(`${line}\n`);
      await shell.exited;
      await box.remove();
      // what the terminal showed, less the echo of what was typed
      const shown = screen
        .replace(/\r\n/g, '\n')
        .split('\n')
        .filter((l) => !typed.includes(l))
        .join('\n');
      const viaTerminal = facts(shown);
      expectContainerFacts(viaTerminal);
      expect(viaTerminal.ps).toEqual(native.ps);
    }, 90_000);
  },
);
