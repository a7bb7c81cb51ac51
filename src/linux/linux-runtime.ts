/**
 * Containers on the Linux kernel: the image's layers unpacked once into shared layer
 * directories, an overlayfs root per container, and an OCI bundle run by crun or runc
 * (see oci-runtime.ts for which and why). The lifecycle:
 *
 *   create  unpack missing layers; make the container's directories; record its command
 *   start   mount the overlay; resolve command and user in it; write config.json;
 *           `runtime run --keep` in the foreground with stdio as pipes to the caller
 *           (with a terminal, -t, under a host terminal: see host-terminal.ts)
 *   wait    the exit status: the process's code, 128+n for signal n, and oomKilled
 *           when the cgroup's OOM counter moved (read before deletion)
 *   on exit runtime state, cgroup and overlay mount are released at once (upper and
 *           work stay until delete, for diff/commit/restart)
 *   delete  kill if forced, release, remove the container's directories
 *
 * The caller must consume stdout and stderr (or pipe them somewhere) as with any child.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  statSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { ContentStore } from '../content/store.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { ConflictError } from '../images/errors.js';
import type { ImageContent } from '../images/image-content.js';
import type { ImageConfig } from '../oci/types.js';
import { HostFs } from '../node/host-fs.js';
import { commandLine, environment, findCommand } from '../runtime/command.js';
import { createParentCgroup } from './cgroup-parent.js';
import {
  cgroupLayout,
  cgroupPids,
  cgroupStats,
  memoryLimitHits,
  oomKills,
  removeCgroup,
  type CgroupStats,
} from './cgroups.js';
import { containerPaths, containersDir, runtimeStateDir, type ContainerPaths } from './container-dirs.js';
import { checkLinuxHost, LinuxHostError, type HostCheck } from './host-check.js';
import { writeInitLayer } from './init-layer.js';
import { LayerDirs } from './layer-store.js';
import { buildSpec, loopbackHook, type BindVolume, type TmpfsMount } from './oci-spec.js';
import { chooseRuntime, type RuntimeChoice } from './oci-runtime.js';
import { mountOverlay, mountsUnder, unmountAll } from './overlay-mount.js';
import type { TerminalSize } from './host-terminal.js';
import { RuntimeCli, type RuntimeTerminal } from './runtime-cli.js';
import { resolveUser } from '../runtime/user.js';
import { pidNamespaceMembers } from './pid-namespace.js';
import { inUserNamespace, isMapped, settableGroups, unmappedIdMessage } from './userns.js';

export interface LinuxCreateOptions {
  content: ContentStore;
  image: ImageContent;
  /** Default: 64 random hex digits, as Docker's IDs. */
  id?: string;
  cmd?: string[];
  entrypoint?: string[];
  /** NAME=value, or NAME to take it from hostEnv. */
  env?: string[];
  hostEnv?: Record<string, string | undefined>;
  workdir?: string;
  /** uid[:gid] or name[:group]; default the image's User, else root. */
  user?: string;
  hostname?: string;
  memoryBytes?: number;
  pidsLimit?: number;
  cpus?: number;
  readOnly?: boolean;
  volumes?: BindVolume[];
  tmpfs?: TmpfsMount[];
  /** Remove everything as soon as the container exits (`--rm`). */
  autoRemove?: boolean;
}

/** What create() stores in record.json. */
interface ContainerRecord {
  id: string;
  layers: string[];
  args: string[];
  env: Record<string, string>;
  cwd: string;
  user: string;
  hostname: string;
  memoryBytes?: number;
  pidsLimit?: number;
  cpus?: number;
  readOnly: boolean;
  volumes: BindVolume[];
  tmpfs: TmpfsMount[];
  autoRemove: boolean;
}

export interface ContainerStdio {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
}

export interface ExitStatus {
  /** The process's exit code; 128+n when killed by signal n (137 when the OOM killer took PID 1). */
  exitCode: number;
  /** The kernel's OOM killer killed a process of the container (Docker's OOMKilled). */
  oomKilled: boolean;
}

export interface ExecOptions {
  args: string[];
  env?: string[];
  cwd?: string;
  user?: string;
  /** A terminal of this size on fds 0–2 (-t); its output comes on stdout. */
  tty?: TerminalSize;
}

