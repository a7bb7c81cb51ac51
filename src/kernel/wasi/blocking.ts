/**
 * How a syscall waits. A syscall that cannot finish yet (a read from an empty pipe, a
 * wait for a child, a sleep) throws WouldBlock naming what it waits for; the kernel parks
 * the calling process — its worker stays asleep in Atomics.wait — and calls `resume` (by
 * default: the same syscall again) when one of the queues is woken or the deadline passes.
 */

/** Something a blocked syscall can wait on: a pipe's readers, a process's exit, … */
export class WaitQueue {
  private readonly waiters = new Set<() => void>();

  /** Call `wake` once at the next wakeAll; returns a function that cancels it. */
  wait(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }

  wakeAll(): void {
    if (this.waiters.size === 0) return;
    const list = [...this.waiters];
    this.waiters.clear();
    for (const w of list) w();
  }

  get size(): number {
    return this.waiters.size;
  }
}

/** Not an Error: it is thrown on every blocking call, and capturing a stack trace would cost. */
export class WouldBlock {
  constructor(
    /** Wake when any of these is woken. */
    readonly queues: WaitQueue[],
    /** performance.now() milliseconds at which to wake regardless, if any. */
    readonly deadline?: number,
    /** What to run when woken (its result is the syscall's); default: the syscall again. */
    readonly resume?: () => number | bigint | void,
  ) {}
}

/**
 * Run a syscall body, turning a thrown error into an errno with `toErrno`. A WouldBlock
 * passes through with its resume guarded the same way, so the retry after waking also
 * ends in an errno, never an exception.
 */
export function guardSyscall(body: () => number | void, toErrno: (e: unknown) => number): number {
  try {
    return body() ?? 0;
  } catch (e) {
    if (e instanceof WouldBlock) {
      const again = (e.resume ?? body) as () => number | void;
      throw new WouldBlock(e.queues, e.deadline, () => guardSyscall(again, toErrno));
    }
    return toErrno(e);
  }
}
