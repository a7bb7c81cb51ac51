/**
 * mount(2), umount(2), pivot_root(2) and chroot(2) for processes (module `berth`): the
 * calls a shell (or runc) builds a container's filesystem with. Filesystem types: tmpfs,
 * proc (of the caller's pid namespace), cgroup2 (the caller's cgroup namespace root),
 * overlay (lowerdir=…,upperdir=…,workdir=… on tmpfs directories), devtmpfs, and bind
 * mounts (MS_BIND, MS_RDONLY, MS_REMOUNT).
 */
import { FsError } from '../../vfs/errno.js';
import type { FileSystem } from '../../vfs/filesystem.js';
import type { Inode } from '../../vfs/inode.js';
import { MemFs } from '../../vfs/memfs.js';
import { OverlayFs } from '../../vfs/overlay.js';
import { parseTmpfsSize, TmpFs } from '../../vfs/tmpfs.js';
import { treeBytes } from '../../vfs/usage.js';
import { createCgroupFs } from '../cgroup/cgroupfs.js';
import { createDevFs } from '../mnt/devfs.js';
import { MountFs } from '../mnt/mount-fs.js';
import { MountNamespace } from '../mnt/mount-namespace.js';
import type { PidNamespace } from '../ns/pid-namespace.js';
import { createProcFs } from '../procfs/procfs.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';

export const MS_RDONLY = 1;
export const MS_REMOUNT = 32;
export const MS_BIND = 4096;
export const MS_REC = 16384;

/** The caller's mount namespace and root view (EINVAL if it has none). */
function mountsOf(proc: Process): { ns: MountNamespace; view: MountFs } {
  if (!(proc.ns.mnt instanceof MountNamespace) || !(proc.root instanceof MountFs))
    throw new FsError('EINVAL', 'mount');
  return { ns: proc.ns.mnt, view: proc.root };
}

/** The Inode of a directory on a tmpfs (overlay lowerdir/upperdir must be one). */
function tmpfsDir(view: MountFs, path: string): Inode {
  const n = view.locate(path, 'mount');
  if (!(n.mount.fs instanceof MemFs)) throw new FsError('EINVAL', 'mount', path);
  let node: Inode = n.mount.fs.root;
  for (const part of n.path.split('/').filter(Boolean)) {
    const next = n.mount.fs.lookupChild(node, part);
    if (next === null) throw new FsError('ENOENT', 'mount', path);
    node = next;
  }
  if (node.kind !== 'dir') throw new FsError('ENOTDIR', 'mount', path);
  return node;
}

function options(data: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const item of data.split(',').filter(Boolean)) {
    const eq = item.indexOf('=');
    m.set(eq < 0 ? item : item.slice(0, eq), eq < 0 ? '' : item.slice(eq + 1));
  }
  return m;
}

export function doMount(
  kernel: Kernel,
  proc: Process,
  source: string,
  target: string,
  fstype: string,
  flags: number,
  data: string,
): void {
  if (proc.uid !== 0) throw new FsError('EPERM', 'mount');
  const { ns, view } = mountsOf(proc);
  const readOnly = (flags & MS_RDONLY) !== 0;
  if (flags & MS_REMOUNT) {
    const at = ns.at(view.resolveMountpoint(target, 'mount'));
    if (at === undefined) throw new FsError('EINVAL', 'mount', target);
    ns.remount(at, { readOnly });
    return;
  }
  if (flags & MS_BIND) {
    ns.bind(source, target, { readOnly }, view);
    return;
  }
  const opts = options(data);
  const extra = data === '' ? 'relatime' : `relatime,${data}`;
  let fs: FileSystem;
  switch (fstype) {
    case 'tmpfs': {
      const size = opts.get('size');
      fs = size === undefined ? new MemFs() : new TmpFs(parseTmpfsSize(size, kernel.memoryTotal));
      const tmp = fs as MemFs;
      // Its pages are the mounting process's cgroup's memory, as on Linux.
      proc.cgroup.charges.add(() => treeBytes(tmp.root));
      break;
    }
    case 'proc':
      fs = createProcFs(kernel, (proc.childPidNs ?? proc.ns.pid) as PidNamespace<Process>);
      break;
    case 'cgroup2':
      fs = createCgroupFs(kernel, kernel.cgroups.lookup(proc.cgroupNsRoot) ?? kernel.cgroups);
      break;
    case 'devtmpfs':
      fs = createDevFs({ fdOf: (fd) => kernel.current?.wasi.fds[fd] });
      break;
    case 'overlay': {
      const lower = opts.get('lowerdir');
      if (lower === undefined || lower === '') throw new FsError('EINVAL', 'mount', target);
      const lowers = lower.split(':').map((p) => tmpfsDir(view, p));
      const upperdir = opts.get('upperdir');
      if (upperdir !== undefined && opts.get('workdir') === undefined)
        throw new FsError('EINVAL', 'mount', target);
      if (opts.get('workdir') !== undefined) tmpfsDir(view, opts.get('workdir')!);
      fs = new OverlayFs(lowers, { upper: upperdir === undefined ? undefined : tmpfsDir(view, upperdir) });
      // Without an upperdir Linux makes a read-only overlay.
      if (upperdir === undefined) {
        ns.mount(target, { fs, fstype, source, readOnly: true, options: extra }, view);
        return;
      }
      break;
    }
    default:
      throw new FsError('ENODEV', 'mount', fstype);
  }
  ns.mount(target, { fs, fstype, source, readOnly, options: extra }, view);
}

export const MNT_DETACH = 2;

export function doUmount(proc: Process, target: string, flags = 0): void {
  if (proc.uid !== 0) throw new FsError('EPERM', 'umount');
  const { ns, view } = mountsOf(proc);
  ns.umount(target, view, { detach: (flags & MNT_DETACH) !== 0 });
}

export function doPivotRoot(proc: Process, newRoot: string, putOld: string): void {
  if (proc.uid !== 0) throw new FsError('EPERM', 'pivot_root');
  const { ns, view } = mountsOf(proc);
  ns.pivotRoot(newRoot, putOld, view);
  proc.cwd = '/';
}

export function doChroot(proc: Process, path: string): void {
  if (proc.uid !== 0) throw new FsError('EPERM', 'chroot');
  const { ns, view } = mountsOf(proc);
  const st = view.stat(path);
  if ((st.mode & 0o170000) !== 0o040000) throw new FsError('ENOTDIR', 'chroot', path);
  const where = view.resolveMountpoint(path, 'chroot');
  proc.rootPath = where;
  proc.root = ns.view(where);
}
