/**
 * The Linux Runtime behind the seam (src/runtime/runtime.ts): LinuxRuntime (layer
 * directories, an overlayfs root, crun or runc) driven with the engine's resolved spec,
 * its pipes turned into the seam's byte callbacks. With a terminal (-t, `stdio.tty`)
 * the runtime makes the container's pty and its output, stderr included, comes on stdout.
 */
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { InvalidArgumentError } from '../errors.js';
import { HostFs } from '../node/host-fs.js';
import type {
  ContainerStats,
  ExecProcess,
  ExitStatus,
  ProcessRow,
  Runtime,
  RuntimeImage,
  Stdio,
} from '../runtime/runtime.js';
import type { ProcessSpec, RuntimeSpec } from '../runtime/spec.js';
import type { FileSystem } from '../vfs/filesystem.js';
import type { Inode } from '../vfs/inode.js';
import { LinuxRuntime } from './linux-runtime.js';
import { readUpperTree } from './upper-tree.js';

const CLOCK_TICKS = 100;

export class LinuxBackend implements Runtime {
  readonly backend = 'linux' as const;
  private readonly streams = new Map<string, Promise<unknown>>();
  private readonly local = new Set<string>();

  constructor(readonly linux: LinuxRuntime) {}

  static open(root: string): LinuxBackend {
    return new LinuxBackend(LinuxRuntime.open(root));
  }

  has(id: string): boolean {
    return this.local.has(id);
  }

  async create(id: string, spec: RuntimeSpec, image: RuntimeImage): Promise<void> {
    const p = spec.process;
    await this.linux.create({
      content: image.content,
      image: image.image,
      id,
      // the command and environment are resolved already: no entrypoint to prepend
      cmd: p.args,
      entrypoint: [],
      env: p.env,
      workdir: p.cwd,
      user: p.user,
      hostname: spec.hostname,
      memoryBytes: spec.resources.memoryBytes,
      pidsLimit: spec.resources.pidsLimit,
      cpus: spec.resources.cpus,
      readOnly: spec.readOnlyRoot,
      volumes: spec.mounts
        .filter((m) => m.type === 'bind')
        .map((m) => ({ source: m.source, target: m.destination, readOnly: m.options.includes('ro') })),
      tmpfs: spec.mounts
        .filter((m) => m.type === 'tmpfs')
        .map((m) => ({ target: m.destination, options: m.options })),
    });
  }

  async start(id: string, stdio: Stdio): Promise<void> {
    const io = await this.linux.start(id, stdio.tty ? { tty: stdio.tty } : {});
    this.local.add(id);
    this.streams.set(id, connect(io, stdio));
  }

  async wait(id: string): Promise<ExitStatus> {
    const status = await this.linux.wait(id);
    await this.streams.get(id);
    return status;
  }

  kill(id: string, signal: number): Promise<void> {
    return this.linux.kill(id, signal);
  }

  async exec(id: string, p: ProcessSpec, stdio: Stdio): Promise<ExecProcess> {
    const h = await this.linux.exec(id, {
      args: p.args,
      env: p.env,
      cwd: p.cwd,
      user: p.user || undefined,
      ...(stdio.tty ? { tty: stdio.tty } : {}),
    });
    const streams = connect(h, stdio);
    return {
      wait: async () => {
        const code = await h.wait();
        await streams;
        return code;
      },
    };
  }

  stats(id: string): Promise<ContainerStats> {
    const s = this.linux.stats(id);
    const finite = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? 0 : n);
    return Promise.resolve({
      memoryBytes: finite(s.memoryBytes),
      memoryLimit: finite(s.memoryLimit),
      pids: finite(s.pids),
      pidsLimit: finite(s.pidsLimit),
      cpuNs: finite(s.cpuNs),
    });
  }

  top(id: string): Promise<ProcessRow[]> {
    const rows: ProcessRow[] = [];
    for (const pid of this.linux.pids(id)) {
      const row = procRow(pid);
      if (row) rows.push(row);
    }
    return Promise.resolve(rows);
  }

  changes(id: string): Promise<Inode> {
    return readUpperTree(this.linux.upperDir(id));
  }

  async rootfs(id: string): Promise<{ fs: FileSystem; release(): Promise<void> }> {
    const root = await this.linux.mountedRoot(id);
    const fs = new HostFs(root.path);
    return {
      fs,
      release: async () => {
        fs.close();
        await root.release();
      },
    };
  }

  async delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    await this.linux.delete(id, options);
    this.local.delete(id);
    this.streams.delete(id);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Pump the seam's stdin into `io.stdin` and the pipes out; resolves when both pipes end.
 * Without input (no -i) a terminal's stdin stays open, as Docker's: an end would reach
 * the container's terminal as ^D.
 */
function connect(
  io: { stdin: Writable; stdout: Readable; stderr: Readable },
  stdio: Stdio,
): Promise<unknown> {
  if (stdio.stdin === null) {
    if (!stdio.tty) io.stdin.end();
  } else {
    const input = stdio.stdin;
    void (async () => {
      try {
        for await (const chunk of input) if (!io.stdin.write(chunk)) await once(io.stdin, 'drain');
      } catch {
        // input failed: end it
      }
      io.stdin.end();
    })();
  }
  const drained = (r: Readable, sink: (b: Uint8Array) => void) =>
    new Promise<void>((resolve) => {
      r.on('data', (b: Buffer) => sink(new Uint8Array(b.buffer, b.byteOffset, b.length)));
      r.on('end', resolve);
      r.on('close', resolve);
      r.on('error', () => resolve());
    });
  return Promise.all([drained(io.stdout, stdio.stdout), drained(io.stderr, stdio.stderr)]);
}

function once(w: Writable, event: string): Promise<void> {
  return new Promise((resolve) => {
    w.once(event, resolve);
    w.once('close', resolve);
  });
}

let btime: number | undefined;

/** The host's boot time, seconds since the epoch (/proc/stat's btime). */
function bootTime(): number {
  btime ??= Number(/^btime (\d+)/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? 0);
  return btime;
}

/** ps -ef's fields for a host pid from /proc (undefined once it is gone). */
function procRow(pid: number): ProcessRow | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    return {
      uid,
      pid,
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
      // field 22, starttime: clock ticks after boot
      startedMs: (bootTime() + Number(fields[19]) / CLOCK_TICKS) * 1000,
      command: cmdline || `[${comm}]`,
    };
  } catch (e) {
    if (e instanceof Error && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InvalidArgumentError(`cannot read /proc/${pid}: ${(e as Error).message}`);
  }
}
