/**
 * Where a Linux container lives on disk:
 *
 *   <root>/linux/containers/<id>/upper     overlay upper (the container's changes)
 *                                /work      overlay workdir
 *                                /rootfs    the overlay mount point
 *                                /bundle    config.json, hostname, hosts, exec process files
 *                                /record.json  what create() was given (layers, command…)
 *                                /owner     pid of the berth process running it
 *   <root>/linux/{runc,crun}                each OCI runtime's state (--root)
 *
 * The container's cgroup is /berth/<id> in every hierarchy (crun's: /berth/<id>/ctr,
 * below one berth owns, see cgroup-parent.ts).
 */
import { join } from 'node:path';

export interface ContainerPaths {
  dir: string;
  upper: string;
  work: string;
  rootfs: string;
  bundle: string;
  record: string;
  owner: string;
  pidFile: string;
  cgroupsPath: string;
}

export function linuxDir(root: string): string {
  return join(root, 'linux');
}
export function containersDir(root: string): string {
  return join(root, 'linux', 'containers');
}
/** An OCI runtime's --root (absolute: crun changes into the bundle directory). */
export function runtimeStateDir(root: string, runtime: 'runc' | 'crun'): string {
  return join(root, 'linux', runtime);
}

const ID = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

export function containerPaths(root: string, id: string): ContainerPaths {
  if (!ID.test(id)) throw new Error(`invalid container id '${id}'`);
  const dir = join(containersDir(root), id);
  const bundle = join(dir, 'bundle');
  return {
    dir,
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    rootfs: join(dir, 'rootfs'),
    bundle,
    record: join(dir, 'record.json'),
    owner: join(dir, 'owner'),
    pidFile: join(bundle, 'pid'),
    cgroupsPath: `/berth/${id}`,
  };
}
