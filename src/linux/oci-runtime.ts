/**
 * Which OCI runtime runs containers here. crun starts containers about 2.5× faster than
 * runc, so it is preferred — but crun refuses every container on a hybrid cgroup host
 * whose cgroup2 hierarchy still holds controllers ("cgroups in hybrid mode not supported,
 * drop all controllers from cgroupv2"), as on the project's machines, where runc works.
 * The decision is made once per process from the cgroup layout and cached.
 */
import { cgroupLayout } from './cgroups.js';
import { findOnPath } from './tool.js';

export interface RuntimeChoice {
  name: 'runc' | 'crun';
  path: string;
  /** Why this one, in a sentence (for logs, `berth info`, docs). */
  why: string;
  /** runc's `run --keep` leaves the cgroup after the exit; crun has no such flag. */
  keep: boolean;
  /** A command line the runtime runs under (crun on a hybrid host, see below). */
  wrapper?: string[];
}

/**
 * crun on a hybrid host, when asked for: each crun command runs in a private mount
 * namespace with the cgroup2 hierarchy unmounted, so crun sees a plain v1 host (the
 * workaround measured in ../shared/notes/linux-host.md).
 */
export function hybridCrunWrapper(unshare: string, umount: string, unified: string): string[] {
  return [
    unshare,
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    `${umount} ${unified} && exec "$0" "$@"`,
  ];
}

let cached: RuntimeChoice | null | undefined;

/**
 * The runtime to use, or null if none can run here. `prefer` (or $BERTH_OCI_RUNTIME)
 * forces one when it is installed.
 */
export function chooseRuntime(prefer = process.env.BERTH_OCI_RUNTIME): RuntimeChoice | null {
  if (prefer === undefined && cached !== undefined) return cached;
  const crun = findOnPath('crun');
  const runc = findOnPath('runc');
  let choice: RuntimeChoice | null = null;
  const layout = cgroupLayout();
  const crunRefuses = layout.kind === 'hybrid' && layout.v2Controllers.length > 0;
  if (prefer === 'runc') {
    if (runc) choice = { name: 'runc', path: runc, keep: true, why: 'runc was asked for' };
  } else if (prefer === 'crun') {
    const unified = layout.mounts.find((m) => m.version === 2)?.path;
    const unshare = findOnPath('unshare');
    const umount = findOnPath('umount');
    if (crun && !crunRefuses) choice = { name: 'crun', path: crun, keep: false, why: 'crun was asked for' };
    else if (crun && unified && unshare && umount) {
      choice = {
        name: 'crun',
        path: crun,
        keep: false,
        why: `crun was asked for; on this hybrid host it runs in a private mount namespace without ${unified}`,
        wrapper: hybridCrunWrapper(unshare, umount, unified),
      };
    }
  } else {
    if (crun && !crunRefuses) {
      choice = {
        name: 'crun',
        path: crun,
        keep: false,
        why: 'crun is installed and starts containers fastest',
      };
    } else if (runc) {
      choice = {
        name: 'runc',
        path: runc,
        keep: true,
        why: crun
          ? `crun refuses hybrid cgroups whose cgroup2 holds controllers (${layout.v2Controllers.join(', ')}); runc works`
          : 'crun is not installed',
      };
    }
  }
  if (prefer === undefined) cached = choice;
  return choice;
}
