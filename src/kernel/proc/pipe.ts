/**
 * A pipe, as pipe(2) makes: a bounded byte buffer (64 KiB, Linux's default capacity)
 * with a read end and a write end that are open file descriptions shared by every fd
 * that refers to them. Reading an empty pipe blocks while a writer exists and returns end
 * of file after the last write end closes; writing with no reader left fails with EPIPE.
 */
import { FsError } from '../../vfs/errno.js';
import { WaitQueue, WouldBlock } from '../wasi/blocking.js';
import { Filetype, type StdioEntry } from '../wasi/host.js';

export const PIPE_CAPACITY = 65536;

export class Pipe {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private readers = 1;
  private writers = 1;
  /** Woken on every change: data, space, or an end closing. */
  readonly queue = new WaitQueue();
  /** Bytes that went through, for stats. */
  transferred = 0;

  constructor(readonly capacity = PIPE_CAPACITY) {}

  get buffered(): number {
    return this.size;
  }

  readEnd(): StdioEntry {
    return {
      type: 'stdio',
      filetype: Filetype.UNKNOWN,
      read: (max) => this.read(max),
      readable: () => this.size > 0 || this.writers === 0,
      queue: this.queue,
      close: () => {
        this.readers--;
        this.queue.wakeAll();
      },
    };
  }

  writeEnd(): StdioEntry {
    return {
      type: 'stdio',
      filetype: Filetype.UNKNOWN,
      write: (bytes) => this.write(bytes),
      writable: () => this.readers === 0 || this.size < this.capacity,
      queue: this.queue,
      close: () => {
        this.writers--;
        this.queue.wakeAll();
      },
    };
  }

  private read(max: number): Uint8Array {
    if (this.size === 0) {
      if (this.writers === 0) return new Uint8Array(0);
      throw new WouldBlock([this.queue]);
    }
    const n = Math.min(max, this.size);
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.chunks[0]!;
      const take = Math.min(c.length, n - at);
      out.set(c.subarray(0, take), at);
      at += take;
      if (take === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(take);
    }
    this.size -= n;
    this.queue.wakeAll();
    return out;
  }

  private write(bytes: Uint8Array): number {
    if (this.readers === 0) throw new FsError('EPIPE', 'write');
    if (bytes.length === 0) return 0;
    const room = this.capacity - this.size;
    if (room === 0) throw new WouldBlock([this.queue]);
    const n = Math.min(room, bytes.length);
    this.chunks.push(bytes.slice(0, n));
    this.size += n;
    this.transferred += n;
    this.queue.wakeAll();
    return n;
  }
}
