/**
 * A pid namespace: its own pid numbering starting at 1, nested in its parent (a process
 * has a pid in its namespace and in every ancestor, which /proc/<pid>/status shows as
 * NSpid). The first process of a new namespace is its init: orphans are re-parented to it, and
 * when it exits every other process in the namespace is killed.
 */
import { Namespace } from './namespace.js';

/** What a pid namespace needs to know of a process. */
export interface PidOwner {
  readonly hostPid: number;
}

export class PidNamespace<P extends PidOwner = PidOwner> extends Namespace {
  readonly level: number;
  /** The initial namespace keeps pid 1 for the kernel itself (the host's init). */
  private next: number;
  /** pid in this namespace → process. */
  readonly members = new Map<number, P>();
  /** The process that took pid 1, once it exists. */
  init: P | null = null;

  constructor(readonly parent: PidNamespace<P> | null) {
    super('pid', parent === null);
    this.level = parent === null ? 0 : parent.level + 1;
    this.next = parent === null ? 2 : 1;
  }

  /** Allocate a pid here and in every ancestor; returns them from the root down. */
  allocate(proc: P): number[] {
    const chain: PidNamespace<P>[] = [];
    for (let ns = this as PidNamespace<P> | null; ns !== null; ns = ns.parent) chain.unshift(ns);
    return chain.map((ns) => ns.take(proc));
  }

  private take(proc: P): number {
    // Linux wraps at pid_max (4194304) and skips pids in use.
    let pid = this.next;
    while (this.members.has(pid)) pid = pid >= 4194304 ? 300 : pid + 1;
    this.next = pid >= 4194304 ? 300 : pid + 1;
    this.members.set(pid, proc);
    if (pid === 1 && this.parent !== null) this.init = proc;
    return pid;
  }

  release(pid: number): void {
    this.members.delete(pid);
  }

  /** Is `ns` this namespace or a descendant of it? */
  contains(ns: PidNamespace<P>): boolean {
    for (let n: PidNamespace<P> | null = ns; n !== null; n = n.parent) if (n === this) return true;
    return false;
  }
}
