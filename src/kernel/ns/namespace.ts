/**
 * Namespaces as Linux has them: each is an object with an inode number, which is what
 * /proc/<pid>/ns/<kind> shows (`uts:[4026531838]`) and how two processes are seen to share
 * one. The initial namespaces take the numbers Linux gives its initial ones; new ones are
 * numbered upwards from 4026532000 like Linux's proc inode allocator.
 */
export type NamespaceKind = 'cgroup' | 'ipc' | 'mnt' | 'net' | 'pid' | 'user' | 'uts' | 'time';

export const INITIAL_NS_INODE: Record<NamespaceKind, number> = {
  time: 4026531834,
  cgroup: 4026531835,
  pid: 4026531836,
  user: 4026531837,
  uts: 4026531838,
  ipc: 4026531839,
  mnt: 4026531841,
  net: 4026531840,
};

let nextInode = 4026532000;

export class Namespace {
  readonly inode: number;
  constructor(
    readonly kind: NamespaceKind,
    initial: boolean,
  ) {
    this.inode = initial ? INITIAL_NS_INODE[kind] : nextInode++;
  }

  /** How readlink(/proc/<pid>/ns/<kind>) reads. */
  get link(): string {
    return `${this.kind}:[${this.inode}]`;
  }
}

/** Hostname and NIS domain name (uname's nodename and domainname). */
export class UtsNamespace extends Namespace {
  constructor(
    public hostname: string,
    public domainname = '(none)',
    initial = false,
  ) {
    super('uts', initial);
  }
  clone(): UtsNamespace {
    return new UtsNamespace(this.hostname, this.domainname);
  }
}

/** One line of a uid_map / gid_map: ids [inside, inside+count) are [outside, …) in the parent. */
export interface IdMapping {
  inside: number;
  outside: number;
  count: number;
}

/** A user namespace: who root inside is in the parent's view (uid_map/gid_map). */
export class UserNamespace extends Namespace {
  uidMap: IdMapping[];
  gidMap: IdMapping[];
  constructor(
    readonly parent: UserNamespace | null,
    uidMap: IdMapping[] = [],
    gidMap: IdMapping[] = [],
  ) {
    super('user', parent === null);
    // The initial namespace maps every id to itself.
    const identity = [{ inside: 0, outside: 0, count: 4294967295 }];
    this.uidMap = parent === null ? identity : uidMap;
    this.gidMap = parent === null ? identity : gidMap;
  }

  /** An id inside → the initial namespace's id, or 65534 (overflow id) if unmapped. */
  uidToHost(uid: number): number {
    return this.toHost(uid, 'uidMap');
  }
  gidToHost(gid: number): number {
    return this.toHost(gid, 'gidMap');
  }
  /** A host id → the id seen inside, or 65534 if unmapped (how ls shows foreign owners). */
  uidFromHost(uid: number): number {
    return this.fromHost(uid, 'uidMap');
  }
  gidFromHost(gid: number): number {
    return this.fromHost(gid, 'gidMap');
  }

  private toHost(id: number, which: 'uidMap' | 'gidMap'): number {
    let ns: UserNamespace | null = this as UserNamespace | null;
    let v = id;
    while (ns !== null && ns.parent !== null) {
      const m: IdMapping | undefined = ns[which].find((x) => v >= x.inside && v < x.inside + x.count);
      if (m === undefined) return 65534;
      v = m.outside + (v - m.inside);
      ns = ns.parent;
    }
    return v;
  }

  private fromHost(id: number, which: 'uidMap' | 'gidMap'): number {
    const chain: UserNamespace[] = [];
    for (let ns = this as UserNamespace | null; ns !== null && ns.parent !== null; ns = ns.parent)
      chain.unshift(ns);
    let v = id;
    for (const ns of chain) {
      const m = ns[which].find((x) => v >= x.outside && v < x.outside + x.count);
      if (m === undefined) return 65534;
      v = m.inside + (v - m.outside);
    }
    return v;
  }

  /** The uid_map file text, as Linux prints it. */
  render(which: 'uidMap' | 'gidMap'): string {
    return this[which]
      .map(
        (m) =>
          `${String(m.inside).padStart(10)} ${String(m.outside).padStart(10)} ${String(m.count).padStart(10)}\n`,
      )
      .join('');
  }
}

/** The namespaces a process is in (Linux's nsproxy plus its pid and user namespaces). */
export interface NamespaceSet {
  uts: UtsNamespace;
  ipc: Namespace;
  net: Namespace;
  user: UserNamespace;
  cgroup: Namespace;
  time: Namespace;
  pid: import('./pid-namespace.js').PidNamespace;
  mnt: Namespace;
}
