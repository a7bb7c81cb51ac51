/**
 * The overlayfs root of a container: the image's layer directories as lowerdirs (the
 * leftmost is the top layer) under a per-container upper and work directory.
 *
 * `mount` runs in the layers directory and names the lowers relatively: the kernel
 * resolves them from the mounting process's cwd, which keeps the option string (limited
 * to one page) short enough for about 60 layers instead of about 30.
 */
import { readMountInfo } from './cgroups.js';
import { runTool } from './tool.js';
import { inUserNamespace } from './userns.js';

const PAGE = 4096;

export interface OverlayPaths {
  /** The directory holding the layer directories. */
  layersDir: string;
  /** Layer directory names, bottom layer first (as an image lists them). */
  layers: string[];
  upper: string;
  work: string;
  target: string;
}

export async function mountOverlay(p: OverlayPaths, mount = 'mount'): Promise<void> {
  if (p.layers.length === 0) throw new Error('an image with no layers cannot be mounted');
  const lower = [...p.layers].reverse().join(':');
  // in a user namespace overlayfs must keep its attributes in user.overlay.* (userxattr)
  const userxattr = inUserNamespace() ? ',userxattr' : '';
  const options = `lowerdir=${lower},upperdir=${p.upper},workdir=${p.work}${userxattr}`;
  if (options.length >= PAGE) {
    throw new Error(`the image has too many layers (${p.layers.length}) for one overlay mount`);
  }
  await runTool(mount, ['-t', 'overlay', 'overlay', '-o', options, p.target], { cwd: p.layersDir });
}

/** Every mount point at or below `dir` (deepest first), from /proc/self/mountinfo. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return readMountInfo()
    .map((m) => m.mountPoint)
    .filter((m) => m === dir || m.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** Unmount everything at or below `dir`; lazily if busy, so a stuck process cannot block cleanup. */
export async function unmountAll(dir: string, umount = 'umount'): Promise<void> {
  for (const m of mountsUnder(dir)) {
    try {
      await runTool(umount, [m]);
    } catch {
      // Busy, or unmounted meanwhile by a concurrent cleanup.
      if (mountsUnder(m).includes(m)) await runTool(umount, ['-l', m]);
    }
  }
}
