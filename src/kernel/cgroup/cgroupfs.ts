/**
 * cgroup2fs: the /sys/fs/cgroup tree of a cgroup namespace, with the interface files of
 * the memory, pids and cpu controllers. Writing a limit file sets the limit; writing a
 * pid to cgroup.procs moves that process; mkdir makes a child cgroup and rmdir removes an
 * empty one — so a shell can build a container's cgroup by hand, as on Linux.
 */
import { FsError } from '../../vfs/errno.js';
import { makedev } from '../../vfs/inode.js';
import { inoFor, inoForObject, SyntheticFs, type SynNode } from '../mnt/synthetic-fs.js';
import type { Kernel } from '../proc/kernel.js';
import type { Process } from '../proc/process.js';
import { parseLimit, renderLimit, type Cgroup } from './cgroup.js';

const text = (b: string): string => b.replace(/\n$/, '').trim();

export function createCgroupFs(kernel: Kernel, nsRoot: Cgroup<Process>): SyntheticFs {
  const viewerLevel = (): number => kernel.current?.ns.pid.level ?? 0;

  const dir = (c: Cgroup<Process>): SynNode => {
    const key = `cg:${inoForObject(c)}`;
    const file = (name: string, read: () => string, write?: (s: string) => void): [string, SynNode] => [
      name,
      {
        kind: 'file',
        ino: inoFor(`${key}:${name}`),
        mode: write ? 0o644 : 0o444,
        read,
        write: write ? (b) => write(new TextDecoder().decode(b)) : undefined,
      },
    ];
    const isTop = c.parent === null;
    const entries = (): [string, SynNode][] => {
      const out: [string, SynNode][] = [
        file(
          'cgroup.procs',
          () => {
            const level = viewerLevel();
            return [...c.members]
              .filter((p) => p.alive)
              .map((p) => p.pidAt(level))
              .filter((pid) => pid > 0)
              .sort((a, b) => a - b)
              .map((pid) => `${pid}\n`)
              .join('');
          },
          (s) => {
            const pid = Number(text(s));
            const me = kernel.current;
            const members = (me?.ns.pid ?? kernel.initialNs.pid).members as Map<number, Process>;
            const target = pid === 0 ? me : members.get(pid);
            if (!Number.isInteger(pid) || target === undefined || target === null)
              throw new FsError('ESRCH', 'write');
            kernel.moveToCgroup(target, c);
          },
        ),
        file('cgroup.controllers', () => 'cpu memory pids\n'),
        file(
          'cgroup.subtree_control',
          () => 'cpu memory pids\n',
          () => {},
        ),
        file('cgroup.type', () => 'domain\n'),
        file('memory.current', () => `${c.memoryCurrent()}\n`),
        file('memory.stat', () => `anon ${c.memoryCurrent()}\nfile 0\n`),
        file('pids.current', () => `${c.pidsCurrent()}\n`),
        file('cpu.stat', () => {
          const usage = c.cpuUsageUs();
          return `usage_usec ${usage}\nuser_usec ${usage}\nsystem_usec 0\nnr_periods ${c.nrPeriods}\nnr_throttled ${c.nrThrottled}\nthrottled_usec ${c.throttledUs}\n`;
        }),
      ];
      if (!isTop)
        out.push(
          file(
            'memory.max',
            () => `${renderLimit(c.memoryMax)}\n`,
            (s) => {
              c.memoryMax = parseLimit(text(s));
              for (const p of c.members) kernel.watchLimits(p);
            },
          ),
          file(
            'memory.high',
            () => `${renderLimit(c.memoryHigh)}\n`,
            (s) => (c.memoryHigh = parseLimit(text(s))),
          ),
          file('memory.peak', () => `${c.memoryPeak}\n`),
          file(
            'memory.events',
            () =>
              `low ${c.memoryEvents.low}\nhigh ${c.memoryEvents.high}\nmax ${c.memoryEvents.max}\noom ${c.memoryEvents.oom}\noom_kill ${c.memoryEvents.oom_kill}\noom_group_kill 0\n`,
          ),
          file(
            'pids.max',
            () => `${renderLimit(c.pidsMax)}\n`,
            (s) => {
              c.pidsMax = parseLimit(text(s));
              for (const p of c.members) kernel.watchLimits(p);
            },
          ),
          file('pids.events', () => `max ${c.pidsEventsMax}\n`),
          file(
            'cpu.max',
            () => `${renderLimit(c.cpuQuotaUs)} ${c.cpuPeriodUs}\n`,
            (s) => {
              const [quota, period] = text(s).split(/\s+/);
              const q = parseLimit(quota ?? '');
              const p = period === undefined ? c.cpuPeriodUs : Number(period);
              if (!Number.isInteger(p) || p < 1000 || p > 1000000) throw new FsError('EINVAL', 'write');
              c.cpuQuotaUs = q;
              c.cpuPeriodUs = p;
              for (const m of c.members) kernel.watchLimits(m);
            },
          ),
        );
      for (const [name, child] of c.children) out.push([name, dir(child)]);
      return out;
    };
    return {
      kind: 'dir',
      mode: 0o755,
      ino: inoFor(key),
      entries,
      mkdir: (name) => void c.mkdir(name),
      rmdir: (name) => {
        const child = c.children.get(name);
        if (child === undefined) throw new FsError('ENOENT', 'rmdir');
        child.rmdir();
      },
    };
  };
  return new SyntheticFs(dir(nsRoot) as Extract<SynNode, { kind: 'dir' }>, makedev(0, 26));
}
