/**
 * The emulated Runtime: containers on berth's TypeScript kernel (one Kernel per runtime,
 * shared by its containers). The root is an OverlayFs over the image's layer trees, which
 * are unpacked once per image and shared read-only by every container of it; the upper
 * is the container's own tree, so `changes` is simply that tree.
 */
import { UnsupportedPlatformError } from '../errors.js';
import { imageLayerTrees, imageLowers } from '../images/export-filesystem.js';
import { NotFoundError } from '../errors.js';
import { ConflictError } from '../images/errors.js';
import { createContainer, type Container, type ContainerMount } from '../kernel/container.js';
import { execFormatMessage } from '../kernel/proc/exec-image.js';
import { InputQueue } from '../kernel/proc/input-queue.js';
import { Kernel } from '../kernel/proc/kernel.js';
import { exitCode, type Process } from '../kernel/proc/process.js';
import { Terminal } from '../kernel/tty/terminal.js';
import type { Entry } from '../kernel/wasi/host.js';
import { flattenLayers } from '../layers/flatten.js';
import { platform } from '../platform.js';
import type { FileSystem } from '../vfs/filesystem.js';
import type { Inode } from '../vfs/inode.js';
import { OverlayFs } from '../vfs/overlay.js';
import { findCommand, programFor } from './command.js';
import type { VolumeSource } from './copy-view.js';
import { initLayer } from './init-layer.js';
import type {
  ContainerStats,
  ExecProcess,
  ExitStatus,
  ProcessRow,
  Runtime,
  RuntimeImage,
  Stdio,
} from './runtime.js';
import { CPU_PERIOD_US, tmpfsSize, type ProcessSpec, type RuntimeSpec } from './spec.js';
import { resolveUser } from './user.js';

export const TOOLBOX_MOUNT = '/.berth';

export interface EmulatedRuntimeOptions {
  /**
   * A host directory or file for a bind volume (Node: hostVolume); none in a page. A file
   * comes as a filesystem of its directory and `root` naming it.
   */
  volume?: VolumeSource;
  /** berth's toolbox tree (wasip1 build), for spec.toolbox. */
  toolbox?: () => Promise<Inode>;
  /** Told when a program of the image is an ELF binary this backend cannot run. */
  onExecFormat?: (message: string) => void;
  kernel?: Kernel;
}

interface Held {
  container: Container;
  spec: RuntimeSpec;
  rootfs: OverlayFs;
  /** A terminal of PID 1, to end at exit. */
  cleanups: (() => void)[];
  exit?: Promise<ExitStatus>;
}

export class EmulatedRuntime implements Runtime {
  readonly backend = 'emulated' as const;
  readonly kernel: Kernel;
  private readonly held = new Map<string, Held>();
  private readonly layers = new Map<string, Promise<Inode[]>>();
  private toolboxTree: Promise<Inode> | undefined;

  constructor(private readonly options: EmulatedRuntimeOptions = {}) {
    this.kernel = options.kernel ?? new Kernel({ workers: platform().workers(), pool: 1 });
    this.kernel.on((e) => {
      if (e.type === 'exec-format') options.onExecFormat?.(execFormatMessage(e.path, e.platform));
    });
  }

  has(id: string): boolean {
    return this.held.has(id);
  }

  private get(id: string): Held {
    const h = this.held.get(id);
    if (h === undefined) throw new NotFoundError(`No such container: ${id}`);
    return h;
  }

  /** The image's layer trees, top first (as overlay lowers) under the init layer, made once per image. */
  private lowers(image: RuntimeImage): Promise<Inode[]> {
    const key = image.image.manifestDescriptor.digest;
    let p = this.layers.get(key);
    if (p === undefined) {
      p = imageLowers(image.content, image.image).then((lowers) => [initLayer(lowers), ...lowers]);
      p.catch(() => this.layers.delete(key));
      this.layers.set(key, p);
    }
    return p;
  }

