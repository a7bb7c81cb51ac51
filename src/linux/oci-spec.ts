/**
 * The OCI runtime-spec (1.0.2) config.json of a container: Docker's defaults for
 * mounts, capabilities and masked paths, its namespaces, its limits and cgroup path.
 */

export interface BindVolume {
  /** Host path. */
  source: string;
  /** Path in the container. */
  target: string;
  readOnly?: boolean;
}

export interface TmpfsMount {
  target: string;
  /** Mount options, e.g. ['size=64m', 'mode=1777']. */
  options?: string[];
}

export interface ProcessSpec {
  args: string[];
  /** NAME=value. */
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  additionalGids?: number[];
  /** A terminal of this size on fds 0–2 (-t). */
  terminal?: { rows: number; cols: number };
}

export interface SpecOptions {
  process: ProcessSpec;
  /** Absolute path of the overlay mount. */
  rootfs: string;
  readOnlyRoot?: boolean;
  hostname: string;
  /**
   * Absolute, e.g. /berth/<id>. Undefined when rootless: runc then skips the cgroups it
   * may not create (with an explicit path it fails instead).
   */
  cgroupsPath?: string;
  memoryBytes?: number;
  pidsLimit?: number;
  /** CPUs as a fraction (Docker's --cpus). */
  cpus?: number;
  volumes?: BindVolume[];
  tmpfs?: TmpfsMount[];
  /** Host files bind-mounted over /etc/hostname and /etc/hosts. */
  etcFiles?: { hostname: string; hosts: string };
  /** The group of /dev/pts terminals (Docker's tty group 5); null: none (an id a user namespace lacks). */
  devptsGid?: number | null;
  /** Hooks, e.g. the one that brings up lo in the new network namespace (see loopbackHook). */
  hooks?: { createContainer?: Hook[]; createRuntime?: Hook[] };
}

/** Docker's default capability set. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

const CPU_PERIOD = 100_000;

export function buildSpec(o: SpecOptions): Record<string, unknown> {
  const caps = DEFAULT_CAPABILITIES;
  const mounts: Record<string, unknown>[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: [
        'nosuid',
        'noexec',
        'newinstance',
        'ptmxmode=0666',
        'mode=0620',
        ...(o.devptsGid === null ? [] : [`gid=${o.devptsGid ?? 5}`]),
      ],
    },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
    },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    {
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'],
    },
  ];
  if (o.etcFiles) {
    mounts.push(
      {
        destination: '/etc/hostname',
        type: 'bind',
        source: o.etcFiles.hostname,
        options: ['rbind', 'rprivate'],
      },
      { destination: '/etc/hosts', type: 'bind', source: o.etcFiles.hosts, options: ['rbind', 'rprivate'] },
    );
  }
  for (const v of o.volumes ?? []) {
    mounts.push({
      destination: v.target,
      type: 'bind',
      source: v.source,
      options: ['rbind', 'rprivate', ...(v.readOnly ? ['ro'] : [])],
    });
  }
  for (const t of o.tmpfs ?? []) {
    mounts.push({
      destination: t.target,
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'nodev', ...(t.options ?? [])],
    });
  }

  const resources: Record<string, unknown> = { devices: [{ allow: false, access: 'rwm' }] };
  if (o.memoryBytes !== undefined) resources.memory = { limit: o.memoryBytes };
  if (o.pidsLimit !== undefined) resources.pids = { limit: o.pidsLimit };
  if (o.cpus !== undefined) resources.cpu = { quota: Math.round(o.cpus * CPU_PERIOD), period: CPU_PERIOD };

  const spec: Record<string, unknown> = {
    ociVersion: '1.0.2',
    process: {
      terminal: o.process.terminal !== undefined,
      ...(o.process.terminal
        ? { consoleSize: { height: o.process.terminal.rows, width: o.process.terminal.cols } }
        : {}),
      user: {
        uid: o.process.uid,
        gid: o.process.gid,
        ...(o.process.additionalGids?.length ? { additionalGids: o.process.additionalGids } : {}),
      },
      args: o.process.args,
      env: o.process.env,
      cwd: o.process.cwd,
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: false,
    },
    root: { path: o.rootfs, readonly: o.readOnlyRoot ?? false },
    hostname: o.hostname,
    mounts,
    linux: {
      ...(o.cgroupsPath === undefined ? {} : { cgroupsPath: o.cgroupsPath }),
      resources,
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/proc/scsi',
        '/sys/firmware',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
  if (o.hooks) spec.hooks = o.hooks;
  return spec;
}

export interface Hook {
  path: string;
  args: string[];
}

/**
 * The hook that brings up lo. A `createContainer` hook runs inside the container's
 * namespaces (network included) but before pivot_root, so the host's `ip` runs there
 * directly: one exec. It also runs inside the container's cgroup, though, where the
 * runtime's own init threads already count against a pids limit and the exec can fail
 * (EAGAIN): with a pids limit, a `createRuntime` hook runs outside instead, reading the
 * pid from the state JSON on its stdin (sh + nsenter + ip, ~35 ms more here).
 */
export function loopbackHook(
  ip: string,
  nsenter: string | undefined,
  pidsLimited: boolean,
): { createContainer?: Hook[]; createRuntime?: Hook[] } | undefined {
  if (!pidsLimited) return { createContainer: [{ path: ip, args: ['ip', 'link', 'set', 'lo', 'up'] }] };
  if (nsenter === undefined) return undefined;
  const script =
    'read -r s || :; p=${s#*\\"pid\\":}; p=${p# }; p=${p%%[!0-9]*}; ' +
    `exec ${nsenter} --net=/proc/$p/ns/net ${ip} link set lo up`;
  return { createRuntime: [{ path: '/bin/sh', args: ['sh', '-c', script] }] };
}
