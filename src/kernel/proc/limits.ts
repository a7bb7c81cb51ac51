/**
 * Enforcing cgroup and rlimit limits on running processes. Memory grows inside a worker
 * without any syscall (memory.grow), and a busy loop makes none either, so a timer checks
 * every few milliseconds while a watched process lives: past memory.max the largest
 * process of the cgroup is OOM-killed (SIGKILL, status 137, memory.events oom_kill), past
 * RLIMIT_CPU a process gets SIGXCPU. cpu.max quota is enforced at syscall boundaries
 * (see `throttle`): a program that makes no syscalls cannot be paused, only killed.
 */
import type { Cgroup } from '../cgroup/cgroup.js';
import type { Kernel } from './kernel.js';
import type { Process } from './process.js';
import { Signal } from './signals.js';

export const TICK_MS = 5;

interface Period {
  start: number;
  usageAtStart: number;
}

export class LimitEnforcer {
  private readonly watched = new Set<Process>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly periods = new WeakMap<Cgroup<Process>, Period>();

  constructor(private readonly kernel: Kernel) {}

  /** Watch `proc` if any limit applies to it. */
  watch(proc: Process): void {
    if (!proc.cgroup.limited() && proc.cpuLimitSec === Infinity) return;
    this.watched.add(proc);
    if (this.timer === null) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.watched.clear();
  }

  /** Check every watched process's limits now. */
  tick(): void {
    const groups = new Set<Cgroup<Process>>();
    for (const p of this.watched) {
      if (!p.alive) {
        this.watched.delete(p);
        continue;
      }
      for (const c of p.cgroup.chain()) if (c.memoryMax !== Infinity) groups.add(c);
      if (p.totalCpuUs() > p.cpuLimitSec * 1e6 && !p.pending.includes(Signal.SIGXCPU)) {
        this.kernel.emit({ type: 'limit', limit: 'RLIMIT_CPU', cgroup: p.cgroup.path, pid: p.hostPid });
        this.kernel.signal(p, Signal.SIGXCPU);
      }
    }
    for (const c of groups) this.checkMemory(c);
    if (this.watched.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Over memory.max: OOM-kill the process using the most memory in the cgroup. */
  checkMemory(c: Cgroup<Process>): void {
    if (c.memoryCurrent() <= c.memoryMax) return;
    c.memoryEvents.max++;
    let victim: Process | null = null;
    for (const g of c.subtree())
      for (const m of g.members)
        if (m.alive && (victim === null || m.memoryBytes() > victim.memoryBytes())) victim = m;
    c.memoryEvents.oom++;
    this.kernel.emit({ type: 'limit', limit: 'memory.max', cgroup: c.path, pid: victim?.hostPid });
    if (victim === null) return;
    c.memoryEvents.oom_kill++;
    this.kernel.emit({ type: 'oom', pid: victim.hostPid, cgroup: c.path });
    this.kernel.kill(victim, Signal.SIGKILL);
  }

  /**
   * If `proc`'s cgroup (or an ancestor) has used its cpu.max quota in the current period,
   * the time (performance.now ms) until which it must wait; else null.
   */
  throttle(proc: Process): number | null {
    if (!this.watched.has(proc)) return null;
    let until: number | null = null;
    const now = performance.now();
    for (const c of proc.cgroup.chain()) {
      if (c.cpuQuotaUs === Infinity) continue;
      const periodMs = c.cpuPeriodUs / 1000;
      let p = this.periods.get(c);
      if (p === undefined || now >= p.start + periodMs) {
        const elapsed = p === undefined ? 1 : Math.floor((now - p.start) / periodMs);
        c.nrPeriods += elapsed;
        p = { start: p === undefined ? now : p.start + elapsed * periodMs, usageAtStart: c.cpuUsageUs() };
        this.periods.set(c, p);
      }
      if (c.cpuUsageUs() - p.usageAtStart >= c.cpuQuotaUs) {
        const end = p.start + periodMs;
        c.nrThrottled++;
        c.throttledUs += Math.round((end - now) * 1000);
        until = until === null ? end : Math.max(until, end);
      }
    }
    return until;
  }
}
