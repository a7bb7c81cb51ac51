/**
 * A mount namespace: the table of mounts a process sees, as Linux keeps one per
 * namespace. Each mount puts a FileSystem (or, for a bind mount, a directory of one) at
 * a path; mounting over a path stacks (the latest wins, umount reveals the one below).
 * `view(root)` is the FileSystem a process with that root (chroot, pivot_root) uses.
 * The table renders /proc/<pid>/mounts and mountinfo the way Linux prints them.
 */
import { FsError } from '../../vfs/errno.js';
import type { FileSystem } from '../../vfs/filesystem.js';
import { Namespace } from '../ns/namespace.js';
import { MountFs } from './mount-fs.js';

export interface MountSpec {
  fs: FileSystem;
  /** The directory of `fs` that is mounted (bind mounts), default '/'. */
  root?: string;
  readOnly?: boolean;
  /** e.g. 'overlay', 'tmpfs', 'proc', 'cgroup2', 'devtmpfs', 'sysfs', 'ext4' (bind of a host dir). */
  fstype: string;
  /** The first field of /proc/mounts: 'overlay', 'tmpfs', 'proc', a device… */
  source: string;
  /** Options after rw/ro, e.g. 'relatime,lowerdir=…' (default 'relatime'). */
  options?: string;
}

let nextMountId = 21;
let nextDevMinor = 40;

export class Mount {
  readonly id = nextMountId++;
  /** Device number shown in mountinfo (0:N), shared by bind mounts of one filesystem. */
  readonly devMinor: number;
  constructor(
    readonly mountpoint: string,
    readonly spec: MountSpec,
    readonly parentId: number,
    devMinor?: number,
  ) {
    this.devMinor = devMinor ?? nextDevMinor++;
  }
  get fs(): FileSystem {
    return this.spec.fs;
  }
  get root(): string {
    return this.spec.root ?? '/';
  }
  get readOnly(): boolean {
    return this.spec.readOnly ?? false;
  }
}

