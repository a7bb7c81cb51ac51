/** Small helpers over byte streams shared by the codecs and the layer code. */
import type { ByteSource } from '../content/store.js';

/** A ByteSource as an async iterable (a Uint8Array becomes a one-chunk stream). */
export function byteStream(source: ByteSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    return (async function* () {
      yield source;
    })();
  }
  return source;
}

/**
 * Reads chunks until at least `n` bytes are buffered (or the stream ends) and returns
 * them with a stream that replays them followed by the rest of the source.
 */
export async function peek(
  source: AsyncIterable<Uint8Array>,
  n: number,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let total = 0;
  let done = false;
  while (total < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    seen.push(r.value);
    total += r.value.length;
  }
  const head = seen.length === 1 ? seen[0] : concat(seen, total);
  async function* replay(): AsyncGenerator<Uint8Array> {
    let finished = done;
    try {
      for (const c of seen) yield c;
      seen.length = 0;
      while (!finished) {
        const r = await it.next();
        if (r.done) {
          finished = true;
          break;
        }
        yield r.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  return { head: head.subarray(0, Math.min(n, head.length)), stream: replay() };
}

export function concat(parts: Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