export interface ExecHandle extends ContainerStdio {
  wait(): Promise<number>;
}

/** The container could not be started at all (Docker's exit 125 territory). */
export class ContainerStartError extends Error {}

type State = 'created' | 'running' | 'exited';

interface Live {
  record: ContainerRecord;
  paths: ContainerPaths;
  state: State;
  exit?: Promise<ExitStatus>;
  /** Resolves once the runtime has written the pid file (or the run ended). */
  created?: Promise<boolean>;
  /** Runtime state, cgroup and mount are known to be gone. */
  released?: boolean;
}

const STDERR_TAIL = 4096;

export class LinuxRuntime {
  readonly runtime: RuntimeChoice;
  readonly host: HostCheck;
  private readonly cli: RuntimeCli;
  private readonly layers: LayerDirs;
  private readonly live = new Map<string, Live>();

  private constructor(
    readonly root: string,
    host: HostCheck,
    runtime: RuntimeChoice,
  ) {
    this.host = host;
    this.runtime = runtime;
    this.cli = new RuntimeCli(runtime, runtimeStateDir(root, runtime.name));
    this.layers = new LayerDirs(root, { mknod: host.tools.mknod, setfattr: host.tools.setfattr });
  }

  /** Check the host and pick the OCI runtime; LinuxHostError names whatever is missing. */
  static open(root: string, options: { runtime?: 'runc' | 'crun' } = {}): LinuxRuntime {
    const host = checkLinuxHost();
    if (host.problems.length > 0) throw new LinuxHostError(host.problems);
    const runtime = chooseRuntime(options.runtime);
    if (runtime === null) throw new LinuxHostError([`the OCI runtime '${options.runtime}' is not installed`]);
    mkdirSync(containersDir(root), { recursive: true, mode: 0o700 });
    mkdirSync(runtimeStateDir(root, runtime.name), { recursive: true, mode: 0o700 });
    return new LinuxRuntime(root, host, runtime);
  }

  /** Layer directories (shared by all containers of this root). */
  get layerDirs(): LayerDirs {
    return this.layers;
  }

  async create(o: LinuxCreateOptions): Promise<string> {
    const id = o.id ?? randomBytes(32).toString('hex');
    const paths = containerPaths(this.root, id);
    if (existsSync(paths.dir)) throw new ConflictError(`a container with id '${id}' already exists`);
    if (inUserNamespace()) refuseRootlessLimits(o);
    const args = commandLine(o.image.config, o.cmd ?? [], o.entrypoint);
    if (args.length === 0) throw new InvalidArgumentError('no command specified');
    const imageLayers = await this.layers.ensure(o.content, o.image);
    if (imageLayers.length === 0) throw new InvalidArgumentError('the image has no layers to mount');
    const hostname = o.hostname ?? id.slice(0, 12);
    const env = environment(o.image.config, o.env ?? [], o.hostEnv);
    env.HOSTNAME ??= hostname;
    for (const d of [paths.dir, paths.upper, paths.work, paths.rootfs, paths.bundle])
      mkdirSync(d, { mode: 0o700 });
    // the init layer (absolute: the others are named relative to the layers directory)
    const init = join(paths.dir, 'init');
    writeInitLayer(
      init,
      imageLayers.map((l) => join(this.layers.dir, l)),
    );
    const layers = [...imageLayers, init];
    const record: ContainerRecord = {
      id,
      layers,
      args,
      env,
      cwd: o.workdir ?? (o.image.config.config?.WorkingDir || '/'),
      user: o.user ?? o.image.config.config?.User ?? '',
      hostname,
      readOnly: o.readOnly ?? false,
      volumes: o.volumes ?? [],
      tmpfs: o.tmpfs ?? [],
      autoRemove: o.autoRemove ?? false,
    };
    if (o.memoryBytes !== undefined) record.memoryBytes = o.memoryBytes;
    if (o.pidsLimit !== undefined) record.pidsLimit = o.pidsLimit;
    if (o.cpus !== undefined) record.cpus = o.cpus;
    // The merged root takes the upper's attributes: give it the top layer's root's.
    const top = statSync(join(this.layers.dir, imageLayers[imageLayers.length - 1]!));
    chownSync(paths.upper, top.uid, top.gid);
    chmodSync(paths.upper, top.mode & 0o7777);
    writeFileSync(join(paths.bundle, 'hostname'), `${hostname}\n`);
    writeFileSync(
      join(paths.bundle, 'hosts'),
      `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${hostname}\n`,
    );
    writeFileSync(paths.record, JSON.stringify(record));
    this.live.set(id, { record, paths, state: 'created' });
    return id;
  }

