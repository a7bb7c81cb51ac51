/**
 * The emulated kernel: a process table of WASI programs running in workers, their
 * syscalls served on this thread, signals, waits, pid namespaces, and the events a host
 * (runtime, CLI, playground) subscribes to.
 */
import { InvalidArgumentError, ResourceLimitError } from '../../errors.js';
import { Cgroup } from '../cgroup/cgroup.js';
import { MountFs } from '../mnt/mount-fs.js';
import { MountNamespace } from '../mnt/mount-namespace.js';
import type { FileSystem } from '../../vfs/filesystem.js';
import { Namespace, UserNamespace, UtsNamespace, type NamespaceSet } from '../ns/namespace.js';
import { PidNamespace } from '../ns/pid-namespace.js';
import { WouldBlock } from '../wasi/blocking.js';
import { WasiErrno } from '../wasi/errno.js';
import { preopenEntry, releaseEntry, WasiExit, WasiHost, type Entry } from '../wasi/host.js';
import {
  ACTION,
  ACTION_CONTINUE,
  ACTION_EXIT,
  ACTION_SIGNAL,
  ARGS_BYTE,
  Control,
  INDEX,
  newChannel,
  newDoorbell,
  RESPONSE,
  RESULT,
  RESULT64_BYTE,
  STATE,
  VALUE,
} from './channel.js';
import { extensionImports } from './extension.js';
import { MEMORY_IMPORT, ModuleCache, type Program } from './module-cache.js';
import { Process, SIG_CATCH, SIG_IGN, type ExitStatus } from './process.js';
import { LimitEnforcer } from './limits.js';
import { Scheduler } from './scheduler.js';
import { requestSuspend, SUSPEND_AFTER_MS, type SavedStack } from './suspend.js';
import { catchable, Signal, terminatesByDefault, trapSignal } from './signals.js';
import type { ProcessWorker, WorkerFactory } from './workers.js';

export type KernelEvent =
  | { type: 'start'; pid: number; argv: string[] }
  | { type: 'exit'; pid: number; status: ExitStatus }
  | { type: 'signal'; pid: number; signal: number }
  | { type: 'error'; pid: number; message: string }
  /** A spawn refused an ELF program (the emulated kernel runs WebAssembly only). */
  | { type: 'exec-format'; pid: number; path: string; platform: string }
  | { type: 'oom'; pid: number; cgroup: string }
  | {
      type: 'limit';
      limit: 'memory.max' | 'pids.max' | 'cpu.max' | 'RLIMIT_CPU';
      cgroup: string;
      pid?: number;
    };

export interface KernelOptions {
  workers: WorkerFactory;
  /** Idle workers kept ready (default 2). */
  pool?: number;
  /**
   * A suspendable program's call parked this long gives its worker back (ms; default
   * SUSPEND_AFTER_MS; Infinity: never). See suspend.ts.
   */
  suspendAfterMs?: number;
  hostname?: string;
}

/** Which new namespaces a spawn creates (unshare/clone flags). */
export interface NewNamespaces {
  pid?: boolean;
  uts?: boolean;
  ipc?: boolean;
  net?: boolean;
  mnt?: boolean;
  cgroup?: boolean;
  user?: {
    uidMap: { inside: number; outside: number; count: number }[];
    gidMap: { inside: number; outside: number; count: number }[];
  };
}

export interface SpawnOptions {
  /** The program: module bytes or an already loaded Program. */
  program: Uint8Array | Program;
  argv: string[];
  /** The executable's path, for /proc/PID/exe (default argv[0]). */
  exe?: string;
  env?: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** The filesystem the process sees as `/` (preopened as fd 3). */
  root: FileSystem;
  /** fd 0, 1, 2, … (undefined = closed). */
  fds?: (Entry | undefined)[];
  parent?: Process | null;
  /** Namespaces to join (default: the parent's, or the initial ones). */
  ns?: NamespaceSet;
  /** Namespaces to create for it. */
  unshare?: NewNamespaces;
  /** Its cgroup (default: the parent's, or the root). */
  cgroup?: Cgroup<Process>;
  /** RLIMIT_CPU in seconds: past it the process gets SIGXCPU. */
  cpuLimitSec?: number;
  /** The root of its cgroup namespace (default: its parent's, or '/'). */
  cgroupNsRoot?: string;
}

