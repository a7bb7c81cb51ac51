/**
 * Containers on the emulated kernel, built from the same primitives a process can use —
 * the way runc builds one on Linux: new pid, uts, ipc, net, mount and cgroup namespaces,
 * a cgroup with the limits, and a mount table with the root filesystem at `/`, proc at
 * /proc, a devtmpfs at /dev, cgroup2 at /sys/fs/cgroup, volumes and bind mounts, and
 * /etc/hostname and /etc/hosts bind-mounted from files written as Docker writes them.
 */
import { FsError, isFsError } from '../vfs/errno.js';
import type { FileSystem } from '../vfs/filesystem.js';
import { S_IFDIR, S_IFMT } from '../vfs/inode.js';
import { MemFs } from '../vfs/memfs.js';
import { OverlayFs } from '../vfs/overlay.js';
import { TmpFs } from '../vfs/tmpfs.js';
import { treeBytes } from '../vfs/usage.js';
import type { Cgroup } from './cgroup/cgroup.js';
import { createCgroupFs } from './cgroup/cgroupfs.js';
import { createDevFs } from './mnt/devfs.js';
import { MountNamespace } from './mnt/mount-namespace.js';
import { SyntheticFs, inoFor } from './mnt/synthetic-fs.js';
import { Namespace, UserNamespace, type IdMapping, type NamespaceSet } from './ns/namespace.js';
import { UtsNamespace } from './ns/namespace.js';
import { PidNamespace } from './ns/pid-namespace.js';
import type { Kernel, SpawnOptions } from './proc/kernel.js';
import type { ExitStatus, Process } from './proc/process.js';
import { Signal } from './proc/signals.js';
import { createProcFs } from './procfs/procfs.js';

export interface ContainerMount {
  target: string;
  fs: FileSystem;
  /** Directory of `fs` to mount (default '/'). */
  root?: string;
  readOnly?: boolean;
  /** Shown in /proc/mounts (default 'bind' / the source 'none'). */
  fstype?: string;
  source?: string;
}

export interface ContainerLimits {
  memoryBytes?: number;
  pids?: number;
  /** cpu.max quota per period, µs. */
  cpuQuotaUs?: number;
  cpuPeriodUs?: number;
  /** RLIMIT_CPU of its processes, seconds. */
  cpuSeconds?: number;
}

export interface ContainerTmpfs {
  target: string;
  /** size= in bytes (ENOSPC past it); default unlimited (memory.max still applies). */
  sizeBytes?: number;
}

export interface ContainerOptions {
  /** The root filesystem (an OverlayFs over image layers, usually). */
  rootfs: FileSystem;
  /** How / appears in /proc/mounts (default: overlay). */
  rootfsMount?: { fstype: string; source: string; options?: string };
  readOnlyRoot?: boolean;
  name?: string;
  /** Default: the first 12 characters of the id, as Docker does. */
  hostname?: string;
  mounts?: ContainerMount[];
  /** tmpfs mounts (docker run --tmpfs). */
  tmpfs?: ContainerTmpfs[];
  limits?: ContainerLimits;
  /** A user namespace with these maps (root inside = `outside` in the host view). */
  userns?: { uidMap: IdMapping[]; gidMap: IdMapping[] };
}

/** The /etc/hosts Docker writes for a container with no network but loopback. */
/** /hostname and /hosts as Docker writes them, in a small filesystem to bind-mount at /etc. */
export function etcFiles(hostname: string): MemFs {
  const etc = new MemFs();
  etc.writeFile('/hostname', `${hostname}\n`);
  etc.writeFile('/hosts', dockerHosts());
  return etc;
}

export function dockerHosts(): string {
  return [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::\tip6-localnet',
    'ff00::\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    '',
  ].join('\n');
}

let containerCount = 0;