/** Normalise an absolute path: no '.', '..' (lexically), double or trailing slashes. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

export class MountNamespace extends Namespace {
  /** Mounts in the order they were made (later ones over earlier ones at the same path). */
  private list: Mount[] = [];

  constructor(root: MountSpec, initial = false) {
    super('mnt', initial);
    this.list.push(new Mount('/', root, 1));
  }

  mounts(): readonly Mount[] {
    return this.list;
  }

  /** The topmost mount at exactly `mountpoint`, if any. */
  at(mountpoint: string): Mount | undefined {
    // Indexed once per change of the table; later mounts replace earlier ones.
    this.byPoint ??= new Map(this.list.map((m) => [m.mountpoint, m]));
    return this.byPoint.get(mountpoint);
  }
  private byPoint: Map<string, Mount> | null = null;

  /** The mount that covers namespace path `path` (longest mountpoint prefix, topmost). */
  covering(path: string): Mount {
    let best: Mount | undefined;
    for (const m of this.list) {
      const mp = m.mountpoint;
      if (path === mp || mp === '/' || path.startsWith(mp + '/'))
        if (best === undefined || mp.length >= best.mountpoint.length) best = m;
    }
    return best!;
  }

  /** The whole namespace seen from `root` (a namespace path: '/' or a chroot/pivot_root). */
  view(root = '/'): MountFs {
    return new MountFs(this, normalize(root));
  }

  /**
   * mount(2): put `spec` at `target` (a path in `via`, default the namespace root view),
   * which must be an existing directory (or any file for a bind mount of a file).
   */
  mount(target: string, spec: MountSpec, via: MountFs = this.view()): Mount {
    const where = via.resolveMountpoint(target, 'mount');
    // A directory goes on a directory, a file (bind mount of a file) on a file.
    const targetIsDir = (via.stat(target).mode & 0o170000) === 0o040000;
    const sourceIsDir = (spec.fs.stat(spec.root ?? '/').mode & 0o170000) === 0o040000;
    // Linux answers ENOTDIR for the mismatch either way round.
    if (targetIsDir !== sourceIsDir) throw new FsError('ENOTDIR', 'mount', target);
    const parent = this.covering(where);
    const m = new Mount(where, spec, parent.id);
    this.list.push(m);
    this.byPoint = null;
    return m;
  }

  /** A bind mount of `source` (a path in `via`) at `target`. */
  bind(source: string, target: string, opts: { readOnly?: boolean } = {}, via: MountFs = this.view()): Mount {
    const src = via.locate(source, 'mount');
    const where = via.resolveMountpoint(target, 'mount');
    const parent = this.covering(where);
    const srcMount = src.mount;
    const m = new Mount(
      where,
      {
        ...srcMount.spec,
        root: src.path,
        readOnly: opts.readOnly ?? srcMount.readOnly,
      },
      parent.id,
      srcMount.devMinor,
    );
    this.list.push(m);
    this.byPoint = null;
    return m;
  }

  /** mount -o remount,ro|rw: change a mount's read-only flag. */
  remount(m: Mount, opts: { readOnly: boolean }): void {
    const i = this.list.indexOf(m);
    if (i < 0) throw new FsError('EINVAL', 'mount');
    this.list[i] = new Mount(m.mountpoint, { ...m.spec, readOnly: opts.readOnly }, m.parentId, m.devMinor);
    this.byPoint = null;
  }

  /** umount(2): EINVAL if `target` is not a mount point, EBUSY if something is mounted below it. */
  umount(target: string, via: MountFs = this.view(), opts: { detach?: boolean } = {}): void {
    const where = via.resolveMountpoint(target, 'umount');
    const m = this.at(where);
    if (m === undefined || where === '/')
      throw new FsError(where === '/' ? 'EBUSY' : 'EINVAL', 'umount', target);
    const below = (o: Mount) => o !== m && o.mountpoint.startsWith(where + '/');
    if (!opts.detach && this.list.some(below)) throw new FsError('EBUSY', 'umount', target);
    // MNT_DETACH (umount -l) takes the whole subtree away.
    this.list = this.list.filter((o) => o !== m && !(opts.detach && below(o)));
    this.byPoint = null;
  }

  /**
   * pivot_root(new_root, put_old) for a process whose root is `via`: new_root must be a
   * mount point; put_old must be at or under new_root. The old root's mounts move under
   * put_old; the new root's mounts move to '/'. Returns the new view root ('/').
   */
  pivotRoot(newRoot: string, putOld: string, via: MountFs = this.view()): void {
    const nr = via.resolveMountpoint(newRoot, 'pivot_root');
    const po = via.resolveMountpoint(putOld, 'pivot_root');
    if (this.at(nr) === undefined || nr === via.rootPath) throw new FsError('EINVAL', 'pivot_root', newRoot);
    if (po !== nr && !po.startsWith(nr + '/')) throw new FsError('EINVAL', 'pivot_root', putOld);
    const poRel = po.slice(nr.length) || '/';
    const moved: Mount[] = [];
    for (const m of this.list) {
      const mp = m.mountpoint;
      if (mp === nr || mp.startsWith(nr + '/'))
        moved.push(new Mount(normalize(mp.slice(nr.length) || '/'), m.spec, m.parentId, m.devMinor));
      else moved.push(new Mount(normalize(poRel + mp), m.spec, m.parentId, m.devMinor));
    }
    // The new root first so it is the base; everything else keeps its order.
    const rootIndex = moved.findIndex((m) => m.mountpoint === '/' && m.spec === this.at(nr)!.spec);
    const [rootMount] = moved.splice(rootIndex, 1);
    this.list = [rootMount!, ...moved];
    this.byPoint = null;
  }

  /** A copy for a new mount namespace (CLONE_NEWNS): same filesystems, own table. */
  clone(): MountNamespace {
    const ns = new MountNamespace(this.list[0]!.spec);
    ns.list = this.list.map((m) => m);
    ns.byPoint = null;
    return ns;
  }

  /** Lines of /proc/<pid>/mounts for a process whose root is `root`. */
  renderMounts(root = '/'): string {
    return this.visible(root)
      .map(({ m, at }) => `${m.spec.source} ${escape(at)} ${m.spec.fstype} ${opts(m)} 0 0\n`)
      .join('');
  }

  /** Lines of /proc/<pid>/mountinfo. */
  renderMountinfo(root = '/'): string {
    return this.visible(root)
      .map(
        ({ m, at }) =>
          `${m.id} ${m.parentId} 0:${m.devMinor} ${escape(m.root)} ${escape(at)} ${m.readOnly ? 'ro' : 'rw'},relatime - ${m.spec.fstype} ${m.spec.source} ${opts(m)}\n`,
      )
      .join('');
  }

  private visible(root: string): { m: Mount; at: string }[] {
    const r = normalize(root);
    const out: { m: Mount; at: string }[] = [];
    for (const m of this.list) {
      const mp = m.mountpoint;
      if (r === '/') out.push({ m, at: mp });
      else if (mp === r) out.push({ m, at: '/' });
      else if (mp.startsWith(r + '/')) out.push({ m, at: mp.slice(r.length) });
    }
    return out;
  }
}

function opts(m: Mount): string {
  return `${m.readOnly ? 'ro' : 'rw'},${m.spec.options ?? 'relatime'}`;
}

/** Spaces, tabs, newlines and backslashes are octal-escaped in /proc mount files. */
function escape(path: string): string {
  return path.replace(/[ \t\n\\]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}
