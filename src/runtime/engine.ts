/**
 * The Engine: an image store, the container records and the runtimes behind one facade,
 * which the CLI, the playground and the tests all use. It turns create options into a
 * RuntimeSpec, keeps each container's record (state, logs, an emulated container's
 * changes) and routes every operation to where the container lives: a runtime of this
 * process, or — through `remote` — the process that owns it (see records.ts).
 */
import { NotFoundError, UnsupportedPlatformError } from '../errors.js';
import { ConflictError } from '../images/errors.js';
import type { ImageStore, ResolvedImage } from '../images/image-store.js';
import { loadImage, type ImageContent } from '../images/image-content.js';
import { diffToLayer } from '../layers/diff.js';
import { unpackLayer } from '../layers/unpack.js';
import { formatPlatform, parsePlatform, type Platform } from '../oci/platform.js';
import { TOOLBOX_IMAGE, WASI_PLATFORM } from '../toolbox/image.js';
import { isToolboxReference } from '../toolbox/ensure.js';
import { Inode } from '../vfs/inode.js';
import { commitImage, type CommitConfig, type CommitImageResult } from '../images/commit-image.js';
import { imageLowers } from '../images/export-filesystem.js';
import type { FileSystem } from '../vfs/filesystem.js';
import { OverlayFs } from '../vfs/overlay.js';
import { containerChanges, type Change } from './changes.js';
import { copyView, type VolumeSource } from './copy-view.js';
import { initLayer } from './init-layer.js';
import { buildSpec, type CreateOptions } from './container-config.js';
import { checkName, findRecord, generateName, nameConflict } from './names.js';
import type { ContainerRecord, LogEntry, RecordStore } from './records.js';
import type {
  Backend,
  ContainerStats,
  ExecProcess,
  ExitStatus,
  ProcessRow,
  Runtime,
  Stdio,
} from './runtime.js';
import type { ProcessSpec } from './spec.js';

/** How a process reaches a container another process owns (Node: a unix socket). */
export interface Remote {
  kill(address: string, signal: number): Promise<void>;
  exec(address: string, p: ProcessSpec, stdio: Stdio): Promise<ExecProcess>;
  stats(address: string): Promise<ContainerStats>;
  top(address: string): Promise<ProcessRow[]>;
  /** The container's changes as a layer tar. */
  changes(address: string): Promise<Uint8Array>;
}

export interface EngineOptions {
  store: ImageStore;
  records: RecordStore;
  /** Opened on first use; a backend left out is refused with a message naming it. */
  runtimes: Partial<Record<Backend, () => Runtime>>;
  /** Put the base image in the store (first use, or a newer packaged one). */
  ensureToolbox?: () => Promise<void>;
  remote?: Remote;
  /** This process's id (an owner's pid in records). */
  pid?: number;
  /** Where this process serves control requests for `id`, if it does. */
  controlAddress?: (id: string) => string | undefined;
  /** Host files for bind volumes, so `cp` reaches them where the runtime does not (copy-view.ts). */
  volume?: VolumeSource;
}

export interface ExecOptions {
  cmd: string[];
  env?: string[];
  workdir?: string;
  user?: string;
  tty?: boolean;
}

export interface Started {
  id: string;
  /** PID 1's exit, once the record says so. */
  exit: Promise<ExitStatus>;
}

