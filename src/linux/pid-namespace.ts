/**
 * The processes of a container found through its pid namespace instead of its cgroup:
 * rootless berth has no cgroup per container (see userns.ts), but every process of a
 * container — PID 1's descendants and exec'd ones alike — shares PID 1's pid namespace.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

function pidNamespace(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined; // gone, or not ours to look at
  }
}

/** Host pids in the pid namespace of the process whose pid is in `pidFile` (empty once it is gone). */
export function pidNamespaceMembers(pidFile: string): number[] {
  let init: number;
  try {
    init = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return [];
  }
  const ns = Number.isInteger(init) && init > 0 ? pidNamespace(init) : undefined;
  if (ns === undefined) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pidNamespace(pid) === ns)
    .sort((a, b) => a - b);
}
