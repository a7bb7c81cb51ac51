/** Uniform errors for broken compressed input, whatever codec found the problem. */
import { BerthError, InvalidArgumentError } from '../errors.js';

export type Format = 'gzip' | 'zstd';

/** Maps a codec's failure to InvalidArgumentError ('truncated …' or 'corrupt … stream: …'). */
export function codecError(format: Format, e: unknown): Error {
  if (e instanceof BerthError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (/unexpected end|truncat|premature|unexpected eof/i.test(msg) || code === 'Z_BUF_ERROR') {
    return new InvalidArgumentError(`truncated ${format} stream`);
  }
  return new InvalidArgumentError(`corrupt ${format} stream: ${msg}`);
}

/**
 * Runs `codec` over `source`, turning the codec's own failures into codec errors while
 * letting the source's failures (network, limits) through unchanged.
 */
export function guardCodec(
  format: Format,
  source: AsyncIterable<Uint8Array>,
  codec: (s: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
  const fromSource = new WeakSet<object>();
  async function* input(): AsyncGenerator<Uint8Array> {
    try {
      yield* source;
    } catch (e) {
      if (typeof e === 'object' && e !== null) fromSource.add(e);
      throw e;
    }
  }
  return (async function* () {
    try {
      yield* codec(input());
    } catch (e) {
      if (typeof e === 'object' && e !== null && fromSource.has(e)) throw e;
      throw codecError(format, e);
    }
  })();
}
