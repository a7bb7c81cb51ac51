/** Cgroup limits and RLIMIT_CPU on running programs (Node and Chromium). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kernel } from '../../../src/kernel/proc/kernel.js';
import { exitCode } from '../../../src/kernel/proc/process.js';
import { Signal } from '../../../src/kernel/proc/signals.js';
import type { MemFs } from '../../../src/vfs/memfs.js';
import { newKernel, probeBytes, probeRoot } from './helpers.js';

let kernel: Kernel;
let root: MemFs;
let probe: Uint8Array;

beforeEach(async () => {
  kernel = newKernel();
  root = await probeRoot();
  probe = await probeBytes();
});
afterEach(() => kernel.shutdown());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('memory.max', () => {
  it('OOM-kills a memory hog: 137 and oom_kill 1', async () => {
    const cg = kernel.cgroups.mkdir('hog');
    cg.memoryMax = 32 << 20;
    const events: string[] = [];
    kernel.on((e) => e.type === 'oom' && events.push(e.cgroup));
    const proc = await kernel.spawn({
      program: probe,
      argv: ['probe', 'memhog', String(1 << 20)],
      root,
      cgroup: cg,
    });
    const status = await proc.exited;
    expect(status).toEqual({ signal: Signal.SIGKILL });
    expect(exitCode(status)).toBe(137);
    expect(cg.memoryEvents.oom_kill).toBe(1);
    expect(cg.memoryPeak).toBeGreaterThan(32 << 20);
    expect(events).toEqual(['/hog']);
    expect(cg.memoryCurrent()).toBe(0);
  });
});

describe('pids.max', () => {
  it('holds a fork bomb at pids.max while the kernel still answers', async () => {
    const cg = kernel.cgroups.mkdir('bomb');
    cg.pidsMax = 12;
    const bomb = await kernel.spawn({ program: probe, argv: ['probe', 'forkbomb'], root, cgroup: cg });
    // Wait for the bomb to fill the cgroup (workers start slowly on a loaded machine) …
    const deadline = performance.now() + 15000;
    while (cg.pidsCurrent() < 12 && performance.now() < deadline) await sleep(20);
    expect(cg.pidsCurrent()).toBe(12);
    // … and see it held there while it keeps trying.
    await sleep(200);
    expect(cg.pidsCurrent()).toBe(12);
    expect(cg.pidsEventsMax).toBeGreaterThan(0);
    // The kernel still answers: host calls return at once, and other programs run.
    const t0 = performance.now();
    expect(kernel.list().length).toBeGreaterThanOrEqual(12);
    expect(cg.pidsCurrent()).toBe(12);
    expect(performance.now() - t0).toBeLessThan(50);
    const other = await kernel.spawn({ program: probe, argv: ['probe', 'exit', '4'], root });
    expect(await other.exited).toEqual({ code: 4 });
    // (a new worker must start for it: generous on a loaded machine)
    expect(performance.now() - t0).toBeLessThan(5000);
    kernel.signal(bomb, Signal.SIGKILL);
    for (const c of cg.members) kernel.signal(c, Signal.SIGKILL);
    await sleep(20);
    expect(cg.pidsCurrent()).toBe(0);
  });
});

describe('CPU limits', () => {
  it('kills while(1) at RLIMIT_CPU with SIGXCPU', async () => {
    const t0 = performance.now();
    const proc = await kernel.spawn({ program: probe, argv: ['probe', 'loop'], root, cpuLimitSec: 0.2 });
    expect(await proc.exited).toEqual({ signal: Signal.SIGXCPU });
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(195);
    expect(took).toBeLessThan(3000); // the limit is checked every few ms; slack for a loaded machine
  });

  it('throttles a syscall-heavy program to its cpu.max quota', async () => {
    const cg = kernel.cgroups.mkdir('slow');
    cg.cpuQuotaUs = 4000;
    cg.cpuPeriodUs = 20000;
    const t0 = performance.now();
    const proc = await kernel.spawn({
      program: probe,
      argv: ['probe', 'orc', '5000', '/etc/hostname'],
      root,
      cgroup: cg,
    });
    expect(await proc.exited).toEqual({ code: 0 });
    const wallUs = (performance.now() - t0) * 1000;
    expect(cg.nrThrottled).toBeGreaterThan(0);
    expect(cg.throttledUs).toBeGreaterThan(0);
    // The quota is 20% of each period; it is checked at syscalls and CPU time is
    // approximated by time not blocked, so allow overshoot, but far below unthrottled.
    expect(cg.cpuUsageUs(), `cpu ${cg.cpuUsageUs()} µs of ${wallUs} µs wall`).toBeLessThan(wallUs * 0.5);
  });
});
