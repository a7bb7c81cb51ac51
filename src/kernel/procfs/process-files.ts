/**
 * The text of /proc/<pid>/* files, laid out as Linux prints them. `level` is the pid
 * namespace level of the procfs instance (the namespace it was mounted for): pids are
 * shown as that namespace numbers them.
 */
import type { UserNamespace } from '../ns/namespace.js';
import type { Process } from '../proc/process.js';

/** Clock ticks per second (USER_HZ), as /proc/<pid>/stat counts times. */
export const USER_HZ = 100;

const kB = (bytes: number): string => `${String(Math.ceil(bytes / 1024)).padStart(8)} kB`;

/** R running, S sleeping (blocked in a syscall), Z zombie. */
export function stateLetter(p: Process): string {
  if (p.state === 'zombie' || p.state === 'reaped') return 'Z';
  return p.busy ? 'S' : 'R';
}

const STATE_NAMES: Record<string, string> = { R: 'R (running)', S: 'S (sleeping)', Z: 'Z (zombie)' };

/** Pids of `p` from namespace `level` down to its own. */
function nsPids(p: Process, level: number): string {
  return p.nspids.slice(level).join('\t');
}

function sigMask(p: Process, action: number): string {
  let mask = 0n;
  for (let s = 1; s < 65; s++) if (p.dispositions[s] === action) mask |= 1n << BigInt(s - 1);
  return mask.toString(16).padStart(16, '0');
}

function pendingMask(p: Process): string {
  let mask = 0n;
  for (const s of p.pending) mask |= 1n << BigInt(s - 1);
  return mask.toString(16).padStart(16, '0');
}

/**
 * @param viewer the user namespace of the reader: ids are shown through its map, so root
 *   in a container's user namespace reads as its host uid from outside.
 */
export function statusFile(p: Process, level: number, viewer: UserNamespace = p.ns.user): string {
  const pid = p.pidAt(level);
  const ppid = p.parent?.pidAt(level) ?? 0;
  const uid = viewer.uidFromHost(p.ns.user.uidToHost(p.uid));
  const gid = viewer.gidFromHost(p.ns.user.gidToHost(p.gid));
  const mem = p.memoryBytes();
  const lines = [
    `Name:\t${p.comm}`,
    'Umask:\t0022',
    `State:\t${STATE_NAMES[stateLetter(p)]}`,
    `Tgid:\t${pid}`,
    'Ngid:\t0',
    `Pid:\t${pid}`,
    `PPid:\t${ppid}`,
    'TracerPid:\t0',
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`,
    `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`,
    `FDSize:\t${Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, p.wasi?.fds.length ?? 1))))}`,
    'Groups:\t ',
    `NStgid:\t${nsPids(p, level)}`,
    `NSpid:\t${nsPids(p, level)}`,
    `NSpgid:\t${nsPids(p, level)}`,
    `NSsid:\t${nsPids(p, level)}`,
    'Kthread:\t0',
    `VmPeak:\t${kB(mem)}`,
    `VmSize:\t${kB(mem)}`,
    `VmHWM:\t${kB(mem)}`,
    `VmRSS:\t${kB(mem)}`,
    `RssAnon:\t${kB(mem)}`,
    'Threads:\t1',
    'SigQ:\t0/63399',
    `SigPnd:\t${pendingMask(p)}`,
    'ShdPnd:\t0000000000000000',
    'SigBlk:\t0000000000000000',
    `SigIgn:\t${sigMask(p, 1)}`,
    `SigCgt:\t${sigMask(p, 2)}`,
    'NoNewPrivs:\t0',
  ];
  return lines.join('\n') + '\n';
}

/** /proc/<pid>/stat: the 52 fields ps and top read (times in USER_HZ ticks). */
export function statFile(p: Process, level: number, bootTime: number): string {
  const ticks = Math.round((p.totalCpuUs() / 1e6) * USER_HZ);
  const start = Math.round(((p.startedAt - bootTime) / 1000) * USER_HZ);
  const pid = p.pidAt(level);
  const ppid = p.parent?.pidAt(level) ?? 0;
  const mem = p.memoryBytes();
  const fields = [
    pid,
    `(${p.comm})`,
    stateLetter(p),
    ppid,
    pid, // pgrp
    pid, // session
    0, // tty_nr
    -1, // tpgid
    4194304, // flags
    0,
    0,
    0,
    0, // faults
    ticks, // utime
    0, // stime
    0,
    0, // cutime, cstime
    20,
    0, // priority, nice
    1, // num_threads
    0, // itrealvalue
    start,
    mem, // vsize
    Math.ceil(mem / 4096), // rss pages
    '18446744073709551615',
  ];
  while (fields.length < 52) fields.push(0);
  fields[37] = 17; // exit_signal: SIGCHLD
  return fields.join(' ') + '\n';
}

/** cmdline and environ: NUL-terminated strings. */
export function cmdlineFile(p: Process): string {
  if (p.state !== 'running' && p.state !== 'starting') return '';
  return p.argv.map((a) => a + '\0').join('');
}

export function environFile(p: Process): string {
  return Object.entries(p.env)
    .map(([k, v]) => `${k}=${v}\0`)
    .join('');
}

/** cgroup v2 only: `0::<path>` relative to the cgroup namespace's root. */
export function cgroupFile(p: Process, nsRoot = '/'): string {
  const path = p.cgroup.path;
  const rel =
    nsRoot === '/'
      ? path
      : path === nsRoot
        ? '/'
        : path.startsWith(nsRoot + '/')
          ? path.slice(nsRoot.length)
          : path;
  return `0::${rel}\n`;
}
