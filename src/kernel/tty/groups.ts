/**
 * Process groups and sessions, as far as a shell's job control needs them: ids are host
 * pids inside the kernel (Process.pgid / .sid) and are shown to a process through its pid
 * namespace — as the pid of the group's leader there.
 */
import type { Kernel } from '../proc/kernel.js';
import type { Process } from '../proc/process.js';

/** The live processes of group `pgid` (a host pid). */
export function groupMembers(kernel: Kernel, pgid: number): Process[] {
  return [...kernel.processes.values()].filter((p) => p.alive && p.pgid === pgid);
}

/** Send `sig` to every process of group `pgid`: kill(-pgid), and the terminal's ^C. */
export function signalGroup(kernel: Kernel, pgid: number, sig: number, from: Process | null = null): number {
  const members = groupMembers(kernel, pgid);
  for (const p of members) kernel.signal(p, sig, from);
  return members.length;
}

/** A group or session id (host pid) as `viewer` sees it: its leader's pid in viewer's pid namespace (0 if not visible). */
export function idFor(kernel: Kernel, viewer: Process, hostId: number): number {
  const level = viewer.ns.pid.level;
  if (level === 0) return hostId;
  const leader = kernel.processes.get(hostId);
  if (leader !== undefined) return leader.pidAt(level);
  // the leader is gone: the group has no number there (a known limit)
  return 0;
}

/** The host id of group `id` as `viewer` names it, or undefined when it names none. */
export function hostIdOf(viewer: Process, id: number): number | undefined {
  if (viewer.ns.pid.level === 0) return id;
  const p = (viewer.ns.pid.members as Map<number, Process>).get(id);
  return p?.hostPid;
}