function randomId(): string {
  const b = new Uint8Array(32);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

const now = () => new Date().toISOString();

export class Engine {
  readonly store: ImageStore;
  readonly records: RecordStore;
  private readonly opened = new Map<Backend, Runtime>();
  /** Containers started by this process, until their exit is recorded. */
  private readonly running = new Map<string, Started>();

  constructor(private readonly o: EngineOptions) {
    this.store = o.store;
    this.records = o.records;
  }

  runtime(backend: Backend): Runtime {
    let r = this.opened.get(backend);
    if (r === undefined) {
      const make = this.o.runtimes[backend];
      if (make === undefined)
        throw new UnsupportedPlatformError(`the ${backend} backend is not available here`);
      r = make();
      this.opened.set(backend, r);
    }
    return r;
  }

  /** The image for a backend: the emulated one prefers wasip1/wasm, the Linux one the host's platform. */
  async resolveImage(ref: string | undefined, backend: Backend, platform?: string): Promise<ResolvedImage> {
    const name = ref === undefined || isToolboxReference(ref) ? TOOLBOX_IMAGE : ref;
    if (name === TOOLBOX_IMAGE) await this.o.ensureToolbox?.();
    let found;
    try {
      found = await this.store.lookup(name);
    } catch (e) {
      if (e instanceof NotFoundError) throw new NotFoundError(`Unable to find image '${name}' locally`);
      throw e;
    }
    const want = (p: Platform) => this.store.resolve(found.id, p);
    if (platform !== undefined) return want(parsePlatform(platform));
    if (backend === 'linux') return want(this.store.platform);
    try {
      return await want(WASI_PLATFORM);
    } catch (e) {
      if (e instanceof UnsupportedPlatformError) return want(this.store.platform);
      throw e;
    }
  }

  async create(o: CreateOptions): Promise<ContainerRecord> {
    const backend = o.backend ?? 'emulated';
    const image = await this.resolveImage(o.image, backend, o.platform);
    if (o.toolbox) await this.o.ensureToolbox?.();
    const records = await this.records.list();
    const id = randomId();
    let name: string;
    if (o.name !== undefined) {
      name = checkName(o.name);
      const owner = records.find((r) => r.name === name);
      if (owner) throw nameConflict(name, owner);
    } else name = generateName(new Set(records.map((r) => r.name)));
    const spec = buildSpec(id, o, image.config);
    const record: ContainerRecord = {
      id,
      name,
      created: now(),
      image: o.image === undefined || isToolboxReference(o.image) ? TOOLBOX_IMAGE : o.image,
      imageId: image.id,
      manifest: image.manifestDescriptor,
      platform: formatPlatform(image.config),
      backend,
      spec,
      autoRemove: o.autoRemove ?? false,
      state: { status: 'created', exitCode: 0, oomKilled: false },
    };
    // The Linux backend keeps a created container on disk; an emulated one is made
    // by the process that starts it.
    if (backend === 'linux')
      await this.runtime(backend).create(id, spec, { content: this.store.content, image });
    await this.records.put(record);
    return record;
  }

  /** The record `ref` names, its state brought up to date (a gone owner makes it dead). */
  async inspect(ref: string): Promise<ContainerRecord> {
    return this.reconcile(findRecord(await this.records.list(), ref));
  }

  async list(options: { all?: boolean } = {}): Promise<ContainerRecord[]> {
    const all = (await this.records.list()).map((r) => this.reconcile(r));
    const shown = options.all ? all : all.filter((r) => r.state.status === 'running');
    return shown.sort((a, b) => b.created.localeCompare(a.created));
  }

  private reconcile(r: ContainerRecord): ContainerRecord {
    const s = r.state;
    if (s.status === 'running' && !this.running.has(r.id)) {
      if (s.ownerPid === undefined || !this.records.ownerAlive(s.ownerPid)) {
        r.state = { ...s, status: 'dead', error: 'the berth process running it ended' };
      }
    }
    return r;
  }

  private async image(r: ContainerRecord): Promise<ImageContent> {
    try {
      return await loadImage(this.store.content, r.manifest);
    } catch (e) {
      if (e instanceof NotFoundError)
        throw new NotFoundError(`the image of container ${r.name} (${r.image}) is no longer in the store`);
      throw e;
    }
  }

  /** Start a created (or exited) container in this process, its output also logged. */
  async start(ref: string, stdio: Stdio): Promise<Started> {
    const r = await this.inspect(ref);
    if (r.state.status === 'running') throw new ConflictError(`container ${r.name} is already running`);
    const runtime = this.runtime(r.backend);
    if (r.backend === 'emulated' && !runtime.has(r.id)) {
      const changes = await this.savedChanges(r.id);
      await runtime.create(
        r.id,
        r.spec,
        { content: this.store.content, image: await this.image(r) },
        { changes },
      );
    }
    const log = (stream: LogEntry['stream']) => (bytes: Uint8Array) => {
      this.records.appendLog(r.id, { stream, time: now(), bytes });
      (stream === 'stdout' ? stdio.stdout : stdio.stderr)(bytes);
    };
    try {
      await runtime.start(r.id, { ...stdio, stdout: log('stdout'), stderr: log('stderr') });
    } catch (e) {
      if (r.backend === 'emulated') await runtime.delete(r.id, { force: true });
      r.state = {
        ...r.state,
        status: r.state.status === 'created' ? 'created' : 'exited',
        error: String((e as Error).message),
      };
      if (r.autoRemove) await this.removeRecord(r);
      else await this.records.put(r);
      throw e;
    }
    const address = this.o.controlAddress?.(r.id);
    r.state = {
      status: 'running',
      exitCode: 0,
      oomKilled: false,
      ownerPid: this.o.pid,
      ...(address === undefined ? {} : { control: address }),
      startedAt: now(),
    };
    await this.records.put(r);
    const exit = this.finish(r, runtime);
    const started = { id: r.id, exit };
    this.running.set(r.id, started);
    return started;
  }

  /** Record the exit; keep an emulated container's changes; --rm removes it all. */
  private async finish(r: ContainerRecord, runtime: Runtime): Promise<ExitStatus> {
    let status: ExitStatus;
    try {
      status = await runtime.wait(r.id);
    } catch (e) {
      status = { exitCode: 125, oomKilled: false, error: (e as Error).message };
      r.state.error = status.error;
    }
    if (r.backend === 'emulated' && !r.autoRemove)
      await this.records.saveChanges(r.id, (await diffToLayer(await runtime.changes(r.id))).bytes);
    if (r.backend === 'emulated' || r.autoRemove) await runtime.delete(r.id, { force: true });
    this.running.delete(r.id);
    if (r.autoRemove) await this.records.remove(r.id);
    else {
      const latest = (await this.records.get(r.id)) ?? r;
      latest.state = {
        status: 'exited',
        exitCode: status.exitCode,
        oomKilled: status.oomKilled,
        startedAt: r.state.startedAt,
        finishedAt: now(),
        ...(r.state.error ? { error: r.state.error } : {}),
      };
      await this.records.put(latest);
    }
    return status;
  }

  async run(o: CreateOptions, stdio: Stdio): Promise<Started> {
    const r = await this.create(o);
    return this.start(r.id, stdio);
  }

  /** Whether this process runs the container. */
  runsHere(id: string): boolean {
    return this.running.has(id);
  }

  /** Where a running container is: here, or the address of its owner. */
  private async where(ref: string): Promise<{ r: ContainerRecord; local?: Runtime; address?: string }> {
    const r = await this.inspect(ref);
    if (r.state.status !== 'running') throw new ConflictError(`Container ${r.id} is not running`);
    if (this.running.has(r.id)) return { r, local: this.runtime(r.backend) };
    if (r.state.control === undefined || this.o.remote === undefined)
      throw new ConflictError(
        `container ${r.name} runs in another process (pid ${r.state.ownerPid}) that cannot be reached`,
      );
    return { r, address: r.state.control };
  }

  async kill(ref: string, signal: number): Promise<void> {
    const w = await this.where(ref);
    if (w.local) return w.local.kill(w.r.id, signal);
    return this.o.remote!.kill(w.address!, signal);
  }

  /** Docker's stop: SIGTERM, then SIGKILL after `timeoutSec`; resolves once it has exited. */
  async stop(ref: string, timeoutSec = 10): Promise<void> {
    const r = await this.inspect(ref);
    if (r.state.status !== 'running') return;
    await this.kill(r.id, 15).catch(() => undefined);
    if (!(await this.waitExit(r.id, timeoutSec * 1000))) {
      await this.kill(r.id, 9).catch(() => undefined);
      await this.waitExit(r.id, 10_000);
    }
  }

  /** Wait until the container is no longer running (false on timeout). */
  async waitExit(ref: string, timeoutMs = Infinity): Promise<boolean> {
    const r = await this.inspect(ref);
    const mine = this.running.get(r.id);
    if (mine) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<false>((res) => {
        if (Number.isFinite(timeoutMs)) timer = setTimeout(() => res(false), timeoutMs);
      });
      // the timer must not outlive the wait (it would hold the process)
      return Promise.race([mine.exit.then(() => true), timeout]).finally(() => clearTimeout(timer));
    }
    const deadline = Date.now() + timeoutMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const now = await this.records.get(r.id);
      if (now === undefined || this.reconcile(now).state.status !== 'running') return true;
      if (Date.now() > deadline) return false;
      await new Promise((res) => setTimeout(res, delay));
    }
  }

  async exec(ref: string, e: ExecOptions, stdio: Stdio): Promise<ExecProcess> {
    const w = await this.where(ref);
    const env = [...w.r.spec.process.env, ...(e.env ?? [])];
    const p: ProcessSpec = {
      args: e.cmd,
      env,
      cwd: e.workdir ?? w.r.spec.process.cwd,
      user: e.user ?? w.r.spec.process.user,
      terminal: e.tty ?? false,
    };
    if (e.cmd.length === 0) throw new ConflictError('no command specified');
    if (w.local) return w.local.exec(w.r.id, p, stdio);
    return this.o.remote!.exec(w.address!, p, stdio);
  }

  async stats(ref: string): Promise<ContainerStats> {
    const w = await this.where(ref);
    return w.local ? w.local.stats(w.r.id) : this.o.remote!.stats(w.address!);
  }

  async top(ref: string): Promise<ProcessRow[]> {
    const w = await this.where(ref);
    return w.local ? w.local.top(w.r.id) : this.o.remote!.top(w.address!);
  }

  /** What the container changed, as a layer tree (its overlay upper). */
  async changes(ref: string): Promise<Inode> {
    const r = await this.inspect(ref);
    const runtime = this.runtime(r.backend);
    if (r.backend === 'linux') return runtime.changes(r.id);
    if (this.running.has(r.id)) return runtime.changes(r.id);
    if (r.state.status === 'running' && r.state.control !== undefined && this.o.remote)
      return (await unpackLayer(await this.o.remote.changes(r.state.control))).root;
    return (await this.savedChanges(r.id)) ?? emptyDir();
  }

  /** The image a container was made from (for commit, cp of a stopped one). */
  async containerImage(ref: string): Promise<{ record: ContainerRecord; image: ImageContent }> {
    const record = await this.inspect(ref);
    return { record, image: await this.image(record) };
  }

  /** The image's layers as one tree view (for diff's "was it there before"), over `upper` if given. */
  private async imageView(image: ImageContent, upper?: Inode): Promise<OverlayFs> {
    return new OverlayFs(await imageLowers(this.store.content, image), upper ? { upper } : {});
  }

  /** An emulated container's changes as saved at its last exit (or cp), if any. */
  private async savedChanges(id: string): Promise<Inode | undefined> {
    const saved = await this.records.loadChanges(id);
    return saved && (await unpackLayer(saved)).root;
  }

  /** `docker diff`: A/C/D of every path the container changed. */
  async diff(ref: string): Promise<Change[]> {
    const { record, image } = await this.containerImage(ref);
    return containerChanges(await this.changes(record.id), await this.imageView(image));
  }

  /** `docker commit`: the image plus the container's changes as a new layer; its settings as config. */
  async commit(
    ref: string,
    o: { reference?: string; author?: string; comment?: string } = {},
  ): Promise<CommitImageResult> {
    const { record, image } = await this.containerImage(ref);
    const upper = await this.changes(record.id);
    const ep = image.config.config?.Entrypoint ?? [];
    const args = record.spec.process.args;
    const keepsEntrypoint = ep.length <= args.length && ep.every((a, i) => args[i] === a);
    const config: CommitConfig = {
      Env: record.spec.process.env.filter((kv) => !kv.startsWith('HOSTNAME=')),
      WorkingDir: record.spec.process.cwd,
      User: record.spec.process.user,
      Hostname: record.spec.hostname,
      ...(keepsEntrypoint ? { Cmd: args.slice(ep.length) } : { Entrypoint: [], Cmd: args }),
    };
    return commitImage(this.store, { ...image, id: record.imageId, names: [] }, upper, { ...o, config });
  }

  /**
   * The container's root filesystem for `fn` (cp). A stopped emulated container's root is
   * made again from its image and saved changes, which are saved again after `fn`.
   */
  async withRoot<T>(ref: string, fn: (fs: FileSystem) => Promise<T>): Promise<T> {
    const { record, image } = await this.containerImage(ref);
    const runtime = this.runtime(record.backend);
    if (record.backend === 'linux' || this.running.has(record.id)) {
      const root = await runtime.rootfs(record.id);
      try {
        // a running emulated container's view is its own mount table, volumes and all
        return await fn(record.backend === 'linux' ? copyView(root.fs, record.spec, this.o.volume) : root.fs);
      } finally {
        await root.release();
      }
    }
    if (record.state.status === 'running')
      throw new ConflictError(
        `container ${record.name} runs in another berth process (pid ${record.state.ownerPid}): copy files while it is stopped, or with exec`,
      );
    // the layers as the container had them: changes over its init layer over the image
    const lowers = await imageLowers(this.store.content, image);
    const upper = await this.savedChanges(record.id);
    const fs = new OverlayFs([initLayer(lowers), ...lowers], upper ? { upper } : {});
    const out = await fn(copyView(fs, record.spec, this.o.volume));
    await this.records.saveChanges(record.id, (await diffToLayer(fs.upper)).bytes);
    return out;
  }

  /** Remove a container; a running one only with `force` (killed first). */
  async remove(ref: string, options: { force?: boolean } = {}): Promise<ContainerRecord> {
    const r = await this.inspect(ref);
    if (r.state.status === 'running') {
      if (!options.force)
        throw new ConflictError(
          `You cannot remove a running container ${r.id}. Stop the container before attempting removal or force remove`,
        );
      await this.kill(r.id, 9).catch(() => undefined);
      await this.waitExit(r.id, 10_000);
    }
    await this.removeRecord(r);
    return r;
  }

  private async removeRecord(r: ContainerRecord): Promise<void> {
    if (r.backend === 'linux' || this.opened.has(r.backend)) {
      const runtime = this.runtime(r.backend);
      await runtime.delete(r.id, { force: true }).catch((e: unknown) => {
        if (!(e instanceof NotFoundError)) throw e;
      });
    }
    await this.records.remove(r.id);
  }

  /** `system prune`'s part: every container not running (dead ones included). */
  async prune(): Promise<ContainerRecord[]> {
    const gone: ContainerRecord[] = [];
    for (const r of await this.list({ all: true })) {
      if (r.state.status === 'running') continue;
      await this.removeRecord(r);
      gone.push(r);
    }
    return gone;
  }

  async logs(ref: string): Promise<LogEntry[]> {
    const r = await this.inspect(ref);
    return this.records.readLogs(r.id);
  }

  /** Stop what this process runs and free the runtimes. */
  async close(): Promise<void> {
    for (const { id } of [...this.running.values()]) await this.kill(id, 9).catch(() => undefined);
    await Promise.all([...this.running.values()].map((s) => s.exit.catch(() => undefined)));
    for (const r of this.opened.values()) await r.close();
    this.opened.clear();
  }
}

function emptyDir(): Inode {
  return new Inode('dir', 0o755);
}