const E = WasiErrno;

export class Kernel {
  readonly doorbell = newDoorbell();
  readonly modules = new ModuleCache();
  readonly initialNs: NamespaceSet;
  /** Every process not yet reaped, by host pid. */
  readonly processes = new Map<number, Process>();
  /** The cgroup v2 hierarchy (its root is /sys/fs/cgroup). */
  readonly cgroups = new Cgroup<Process>('', null);
  private readonly limits: LimitEnforcer;
  private readonly running = new Set<Process>();
  private readonly idle: ProcessWorker[] = [];
  private readonly listeners = new Set<(e: KernelEvent) => void>();
  private readonly scheduler: Scheduler<Process>;
  private readonly workerOwner = new Map<ProcessWorker, Process | null>();
  /** Program digests each worker already holds (it caches them). */
  private readonly workerPrograms = new WeakMap<ProcessWorker, Set<string>>();
  private readonly programs = new WeakMap<Process, Program>();
  /** The process whose syscall is being served (Linux's `current`), for /proc/self and the like. */
  current: Process | null = null;
  /** performance.now() when the kernel started (/proc/uptime, process start times). */
  readonly bootTime = performance.now();
  /** Memory the kernel reports as MemTotal where no cgroup limit is lower. */
  memoryTotal = 2 ** 31;
  /** CPUs reported in /proc/cpuinfo. */
  readonly cpus =
    typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  /** Kernel work nesting depth, and wakeups deferred until the current work is done. */
  private depth = 0;
  private readonly deferred: (() => void)[] = [];

  constructor(private readonly opts: KernelOptions) {
    const pid = new PidNamespace<Process>(null);
    this.initialNs = {
      pid,
      uts: new UtsNamespace(opts.hostname ?? 'berth', '(none)', true),
      ipc: new Namespace('ipc', true),
      net: new Namespace('net', true),
      mnt: new Namespace('mnt', true),
      cgroup: new Namespace('cgroup', true),
      time: new Namespace('time', true),
      user: new UserNamespace(null),
    };
    this.scheduler = new Scheduler(
      this.doorbell,
      () => this.running,
      (p) => this.atTop(() => this.serve(p)),
    );
    this.limits = new LimitEnforcer(this);
    for (let i = 0; i < (opts.pool ?? 2); i++) this.idle.push(this.newWorker());
  }

  /** Process workers (threads) alive now, running or idle in the pool. */
  get workerCount(): number {
    return this.workerOwner.size;
  }

