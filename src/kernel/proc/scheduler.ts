/**
 * The kernel thread's side of the syscall channels. It sleeps on the doorbell with
 * Atomics.waitAsync (allowed on a browser page's main thread, unlike Atomics.wait), and on
 * a ring it serves every process with a pending request, then spins for a few
 * microseconds in case the next request follows at once — the common case for a program
 * doing I/O — before going back to sleep. Continuous work yields to the event loop every
 * few milliseconds so timers, stdout and the host API keep running.
 */
import { STATE, REQUEST } from './channel.js';

const SPIN_MS = 0.2;
const SLICE_MS = 8;

type WaitAsync = (
  a: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

export interface Served {
  channel: Int32Array | null;
  /** True while the process's request is parked (blocked) and must not be served again. */
  readonly busy: boolean;
}

export class Scheduler<P extends Served> {
  private last = 0;
  private stopped = false;
  private listening = false;
  /** Only the latest waitAsync may start a pump (older ones are stale). */
  private generation = 0;

  constructor(
    private readonly doorbell: Int32Array,
    private readonly runnable: () => Iterable<P>,
    private readonly serve: (p: P) => void,
  ) {}

  /** Start listening (idempotent). */
  start(): void {
    this.stopped = false;
    if (!this.listening) this.listen();
  }

  stop(): void {
    this.stopped = true;
  }

  private listen(): void {
    if (this.stopped) {
      this.listening = false;
      return;
    }
    this.listening = true;
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    const gen = ++this.generation;
    const r = waitAsync(this.doorbell, 0, this.last);
    if (r.async) void r.value.then(() => gen === this.generation && this.pump());
    else setTimeout(() => gen === this.generation && this.pump(), 0);
  }

  /** Serve requests now (also called by the kernel after it unparks a process). */
  pump(): void {
    this.generation++;
    const began = performance.now();
    for (;;) {
      this.last = Atomics.load(this.doorbell, 0);
      this.serveAll();
      const until = performance.now() + SPIN_MS;
      while (Atomics.load(this.doorbell, 0) === this.last && performance.now() < until) {
        /* spin: the next request usually comes within microseconds */
      }
      if (Atomics.load(this.doorbell, 0) === this.last || this.stopped) break;
      if (performance.now() - began > SLICE_MS) {
        setTimeout(() => this.pump(), 0);
        return;
      }
    }
    this.listen();
  }

  private serveAll(): void {
    for (const p of this.runnable()) {
      const ch = p.channel;
      if (ch !== null && !p.busy && Atomics.load(ch, STATE) === REQUEST) this.serve(p);
    }
  }
}
