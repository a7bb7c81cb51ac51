/**
 * The Runtime seam: what the Engine asks of a backend, shaped after an OCI runtime
 * (create/start/kill/delete, plus exec) with the parts containerd's task service adds
 * (wait, stats, the process list). Two implementations: the emulated kernel
 * (emulated-runtime.ts) and the Linux kernel through crun/runc (src/linux/linux-backend.ts).
 *
 * Each runtime owns its snapshots: a layer is an immutable tree in memory on one side and
 * a directory on disk on the other, so the engine hands over the image and the runtime
 * builds the overlay root from it (see docs/architecture.md for why this differs from
 * containerd's Mount[]). What a container changed comes back as an upper tree in the
 * layer model, which diff and commit share.
 */
import type { ContentStore } from '../content/store.js';
import type { ImageContent } from '../images/image-content.js';
import type { FileSystem } from '../vfs/filesystem.js';
import type { Inode } from '../vfs/inode.js';
import type { RuntimeSpec, ProcessSpec } from './spec.js';

export type Backend = 'emulated' | 'linux';

/** Bytes in, bytes out. `stdin` null: closed at once (no -i). */
export interface Stdio {
  stdin: AsyncIterable<Uint8Array> | null;
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
  /** A terminal of this size on fds 0–2 (-t); its output comes on `stdout`. */
  tty?: { rows: number; cols: number };
}

export interface ExitStatus {
  /** The process's code; 128+n after signal n (137 when the OOM killer took PID 1). */
  exitCode: number;
  /** The OOM killer acted in the container (Docker's State.OOMKilled). */
  oomKilled: boolean;
  /** Why it could not run at all (then exitCode is 125). */
  error?: string;
}

export interface ExecProcess {
  wait(): Promise<number>;
  /** A terminal's new size (exec -t), where the backend has one. */
  resize?(rows: number, cols: number): void;
}

/** One row of `berth top` (ps -ef's columns). */
export interface ProcessRow {
  uid: number;
  /** The pid as the host (the engine's side of the pid namespace) numbers it. */
  pid: number;
  ppid: number;
  /** CPU time used, seconds. */
  cpuSeconds: number;
  /** When it started, ms since the epoch (ps's STIME). */
  startedMs: number;
  command: string;
}

export interface ContainerStats {
  memoryBytes: number;
  /** 0: no limit. */
  memoryLimit: number;
  pids: number;
  /** 0: no limit. */
  pidsLimit: number;
  /** CPU time used, nanoseconds. */
  cpuNs: number;
}

export interface RuntimeImage {
  content: ContentStore;
  image: ImageContent;
}

export interface Runtime {
  readonly backend: Backend;
  /**
   * Make the container's root from the image and keep the spec; nothing runs yet.
   * `changes`: an upper to start from (an emulated container made again in a new process).
   */
  create(id: string, spec: RuntimeSpec, image: RuntimeImage, options?: { changes?: Inode }): Promise<void>;
  /** Start PID 1 with this stdio. Throws CommandError (126/127) for a command that cannot run. */
  start(id: string, stdio: Stdio): Promise<void>;
  /** PID 1's exit (after start). */
  wait(id: string): Promise<ExitStatus>;
  /** A signal to PID 1, from outside (so SIGKILL is never ignored). */
  kill(id: string, signal: number): Promise<void>;
  exec(id: string, process: ProcessSpec, stdio: Stdio): Promise<ExecProcess>;
  stats(id: string): Promise<ContainerStats>;
  top(id: string): Promise<ProcessRow[]>;
  /** What the container changed: its overlay upper as a layer tree (whiteouts, opaque dirs). */
  changes(id: string): Promise<Inode>;
  /**
   * The container's root as a filesystem (for cp); `release` when done. On the Linux
   * side a stopped container's root is mounted for the occasion.
   */
  rootfs(id: string): Promise<{ fs: FileSystem; release(): Promise<void> }>;
  /** Kill what runs (force) and free everything the container held. */
  delete(id: string, options?: { force?: boolean }): Promise<void>;
  /** Ids this runtime holds in this process. */
  has(id: string): boolean;
  /** Free the runtime itself (workers, …) once no container is left. */
  close(): Promise<void>;
}