  /** Subscribe to process events; returns the unsubscribe function. */
  on(listener: (e: KernelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal for LimitEnforcer */
  emit(e: KernelEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Start a program. Rejects with InvalidArgumentError for a bad module or unknown imports. */
  async spawn(opts: SpawnOptions): Promise<Process> {
    const program = opts.program instanceof Uint8Array ? await this.modules.load(opts.program) : opts.program;
    return this.spawnProgram(program, opts);
  }

  /** Start an already loaded program synchronously (used by the spawn syscall). */
  spawnProgram(program: Program, opts: SpawnOptions): Process {
    const parent = opts.parent ?? null;
    const cgroup = opts.cgroup ?? parent?.cgroup ?? this.cgroups;
    for (const c of cgroup.chain())
      if (c.pidsCurrent() >= c.pidsMax) {
        c.pidsEventsMax++;
        this.emit({ type: 'limit', limit: 'pids.max', cgroup: c.path, pid: parent?.hostPid });
        for (const e of opts.fds ?? []) if (e !== undefined) releaseEntry(e);
        throw new ResourceLimitError(`cgroup ${c.path}: pids.max (${c.pidsMax}) reached`);
      }
    const initialBytes = (program.memory?.min ?? 0) * 65536;
    for (const c of cgroup.chain())
      if (initialBytes > c.memoryMax) {
        for (const e of opts.fds ?? []) if (e !== undefined) releaseEntry(e);
        throw new ResourceLimitError(
          `${opts.argv[0] ?? 'program'}: its initial memory (${initialBytes} bytes) exceeds memory.max of cgroup ${c.path} (${c.memoryMax})`,
        );
      }
    const inherited =
      opts.ns ??
      (parent === null ? this.initialNs : { ...parent.ns, pid: parent.childPidNs ?? parent.ns.pid });
    // A copy: the mount namespace set below must not change the parent's set.
    const ns = { ...this.namespacesFor(inherited, opts.unshare) };
    // Every process has a real mount namespace: a plain root filesystem gets its own.
    let root = opts.root;
    if (!(root instanceof MountFs)) {
      const mnt = new MountNamespace({ fs: root, fstype: 'rootfs', source: 'rootfs' });
      ns.mnt = mnt;
      root = mnt.view();
    } else if (opts.unshare?.mnt && ns.mnt instanceof MountNamespace) root = ns.mnt.view(root.rootPath);
    else ns.mnt = root.ns; // a view names its namespace
    const proc = new Process(
      opts.argv,
      { ...(opts.env ?? {}) },
      opts.cwd ?? '/',
      opts.uid ?? 0,
      opts.gid ?? 0,
      ns,
      root,
      parent,
      cgroup,
    );
    if (root instanceof MountFs) proc.rootPath = root.rootPath;
    if (opts.exe !== undefined) proc.exe = opts.exe;
    // /proc/self/cgroup paths are relative to this (cgroup namespaces are inherited)
    proc.cgroupNsRoot = opts.cgroupNsRoot ?? parent?.cgroupNsRoot ?? '/';
    proc.cpuLimitSec = opts.cpuLimitSec ?? parent?.cpuLimitSec ?? Infinity;
    // the umask is inherited, as across fork and exec
    if (parent !== null) proc.umask = parent.umask;
    // fd 3 is always the root preopen: wasi-libc finds preopens by scanning up from 3.
    const fds = [...(opts.fds ?? [])];
    if (fds[3] === undefined) fds[3] = preopenEntry({ guestPath: '/', fs: root });
    proc.wasi = new WasiHost({
      args: opts.argv,
      env: proc.env,
      fds,
      kernelMode: true,
      umask: () => proc.umask,
      owner: () => proc,
    });
    const table = { wasi_snapshot_preview1: proc.wasi.imports(), ...extensionImports(this, proc) };
    proc.handlers = program.imports.map((spec) => {
      const fn = (table as Record<string, Record<string, unknown>>)[spec.module]?.[spec.name];
      if (typeof fn !== 'function') {
        for (const e of fds) if (e !== undefined) releaseEntry(e);
        throw new InvalidArgumentError(`unknown import: ${spec.module}::${spec.name} has not been defined`);
      }
      return fn as (...a: (number | bigint)[]) => number | bigint | void;
    });
    proc.nspids = ns.pid.allocate(proc);
    this.processes.set(proc.hostPid, proc);
    parent?.children.add(proc);
    cgroup.members.add(proc);
    this.limits.watch(proc);
    this.programs.set(proc, program);
    this.run(proc, program);
    this.emit({ type: 'start', pid: proc.hostPid, argv: proc.argv });
    return proc;
  }

  private namespacesFor(base: NamespaceSet, unshare: NewNamespaces | undefined): NamespaceSet {
    if (unshare === undefined) return base;
    const ns = { ...base };
    if (unshare.user) ns.user = new UserNamespace(base.user, unshare.user.uidMap, unshare.user.gidMap);
    if (unshare.pid) ns.pid = new PidNamespace<Process>(base.pid as PidNamespace<Process>);
    if (unshare.uts) ns.uts = base.uts.clone();
    if (unshare.ipc) ns.ipc = new Namespace('ipc', false);
    if (unshare.net) ns.net = new Namespace('net', false);
    if (unshare.mnt)
      ns.mnt = base.mnt instanceof MountNamespace ? base.mnt.clone() : new Namespace('mnt', false);
    if (unshare.cgroup) ns.cgroup = new Namespace('cgroup', false);
    return ns;
  }

  private run(proc: Process, program: Program): void {
    const memory =
      program.memory === null
        ? null
        : new WebAssembly.Memory({ initial: program.memory.min, maximum: program.memory.max, shared: true });
    proc.memory = memory;
    if (memory !== null) proc.wasi.bindMemory(memory);
    proc.channel = new Int32Array(newChannel());
    proc.state = 'running';
    this.running.add(proc);
    this.dispatch(proc, program);
    this.scheduler.start();
  }

  /** Give `proc` a worker and start (or, with `resume`, continue) its program there. */
  private dispatch(proc: Process, program: Program, resume?: SavedStack): void {
    const worker = this.idle.pop() ?? this.newWorker();
    proc.worker = worker;
    this.workerOwner.set(worker, proc);
    worker.keepAlive?.(true);
    let known = this.workerPrograms.get(worker);
    if (known === undefined) this.workerPrograms.set(worker, (known = new Set()));
    const first = !known.has(program.digest);
    known.add(program.digest);
    worker.post({
      type: 'run',
      digest: program.digest,
      module: first ? program.module : undefined,
      imports: first ? program.imports : undefined,
      memory: proc.memory,
      memoryImport: proc.memory === null ? null : MEMORY_IMPORT,
      channel: proc.channel!.buffer,
      doorbell: this.doorbell.buffer,
      suspend: program.suspend,
      resume,
    });
  }

  /** A worker is free again: keep it for the next process, or end it if the pool is full. */
  private release(w: ProcessWorker): void {
    this.workerOwner.set(w, null);
    w.keepAlive?.(false);
    if (this.idle.length < (this.opts.pool ?? 2)) this.idle.push(w);
    else {
      this.workerOwner.delete(w);
      w.terminate();
    }
  }

  /** The parked call of `proc` has waited long enough: ask its worker to suspend it. */
  private suspend(proc: Process): void {
    if (!proc.alive || proc.parked === null || proc.suspension !== 'none' || proc.worker === null) return;
    if (requestSuspend(proc.channel!)) proc.suspension = 'unwinding';
  }

  /** Continue a suspended process whose call has completed, in any worker. */
  private resume(proc: Process): void {
    const saved = proc.saved!;
    proc.suspension = 'none';
    proc.resumeReady = false;
    proc.saved = null;
    Atomics.store(proc.channel!, STATE, RESPONSE);
    this.dispatch(proc, this.programs.get(proc)!, saved);
  }

  private newWorker(): ProcessWorker {
    const w = this.opts.workers.create();
    w.keepAlive?.(false);
    this.workerOwner.set(w, null);
    w.onMessage((m) => this.onWorkerMessage(w, m as WorkerMessage));
    return w;
  }

  private onWorkerMessage(w: ProcessWorker, m: WorkerMessage): void {
    const proc = this.workerOwner.get(w) ?? null;
    if (m.type === 'done') {
      this.release(w);
    } else if (m.type === 'suspended' && proc !== null) {
      this.release(w);
      proc.worker = null;
      if (!proc.alive) return;
      proc.suspension = 'suspended';
      proc.saved = { globals: m.globals!, data: m.data! };
      if (proc.resumeReady) this.atTop(() => this.resume(proc));
    } else if (m.type === 'declined' && proc !== null) {
      // still held by its worker (see suspend.ts); a result that came meanwhile goes to it now
      proc.suspension = 'none';
      if (proc.resumeReady && proc.alive) {
        proc.resumeReady = false;
        Atomics.store(proc.channel!, STATE, RESPONSE);
        Atomics.notify(proc.channel!, STATE);
      }
    } else if (m.type === 'error' && proc !== null) {
      // The instance could not be created (e.g. memory beyond what the host allows).
      this.emit({ type: 'error', pid: proc.hostPid, message: m.message ?? 'instantiation failed' });
      const err = proc.wasi.fds[2];
      if (err?.type === 'stdio') err.write?.(new TextEncoder().encode(`berth: ${m.message}\n`));
      this.workerOwner.set(w, null);
      w.keepAlive?.(false);
      this.idle.push(w);
      proc.worker = null;
      proc.suspension = 'none';
      this.exit(proc, { code: 126 });
    }
  }

  /** Serve one pending request of `proc`. */
  private serve(proc: Process): void {
    const ch = proc.channel!;
    const index = ch[INDEX]!;
    if (index === Control.Returned) return this.finish(proc, { code: 0 });
    if (index === Control.Trapped) {
      const sig = trapSignal(ch[ARGS_BYTE / 4]!);
      this.emit({ type: 'signal', pid: proc.hostPid, signal: sig });
      return this.finish(proc, { signal: sig });
    }
    const spec = this.programs.get(proc)!.imports[index]!;
    const fn = proc.handlers[index]!;
    const args: (number | bigint)[] = [];
    const big = new BigInt64Array(ch.buffer);
    const f64 = new Float64Array(ch.buffer);
    for (let k = 0; k < spec.params.length; k++) {
      const kind = spec.params[k];
      args.push(
        kind === 'I'
          ? big[ARGS_BYTE / 8 + k]!
          : kind === 'i'
            ? ch[ARGS_BYTE / 4 + 2 * k]!
            : f64[ARGS_BYTE / 8 + k]!,
      );
    }
    const call = (): number | bigint | void => fn(...args);
    const until = this.limits.throttle(proc);
    if (until !== null) return this.park(proc, new WouldBlock([], until, call), call, spec.result);
    this.invoke(proc, call, spec.result);
  }

  private invoke(proc: Process, call: () => number | bigint | void, result: string): void {
    let r: number | bigint | void;
    const previous = this.current;
    this.current = proc;
    try {
      r = call();
    } catch (e) {
      if (e instanceof WouldBlock) return this.park(proc, e, e.resume ?? call, result);
      if (e instanceof WasiExit) return this.finish(proc, { code: e.code });
      if (e instanceof ProcessGone) return;
      // A bug in berth, not the guest: end the process (SIGSYS) and say why.
      this.emit({
        type: 'error',
        pid: proc.hostPid,
        message: e instanceof Error ? (e.stack ?? e.message) : String(e),
      });
      return this.kill(proc, Signal.SIGSYS);
    } finally {
      this.current = previous;
    }
    this.respond(proc, r, result);
  }

  private respond(proc: Process, r: number | bigint | void, result: string): void {
    if (!proc.alive || proc.channel === null) return;
    const ch = proc.channel;
    if (result === 'I') new BigInt64Array(ch.buffer)[RESULT64_BYTE / 8] = BigInt(r ?? 0);
    else ch[RESULT] = Number(r ?? 0);
    const sig = this.nextCaught(proc);
    ch[ACTION] = sig === 0 ? ACTION_CONTINUE : ACTION_SIGNAL;
    ch[VALUE] = sig;
    if (proc.suspension !== 'none') {
      // its worker is unwinding (or gone): the result waits in the channel for the resume
      proc.resumeReady = true;
      if (proc.suspension === 'suspended') this.resume(proc);
      return;
    }
    Atomics.store(ch, STATE, RESPONSE);
    Atomics.notify(ch, STATE);
  }

  /** A pending signal the process catches, taken off the queue, or 0. */
  private nextCaught(proc: Process): number {
    const i = proc.pending.findIndex((s) => proc.dispositions[s] === SIG_CATCH);
    if (i < 0) return 0;
    return proc.pending.splice(i, 1)[0]!;
  }

  private park(proc: Process, wb: WouldBlock, resume: () => number | bigint | void, result: string): void {
    const wake = (): void =>
      this.atTop(() => {
        if (proc.parked === null) return;
        proc.parked.cancel();
        proc.parked = null;
        this.unparked(proc);
        if (!proc.alive) return;
        this.invoke(proc, resume, result);
      });
    const cancels = wb.queues.map((q) => q.wait(wake));
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (wb.deadline !== undefined) timer = setTimeout(wake, Math.max(0, wb.deadline - performance.now()));
    // a suspendable program waiting long enough gives its worker back (suspend.ts)
    const after = this.opts.suspendAfterMs ?? SUSPEND_AFTER_MS;
    let idle: ReturnType<typeof setTimeout> | undefined;
    if (
      this.programs.get(proc)?.suspend &&
      after !== Infinity &&
      (wb.deadline ?? Infinity) - performance.now() > after
    )
      idle = setTimeout(() => this.suspend(proc), after);
    proc.parkedSince ??= performance.now();
    proc.parked = {
      resume,
      cancel: () => {
        for (const c of cancels) c();
        if (timer !== undefined) clearTimeout(timer);
        if (idle !== undefined) clearTimeout(idle);
      },
    };
  }

  private unparked(proc: Process): void {
    if (proc.parkedSince !== null) proc.parkedMs += performance.now() - proc.parkedSince;
    proc.parkedSince = null;
  }

  /**
   * Run kernel work, or — when called from inside other kernel work (a pipe write waking
   * its reader) — queue it to run right after, so no syscall runs inside another.
   */
  private atTop(work: () => void): void {
    if (this.depth > 0) {
      this.deferred.push(work);
      return;
    }
    this.depth++;
    try {
      work();
      for (let next = this.deferred.shift(); next !== undefined; next = this.deferred.shift()) next();
    } finally {
      this.depth--;
    }
  }

  /** The process ended through the channel (exit, return, trap): tell its worker to unwind. */
  private finish(proc: Process, status: ExitStatus): void {
    this.exit(proc, status);
    const ch = proc.channel;
    if (ch === null || proc.suspension === 'suspended') return;
    ch[ACTION] = ACTION_EXIT;
    Atomics.store(ch, STATE, RESPONSE);
    Atomics.notify(ch, STATE);
  }

  /**
   * Send `sig` to `proc` (kill(2)). `from` is the sender, for the rule that a pid
   * namespace's init ignores signals from inside its namespace that it has no handler for.
   */
  signal(proc: Process, sig: number, from: Process | null = null): void {
    if (!proc.alive || sig === 0) return;
    const isInit = proc.ns.pid.init === proc && proc.ns.pid.level > 0;
    const fromInside = from !== null && proc.ns.pid.contains(from.ns.pid);
    const disposition = proc.dispositions[sig] ?? 0;
    if (catchable(sig) && disposition === SIG_IGN) return;
    if (catchable(sig) && disposition === SIG_CATCH) {
      proc.pending.push(sig);
      this.emit({ type: 'signal', pid: proc.hostPid, signal: sig });
      // Interrupt a blocked syscall with EINTR; the handler runs as it returns.
      if (proc.parked !== null) {
        proc.parked.cancel();
        proc.parked = null;
        this.unparked(proc);
        this.respond(proc, E.INTR, this.programs.get(proc)!.imports[proc.channel![INDEX]!]?.result ?? 'i');
      }
      return;
    }
    // An init gets only the signals it has handlers for — from inside, and from an
    // ancestor namespace too except SIGKILL/SIGSTOP (pid_namespaces(7)), so `docker stop`
    // of a shell that does not trap TERM waits for its SIGKILL, as on Linux.
    if (isInit && (fromInside || catchable(sig))) return;
    if (!terminatesByDefault(sig)) return;
    this.emit({ type: 'signal', pid: proc.hostPid, signal: sig });
    this.kill(proc, sig);
  }

  /** End `proc` at once, as killed by `sig` (its worker is terminated, even mid-loop). */
  kill(proc: Process, sig: number): void {
    if (!proc.alive) return;
    const w = proc.worker;
    if (w !== null) {
      this.workerOwner.delete(w);
      w.terminate();
      proc.worker = null;
    }
    this.exit(proc, { signal: sig });
    // Keep the pool full for the next spawn.
    if (this.idle.length < (this.opts.pool ?? 2)) this.idle.push(this.newWorker());
  }

  private exit(proc: Process, status: ExitStatus): void {
    if (!proc.alive) return;
    proc.state = 'zombie';
    proc.status = status;
    proc.endedAt = performance.now();
    this.running.delete(proc);
    if (proc.parked !== null) {
      proc.parked.cancel();
      proc.parked = null;
    }
    proc.cgroup.retiredCpuUs += proc.cpuUsec();
    proc.cgroup.members.delete(proc);
    proc.wasi.fds.forEach((e, fd) => {
      if (e === undefined) return;
      proc.wasi.fds[fd] = undefined;
      releaseEntry(e);
    });
    const pidns = proc.ns.pid as PidNamespace<Process>;
    // An init's exit kills the rest of its namespace.
    if (pidns.init === proc)
      for (const other of [...pidns.members.values()]) if (other !== proc) this.kill(other, Signal.SIGKILL);
    this.reparentChildren(proc);
    this.emit({ type: 'exit', pid: proc.hostPid, status });
    proc.resolveExit(status);
    const parent = proc.parent;
    if (parent === null || !parent.alive) this.reap(proc);
    else parent.childEvents.wakeAll();
  }

  /** Orphans go to their pid namespace's init (or to the host, which reaps them). */
  private reparentChildren(proc: Process): void {
    for (const child of proc.children) {
      let reaper: Process | null = null;
      for (
        let ns: PidNamespace<Process> | null = child.ns.pid as PidNamespace<Process>;
        ns !== null;
        ns = ns.parent
      ) {
        if (ns.init !== null && ns.init !== proc && ns.init.alive) {
          reaper = ns.init;
          break;
        }
      }
      child.parent = reaper;
      reaper?.children.add(child);
      if (!child.alive) {
        if (reaper === null) this.reap(child);
        else reaper.childEvents.wakeAll();
      }
    }
    proc.children.clear();
  }

  /** Remove a zombie from the table: its pids become free. */
  reap(proc: Process): void {
    if (proc.state !== 'zombie') return;
    proc.state = 'reaped';
    proc.parent?.children.delete(proc);
    this.processes.delete(proc.hostPid);
    let ns: PidNamespace<Process> | null = proc.ns.pid as PidNamespace<Process>;
    for (let level = proc.nspids.length - 1; ns !== null; level--, ns = ns.parent)
      ns.release(proc.nspids[level]!);
  }

  /**
   * unshare(2) for a running process: it moves into new namespaces now, except a new pid
   * namespace, which its next children are created in (their first is PID 1 there).
   */
  unshare(proc: Process, u: NewNamespaces): void {
    const { pid, ...now } = u;
    proc.ns = this.namespacesFor(proc.ns, now);
    // A new mount namespace is a copy of the table: the process's root is now a view of it.
    if (now.mnt && proc.ns.mnt instanceof MountNamespace) proc.root = proc.ns.mnt.view(proc.rootPath);
    if (pid) proc.childPidNs = new PidNamespace<Process>(proc.ns.pid as PidNamespace<Process>);
    // a new cgroup namespace is rooted at the process's cgroup, as on Linux
    if (now.cgroup) proc.cgroupNsRoot = proc.cgroup.path;
  }

  /** setns(2): `proc` joins `target`'s namespaces named by CLONE_NEW* `flags` (pid: for its children). */
  setns(proc: Process, target: Process, flags: number): void {
    const ns = { ...proc.ns };
    if (flags & 0x04000000) ns.uts = target.ns.uts;
    if (flags & 0x08000000) ns.ipc = target.ns.ipc;
    if (flags & 0x40000000) ns.net = target.ns.net;
    if (flags & 0x00020000) {
      ns.mnt = target.ns.mnt;
      proc.root = target.root;
      proc.rootPath = target.rootPath;
    }
    if (flags & 0x02000000) {
      ns.cgroup = target.ns.cgroup;
      proc.cgroupNsRoot = target.cgroupNsRoot;
    }
    if (flags & 0x10000000) ns.user = target.ns.user;
    if (flags & 0x20000000) proc.childPidNs = target.ns.pid as PidNamespace<Process>;
    proc.ns = ns;
  }

  /** Start watching `proc` for limits set after it started (a write to memory.max…). */
  watchLimits(proc: Process): void {
    this.limits.watch(proc);
  }

  /** Move a process to another cgroup (a write to cgroup.procs). */
  moveToCgroup(proc: Process, to: Cgroup<Process>): void {
    if (!proc.alive || proc.cgroup === to) return;
    proc.cgroup.retiredCpuUs += proc.cpuUsec();
    proc.cgroup.members.delete(proc);
    proc.cgroupJoinCpuUs = proc.totalCpuUs();
    proc.cgroup = to;
    to.members.add(proc);
    this.limits.watch(proc);
  }

  /** Processes visible from pid namespace `ns` (default: all), by pid there. */
  list(
    ns: PidNamespace<Process> = this.initialNs.pid as PidNamespace<Process>,
  ): { pid: number; proc: Process }[] {
    return [...ns.members.entries()].sort((a, b) => a[0] - b[0]).map(([pid, proc]) => ({ pid, proc }));
  }

  /** Wait for `proc` to exit (host side; the host reaps it). */
  async wait(proc: Process): Promise<ExitStatus> {
    const status = await proc.exited;
    return status;
  }

  /** Stop every process and worker. */
  shutdown(): void {
    for (const p of [...this.running]) this.kill(p, Signal.SIGKILL);
    for (const w of this.idle.splice(0)) w.terminate();
    this.scheduler.stop();
    this.limits.stop();
  }
}

/** What a process worker posts (trampoline.ts). */
interface WorkerMessage {
  type: 'ready' | 'done' | 'error' | 'suspended' | 'declined';
  message?: string;
  /** 'suspended': the module's mutable globals and asyncify's data address. */
  globals?: (number | bigint)[];
  data?: number;
}

/** Thrown by a syscall whose process was killed while serving it (nothing to answer). */
export class ProcessGone extends Error {}
