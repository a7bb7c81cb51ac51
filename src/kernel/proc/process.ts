/**
 * A process: one running WASI program with its own fd table, cwd, credentials,
 * environment and namespaces, its place in the process tree, and how it ended.
 */
import type { FileSystem } from '../../vfs/filesystem.js';
import type { Cgroup, CgroupMember } from '../cgroup/cgroup.js';
import type { NamespaceSet } from '../ns/namespace.js';
import type { PidNamespace } from '../ns/pid-namespace.js';
import { WaitQueue } from '../wasi/blocking.js';
import type { WasiHost } from '../wasi/host.js';
import type { SavedStack } from './suspend.js';
import type { ProcessWorker } from './workers.js';

/** How a process ended: an exit code, or the signal that killed it. */
export type ExitStatus = { code: number; signal?: undefined } | { signal: number; code?: undefined };

/** The wait(2) status word: exited → code << 8; killed → signal number. */
export function waitStatus(s: ExitStatus): number {
  return s.signal !== undefined ? s.signal & 0x7f : (s.code & 0xff) << 8;
}

/** A shell's `$?`: the exit code, or 128 + the signal. */
export function exitCode(s: ExitStatus): number {
  return s.signal !== undefined ? 128 + s.signal : s.code & 0xff;
}

export type ProcessState = 'starting' | 'running' | 'zombie' | 'reaped';

/** A syscall waiting for something; `cancel` undoes its registrations. */
export interface Parked {
  resume: () => number | bigint | void;
  cancel: () => void;
}

/** Signal disposition per signal number. */
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SIG_CATCH = 2;

export class Process implements CgroupMember {
  state: ProcessState = 'starting';
  status: ExitStatus | null = null;
  parent: Process | null;
  readonly children = new Set<Process>();
  /** Woken when a child exits (wait/waitpid block on it). */
  readonly childEvents = new WaitQueue();
  /** pid in each pid namespace from the root down (nspids[0] is the host pid). */
  nspids: number[] = [];
  readonly startedAt = performance.now();
  endedAt: number | null = null;
  /** Filled by the kernel when the program runs. */
  wasi!: WasiHost;
  worker: ProcessWorker | null = null;
  channel: Int32Array | null = null;
  memory: WebAssembly.Memory | null = null;
  handlers: ((...args: (number | bigint)[]) => number | bigint | void)[] = [];
  parked: Parked | null = null;
  /**
   * Suspension (suspend.ts): 'unwinding' while its worker unwinds the guest's stack,
   * 'suspended' while it has no worker at all.
   */
  suspension: 'none' | 'unwinding' | 'suspended' = 'none';
  /** The held call's result is in the channel: resume as soon as it is suspended. */
  resumeReady = false;
  /** What a new instance needs to continue it: its globals and asyncify's unwind data. */
  saved: SavedStack | null = null;
  /** Time spent parked in syscalls (not using CPU), ms, and since when it is parked now. */
  parkedMs = 0;
  parkedSince: number | null = null;
  /** CPU time when it joined its current cgroup, µs. */
  cgroupJoinCpuUs = 0;
  /** The pid namespace its children are created in, after unshare(CLONE_NEWPID) or setns. */
  childPidNs: PidNamespace<Process> | null = null;
  /** Its root directory as a path of its mount namespace (chroot / pivot_root move it). */
  rootPath = '/';
  /** The cgroup its cgroup namespace is rooted at (/proc/<pid>/cgroup shows paths below it). */
  cgroupNsRoot = '/';
  /** File mode creation mask (umask), kept for programs and children. */
  umask = 0o022;
  /** RLIMIT_CPU: CPU seconds after which it gets SIGXCPU (Infinity: none). */
  cpuLimitSec = Infinity;
  readonly dispositions = new Uint8Array(65);
  readonly pending: number[] = [];
  /** Resolves with the status when the process exits. */
  readonly exited: Promise<ExitStatus>;
  resolveExit!: (s: ExitStatus) => void;

  /** The executable's path (/proc/PID/exe); argv[0] when the spawner did not say. */
  exe: string | undefined;

  /**
   * Process group and session (host pids; src/kernel/tty/groups.ts). Children start in
   * their parent's; a process without a parent leads its own (0 here = its own pid).
   */
  private groupId = 0;
  private sessionId = 0;
  get pgid(): number {
    return this.groupId || this.hostPid;
  }
  set pgid(id: number) {
    this.groupId = id;
  }
  get sid(): number {
    return this.sessionId || this.hostPid;
  }
  set sid(id: number) {
    this.sessionId = id;
  }

  constructor(
    readonly argv: string[],
    public env: Record<string, string>,
    public cwd: string,
    public uid: number,
    public gid: number,
    public ns: NamespaceSet,
    public root: FileSystem,
    parent: Process | null,
    /** Its cgroup (moved by the kernel: Kernel.moveToCgroup). */
    public cgroup: Cgroup<Process>,
  ) {
    this.parent = parent;
    if (parent !== null) {
      this.groupId = parent.pgid;
      this.sessionId = parent.sid;
    }
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  get hostPid(): number {
    return this.nspids[0]!;
  }

  /** pid as its own namespace numbers it. */
  get pid(): number {
    return this.nspids[this.nspids.length - 1]!;
  }

  /** pid as seen from pid namespace `level` (0 if it is not visible there). */
  pidAt(level: number): number {
    return this.nspids[level] ?? 0;
  }

  /** Bytes of Wasm memory it has now. */
  memoryBytes(): number {
    return this.alive && this.memory !== null ? this.memory.buffer.byteLength : 0;
  }

  /**
   * CPU time used, µs: time alive minus time blocked in syscalls. (A worker that runs is
   * taken to be on a CPU; the kernel cannot see scheduling inside the host.)
   */
  totalCpuUs(): number {
    const end = this.endedAt ?? performance.now();
    const parked = this.parkedMs + (this.parkedSince === null ? 0 : end - this.parkedSince);
    return Math.max(0, Math.round((end - this.startedAt - parked) * 1000));
  }

  /** CPU time used while in its current cgroup, µs. */
  cpuUsec(): number {
    return this.totalCpuUs() - this.cgroupJoinCpuUs;
  }

  /** A syscall of it is parked: the scheduler must not serve its channel again. */
  get busy(): boolean {
    return this.parked !== null || this.suspension !== 'none';
  }

  get alive(): boolean {
    return this.state === 'starting' || this.state === 'running';
  }

  /** Command name (comm): the basename of argv[0], 15 bytes at most like Linux. */
  get comm(): string {
    const a = this.argv[0] ?? '';
    return a.slice(a.lastIndexOf('/') + 1).slice(0, 15);
  }
}
