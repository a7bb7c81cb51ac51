/** Auto-detecting decompression of layer blobs. */
import type { ByteSource } from '../content/store.js';
import { type Codecs, platform } from '../platform.js';
import { MAGIC_LENGTH, detectCompression } from './detect.js';
import { guardCodec } from './errors.js';
import { byteStream, peek } from './stream.js';

/**
 * The uncompressed bytes of `source`, which may be gzip, zstd or plain (sniffed from its
 * first bytes). Broken compressed input fails with InvalidArgumentError.
 */
export async function* decompress(
  source: ByteSource,
  codecs: Codecs = platform().codecs,
): AsyncGenerator<Uint8Array> {
  const { head, stream } = await peek(byteStream(source), MAGIC_LENGTH);
  const kind = detectCompression(head);
  if (kind === 'none') yield* stream;
  else yield* guardCodec(kind, stream, kind === 'gzip' ? codecs.gunzip : codecs.unzstd);
}
