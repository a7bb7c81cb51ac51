/**
 * A cgroup v2 hierarchy with the memory, pids and cpu controllers. Limits are set the way
 * /sys/fs/cgroup files set them; accounting is live: memory is the processes' Wasm memory
 * plus the bytes charged by filesystems the cgroup owns (a container's tmpfs and upper
 * layer), pids the processes in the subtree, cpu the time they spend running.
 * The kernel enforces the limits (src/kernel/proc/limits.ts).
 */
import { FsError } from '../../vfs/errno.js';

/** What a cgroup needs to know about a member process. */
export interface CgroupMember {
  readonly hostPid: number;
  /** Bytes of its Wasm memory now. */
  memoryBytes(): number;
  /** CPU time used so far, in microseconds. */
  cpuUsec(): number;
  readonly alive: boolean;
}

export interface MemoryEvents {
  low: number;
  high: number;
  max: number;
  oom: number;
  oom_kill: number;
}

const NAME = /^[^/\0]{1,255}$/;

export class Cgroup<M extends CgroupMember = CgroupMember> {
  readonly children = new Map<string, Cgroup<M>>();
  readonly members = new Set<M>();
  /** Limits; Infinity = "max". */
  memoryMax = Infinity;
  memoryHigh = Infinity;
  pidsMax = Infinity;
  /** cpu.max: quota per period in µs (Infinity = no quota). */
  cpuQuotaUs = Infinity;
  cpuPeriodUs = 100000;
  /** Counters. */
  memoryPeak = 0;
  readonly memoryEvents: MemoryEvents = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0 };
  pidsEventsMax = 0;
  nrPeriods = 0;
  nrThrottled = 0;
  throttledUs = 0;
  /** CPU time of members that have left (exited or moved out), µs. */
  retiredCpuUs = 0;
  /** Byte counts charged to this cgroup besides process memory (tmpfs, upper layers). */
  readonly charges = new Set<() => number>();

  constructor(
    readonly name: string,
    readonly parent: Cgroup<M> | null,
  ) {}

  get path(): string {
    if (this.parent === null) return '/';
    const up = this.parent.path;
    return up === '/' ? `/${this.name}` : `${up}/${this.name}`;
  }

  /** This cgroup and its ancestors, nearest first. */
  *chain(): Generator<Cgroup<M>> {
    for (let c = this as Cgroup<M> | null; c !== null; c = c.parent) yield c;
  }

  *subtree(): Generator<Cgroup<M>> {
    yield this;
    for (const c of this.children.values()) yield* c.subtree();
  }

  memoryCurrent(): number {
    let n = 0;
    for (const c of this.subtree()) {
      for (const m of c.members) if (m.alive) n += m.memoryBytes();
      for (const charge of c.charges) n += charge();
    }
    if (n > this.memoryPeak) this.memoryPeak = n;
    return n;
  }

  pidsCurrent(): number {
    let n = 0;
    for (const c of this.subtree()) for (const m of c.members) if (m.alive) n++;
    return n;
  }

  cpuUsageUs(): number {
    let n = 0;
    for (const c of this.subtree()) {
      n += c.retiredCpuUs;
      for (const m of c.members) n += m.cpuUsec();
    }
    return n;
  }

  /** Is any limit set here or above (so the kernel must watch this cgroup's members)? */
  limited(): boolean {
    for (const c of this.chain())
      if (c.memoryMax !== Infinity || c.pidsMax !== Infinity || c.cpuQuotaUs !== Infinity) return true;
    return false;
  }

  /** mkdir in /sys/fs/cgroup. */
  mkdir(name: string): Cgroup<M> {
    if (!NAME.test(name) || name === '.' || name === '..') throw new FsError('EINVAL', 'mkdir');
    if (this.children.has(name)) throw new FsError('EEXIST', 'mkdir');
    const c = new Cgroup<M>(name, this);
    this.children.set(name, c);
    return c;
  }

  /** rmdir: only an empty cgroup (no live members, no children), never the root. */
  rmdir(): void {
    if (this.parent === null) throw new FsError('EBUSY', 'rmdir');
    if (this.children.size > 0 || [...this.members].some((m) => m.alive)) throw new FsError('EBUSY', 'rmdir');
    this.parent.children.delete(this.name);
  }

  /** The cgroup at `path` below this one ('/a/b'), or null. */
  lookup(path: string): Cgroup<M> | null {
    let c = this as Cgroup<M> | null;
    for (const part of path.split('/').filter((p) => p !== '' && p !== '.')) {
      if (c === null) return null;
      c = part === '..' ? (c.parent ?? c) : (c.children.get(part) ?? null);
    }
    return c;
  }
}

/** Parse a limit as the cgroup files take it: "max" or a number of bytes / a count. */
export function parseLimit(text: string): number {
  const t = text.trim();
  if (t === 'max') return Infinity;
  if (!/^\d+$/.test(t)) throw new FsError('EINVAL', 'write');
  return Number(t);
}

/** Render a limit: Infinity → "max". */
export function renderLimit(n: number): string {
  return n === Infinity ? 'max' : String(n);
}
