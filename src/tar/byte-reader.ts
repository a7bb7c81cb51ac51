/**
 * Pulls exact byte counts out of a chunked async stream without per-byte work: reads
 * that fit in the current chunk are views, others are assembled with `set`.
 */
const EMPTY = new Uint8Array(0);

export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private chunk: Uint8Array = EMPTY;
  private pos = 0;
  private ended = false;
  /** Bytes consumed so far. */
  offset = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private async more(): Promise<boolean> {
    while (!this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      if (r.value.length > 0) {
        this.chunk = r.value;
        this.pos = 0;
        return true;
      }
    }
    return false;
  }

  /**
   * Up to `n` bytes; shorter only at end of stream. The result may be a view into the
   * source's chunk (valid until the caller drops it; never written to by this reader).
   */
  async read(n: number): Promise<Uint8Array> {
    if (this.chunk.length - this.pos >= n) {
      const v = this.chunk.subarray(this.pos, this.pos + n);
      this.pos += n;
      this.offset += n;
      return v;
    }
    const out = new Uint8Array(n);
    const got = await this.readInto(out);
    return got === n ? out : out.subarray(0, got);
  }

  /** Fills `dst`; returns the number of bytes copied (less than its length only at end). */
  async readInto(dst: Uint8Array): Promise<number> {
    let filled = 0;
    while (filled < dst.length) {
      if (this.pos >= this.chunk.length && !(await this.more())) break;
      const take = Math.min(dst.length - filled, this.chunk.length - this.pos);
      dst.set(this.chunk.subarray(this.pos, this.pos + take), filled);
      this.pos += take;
      filled += take;
    }
    this.offset += filled;
    return filled;
  }

  /** Discards up to `n` bytes; returns how many were there. */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n) {
      if (this.pos >= this.chunk.length && !(await this.more())) break;
      const take = Math.min(n - skipped, this.chunk.length - this.pos);
      this.pos += take;
      skipped += take;
    }
    this.offset += skipped;
    return skipped;
  }

  /** Reads and discards everything left. */
  async drain(): Promise<void> {
    this.offset += this.chunk.length - this.pos;
    this.chunk = EMPTY;
    this.pos = 0;
    while (await this.more()) {
      this.offset += this.chunk.length;
      this.chunk = EMPTY;
    }
  }

  /** Releases the source early (no-op once it has ended). */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.it.return?.();
  }
}
