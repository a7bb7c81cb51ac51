/**
 * A container built from the kernel's primitives, checked from inside by the C probe
 * (`probe container`): PID 1, hostname, /etc files, /proc, mounts, cgroup files, /dev.
 * Runs in Node and in Chromium.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContainer } from '../../../src/kernel/container.js';
import type { Kernel } from '../../../src/kernel/proc/kernel.js';
import { Signal } from '../../../src/kernel/proc/signals.js';
import { OverlayFs } from '../../../src/vfs/overlay.js';
import { MemFs } from '../../../src/vfs/memfs.js';
import { collector, newKernel, probeRoot } from './helpers.js';

let kernel: Kernel;
let image: MemFs;
beforeEach(async () => {
  kernel = newKernel();
  image = await probeRoot();
});
afterEach(() => kernel.shutdown());

async function runIn(c: ReturnType<typeof createContainer>, args: string[], exec = false) {
  const out = collector();
  const spec = {
    program: image.readFile('/bin/probe'),
    argv: ['/bin/probe', ...args],
    fds: [undefined, out.entry, out.entry],
  };
  const proc = exec ? await c.exec(spec) : await c.start(spec);
  const status = await proc.exited;
  return { status, text: out.text(), proc };
}

describe('containers', () => {
  it('looks like a Linux container from inside', async () => {
    const c = createContainer(kernel, {
      rootfs: new OverlayFs([image.root]),
      hostname: 'web',
      limits: { pids: 8 },
    });
    const r = await runIn(c, ['container', 'web']);
    expect(r.text.split('\n').filter((l) => l.startsWith('not ok'))).toEqual([]);
    expect(r.text).toContain('via /dev/stdout\n');
    expect(r.text).toMatch(/\n1\.\.2\d\n$/);
    expect(r.status).toEqual({ code: 0 });
    expect(r.proc.pid).toBe(1);
    expect(r.proc.hostPid).toBeGreaterThan(1);
  });

  it('shows /proc, cgroup files and mounts as Linux formats them', async () => {
    const c = createContainer(kernel, {
      rootfs: new OverlayFs([image.root]),
      hostname: 'box',
      limits: { memoryBytes: 64 << 20, pids: 10 },
    });
    const init = await c.start({
      program: image.readFile('/bin/probe'),
      argv: ['/bin/probe', 'catch'],
      fds: [],
    });
    const fs = c.mnt.view();
    const read = (p: string) => new TextDecoder().decode(fs.readFile(p));
    kernel.current = init;
    expect(read('/proc/self/status')).toMatch(
      /^Name:\tprobe\n[\s\S]*\nPid:\t1\nPPid:\t0\n[\s\S]*\nNSpid:\t1\n/,
    );
    expect(read('/proc/1/cmdline')).toBe('/bin/probe\0catch\0');
    expect(fs.readlink('/proc/self')).toBe('1');
    expect(fs.readlink('/proc/1/ns/uts')).toMatch(/^uts:\[\d+\]$/);
    expect(fs.readlink('/proc/1/ns/uts')).not.toBe('uts:[4026531838]');
    expect(read('/proc/1/cgroup')).toBe('0::/\n');
    expect(read('/sys/fs/cgroup/memory.max')).toBe(`${64 << 20}\n`);
    expect(read('/sys/fs/cgroup/pids.max')).toBe('10\n');
    expect(read('/sys/fs/cgroup/cgroup.procs')).toBe('1\n');
    expect(read('/etc/hostname')).toBe('box\n');
    expect(read('/etc/hosts')).toMatch(/^127\.0\.0\.1\tlocalhost\n/);
    const mounts = read('/proc/mounts');
    expect(mounts).toMatch(
      /^overlay \/ overlay rw,relatime 0 0\nproc \/proc proc rw,nosuid,nodev,noexec,relatime 0 0\n/,
    );
    expect(mounts).toContain('cgroup /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n');
    // a cgroup made by writing files: mkdir, limits, move the process
    fs.mkdir('/sys/fs/cgroup/inner');
    fs.writeFile('/sys/fs/cgroup/inner/pids.max', '3\n');
    fs.writeFile('/sys/fs/cgroup/inner/cgroup.procs', '1\n');
    expect(read('/proc/1/cgroup')).toBe('0::/inner\n');
    expect(read('/sys/fs/cgroup/inner/pids.current')).toBe('1\n');
    expect(init.cgroup.pidsMax).toBe(3);
    kernel.current = null;
    expect(c.processes().map((p) => p.pid)).toEqual([1]);
    c.signal(Signal.SIGKILL);
    expect(await c.wait()).toEqual({ signal: Signal.SIGKILL });
  });

  it('exec joins the namespaces: PID 2, same hostname; killing PID 1 ends it', async () => {
    const c = createContainer(kernel, { rootfs: new OverlayFs([image.root]), hostname: 'multi' });
    await c.start({ program: image.readFile('/bin/probe'), argv: ['/bin/probe', 'loop'], fds: [] });
    const second = await runIn(c, ['ids'], true);
    expect(second.text).toBe('pid 2\nppid 0\nuid 0\ngid 0\nhostname multi\nsysname Linux\n');
    const sleeper = await c.exec({
      program: image.readFile('/bin/probe'),
      argv: ['/bin/probe', 'loop'],
      fds: [],
    });
    expect(sleeper.pid).toBe(3);
    await c.remove();
    expect(await sleeper.exited).toEqual({ signal: Signal.SIGKILL });
    expect(kernel.cgroups.lookup(c.cgroup.path)).toBeNull();
  });

  it('counts files written in the container toward memory.max: OOM kill at the limit', async () => {
    const c = createContainer(kernel, {
      rootfs: new OverlayFs([image.root]),
      limits: { memoryBytes: 12 << 20 },
    });
    const r = await runIn(c, ['writefile', '64', '/big']);
    expect(r.status).toEqual({ signal: Signal.SIGKILL });
    expect(c.stats().oomKills).toBe(1);
    expect(c.cgroup.memoryPeak).toBeGreaterThan(12 << 20);
  });

  it('gives a tmpfs mount its size limit: ENOSPC past size=', async () => {
    const c = createContainer(kernel, {
      rootfs: new OverlayFs([image.root]),
      tmpfs: [{ target: '/scratch', sizeBytes: 1 << 20 }],
    });
    const r = await runIn(c, ['writefile', '2', '/scratch/big']);
    expect(r.status).toEqual({ code: 1 });
    const fs = c.mnt.view();
    expect(c.mnt.renderMounts()).toContain(
      'tmpfs /scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k 0 0\n',
    );
    expect(fs.stat('/scratch/big').size).toBeLessThanOrEqual(1 << 20);
  });

  it('has its own loopback: a server is reachable inside its container, not from another', async () => {
    const a = createContainer(kernel, { rootfs: new OverlayFs([image.root]) });
    // PID 1 stays up (as a shell would); when it exits Linux kills the rest of the namespace.
    await a.start({ program: image.readFile('/bin/probe'), argv: ['/bin/probe', 'loop'], fds: [] });
    const serverOut = collector();
    const server = await a.exec({
      program: image.readFile('/bin/probe'),
      argv: ['/bin/probe', 'net-server', '8080'],
      fds: [undefined, serverOut.entry, serverOut.entry],
    });
    while (!serverOut.text().includes('listen')) await new Promise((r) => setTimeout(r, 5));
    expect(serverOut.text()).toBe('listen 0\n');
    // another container: its loopback has nothing on 8080 (ECONNREFUSED = 14)
    const other = createContainer(kernel, { rootfs: new OverlayFs([image.root]) });
    const refused = await runIn(other, ['net-client', '8080']);
    expect(refused.text).toBe('connect errno 14\n');
    // the same container: connected
    const client = await runIn(a, ['net-client', '8080'], true);
    expect(client.text).toBe('reply pong: ping\n');
    expect(await server.exited).toEqual({ code: 0 });
    await a.remove();
  });

  it('mounts volumes and a read-only root', async () => {
    const vol = new MemFs();
    vol.writeFile('/data.txt', 'volume data');
    const c = createContainer(kernel, {
      rootfs: new OverlayFs([image.root]),
      readOnlyRoot: true,
      mounts: [{ target: '/vol', fs: vol, fstype: 'tmpfs', source: 'tmpfs' }],
    });
    const fs = c.mnt.view();
    expect(new TextDecoder().decode(fs.readFile('/vol/data.txt'))).toBe('volume data');
    expect(() => fs.writeFile('/etc/new', 'x')).toThrow(/EROFS/);
    fs.writeFile('/vol/new', 'ok');
    expect(vol.stat('/new').size).toBe(2);
  });
});
