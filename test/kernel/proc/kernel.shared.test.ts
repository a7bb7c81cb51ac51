/**
 * The kernel's processes, run with the C probe (wasm/probe/probe.c) in workers: in Node
 * (worker_threads) and in Chromium (Web Workers).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors.js';
import type { Kernel } from '../../../src/kernel/proc/kernel.js';
import { MountNamespace } from '../../../src/kernel/mnt/mount-namespace.js';
import { Pipe } from '../../../src/kernel/proc/pipe.js';
import { exitCode } from '../../../src/kernel/proc/process.js';
import { Signal } from '../../../src/kernel/proc/signals.js';
import type { MemFs } from '../../../src/vfs/memfs.js';
import { collector, input, newKernel, probeBytes, probeRoot } from './helpers.js';

let kernel: Kernel;
let root: MemFs;
let probe: Uint8Array;

beforeEach(async () => {
  kernel = newKernel();
  root = await probeRoot();
  probe = await probeBytes();
});
afterEach(() => kernel.shutdown());

async function run(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) {
  const out = collector();
  const err = collector();
  const proc = await kernel.spawn({
    program: probe,
    argv: ['probe', ...args],
    env: opts.env,
    root,
    fds: [input(opts.stdin ?? ''), out.entry, err.entry],
  });
  const status = await proc.exited;
  return { status, stdout: out.text(), stderr: err.text(), proc };
}

describe('processes', () => {
  it('runs a program to its exit code with its stdout', async () => {
    const r = await run(['hello']);
    expect(r.status).toEqual({ code: 0 });
    expect(r.stdout).toBe('hello from probe\n');
    expect((await run(['exit', '3'])).status).toEqual({ code: 3 });
  });

  it('takes a stdout callback that returns something other than a count as all written', async () => {
    const chunks: string[] = [];
    const proc = await kernel.spawn({
      program: probe,
      argv: ['probe', 'hello'],
      root,
      fds: [undefined, { type: 'stdio', write: (b) => chunks.push(new TextDecoder().decode(b.slice())) > 0 }],
    });
    await proc.exited;
    expect(chunks.join('')).toBe('hello from probe\n');
  });

  it('passes argv and the environment', async () => {
    const r = await run(['args', 'a b', ''], { env: { PROBE: 'yes' } });
    expect(r.stdout).toBe('probe\nargs\na b\n\nPROBE=yes\n');
  });

  it('copies stdin to stdout through blocking reads', async () => {
    const r = await run(['cat'], { stdin: 'line 1\nline 2\n' });
    expect(r.stdout).toBe('line 1\nline 2\n');
    expect(r.stderr).toBe('14 bytes\n');
  });

  it('poll_oneoff waits for a pipe to become readable, or times out', async () => {
    const r = await run(['poll']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('empty 0 after>=50ms 1 ready 1 pollin 1\n');
  });

  it('sleeps without blocking the kernel thread', async () => {
    const t0 = performance.now();
    const r = await run(['sleep', '60']);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    expect(r.stdout).toBe('slept\n');
  });

  it('ends a trap as killed by the matching signal', async () => {
    const trap = await run(['trap']);
    expect(trap.status).toEqual({ signal: Signal.SIGABRT });
    expect(exitCode(trap.status)).toBe(134);
    expect((await run(['segv'])).status).toEqual({ signal: Signal.SIGSEGV });
  });

  it('caches compiled modules by digest', async () => {
    await run(['hello']);
    await run(['hello']);
    expect(kernel.modules.size).toBe(1);
  });

  for (const sig of [Signal.SIGKILL, Signal.SIGTERM, Signal.SIGINT]) {
    // The loop makes no syscalls: only terminating its worker ends it. The bound is loose
    // (a loaded CI machine); a loop that is never ended times the test out instead.
    it(`ends a tight loop with signal ${sig} at once`, async () => {
      const proc = await kernel.spawn({ program: probe, argv: ['probe', 'loop'], root });
      await new Promise((r) => setTimeout(r, 50));
      expect(proc.alive).toBe(true);
      const t0 = performance.now();
      kernel.signal(proc, sig);
      const status = await proc.exited;
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(status).toEqual({ signal: sig });
    });
  }

  it('delivers a caught signal to a blocked read as EINTR and runs the handler', async () => {
    const pipe = new Pipe();
    const out = collector();
    const proc = await kernel.spawn({
      program: probe,
      argv: ['probe', 'catch'],
      root,
      fds: [pipe.readEnd(), out.entry, out.entry],
    });
    while (!out.text().includes('ready')) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    kernel.signal(proc, Signal.SIGTERM);
    expect(await proc.exited).toEqual({ code: 0 });
    expect(out.text()).toBe('ready\nread -1 errno 27 caught 15\n');
  });
});

describe('process extension', () => {
  it('spawns a child and waits for it; a second wait finds no child (ECHILD)', async () => {
    const r = await run(['child']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('child exited 7\nagain 12\n');
    expect(r.status).toEqual({ code: 0 });
  });

  it('connects two children with a pipe', async () => {
    const r = await run(['pipeline', '100000']);
    expect(r.stdout).toBe('x'.repeat(100000) + 'writer exited 0\nreader exited 0\n');
    expect(r.stderr).toBe('100000 bytes\n');
  });

  it('reports pid, parent, ids and hostname; PID 1 in a new pid namespace', async () => {
    const out = collector();
    const proc = await kernel.spawn({
      program: probe,
      argv: ['probe', 'ids'],
      root,
      fds: [undefined, out.entry, out.entry],
      unshare: { pid: true, uts: true },
    });
    proc.ns.uts.hostname = 'box';
    await proc.exited;
    expect(out.text()).toBe('pid 1\nppid 0\nuid 0\ngid 0\nhostname box\nsysname Linux\n');
    expect(proc.hostPid).toBeGreaterThan(1);
    expect(kernel.initialNs.uts.hostname).toBe('berth');
  });
});

describe('namespaces as primitives', () => {
  it("unshare(CLONE_NEWUTS) + sethostname changes only the caller's namespace", async () => {
    const r = await run(['uts', 'inside']);
    expect(r.stdout).toBe('err 0 hostname inside\n');
    expect(r.proc.ns.uts).not.toBe(kernel.initialNs.uts);
    expect(kernel.initialNs.uts.hostname).toBe('berth');
  });

  it('unshare(CLONE_NEWPID) makes the next child PID 1 of a new namespace', async () => {
    const r = await run(['pidns']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^unshare 0 self \d+\npid 1\nppid 0\n/);
    expect(r.stdout).toMatch(/child exited 0\n$/);
  });

  it('fstatat shows mode and owner through the user namespace', async () => {
    root.writeFile('/owned', 'x', { mode: 0o640 });
    root.chown('/owned', 100000, 100000);
    const plain = await run(['stat', 'owned']);
    expect(plain.stdout).toBe('mode 100640 uid 100000 gid 100000 nlink 1 size 1\n');
    const out = collector();
    const proc = await kernel.spawn({
      program: probe,
      argv: ['probe', 'stat', 'owned'],
      root,
      fds: [undefined, out.entry, out.entry],
      unshare: {
        user: {
          uidMap: [{ inside: 0, outside: 100000, count: 65536 }],
          gidMap: [{ inside: 0, outside: 100000, count: 65536 }],
        },
      },
    });
    await proc.exited;
    expect(out.text()).toBe('mode 100640 uid 0 gid 0 nlink 1 size 1\n');
    expect(proc.ns.user.uidToHost(0)).toBe(100000);
  });
});

describe('a container by hand, from a program', () => {
  it('mounts tmpfs and an overlay, unshares, pivot_roots, mounts proc: like runc', async () => {
    // The probe starts in a mount namespace the test keeps, to look at the upperdir after.
    const ns = new MountNamespace({ fs: root, fstype: 'rootfs', source: 'rootfs' });
    const out = collector();
    const proc = await kernel.spawn({
      program: probe,
      argv: ['probe', 'byhand'],
      root: ns.view(),
      fds: [undefined, out.entry, out.entry],
    });
    const status = await proc.exited;
    const r = { stdout: out.text() };
    expect(status, r.stdout).toEqual({ code: 0 });
    expect(r.stdout).toBe(
      [
        'unshare+sethostname 0',
        'pivot_root 0',
        'umount /old 0',
        'pid 1 hostname handmade ns pid',
        'hello: from the lower layer',
        '/proc/1 NSpid 1',
        'child exited 0',
        '',
      ].join('\n'),
    );
    // What the container wrote went to the overlay's upperdir, a directory of the tmpfs.
    expect(new TextDecoder().decode(ns.view().readFile('/tmp/upper/newfile'))).toBe('made inside\n');
    // The caller's own hostname changed only in its new uts namespace.
    expect(kernel.initialNs.uts.hostname).toBe('berth');
  });
});

describe('chroot', () => {
  it('confines the process to the directory: / is it, .. cannot climb out', async () => {
    root.mkdir('/jail');
    root.writeFile('/jail/inside', 'jailed\n');
    const r = await run(['chroot', '/jail']);
    expect(r.stdout).toBe('chroot 0 inside jailed\n climb blocked\n');
  });
});

describe('pid namespaces', () => {
  it('gives nested pids, reparents orphans to init and kills the namespace with it', async () => {
    const init = await kernel.spawn({
      program: probe,
      argv: ['probe', 'loop'],
      root,
      unshare: { pid: true },
    });
    const mid = await kernel.spawn({ program: probe, argv: ['probe', 'loop'], root, parent: init });
    const leaf = await kernel.spawn({ program: probe, argv: ['probe', 'loop'], root, parent: mid });
    expect([init.pid, mid.pid, leaf.pid]).toEqual([1, 2, 3]);
    expect(leaf.nspids).toEqual([leaf.hostPid, 3]);
    expect(kernel.list(init.ns.pid as never).map((e) => e.pid)).toEqual([1, 2, 3]);
    kernel.signal(mid, Signal.SIGKILL);
    await mid.exited;
    expect(leaf.parent).toBe(init);
    // signals from inside to init without a handler are ignored; from the host they kill
    kernel.signal(init, Signal.SIGTERM, leaf);
    await new Promise((r) => setTimeout(r, 20));
    expect(init.alive).toBe(true);
    kernel.signal(init, Signal.SIGKILL);
    expect(await leaf.exited).toEqual({ signal: Signal.SIGKILL });
    expect(kernel.processes.size).toBe(0);
  });
});

describe('bad programs', () => {
  it('rejects bytes that are not WebAssembly', async () => {
    await expect(
      kernel.spawn({ program: new TextEncoder().encode('#!/bin/sh\necho hi\n'), argv: ['x'], root }),
    ).rejects.toThrow(InvalidArgumentError);
  });
});
