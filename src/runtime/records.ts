/**
 * Container records: what `ps -a`, `inspect`, `logs` and `rm` read, kept by a
 * RecordStore — on disk under the berth root in Node (src/node/container-records.ts), so
 * a second berth process sees them; in memory in a page.
 *
 * A container runs inside one process, its *owner* (the `berth run` in the foreground,
 * or the background process `-d` leaves). A record saying "running" whose owner is gone
 * is shown as exited with the state `dead` cause, and `rm`/`system prune` clean it up.
 */
import type { Descriptor } from '../oci/types.js';
import type { Backend } from './runtime.js';
import type { RuntimeSpec } from './spec.js';

export type ContainerStatus = 'created' | 'running' | 'exited' | 'dead';

export interface ContainerState {
  status: ContainerStatus;
  exitCode: number;
  oomKilled: boolean;
  /** Host pid of the owning process while running (see the file comment). */
  ownerPid?: number;
  /** Where the owner listens for exec, kill, stats, top (Node: a socket name). */
  control?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why it could not start, or why it is dead. */
  error?: string;
}

export interface ContainerRecord {
  id: string;
  /** Without Docker's leading '/'. */
  name: string;
  created: string;
  /** The image as the user named it, and its id (config digest). */
  image: string;
  imageId: string;
  /** The manifest run (which platform of an index). */
  manifest: Descriptor;
  platform: string;
  backend: Backend;
  spec: RuntimeSpec;
  autoRemove: boolean;
  state: ContainerState;
}

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, as Docker's json-file driver writes. */
  time: string;
  bytes: Uint8Array;
}

export interface RecordStore {
  list(): Promise<ContainerRecord[]>;
  get(id: string): Promise<ContainerRecord | undefined>;
  /** Write atomically (a reader sees the old or the new record, never half). */
  put(record: ContainerRecord): Promise<void>;
  /** The record, its logs and its saved changes. */
  remove(id: string): Promise<void>;
  appendLog(id: string, entry: LogEntry): void;
  readLogs(id: string): Promise<LogEntry[]>;
  /** An emulated container's changes (a layer tar) kept when its owner lets it go. */
  saveChanges(id: string, tar: Uint8Array): Promise<void>;
  loadChanges(id: string): Promise<Uint8Array | undefined>;
  /** Whether a process that owns containers still runs. */
  ownerAlive(pid: number): boolean;
}

/** The records of a page (or a test): nothing survives the process, nothing is shared. */
export class MemoryRecordStore implements RecordStore {
  private readonly records = new Map<string, ContainerRecord>();
  private readonly logs = new Map<string, LogEntry[]>();
  private readonly changes = new Map<string, Uint8Array>();

  list(): Promise<ContainerRecord[]> {
    return Promise.resolve([...this.records.values()].map((r) => structuredClone(r)));
  }
  get(id: string): Promise<ContainerRecord | undefined> {
    const r = this.records.get(id);
    return Promise.resolve(r && structuredClone(r));
  }
  put(record: ContainerRecord): Promise<void> {
    this.records.set(record.id, structuredClone(record));
    return Promise.resolve();
  }
  remove(id: string): Promise<void> {
    this.records.delete(id);
    this.logs.delete(id);
    this.changes.delete(id);
    return Promise.resolve();
  }
  appendLog(id: string, entry: LogEntry): void {
    let l = this.logs.get(id);
    if (l === undefined) this.logs.set(id, (l = []));
    l.push(entry);
  }
  readLogs(id: string): Promise<LogEntry[]> {
    return Promise.resolve([...(this.logs.get(id) ?? [])]);
  }
  saveChanges(id: string, tar: Uint8Array): Promise<void> {
    this.changes.set(id, tar);
    return Promise.resolve();
  }
  loadChanges(id: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.changes.get(id));
  }
  ownerAlive(): boolean {
    return true;
  }
}