  private get(id: string): Live {
    let c = this.live.get(id);
    if (c === undefined) {
      const paths = containerPaths(this.root, id);
      if (!existsSync(paths.record)) throw new NotFoundError(`No such container: ${id}`);
      const record = JSON.parse(readFileSync(paths.record, 'utf8')) as ContainerRecord;
      c = { record, paths, state: 'exited' };
      this.live.set(id, c);
    }
    return c;
  }

  state(id: string): State {
    return this.get(id).state;
  }

  /** Start PID 1; with `tty`, on a terminal of that size (its output on stdout). */
  async start(id: string, options: { tty?: TerminalSize } = {}): Promise<ContainerStdio> {
    const c = this.get(id);
    if (c.state === 'running') throw new ConflictError(`container ${id} is already running`);
    const { paths, record } = c;
    const terminal = options.tty && this.terminal(options.tty);
    if (mountsUnder(paths.rootfs).length === 0) await this.mountRoot(c);
    let spec;
    try {
      spec = this.spec(c, options.tty);
    } catch (e) {
      await unmountAll(paths.rootfs, this.host.tools.umount);
      throw e;
    }
    writeFileSync(join(paths.bundle, 'config.json'), JSON.stringify(spec));
    rmSync(paths.pidFile, { force: true });
    writeFileSync(paths.owner, String(process.pid));
    c.released = false;
    // Without `run --keep` the runtime's cgroup vanishes at the exit: hold the memory
    // limit (and so the OOM count) in a parent cgroup berth owns.
    if (!this.runtime.keep && !inUserNamespace())
      createParentCgroup(cgroupLayout(), paths.cgroupsPath, record.memoryBytes);

    const child = this.cli.run(id, paths.bundle, paths.pidFile, terminal);
    c.state = 'running';
    let tail = '';
    const stderr = runtimeMessages(child, (b) => {
      tail = (tail + b.toString('utf8')).slice(-STDERR_TAIL);
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
      (resolve) => {
        child.on('error', (error) => resolve({ code: null, signal: null, error }));
        child.on('exit', (code, signal) => resolve({ code, signal }));
      },
    );
    c.created = waitForFile(paths.pidFile, ended);
    const stdin = processInput(child, terminal ? c.created : undefined);
    c.exit = ended.then(async ({ code, signal, error }) => {
      const started = existsSync(paths.pidFile);
      const oom = this.oomKilled(paths.cgroupsPath, code);
      c.state = 'exited';
      await this.release(c, error === undefined);
      if (record.autoRemove) this.removeDirs(c);
      if (error) throw new ContainerStartError(`${this.runtime.name} could not be run: ${error.message}`);
      if (!started) {
        throw new ContainerStartError(
          `${this.runtime.name} could not start the container: ${tail.trim() || `exit ${code ?? signal}`}`,
        );
      }
      // As Docker: the process's own status, flagged when the OOM killer acted in the
      // container (a PID 1 it killed shows 137; a shell whose child it killed, its own).
      return { exitCode: code ?? 128 + signalNumber(signal), oomKilled: oom };
    });
    c.exit.catch(() => {}); // observed through wait()
    return { stdin, stdout: child.stdout!, stderr };
  }

  /** A host terminal for the runtime (host-terminal.ts), or why there is none. */
  private terminal(size: TerminalSize): RuntimeTerminal {
    const { script, stty } = this.host.tools;
    if (!script || !stty)
      throw new ContainerStartError(
        "a terminal (-t) on the Linux backend needs the host's 'script' (util-linux) and 'stty' (coreutils)",
      );
    return { size, tools: { script, stty } };
  }

  /**
   * Whether the kernel OOM-killed a process of the container. v1 counts a kill in the
   * victim's own cgroup only, which crun deletes at the exit: there, a SIGKILL exit of a
   * container whose usage hit its limit (berth's parent cgroup) counts as an OOM kill.
   */
  private oomKilled(cgroupPath: string, code: number | null): boolean {
    const layout = cgroupLayout();
    if (oomKills(layout, cgroupPath) > 0) return true;
    return !this.runtime.keep && code === 137 && memoryLimitHits(layout, cgroupPath) > 0;
  }

  /** The config.json for the container's next start (command and user resolved in its root). */
  private spec(c: Live, tty: TerminalSize | undefined): Record<string, unknown> {
    const { record, paths } = c;
    const fs = new HostFs(paths.rootfs, { readOnly: true });
    try {
      const user = resolveUser(fs, record.user);
      checkMapped(user);
      const env = { ...record.env };
      env.HOME ??= user.home ?? '/root';
      // Docker's 126/127 for a command that is missing or not executable.
      findCommand(fs, record.args[0]!, env.PATH ?? '', record.cwd);
      const { ip, nsenter } = this.host.tools;
      return buildSpec({
        process: {
          args: record.args,
          env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
          cwd: record.cwd,
          uid: user.uid,
          gid: user.gid,
          additionalGids: user.additionalGids,
          ...(tty ? { terminal: tty } : {}),
        },
        rootfs: paths.rootfs,
        readOnlyRoot: record.readOnly,
        hostname: record.hostname,
        cgroupsPath: inUserNamespace()
          ? undefined
          : this.runtime.keep
            ? paths.cgroupsPath
            : `${paths.cgroupsPath}/ctr`,
        memoryBytes: this.runtime.keep ? record.memoryBytes : undefined,
        pidsLimit: record.pidsLimit,
        cpus: record.cpus,
        volumes: record.volumes,
        tmpfs: record.tmpfs,
        etcFiles: { hostname: join(paths.bundle, 'hostname'), hosts: join(paths.bundle, 'hosts') },
        devptsGid: isMapped('gid', 5) ? 5 : null,
        hooks: ip ? loopbackHook(ip, nsenter, record.pidsLimit !== undefined) : undefined,
      });
    } finally {
      fs.close();
    }
  }

  /** Runtime state, cgroup and mounts of a stopped container. */
  private async release(c: Live, stopped = false): Promise<void> {
    // The host's overlay mount is independent of the runtime's state: release both at once.
    const unmounted = unmountAll(c.paths.rootfs, this.host.tools.umount);
    if (!(stopped && this.forgetStopped(c))) {
      await this.cli.delete(c.record.id).catch(() => false); // already gone, or a broken runtime
      removeCgroup(cgroupLayout(), c.paths.cgroupsPath);
    }
    await unmounted;
    rmSync(c.paths.owner, { force: true });
    c.released = true;
  }

  /**
   * After `run --keep` returned, the container is stopped and all `delete` would do is
   * remove its (empty) cgroups and its state directory `<state>/<id>` (the same layout in
   * runc and crun). Doing that here saves starting the runtime once more (tens of ms);
   * false (use `delete -f`) if a cgroup still holds a process.
   */
  private forgetStopped(c: Live): boolean {
    if (removeCgroup(cgroupLayout(), c.paths.cgroupsPath).length > 0) return false;
    rmSync(join(this.cli.stateDir, c.record.id), { recursive: true, force: true });
    return true;
  }

  private removeDirs(c: Live): void {
    rmSync(c.paths.dir, { recursive: true, force: true });
    this.live.delete(c.record.id);
  }

  async wait(id: string): Promise<ExitStatus> {
    const c = this.get(id);
    if (c.exit === undefined) throw new ConflictError(`container ${id} has not been started`);
    return c.exit;
  }

  /** Send a signal (name like 'TERM'/'SIGKILL' or number) to the container's PID 1. */
  async kill(id: string, signal: string | number = 'SIGTERM'): Promise<void> {
    const c = this.get(id);
    if (c.state !== 'running' || !(await c.created))
      throw new ConflictError(`container ${id} is not running`);
    try {
      await this.cli.kill(id, String(signal));
    } catch (e) {
      if (c.state === 'running') throw e; // it may have exited meanwhile
    }
  }

  /** Run another process in the running container (`runtime exec`). */
  async exec(id: string, o: ExecOptions): Promise<ExecHandle> {
    const c = this.get(id);
    if (c.state !== 'running' || !(await c.created))
      throw new ConflictError(`container ${id} is not running`);
    if (o.args.length === 0) throw new InvalidArgumentError('no command specified');
    const terminal = o.tty && this.terminal(o.tty);
    const fs = new HostFs(c.paths.rootfs, { readOnly: true });
    let user;
    try {
      user = resolveUser(fs, o.user ?? c.record.user);
      checkMapped(user);
    } finally {
      fs.close();
    }
    const imageEnv = Object.entries(c.record.env).map(([k, v]) => `${k}=${v}`);
    const env = environment({ config: { Env: imageEnv } } as ImageConfig, o.env ?? []);
    // Docker's 126/127 for a command that is missing or not executable
    const rootFs = new HostFs(c.paths.rootfs, { readOnly: true });
    try {
      findCommand(rootFs, o.args[0]!, env.PATH ?? '', o.cwd ?? c.record.cwd);
    } finally {
      rootFs.close();
    }
    env.HOME ??= user.home ?? '/root';
    const file = join(c.paths.bundle, `exec-${randomUUID()}.json`);
    const spec = buildSpec({
      process: {
        args: o.args,
        env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        cwd: o.cwd ?? c.record.cwd,
        uid: user.uid,
        gid: user.gid,
        additionalGids: user.additionalGids,
        ...(o.tty ? { terminal: o.tty } : {}),
      },
      rootfs: c.paths.rootfs,
      hostname: c.record.hostname,
      cgroupsPath: c.paths.cgroupsPath,
    });
    writeFileSync(file, JSON.stringify(spec.process));
    // under a terminal, the pid file says the host side is set up (see processInput)
    const pidFile = terminal ? `${file.slice(0, -'.json'.length)}.pid` : undefined;
    const child = this.cli.exec(id, file, terminal, pidFile);
    const done = new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
    }).finally(() => {
      for (const f of [file, pidFile]) {
        try {
          if (f !== undefined) unlinkSync(f);
        } catch {
          // the container was deleted meanwhile, or no pid file was written
        }
      }
    });
    const stdin = processInput(
      child,
      pidFile === undefined
        ? undefined
        : waitForFile(
            pidFile,
            done.catch(() => {}),
          ),
    );
    const stderr = runtimeMessages(child, () => {});
    return { stdin, stdout: child.stdout!, stderr, wait: () => done };
  }

  /**
   * Memory, pids and CPU counters of a running container's cgroup. Rootless there is no
   * cgroup of its own: only the number of processes is known.
   */
  stats(id: string): CgroupStats {
    const c = this.get(id);
    if (inUserNamespace()) return { pids: pidNamespaceMembers(c.paths.pidFile).length };
    // Counters are hierarchical, so berth's cgroup covers the runtime's child (crun);
    // the pids limit is set on the runtime's own cgroup.
    const path = c.paths.cgroupsPath;
    const s = cgroupStats(cgroupLayout(), path);
    if (!this.runtime.keep) s.pidsLimit = cgroupStats(cgroupLayout(), `${path}/ctr`).pidsLimit;
    return s;
  }

  /** The container's overlay root at its rootfs directory: image layers, init layer, its upper. */
  private mountRoot(c: Live): Promise<void> {
    const { paths, record } = c;
    return mountOverlay(
      {
        layersDir: this.layers.dir,
        layers: record.layers,
        upper: paths.upper,
        work: paths.work,
        target: paths.rootfs,
      },
      this.host.tools.mount,
    );
  }

  /** Host pids of the container's processes (its cgroup tree; rootless, its pid namespace). */
  pids(id: string): number[] {
    const { paths } = this.get(id);
    if (inUserNamespace()) return pidNamespaceMembers(paths.pidFile);
    return cgroupPids(cgroupLayout(), paths.cgroupsPath);
  }

  /** The container's upper directory (what it changed, in overlayfs's upperdir form). */
  upperDir(id: string): string {
    return this.get(id).paths.upper;
  }

  /**
   * The container's merged root on the host: mounted while it runs; mounted for the
   * occasion (and unmounted by `release`) when it does not.
   */
  async mountedRoot(id: string): Promise<{ path: string; release(): Promise<void> }> {
    const c = this.get(id);
    const { paths } = c;
    if (mountsUnder(paths.rootfs).length > 0) return { path: paths.rootfs, release: async () => {} };
    await this.mountRoot(c);
    return {
      path: paths.rootfs,
      release: async () => {
        if (c.state !== 'running') await unmountAll(paths.rootfs, this.host.tools.umount);
      },
    };
  }

  /** Remove the container; a running one only with `force` (killed first). */
  async delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    const c = this.get(id);
    if (c.state === 'running') {
      if (!options.force)
        throw new ConflictError(`container ${id} is running: stop it first or force the removal`);
      await c.created;
      try {
        await this.cli.kill(id, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
      await c.exit?.catch(() => undefined);
    }
    if (!c.released) await this.release(c);
    this.removeDirs(c);
  }
}

