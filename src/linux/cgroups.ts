/**
 * The host's cgroup hierarchies, read from /proc/self/mountinfo: pure cgroup v2, v1, or
 * hybrid (v1 controllers plus a cgroup2 at /sys/fs/cgroup/unified). A container's cgroup
 * is an absolute path (`/berth/<id>`) that the OCI runtime creates in every hierarchy;
 * this module reads its limits' counters (OOM kills, memory, pids, cpu) and removes what
 * a runtime left.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupMount {
  /** Mount point on the host. */
  path: string;
  version: 1 | 2;
  /** v1: the controllers of this hierarchy (e.g. ['cpu','cpuacct'], ['name=systemd']). */
  controllers: string[];
}

export interface CgroupLayout {
  kind: 'v1' | 'v2' | 'hybrid';
  mounts: CgroupMount[];
  /** Controllers enabled in the cgroup2 hierarchy (hybrid: crun refuses when non-empty). */
  v2Controllers: string[];
}

/** Unescape mountinfo's octal escapes (\040 for a space…). */
export function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export interface MountInfoEntry {
  mountPoint: string;
  fstype: string;
  source: string;
  superOptions: string;
}

export function readMountInfo(file = '/proc/self/mountinfo'): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const f = left.split(' ');
    const [fstype, source, superOptions] = right.split(' ');
    out.push({
      mountPoint: unescapeMountPath(f[4] ?? ''),
      fstype: fstype ?? '',
      source: source ?? '',
      superOptions: superOptions ?? '',
    });
  }
  return out;
}

let cached: CgroupLayout | undefined;

export function cgroupLayout(): CgroupLayout {
  if (cached) return cached;
  const mounts: CgroupMount[] = [];
  for (const m of readMountInfo()) {
    if (m.fstype === 'cgroup2') mounts.push({ path: m.mountPoint, version: 2, controllers: [] });
    else if (m.fstype === 'cgroup') {
      const known =
        /^(?:rw|ro|nosuid|nodev|noexec|relatime|noatime|clone_children|xattr|nsdelegate|release_agent=.*)$/;
      mounts.push({
        path: m.mountPoint,
        version: 1,
        controllers: m.superOptions.split(',').filter((o) => !known.test(o)),
      });
    }
  }
  const v1 = mounts.some((m) => m.version === 1);
  const v2 = mounts.find((m) => m.version === 2);
  let v2Controllers: string[] = [];
  if (v2) {
    try {
      v2Controllers = readFileSync(join(v2.path, 'cgroup.controllers'), 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
    } catch {
      // unreadable: treat as none
    }
  }
  cached = { kind: v1 && v2 ? 'hybrid' : v1 ? 'v1' : 'v2', mounts, v2Controllers };
  return cached;
}

function checkPath(cgroupPath: string): void {
  if (!cgroupPath.startsWith('/') || cgroupPath.split('/').includes('..')) {
    throw new Error(`cgroup path '${cgroupPath}' must be absolute without '..'`);
  }
}

/** The directory of `cgroupPath` in the hierarchy holding `controller` (v2 where v1 lacks it). */
function dirFor(layout: CgroupLayout, cgroupPath: string, controller: string): string | undefined {
  checkPath(cgroupPath);
  const m =
    layout.kind === 'v2'
      ? layout.mounts.find((x) => x.version === 2)
      : layout.mounts.find((x) => x.version === 1 && x.controllers.includes(controller));
  return m ? join(m.path, cgroupPath) : undefined;
}

function readText(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function keyed(text: string | undefined, key: string): number | undefined {
  const m = text === undefined ? null : new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

function num(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return t === 'max' ? Infinity : /^\d+$/.test(t) ? Number(t) : undefined;
}

/** How many times the kernel's OOM killer killed a process in the cgroup (0 if unknown). */
export function oomKills(layout: CgroupLayout, cgroupPath: string): number {
  const dir = dirFor(layout, cgroupPath, 'memory');
  if (dir === undefined) return 0;
  const text =
    layout.kind === 'v2' ? readText(join(dir, 'memory.events')) : readText(join(dir, 'memory.oom_control'));
  return keyed(text, 'oom_kill') ?? 0;
}

export interface CgroupStats {
  memoryBytes?: number;
  memoryLimit?: number;
  pids?: number;
  pidsLimit?: number;
  /** CPU time used, nanoseconds. */
  cpuNs?: number;
}

export function cgroupStats(layout: CgroupLayout, cgroupPath: string): CgroupStats {
  const mem = dirFor(layout, cgroupPath, 'memory');
  const pids = dirFor(layout, cgroupPath, 'pids');
  const s: CgroupStats = {};
  if (layout.kind === 'v2') {
    s.memoryBytes = num(readText(mem && join(mem, 'memory.current')));
    s.memoryLimit = num(readText(mem && join(mem, 'memory.max')));
    const usec = keyed(readText(mem && join(mem, 'cpu.stat')), 'usage_usec');
    if (usec !== undefined) s.cpuNs = usec * 1000;
  } else {
    s.memoryBytes = num(readText(mem && join(mem, 'memory.usage_in_bytes')));
    const limit = num(readText(mem && join(mem, 'memory.limit_in_bytes')));
    // v1 says "no limit" with a huge page-rounded number.
    s.memoryLimit = limit !== undefined && limit >= 2 ** 62 ? Infinity : limit;
    const acct = dirFor(layout, cgroupPath, 'cpuacct');
    s.cpuNs = num(readText(acct && join(acct, 'cpuacct.usage')));
  }
  s.pids = num(readText(pids && join(pids, 'pids.current')));
  s.pidsLimit = num(readText(pids && join(pids, 'pids.max')));
  return s;
}

/** Every existing directory of `cgroupPath`, in all hierarchies. */
export function cgroupDirs(layout: CgroupLayout, cgroupPath: string): string[] {
  checkPath(cgroupPath);
  return layout.mounts.map((m) => join(m.path, cgroupPath)).filter((d) => existsSync(d));
}

/** rmdir `cgroupPath` (and empty child cgroups) in every hierarchy; returns what is left. */
export function removeCgroup(layout: CgroupLayout, cgroupPath: string): string[] {
  const left: string[] = [];
  const rm = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rm(join(dir, e.name));
    try {
      rmdirSync(dir);
    } catch {
      left.push(dir);
    }
  };
  for (const dir of cgroupDirs(layout, cgroupPath)) rm(dir);
  return left;
}

/** v1: how often the cgroup's usage hit its memory limit (memory.failcnt); 0 on v2 or if unknown. */
export function memoryLimitHits(layout: CgroupLayout, cgroupPath: string): number {
  if (layout.kind === 'v2') return 0;
  const dir = dirFor(layout, cgroupPath, 'memory');
  return num(readText(dir && join(dir, 'memory.failcnt'))) ?? 0;
}

/** Host pids of every process in `cgroupPath` and the cgroups below it (pids hierarchy). */
export function cgroupPids(layout: CgroupLayout, cgroupPath: string): number[] {
  const top = dirFor(layout, cgroupPath, 'pids');
  const out: number[] = [];
  const walk = (dir: string): void => {
    for (const line of (readText(join(dir, 'cgroup.procs')) ?? '').split('\n'))
      if (/^\d+$/.test(line)) out.push(Number(line));
    let entries: string[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      return;
    }
    for (const e of entries) walk(join(dir, e));
  };
  if (top !== undefined && existsSync(top)) walk(top);
  return [...new Set(out)].sort((a, b) => a - b);
}