function randomId(): string {
  const b = new Uint8Array(32);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** mkdir -p in `fs`, ignoring what exists. */
function ensureDir(fs: FileSystem, path: string): void {
  let at = '';
  for (const part of path.split('/').filter(Boolean)) {
    at += '/' + part;
    try {
      fs.mkdir(at, 0o755);
    } catch (e) {
      if (!isFsError(e, 'EEXIST')) throw e;
    }
  }
}

function ensureFile(fs: FileSystem, path: string): void {
  try {
    fs.lstat(path);
  } catch (e) {
    if (!isFsError(e, 'ENOENT')) throw e;
    ensureDir(fs, path.slice(0, path.lastIndexOf('/')) || '/');
    fs.writeFile(path, '', { mode: 0o644 });
  }
}

export class Container {
  readonly id = randomId();
  readonly name: string;
  readonly cgroup: Cgroup<Process>;
  readonly ns: NamespaceSet;
  readonly mnt: MountNamespace;
  /** The process with PID 1 inside, once started. */
  init: Process | null = null;

  constructor(
    private readonly kernel: Kernel,
    opts: ContainerOptions,
  ) {
    this.name = opts.name ?? `berth-${++containerCount}`;
    const hostname = opts.hostname ?? this.id.slice(0, 12);
    const parent = kernel.cgroups.children.get('berth') ?? kernel.cgroups.mkdir('berth');
    this.cgroup = parent.mkdir(this.id.slice(0, 12));
    const l = opts.limits ?? {};
    if (l.memoryBytes !== undefined) this.cgroup.memoryMax = l.memoryBytes;
    if (l.pids !== undefined) this.cgroup.pidsMax = l.pids;
    if (l.cpuQuotaUs !== undefined) this.cgroup.cpuQuotaUs = l.cpuQuotaUs;
    if (l.cpuPeriodUs !== undefined) this.cgroup.cpuPeriodUs = l.cpuPeriodUs;
    this.cpuSeconds = l.cpuSeconds;

    const rootfs = opts.rootfs;
    for (const d of ['/proc', '/dev', '/sys', '/etc']) ensureDir(rootfs, d);
    ensureFile(rootfs, '/etc/hostname');
    ensureFile(rootfs, '/etc/hosts');
    const pid = new PidNamespace<Process>(kernel.initialNs.pid as PidNamespace<Process>);
    const rm = opts.rootfsMount ?? { fstype: 'overlay', source: 'overlay', options: 'relatime' };
    this.mnt = new MountNamespace({
      fs: rootfs,
      fstype: rm.fstype,
      source: rm.source,
      options: rm.options,
      readOnly: opts.readOnlyRoot,
    });
    this.ns = {
      pid,
      uts: new UtsNamespace(hostname),
      ipc: new Namespace('ipc', false),
      net: new Namespace('net', false),
      mnt: this.mnt,
      cgroup: new Namespace('cgroup', false),
      time: kernel.initialNs.time,
      user: opts.userns
        ? new UserNamespace(kernel.initialNs.user, opts.userns.uidMap, opts.userns.gidMap)
        : kernel.initialNs.user,
    };
    const m = this.mnt;
    m.mount('/proc', {
      fs: createProcFs(kernel, pid),
      fstype: 'proc',
      source: 'proc',
      options: 'nosuid,nodev,noexec,relatime',
    });
    const dev = createDevFs({ fdOf: (fd) => kernel.current?.wasi.fds[fd] });
    m.mount('/dev', { fs: dev, fstype: 'tmpfs', source: 'tmpfs', options: 'nosuid,size=65536k,mode=755' });
    const shm = new MemFs();
    m.mount('/dev/shm', {
      fs: shm,
      fstype: 'tmpfs',
      source: 'shm',
      options: 'nosuid,nodev,noexec,relatime,size=65536k',
    });
    const sys = new SyntheticFs({
      kind: 'dir',
      ino: inoFor(`sys:${this.id}`),
      entries: () => [
        [
          'fs',
          {
            kind: 'dir',
            ino: inoFor(`sys:fs:${this.id}`),
            entries: () => [
              ['cgroup', { kind: 'dir', ino: inoFor(`sys:fs:cgroup:${this.id}`), entries: () => [] }],
            ],
          },
        ],
      ],
    });
    m.mount('/sys', {
      fs: sys,
      fstype: 'sysfs',
      source: 'sysfs',
      readOnly: true,
      options: 'nosuid,nodev,noexec,relatime',
    });
    m.mount('/sys/fs/cgroup', {
      fs: createCgroupFs(kernel, this.cgroup),
      fstype: 'cgroup2',
      source: 'cgroup',
      options: 'nosuid,nodev,noexec,relatime',
    });
    const etc = etcFiles(hostname);
    // Docker bind-mounts these from the container's directory; so do we, from a MemFs.
    for (const f of ['hostname', 'hosts'])
      m.mount(`/etc/${f}`, { fs: etc, root: `/${f}`, fstype: 'tmpfs', source: 'tmpfs', options: 'relatime' });
    // Memory the container's files hold counts toward memory.max, as tmpfs pages do on Linux.
    if (rootfs instanceof OverlayFs) this.cgroup.charges.add(() => treeBytes(rootfs.upper));
    this.cgroup.charges.add(() => treeBytes(shm.root));
    for (const t of opts.tmpfs ?? []) {
      const fs = t.sizeBytes === undefined ? new MemFs() : new TmpFs(t.sizeBytes);
      ensureDir(rootfs, t.target);
      const size = t.sizeBytes === undefined ? '' : `,size=${Math.ceil(t.sizeBytes / 1024)}k`;
      m.mount(t.target, {
        fs,
        fstype: 'tmpfs',
        source: 'tmpfs',
        options: `nosuid,nodev,noexec,relatime${size}`,
      });
      this.cgroup.charges.add(() => treeBytes(fs.root));
    }
    for (const mount of opts.mounts ?? []) {
      if (mount.fs instanceof MemFs && mount.fstype === 'tmpfs') {
        const tmp = mount.fs;
        this.cgroup.charges.add(() => treeBytes(tmp.root));
      }
      // a file is bind-mounted onto a file: Docker makes an empty one where none is
      if ((mount.fs.stat(mount.root ?? '/').mode & S_IFMT) === S_IFDIR) ensureDir(rootfs, mount.target);
      else ensureFile(rootfs, mount.target);
      m.mount(mount.target, {
        fs: mount.fs,
        root: mount.root,
        readOnly: mount.readOnly,
        fstype: mount.fstype ?? 'bind',
        source: mount.source ?? 'none',
      });
    }
  }

  private readonly cpuSeconds: number | undefined;

  get hostname(): string {
    return this.ns.uts.hostname;
  }

  private spawnIn(spec: Omit<SpawnOptions, 'root' | 'ns' | 'cgroup'>): Promise<Process> {
    return this.kernel.spawn({
      ...spec,
      root: this.mnt.view(),
      ns: this.ns,
      cgroup: this.cgroup,
      cpuLimitSec: this.cpuSeconds,
      cgroupNsRoot: this.cgroup.path,
      parent: null,
    });
  }

  /** Start the container's first process: PID 1 inside. */
  async start(spec: Omit<SpawnOptions, 'root' | 'ns' | 'cgroup'>): Promise<Process> {
    if (this.init !== null) throw new FsError('EBUSY', 'start');
    this.init = await this.spawnIn(spec);
    return this.init;
  }

  /** Run another process in the container's namespaces and cgroup (docker exec). */
  exec(spec: Omit<SpawnOptions, 'root' | 'ns' | 'cgroup'>): Promise<Process> {
    if (this.init === null || !this.init.alive) throw new FsError('ESRCH', 'exec');
    return this.spawnIn(spec);
  }

  /** Send a signal to PID 1 (docker kill); from outside, so SIGKILL/SIGTERM are not ignored. */
  signal(sig: number = Signal.SIGKILL): void {
    if (this.init !== null) this.kernel.signal(this.init, sig);
  }

  wait(): Promise<ExitStatus> {
    if (this.init === null) throw new FsError('ESRCH', 'wait');
    return this.init.exited;
  }

  /** Its processes as pid inside → process. */
  processes(): { pid: number; hostPid: number; proc: Process }[] {
    return this.kernel
      .list(this.ns.pid as PidNamespace<Process>)
      .map(({ pid, proc }) => ({ pid, hostPid: proc.hostPid, proc }));
  }

  stats(): {
    memoryBytes: number;
    memoryPeak: number;
    memoryMax: number;
    pids: number;
    pidsMax: number;
    cpuUsageUs: number;
    oomKills: number;
  } {
    const c = this.cgroup;
    return {
      memoryBytes: c.memoryCurrent(),
      memoryPeak: c.memoryPeak,
      memoryMax: c.memoryMax,
      pids: c.pidsCurrent(),
      pidsMax: c.pidsMax,
      cpuUsageUs: c.cpuUsageUs(),
      oomKills: c.memoryEvents.oom_kill,
    };
  }

  /** Kill what still runs and remove the cgroup (docker rm -f). */
  async remove(): Promise<void> {
    for (const { proc } of this.processes()) this.kernel.kill(proc, Signal.SIGKILL);
    if (this.init !== null) await this.init.exited;
    try {
      this.cgroup.rmdir();
    } catch (e) {
      if (!isFsError(e, 'EBUSY')) throw e;
    }
  }
}

/** Create a container (not started). */
export function createContainer(kernel: Kernel, opts: ContainerOptions): Container {
  return new Container(kernel, opts);
}