/**
 * The runtime's stdin for the caller. Under a host terminal, input waits for `ready`
 * (the host side is raw by then: nothing typed early is echoed or cooked there), and the
 * pipe is closed when the runtime exits, since without -i nothing ever ends it.
 */
function processInput(child: ChildProcess, ready: Promise<boolean> | undefined): Writable {
  const stdin = child.stdin!;
  // A write after the container exited is EPIPE: not worth crashing the caller for.
  stdin.on('error', () => {});
  if (ready === undefined) return stdin;
  const input = new PassThrough();
  void ready.then((ok) => {
    if (ok) input.pipe(stdin);
  });
  child.on('exit', () => {
    input.destroy();
    stdin.destroy();
  });
  return input;
}

/** stderr, and under a host terminal also the runtime's own messages (fd 3), each chunk seen by `onChunk`. */
function runtimeMessages(child: ChildProcess, onChunk: (b: Buffer) => void): Readable {
  const sources = [child.stderr!, child.stdio[3] as Readable | undefined].filter(
    (r): r is Readable => r !== undefined && r !== null,
  );
  const out = new PassThrough();
  let open = sources.length;
  for (const r of sources) {
    r.on('data', (b: Buffer) => {
      onChunk(b);
      out.write(b);
    });
    r.on('close', () => {
      if (--open === 0) out.end();
    });
  }
  return out;
}

