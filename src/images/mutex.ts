/** A promise-chain mutex: serialises the read-modify-write steps of an ImageStore. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Run `fn` after every earlier holder has finished; errors pass through to the caller. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
