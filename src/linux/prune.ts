/**
 * `system prune` on the Linux side of a root: release what killed berth processes left
 * (cleanupStale: mounts, runtime state, cgroups, half-written layers), and remove the
 * container directories no record names any more (a berth killed between making a
 * container's directories and writing its record).
 */
import { existsSync, readdirSync } from 'node:fs';
import { cleanupStale } from './cleanup.js';
import { containersDir } from './container-dirs.js';
import { LinuxRuntime } from './linux-runtime.js';

export async function pruneLinux(root: string, recorded: Set<string>): Promise<string[]> {
  const dir = containersDir(root);
  if (!existsSync(dir)) return [];
  await cleanupStale(root);
  const orphans = readdirSync(dir).filter((id) => !id.startsWith('.') && !recorded.has(id));
  if (orphans.length === 0) return [];
  const rt = LinuxRuntime.open(root);
  for (const id of orphans) await rt.delete(id, { force: true });
  return orphans;
}
