/**
 * What a killed berth leaves behind under a root: containers whose owner process is gone
 * still have an overlay mount, a runtime state (perhaps a running process) and a cgroup;
 * half-written layer directories sit in `.tmp-*`. Only this root's containers are touched
 * (other roots share the /berth cgroup parent), and never one whose owner still runs.
 * Container directories themselves stay, like Docker's stopped containers, except those
 * created with autoRemove.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cgroupLayout, removeCgroup } from './cgroups.js';
import { containerPaths, containersDir, runtimeStateDir } from './container-dirs.js';
import { LayerDirs } from './layer-store.js';
import { chooseRuntime } from './oci-runtime.js';
import { mountsUnder, unmountAll } from './overlay-mount.js';
import { RuntimeCli } from './runtime-cli.js';

export interface CleanupReport {
  /** Container ids whose runtime state, cgroup or mounts were released. */
  containers: string[];
  unmounted: string[];
  removedDirs: string[];
  layerTemps: string[];
  /** cgroup directories that could not be removed (still holding processes). */
  leftCgroups: string[];
}

function ownerAlive(ownerFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(ownerFile, 'utf8').trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function cleanupStale(root: string): Promise<CleanupReport> {
  const report: CleanupReport = {
    containers: [],
    unmounted: [],
    removedDirs: [],
    layerTemps: [],
    leftCgroups: [],
  };
  // Each runtime berth may have used keeps its own state directory.
  const known = new Map<string, RuntimeCli>();
  for (const name of ['runc', 'crun'] as const) {
    const choice = existsSync(runtimeStateDir(root, name)) ? chooseRuntime(name) : null;
    if (!choice) continue;
    const cli = new RuntimeCli(choice, runtimeStateDir(root, name));
    try {
      for (const s of await cli.list()) known.set(s.id, cli);
    } catch {
      // an unreadable state dir: handled per container below
    }
  }
  const dir = containersDir(root);
  const ids = existsSync(dir) ? readdirSync(dir) : [];
  for (const id of ids) {
    let paths;
    try {
      paths = containerPaths(root, id);
    } catch {
      continue; // not a container directory of ours
    }
    if (ownerAlive(paths.owner)) continue;
    const mounts = mountsUnder(paths.dir);
    const stale = known.has(id) || mounts.length > 0 || existsSync(paths.owner);
    if (stale) {
      await known
        .get(id)
        ?.delete(id)
        .catch(() => false);
      report.leftCgroups.push(...removeCgroup(cgroupLayout(), paths.cgroupsPath));
      await unmountAll(paths.dir);
      report.unmounted.push(...mounts);
      rmSync(paths.owner, { force: true });
      report.containers.push(id);
    }
    let autoRemove = false;
    try {
      autoRemove =
        (JSON.parse(readFileSync(paths.record, 'utf8')) as { autoRemove?: boolean }).autoRemove === true;
    } catch {
      autoRemove = !existsSync(paths.record); // a create() that died before its record
    }
    if (autoRemove) {
      rmSync(paths.dir, { recursive: true, force: true });
      report.removedDirs.push(paths.dir);
    }
  }
  // Runtime states with no container directory at all.
  for (const [id, cli] of known) {
    if (!ids.includes(id)) {
      await cli.delete(id).catch(() => false);
      report.containers.push(id);
    }
  }
  report.layerTemps = new LayerDirs(root).removeTemps();
  return report;
}
