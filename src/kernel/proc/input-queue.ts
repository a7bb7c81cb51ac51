/**
 * Standard input fed from outside the kernel (a terminal, a host stream): the host pushes
 * chunks as they arrive and ends it at end of file; a process reading it blocks while it
 * is empty and open, and reads end of file after `end`.
 */
import { WaitQueue, WouldBlock } from '../wasi/blocking.js';
import type { StdioEntry } from '../wasi/host.js';

export class InputQueue {
  private chunks: Uint8Array[] = [];
  private ended = false;
  readonly queue = new WaitQueue();

  push(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    this.chunks.push(bytes.slice());
    this.queue.wakeAll();
  }

  end(): void {
    this.ended = true;
    this.queue.wakeAll();
  }

  /** Is a process waiting to read? (A host may pause its source while nobody is.) */
  get waiting(): boolean {
    return this.queue.size > 0;
  }

  entry(): StdioEntry {
    return {
      type: 'stdio',
      read: (max) => this.read(max),
      readable: () => this.chunks.length > 0 || this.ended,
      queue: this.queue,
    };
  }

  private read(max: number): Uint8Array {
    const first = this.chunks[0];
    if (first === undefined) {
      if (this.ended) return new Uint8Array(0);
      throw new WouldBlock([this.queue]);
    }
    if (first.length <= max) {
      this.chunks.shift();
      return first;
    }
    this.chunks[0] = first.subarray(max);
    return first.subarray(0, max);
  }
}
