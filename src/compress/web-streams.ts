/** Bridges between async iterables and WHATWG streams (for CompressionStream & co). */

export function toReadable(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await it.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}

export async function* fromReadable(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Pipes a byte stream through a transform such as DecompressionStream. */
export function through(
  source: AsyncIterable<Uint8Array>,
  transform: ReadableWritablePair<Uint8Array, Uint8Array>,
): AsyncIterable<Uint8Array> {
  return fromReadable(toReadable(source).pipeThrough(transform));
}
