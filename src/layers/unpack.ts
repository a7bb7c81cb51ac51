/** Layer blob (gzip, zstd or plain tar) → immutable inode tree, hashed as it streams. */
import { decompress } from '../compress/decompress.js';
import { limitBytes } from '../compress/limit.js';
import type { ByteSource } from '../content/store.js';
import { DigestMismatchError } from '../errors.js';
import { type Hasher, platform } from '../platform.js';
import { readTar } from '../tar/reader.js';
import { LayerBuilder } from './builder.js';
import type { LayerTree, UnpackOptions } from './types.js';

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 8 * 1024 ** 3;

async function* hashing(
  source: AsyncIterable<Uint8Array>,
  hasher: Hasher,
  count: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    hasher.update(chunk);
    count.bytes += chunk.length;
    yield chunk;
  }
}

/**
 * Unpacks a layer. Errors (InvalidArgumentError for unsafe or malformed entries and
 * broken compression, DigestMismatchError, ResourceLimitError) name the entry or limit;
 * on error nothing is returned. The diff_id covers the whole uncompressed stream.
 */
export async function unpackLayer(source: ByteSource, opts: UnpackOptions = {}): Promise<LayerTree> {
  const hasher = platform().sha256();
  const count = { bytes: 0 };
  const max = opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const plain = limitBytes(decompress(source), max, 'uncompressed layer');
  const builder = new LayerBuilder();
  for await (const { header, body } of readTar(hashing(plain, hasher, count), {
    maxEntrySize: opts.maxEntrySize,
  })) {
    builder.add(header, body);
  }
  const diffId = hasher.digest();
  if (opts.expectedDiffId !== undefined && opts.expectedDiffId !== diffId) {
    throw new DigestMismatchError(opts.expectedDiffId, diffId, 'layer diff_id');
  }
  return { root: builder.root, diffId, size: count.bytes, entries: builder.entries };
}
