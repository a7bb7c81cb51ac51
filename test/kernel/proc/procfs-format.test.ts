/**
 * berth's /proc files against this machine's real ones (Node only: reads the host's
 * /proc): same layout — field counts, key order, line shapes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContainer, type Container } from '../../../src/kernel/container.js';
import type { Kernel } from '../../../src/kernel/proc/kernel.js';
import type { Process } from '../../../src/kernel/proc/process.js';
import { OverlayFs } from '../../../src/vfs/overlay.js';
import { newKernel, probeRoot } from './helpers.js';

let kernel: Kernel;
let box: Container;
let init: Process;
const text = (p: string) => new TextDecoder().decode(box.mnt.view().readFile(p));

beforeAll(async () => {
  kernel = newKernel();
  const image = await probeRoot();
  box = createContainer(kernel, { rootfs: new OverlayFs([image.root]) });
  init = await box.start({ program: image.readFile('/bin/probe'), argv: ['/bin/probe', 'loop'], fds: [] });
  kernel.current = init;
});
afterAll(() => {
  kernel.current = null;
  kernel.shutdown();
});

it('/proc/<pid>/stat has the 52 fields of Linux, comm in parentheses', () => {
  const host = readFileSync('/proc/self/stat', 'utf8').trim();
  const ours = text('/proc/1/stat').trim();
  const fields = (s: string) => s.replace(/\(.*\)/, '(comm)').split(' ');
  expect(fields(ours).length).toBe(fields(host).length);
  expect(ours).toMatch(/^1 \(probe\) [RS] 0 /);
});

it('/proc/<pid>/status keys come in Linux order, tab-separated', () => {
  const keys = (s: string) =>
    s
      .trim()
      .split('\n')
      .map((l) => l.slice(0, l.indexOf(':')));
  const hostKeys = keys(readFileSync('/proc/self/status', 'utf8'));
  const ourKeys = keys(text('/proc/1/status'));
  for (const k of ourKeys) expect(hostKeys, k).toContain(k);
  const positions = ourKeys.map((k) => hostKeys.indexOf(k));
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  for (const line of text('/proc/1/status').trim().split('\n')) expect(line).toMatch(/^[A-Za-z_]+:\t/);
});

it('mountinfo and mounts lines have Linux shape', () => {
  const shape = /^\d+ \d+ \d+:\d+ \S+ \S+ \S+( \S+:\S+)* - \S+ \S+ \S+$/;
  for (const l of readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n').slice(0, 5))
    expect(l).toMatch(shape);
  for (const l of text('/proc/1/mountinfo').trim().split('\n')) expect(l).toMatch(shape);
  const mountsShape = /^\S+ \S+ \S+ \S+ 0 0$/;
  for (const l of readFileSync('/proc/self/mounts', 'utf8').trim().split('\n').slice(0, 5))
    expect(l).toMatch(mountsShape);
  for (const l of text('/proc/mounts').trim().split('\n')) expect(l).toMatch(mountsShape);
});

it('ns links, cgroup, uptime and meminfo read like the host', () => {
  const link = /^[a-z_]+:\[\d+\]$/;
  expect(box.mnt.view().readlink('/proc/1/ns/pid')).toMatch(link);
  expect(text('/proc/1/cgroup')).toMatch(/^0::\/.*\n$/);
  expect(text('/proc/uptime')).toMatch(/^\d+\.\d\d \d+\.\d\d\n$/);
  expect(readFileSync('/proc/uptime', 'utf8')).toMatch(/^\d+\.\d\d \d+\.\d\d\n$/);
  // Linux: the label padded to 16 columns, the number right-aligned in 8, then " kB".
  const first = (s: string) => s.split('\n')[0]!;
  for (const line of [first(text('/proc/meminfo')), first(readFileSync('/proc/meminfo', 'utf8'))]) {
    expect(line).toMatch(/^MemTotal: +\d+ kB$/);
    expect(line.indexOf(' kB')).toBe(24);
  }
});

it('refuses changes with the errno the real /proc gives', async () => {
  const fs = await import('node:fs');
  const hostErr = (f: () => unknown): string => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return (e as NodeJS.ErrnoException).code ?? '?';
    }
  };
  const ours = (f: () => unknown): string => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return (e as { code?: string }).code ?? '?';
    }
  };
  const v = box.mnt.view();
  expect(ours(() => v.mkdir('/proc/berth-new'))).toBe(hostErr(() => fs.mkdirSync('/proc/berth-new')));
  expect(ours(() => v.symlink('x', '/proc/berth-new'))).toBe(
    hostErr(() => fs.symlinkSync('x', '/proc/berth-new')),
  );
  expect(ours(() => v.writeFile('/proc/berth-new', 'x'))).toBe(
    hostErr(() => fs.writeFileSync('/proc/berth-new', 'x')),
  );
  expect(ours(() => v.unlink('/proc/uptime'))).toBe(hostErr(() => fs.unlinkSync('/proc/uptime')));
  expect(ours(() => v.getxattr('/proc/uptime', 'user.x'))).toBe('EOPNOTSUPP');
});
