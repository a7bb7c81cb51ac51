/**
 * Container records on disk, so every berth process of a root sees the same containers:
 *
 *   <root>/containers/<id>/container.json   the record (written to a temp file, renamed)
 *                         /<id>-json.log     output, one JSON object per line as Docker's
 *                                            json-file driver: {"log","stream","time"}
 *                                            ("b64" instead of "log" for bytes that are
 *                                            not UTF-8)
 *                         /changes.tar       an emulated container's changes (a layer)
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { ContainerRecord, LogEntry, RecordStore } from '../runtime/records.js';
import { uniqueTempName, writeFileAtomic } from './fs-atomic.js';

const ID = /^[0-9a-f]{64}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class DirRecordStore implements RecordStore {
  readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'containers');
  }

  private path(id: string, file: string): string {
    if (!ID.test(id)) throw new Error(`invalid container id '${id}'`);
    return join(this.dir, id, file);
  }

  list(): Promise<ContainerRecord[]> {
    if (!existsSync(this.dir)) return Promise.resolve([]);
    const out: ContainerRecord[] = [];
    for (const id of readdirSync(this.dir)) {
      if (!ID.test(id)) continue;
      const r = this.read(id);
      if (r) out.push(r);
    }
    return Promise.resolve(out);
  }

  private read(id: string): ContainerRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.path(id, 'container.json'), 'utf8')) as ContainerRecord;
    } catch {
      return undefined; // removed meanwhile, or being created
    }
  }

  get(id: string): Promise<ContainerRecord | undefined> {
    return Promise.resolve(ID.test(id) ? this.read(id) : undefined);
  }

  /**
   * Replace the record: a temp file renamed into place, so a reader (any berth process)
   * sees the old record or the new one, never part of one. Not fsynced, unlike
   * writeFileAtomic: a record describes processes that a power loss ends anyway, and the
   * worst a crash of the host can leave is the previous record or (on a filesystem that
   * does not order the data before the rename) an empty one, which read() takes for no
   * container. It saves a disk flush of the file and of the folder on every state change.
   */
  put(record: ContainerRecord): Promise<void> {
    let tmp: string | undefined;
    try {
      const path = this.path(record.id, 'container.json');
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      tmp = join(dirname(path), uniqueTempName('container.json'));
      writeFileSync(tmp, JSON.stringify(record, null, 1), { flag: 'wx', mode: 0o644 });
      renameSync(tmp, path);
      return Promise.resolve();
    } catch (e) {
      if (tmp !== undefined) rmSync(tmp, { force: true });
      return Promise.reject(e as Error);
    }
  }

  remove(id: string): Promise<void> {
    rmSync(join(this.dir, id), { recursive: true, force: true });
    return Promise.resolve();
  }

  appendLog(id: string, entry: LogEntry): void {
    let text: string | undefined;
    try {
      text = utf8.decode(entry.bytes);
    } catch {
      text = undefined;
    }
    const line =
      text === undefined
        ? { b64: Buffer.from(entry.bytes).toString('base64'), stream: entry.stream, time: entry.time }
        : { log: text, stream: entry.stream, time: entry.time };
    try {
      appendFileSync(this.path(id, `${id}-json.log`), JSON.stringify(line) + '\n');
    } catch {
      // removed while running (rm -f): nothing to keep
    }
  }

  readLogs(id: string): Promise<LogEntry[]> {
    let text = '';
    try {
      text = readFileSync(this.path(id, `${id}-json.log`), 'utf8');
    } catch {
      return Promise.resolve([]);
    }
    const out: LogEntry[] = [];
    const enc = new TextEncoder();
    for (const line of text.split('\n')) {
      if (line === '') continue;
      let o: { log?: string; b64?: string; stream: LogEntry['stream']; time: string };
      try {
        o = JSON.parse(line) as typeof o;
      } catch {
        continue; // a line being written
      }
      const bytes =
        o.b64 !== undefined ? new Uint8Array(Buffer.from(o.b64, 'base64')) : enc.encode(o.log ?? '');
      out.push({ stream: o.stream, time: o.time, bytes });
    }
    return Promise.resolve(out);
  }

  async saveChanges(id: string, tar: Uint8Array): Promise<void> {
    if (!existsSync(join(this.dir, id))) return;
    await writeFileAtomic(this.path(id, 'changes.tar'), tar);
  }

  loadChanges(id: string): Promise<Uint8Array | undefined> {
    try {
      return Promise.resolve(new Uint8Array(readFileSync(this.path(id, 'changes.tar'))));
    } catch {
      return Promise.resolve(undefined);
    }
  }

  ownerAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
}
