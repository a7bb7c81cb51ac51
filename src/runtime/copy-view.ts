/**
 * The container's files as `cp` sees them where a runtime gives only the root — a
 * stopped container, or the Linux backend, whose mounts live in the container's own
 * mount namespace: the root with the container's bind volumes and its /etc/hostname
 * and /etc/hosts mounted over it, as Docker's cp resolves them. So a copy from or into a
 * volume reaches the volume, and a :ro one refuses writes (EROFS).
 */
import { etcFiles } from '../kernel/container.js';
import { MountNamespace } from '../kernel/mnt/mount-namespace.js';
import type { FileSystem } from '../vfs/filesystem.js';
import { S_IFDIR, S_IFMT } from '../vfs/inode.js';
import type { RuntimeSpec } from './spec.js';

/** A host directory or file for a bind volume (Node: hostVolume); a file comes as its directory and `root`. */
export type VolumeSource = (source: string, readOnly: boolean) => { fs: FileSystem; root?: string };

function kindAt(fs: FileSystem, path: string): 'dir' | 'file' | null {
  try {
    return (fs.stat(path).mode & S_IFMT) === S_IFDIR ? 'dir' : 'file';
  } catch {
    return null;
  }
}

export function copyView(root: FileSystem, spec: RuntimeSpec, volume: VolumeSource | undefined): FileSystem {
  const mnt = new MountNamespace({ fs: root, fstype: 'rootfs', source: 'rootfs' });
  const view = mnt.view();
  const etc = etcFiles(spec.hostname);
  for (const name of ['hostname', 'hosts'])
    if (kindAt(view, `/etc/${name}`) === 'file')
      mnt.mount(`/etc/${name}`, { fs: etc, root: `/${name}`, fstype: 'tmpfs', source: 'tmpfs' });
  for (const m of spec.mounts) {
    if (m.type !== 'bind' || volume === undefined) continue;
    const readOnly = m.options.includes('ro');
    const source = volume(m.source, readOnly);
    // a mount point the root lacks (never started) is not made here: the copy goes to the root
    const sourceKind = kindAt(source.fs, source.root ?? '/');
    if (sourceKind === null || kindAt(view, m.destination) !== sourceKind) continue;
    mnt.mount(m.destination, { ...source, readOnly, fstype: 'bind', source: m.source });
  }
  return mnt.view();
}
