/**
 * procfs for one pid namespace: /proc/<pid>/… for every process the namespace can see,
 * /proc/self, and the system files. It reads the kernel live on every lookup, like Linux.
 */
import { makedev } from '../../vfs/inode.js';
import type { Kernel } from '../proc/kernel.js';
import type { Process } from '../proc/process.js';
import type { PidNamespace } from '../ns/pid-namespace.js';
import { MountNamespace } from '../mnt/mount-namespace.js';
import { inoFor, inoForObject, SyntheticFs, type SynNode } from '../mnt/synthetic-fs.js';
import { cgroupFile, cmdlineFile, environFile, statFile, statusFile } from './process-files.js';
import { cpuinfoFile, loadavgFile, meminfoFile, uptimeFile, versionFile } from './system-files.js';
import type { Entry } from '../wasi/host.js';

/** What an fd link in /proc/<pid>/fd reads as. */
function fdTarget(e: Entry): string {
  if (e.type === 'file') return e.preopen ?? e.path;
  if (e.filetype === 0) return `pipe:[${e.queue ? inoForObject(e.queue) : 0}]`;
  return '/dev/pts/0';
}

const NS_KINDS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'user', 'uts'] as const;

export function createProcFs(kernel: Kernel, pidns: PidNamespace<Process>): SyntheticFs {
  const level = pidns.level;
  const file = (key: string, read: () => string, write?: (s: string) => void): SynNode => ({
    kind: 'file',
    ino: inoFor(key),
    mode: write ? 0o644 : 0o444,
    read,
    write: write ? (b) => write(new TextDecoder().decode(b)) : undefined,
  });
  const link = (key: string, target: () => string): SynNode => ({
    kind: 'symlink',
    ino: inoFor(key),
    target,
  });
  const viewer = (): Process | null => kernel.current;

  const processDir = (p: Process): SynNode => {
    const key = `proc:${p.hostPid}`;
    const entries = (): [string, SynNode][] => [
      ['status', file(`${key}:status`, () => statusFile(p, level, viewer()?.ns.user))],
      ['stat', file(`${key}:stat`, () => statFile(p, level, kernel.bootTime))],
      ['cmdline', file(`${key}:cmdline`, () => cmdlineFile(p))],
      ['comm', file(`${key}:comm`, () => p.comm + '\n')],
      ['environ', file(`${key}:environ`, () => environFile(p))],
      ['cgroup', file(`${key}:cgroup`, () => cgroupFile(p, viewer()?.cgroupNsRoot ?? '/'))],
      [
        'mounts',
        file(`${key}:mounts`, () =>
          p.ns.mnt instanceof MountNamespace ? p.ns.mnt.renderMounts(p.rootPath) : '',
        ),
      ],
      [
        'mountinfo',
        file(`${key}:mountinfo`, () =>
          p.ns.mnt instanceof MountNamespace ? p.ns.mnt.renderMountinfo(p.rootPath) : '',
        ),
      ],
      ['cwd', link(`${key}:cwd`, () => p.cwd)],
      ['root', link(`${key}:root`, () => '/')],
      ['exe', link(`${key}:exe`, () => p.exe ?? p.argv[0] ?? '')],
      [
        'fd',
        {
          kind: 'dir',
          mode: 0o500,
          ino: inoFor(`${key}:fd`),
          entries: () =>
            (p.wasi?.fds ?? []).flatMap((e, fd): [string, SynNode][] =>
              e === undefined
                ? []
                : [[String(fd), { ...link(`${key}:fd:${fd}`, () => fdTarget(e)), mode: 0o700 }]],
            ),
        },
      ],
      [
        'ns',
        {
          kind: 'dir',
          mode: 0o511,
          ino: inoFor(`${key}:ns`),
          entries: () =>
            NS_KINDS.map((k): [string, SynNode] => [
              k,
              link(`${key}:ns:${k}`, () =>
                k === 'pid_for_children' ? `pid:[${(p.childPidNs ?? p.ns.pid).inode}]` : p.ns[k].link,
              ),
            ]),
        },
      ],
    ];
    return { kind: 'dir', mode: 0o555, ino: inoFor(key), entries };
  };

  const root = (): [string, SynNode][] => {
    const out: [string, SynNode][] = [];
    for (const [pid, p] of [...pidns.members.entries()].sort((a, b) => a[0] - b[0]))
      if (p.state !== 'reaped') out.push([String(pid), processDir(p)]);
    const me = viewer();
    out.push(
      ['self', link('proc:self', () => String(me?.pidAt(level) ?? 0))],
      ['mounts', link('proc:mounts', () => 'self/mounts')],
      [
        'meminfo',
        file('proc:meminfo', () => {
          const cg = me?.cgroup;
          const limit = cg && cg.memoryMax !== Infinity ? cg.memoryMax : kernel.memoryTotal;
          return meminfoFile(limit, cg ? cg.memoryCurrent() : 0);
        }),
      ],
      ['uptime', file('proc:uptime', () => uptimeFile(performance.now() - kernel.bootTime, 0))],
      ['cpuinfo', file('proc:cpuinfo', () => cpuinfoFile(kernel.cpus))],
      ['version', file('proc:version', () => versionFile())],
      [
        'loadavg',
        file('proc:loadavg', () => loadavgFile(1, pidns.members.size, Math.max(0, ...pidns.members.keys()))),
      ],
      [
        'sys',
        {
          kind: 'dir',
          ino: inoFor('proc:sys'),
          entries: () => [
            [
              'kernel',
              {
                kind: 'dir',
                ino: inoFor('proc:sys:kernel'),
                entries: () => [
                  [
                    'hostname',
                    file(
                      'proc:sys:kernel:hostname',
                      () => (me?.ns.uts.hostname ?? '') + '\n',
                      (s) => {
                        if (me) me.ns.uts.hostname = s.replace(/\n$/, '');
                      },
                    ),
                  ],
                  ['ostype', file('proc:sys:kernel:ostype', () => 'Linux\n')],
                  ['pid_max', file('proc:sys:kernel:pid_max', () => '4194304\n')],
                ],
              },
            ],
          ],
        },
      ],
    );
    return out;
  };
  return new SyntheticFs(
    { kind: 'dir', mode: 0o555, ino: inoFor(`proc:/:${pidns.inode}`), entries: root },
    makedev(0, 22),
  );
}