  async create(
    id: string,
    spec: RuntimeSpec,
    image: RuntimeImage,
    options: { changes?: Inode } = {},
  ): Promise<void> {
    if (this.held.has(id)) throw new ConflictError(`container ${id} already exists`);
    const rootfs = new OverlayFs(await this.lowers(image), { upper: options.changes });
    const mounts: ContainerMount[] = [];
    for (const m of spec.mounts) {
      if (m.type !== 'bind') continue;
      if (this.options.volume === undefined)
        throw new UnsupportedPlatformError(`volumes need a host filesystem: cannot mount ${m.source}`);
      const readOnly = m.options.includes('ro');
      mounts.push({
        target: m.destination,
        ...this.options.volume(m.source, readOnly),
        readOnly,
        source: m.source,
      });
    }
    if (spec.toolbox) {
      this.toolboxTree ??= this.options.toolbox?.() ?? Promise.reject(new Error('no toolbox configured'));
      mounts.push({
        target: TOOLBOX_MOUNT,
        fs: new OverlayFs([await this.toolboxTree]),
        readOnly: true,
        fstype: 'overlay',
        source: 'berth-toolbox',
      });
    }
    const r = spec.resources;
    const container = createContainer(this.kernel, {
      rootfs,
      mounts,
      readOnlyRoot: spec.readOnlyRoot,
      hostname: spec.hostname,
      name: id.slice(0, 12),
      tmpfs: spec.mounts
        .filter((m) => m.type === 'tmpfs')
        .map((m) => ({ target: m.destination, sizeBytes: tmpfsSize(m.options) })),
      limits: {
        memoryBytes: r.memoryBytes,
        pids: r.pidsLimit,
        ...(r.cpus === undefined
          ? {}
          : { cpuQuotaUs: Math.round(r.cpus * CPU_PERIOD_US), cpuPeriodUs: CPU_PERIOD_US }),
      },
    });
    this.held.set(id, { container, spec, rootfs, cleanups: [] });
  }