/**
 * A process's ids must exist in berth's user namespace (rootless) for the runtime to set
 * them; supplementary groups it cannot have are left out.
 */
function checkMapped(user: { uid: number; gid: number; additionalGids?: number[] }): void {
  const missing = [
    ...(isMapped('uid', user.uid) ? [] : [`uid ${user.uid}`]),
    ...(isMapped('gid', user.gid) ? [] : [`gid ${user.gid}`]),
  ];
  if (missing.length > 0)
    throw new ContainerStartError(unmappedIdMessage(`the process's ${missing.join(' and ')} not mapped`));
  if (user.additionalGids && inUserNamespace()) user.additionalGids = settableGroups(user.additionalGids);
}

/**
 * Limits need a cgroup, and rootless berth (in a user namespace) can create none: the
 * host's cgroup tree belongs to the host's root unless a cgroup is delegated to the user.
 */
function refuseRootlessLimits(o: LinuxCreateOptions): void {
  const flags = [
    ...(o.memoryBytes !== undefined ? ['--memory'] : []),
    ...(o.pidsLimit !== undefined ? ['--pids-limit'] : []),
    ...(o.cpus !== undefined ? ['--cpus'] : []),
  ];
  if (flags.length === 0) return;
  throw new InvalidArgumentError(
    `${flags.join(', ')}: resource limits need cgroups, which rootless berth (a non-root user, in a user namespace) cannot create: no cgroup is delegated to it; run as root for limits`,
  );
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const n = signal === null ? undefined : (constants.signals as Record<string, number>)[signal];
  return n ?? 0;
}

/** Resolves true once `file` exists, false if `ended` settles first. */
async function waitForFile(file: string, ended: Promise<unknown>): Promise<boolean> {
  let over = false;
  void ended.then(() => (over = true));
  for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
    if (existsSync(file)) return true;
    if (over) return existsSync(file);
    await new Promise((r) => setTimeout(r, delay));
  }
}
