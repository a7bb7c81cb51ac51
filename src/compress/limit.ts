/** Decompression-bomb guard. */
import { ResourceLimitError } from '../errors.js';

/** Passes chunks through, failing with ResourceLimitError once more than `max` bytes pass. */
export async function* limitBytes(
  source: AsyncIterable<Uint8Array>,
  max: number,
  what: string,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw new ResourceLimitError(`${what} exceeds the limit of ${max} bytes`);
    yield chunk;
  }
}
