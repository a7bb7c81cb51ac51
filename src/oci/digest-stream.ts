/** Hashing a byte stream as it passes, for verified writes and one-pass digests. */
import type { BlobInfo, ByteSource } from '../content/store.js';
import { platform } from '../platform.js';

/** Iterate a ByteSource (an async iterable of chunks, or one Uint8Array) chunk by chunk. */
export async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  yield* source;
}

/**
 * Read `source` to its end, returning its sha256 digest and size. `onChunk` sees every
 * chunk in order (and is awaited) before the next is read, so a writer can persist
 * bytes while they are hashed; if it throws, reading stops and the error propagates.
 */
export async function digestStream(
  source: ByteSource,
  onChunk?: (chunk: Uint8Array) => void | Promise<void>,
): Promise<BlobInfo> {
  const hasher = platform().sha256();
  let size = 0;
  for await (const chunk of chunksOf(source)) {
    hasher.update(chunk);
    size += chunk.byteLength;
    if (onChunk) await onChunk(chunk);
  }
  return { digest: hasher.digest(), size };
}
