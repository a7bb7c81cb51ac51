/**
 * What containers of a berth root could leave on the host: mounts under the root,
 * cgroups named after their ids (every hierarchy), processes in those cgroups or
 * serving the root (`berth __serve`), runtime state and container directories.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function cgroupMounts(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => {
      const sep = f.indexOf('-');
      return sep > 0 && (f[sep + 1] === 'cgroup' || f[sep + 1] === 'cgroup2');
    })
    .map((f) => f[4]!);
}

export function leftovers(root: string, ids: Iterable<string>): string[] {
  const found: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const point = line.split(' ')[4];
    if (point !== undefined && point.startsWith(root)) found.push(`mount ${point}`);
  }
  const idList = [...ids];
  for (const m of cgroupMounts())
    for (const id of idList)
      if (existsSync(join(m, 'berth', id))) found.push(`cgroup ${join(m, 'berth', id)}`);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmdline = '';
    let cgroup = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    } catch {
      continue; // gone
    }
    if (cmdline.includes('__serve') && cmdline.includes(root)) found.push(`process ${pid} ${cmdline}`);
    if (idList.some((id) => cgroup.includes(id))) found.push(`process ${pid} in a container cgroup`);
  }
  for (const dir of ['linux/containers', 'linux/runc', 'linux/crun', 'containers']) {
    const d = join(root, dir);
    if (existsSync(d)) for (const e of readdirSync(d)) found.push(`${dir}/${e}`);
  }
  return found;
}