  /** Program, argv, env and credentials of `p` resolved inside the container's root. */
  private prepare(h: Held, p: ProcessSpec) {
    const view = h.container.mnt.view();
    const env: Record<string, string> = {};
    for (const kv of p.env) {
      const eq = kv.indexOf('=');
      if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    if (h.spec.toolbox) env.PATH = `${TOOLBOX_MOUNT}/bin:${env.PATH ?? ''}`;
    const user = resolveUser(view, p.user);
    env.HOME ??= user.home ?? '/root';
    const program = programFor(view, findCommand(view, p.args[0]!, env.PATH ?? '', p.cwd), p.args);
    return { program, env, user };
  }

  /** Kernel fds 0–2 for `stdio`, and what to undo when the process ends. */
  private connect(stdio: Stdio, cleanups: (() => void)[]): { fds: Entry[]; term?: Terminal } {
    if (stdio.tty) {
      const term = new Terminal(stdio.tty).attach(this.kernel);
      cleanups.push(term.onOutput((b) => stdio.stdout(b)));
      if (stdio.stdin)
        void pump(
          stdio.stdin,
          (b) => term.input(b),
          () => term.hangup(),
        );
      return { fds: [term.entry(), term.entry(), term.entry()], term };
    }
    const input = new InputQueue();
    if (stdio.stdin)
      void pump(
        stdio.stdin,
        (b) => input.push(b),
        () => input.end(),
      );
    else input.end();
    cleanups.push(() => input.end());
    return {
      // pipes, not a terminal (isatty false), as a container's stdio without -t
      fds: [
        { ...input.entry(), filetype: 0 },
        { type: 'stdio', write: (b) => stdio.stdout(b.slice()), filetype: 0 },
        { type: 'stdio', write: (b) => stdio.stderr(b.slice()), filetype: 0 },
      ],
    };
  }

  async start(id: string, stdio: Stdio): Promise<void> {
    const h = this.get(id);
    makeWorkdir(h.container.mnt.view(), h.spec.process.cwd);
    const { program, env, user } = this.prepare(h, h.spec.process);
    const { fds, term } = this.connect(stdio, h.cleanups);
    const init = await h.container.start({
      program: program.bytes,
      argv: program.argv,
      exe: program.path,
      env,
      cwd: h.spec.process.cwd,
      uid: user.uid,
      gid: user.gid,
      fds,
    });
    term?.control(init);
    h.exit = init.exited.then((s) => {
      for (const c of h.cleanups.splice(0)) c();
      return { exitCode: exitCode(s), oomKilled: h.container.stats().oomKills > 0 };
    });
  }

  wait(id: string): Promise<ExitStatus> {
    const h = this.get(id);
    if (h.exit === undefined) throw new ConflictError(`container ${id} has not been started`);
    return h.exit;
  }

  kill(id: string, signal: number): Promise<void> {
    const h = this.get(id);
    if (h.container.init === null || !h.container.init.alive)
      throw new ConflictError(`container ${id} is not running`);
    h.container.signal(signal);
    return Promise.resolve();
  }

  async exec(id: string, p: ProcessSpec, stdio: Stdio): Promise<ExecProcess> {
    const h = this.get(id);
    if (h.container.init === null || !h.container.init.alive)
      throw new ConflictError(`container ${id} is not running`);
    const { program, env, user } = this.prepare(h, p);
    const cleanups: (() => void)[] = [];
    const { fds, term } = this.connect(stdio, cleanups);
    const proc: Process = await h.container.exec({
      program: program.bytes,
      argv: program.argv,
      exe: program.path,
      env,
      cwd: p.cwd,
      uid: user.uid,
      gid: user.gid,
      fds,
    });
    term?.control(proc);
    const done = proc.exited.then((s) => {
      for (const c of cleanups) c();
      return exitCode(s);
    });
    return { wait: () => done, ...(term ? { resize: (r: number, c: number) => term.resize(r, c) } : {}) };
  }

  stats(id: string): Promise<ContainerStats> {
    const s = this.get(id).container.stats();
    const unlimited = (n: number) => (Number.isFinite(n) ? n : 0);
    return Promise.resolve({
      memoryBytes: s.memoryBytes,
      memoryLimit: unlimited(s.memoryMax),
      pids: s.pids,
      pidsLimit: unlimited(s.pidsMax),
      cpuNs: s.cpuUsageUs * 1000,
    });
  }

  top(id: string): Promise<ProcessRow[]> {
    const rows = this.get(id)
      .container.processes()
      .map(({ hostPid, proc }) => ({
        uid: proc.uid,
        pid: hostPid,
        ppid: proc.parent?.hostPid ?? 0,
        cpuSeconds: proc.totalCpuUs() / 1e6,
        startedMs: Date.now() - (performance.now() - proc.startedAt),
        command: proc.argv.join(' '),
      }));
    return Promise.resolve(rows);
  }

  changes(id: string): Promise<Inode> {
    return Promise.resolve(this.get(id).rootfs.upper);
  }

  rootfs(id: string): Promise<{ fs: FileSystem; release(): Promise<void> }> {
    const fs = this.get(id).container.mnt.view();
    return Promise.resolve({ fs, release: () => Promise.resolve() });
  }

  async delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    const h = this.held.get(id);
    if (h === undefined) return;
    if (h.container.init?.alive && !options.force)
      throw new ConflictError(`container ${id} is running: stop it first or force the removal`);
    await h.container.remove();
    for (const c of h.cleanups.splice(0)) c();
    this.held.delete(id);
  }

  close(): Promise<void> {
    this.kernel.shutdown();
    return Promise.resolve();
  }
}

/** The toolbox tree from its image's layers (flattened once). */
export async function toolboxTree(image: RuntimeImage): Promise<Inode> {
  return flattenLayers(await imageLayerTrees(image.content, image.image));
}

/** A missing working directory is made, as Docker (and runc) do. */
function makeWorkdir(fs: FileSystem, cwd: string): void {
  let at = '';
  for (const part of cwd.split('/').filter(Boolean)) {
    at += `/${part}`;
    try {
      fs.mkdir(at, 0o755);
    } catch {
      // exists (or cannot be made: the start then fails naming it)
    }
  }
}

async function pump(
  source: AsyncIterable<Uint8Array>,
  push: (b: Uint8Array) => void,
  end: () => void,
): Promise<void> {
  try {
    for await (const chunk of source) push(chunk);
  } catch {
    // the source failed: treat it as its end
  }
  end();
}
