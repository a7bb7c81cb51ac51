/**
 * A cgroup berth itself owns above the runtime's, for runtimes that delete their cgroup
 * the moment the container exits (crun has no `run --keep`): the memory limit is set
 * here, so the OOM killer acts — and counts its kills — in a cgroup that outlives the
 * runtime's, and berth reads the count after the exit. The runtime's cgroup is a child.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CgroupLayout } from './cgroups.js';

const V2_CONTROLLERS = ['memory', 'pids', 'cpu'];

function tryWrite(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch {
    // a controller the host does not offer: the runtime reports what it needs
  }
}

export function createParentCgroup(layout: CgroupLayout, path: string, memoryBytes?: number): void {
  if (layout.kind === 'v2') {
    const mount = layout.mounts.find((m) => m.version === 2)!.path;
    const dir = join(mount, path);
    mkdirSync(dir, { recursive: true });
    // Enable the controllers on the way down so the runtime's child cgroup can use them.
    const enable = V2_CONTROLLERS.map((c) => `+${c}`).join(' ');
    const chain: string[] = [];
    for (let d = dir; d.length > mount.length; d = dirname(d)) chain.unshift(d);
    for (const d of [mount, ...chain])
      for (const c of enable.split(' ')) tryWrite(join(d, 'cgroup.subtree_control'), c);
    if (memoryBytes !== undefined) writeFileSync(join(dir, 'memory.max'), String(memoryBytes));
    return;
  }
  const mem = layout.mounts.find((m) => m.version === 1 && m.controllers.includes('memory'));
  if (!mem) return;
  const dir = join(mem.path, path);
  mkdirSync(dir, { recursive: true });
  if (memoryBytes !== undefined) writeFileSync(join(dir, 'memory.limit_in_bytes'), String(memoryBytes));
}
