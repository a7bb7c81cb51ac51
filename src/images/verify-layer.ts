/**
 * Layer verification during import: unpack the layer once, which checks every tar
 * header (sizes, unsafe paths such as `../x`), enforces the decompression limit and
 * hashes the uncompressed stream against the config's diff_id.
 */
import type { ContentStore } from '../content/store.js';
import { BerthError, DigestMismatchError, InvalidArgumentError } from '../errors.js';
import { unpackLayer } from '../layers/index.js';
import { shortDigest } from '../oci/digest.js';

export interface LayerLimits {
  /** Decompression-bomb guard per layer. */
  maxUncompressedBytes?: number;
  /** Largest file in a layer. */
  maxEntrySize?: number;
}

/** Throws (naming the layer) unless the layer unpacks and its diff_id is `diffId`. */
export async function verifyLayer(
  store: ContentStore,
  layerDigest: string,
  diffId: string,
  limits: LayerLimits = {},
): Promise<void> {
  const what = `layer ${shortDigest(layerDigest)}`;
  try {
    await unpackLayer(store.get(layerDigest), { ...limits, expectedDiffId: diffId });
  } catch (e) {
    if (e instanceof DigestMismatchError) {
      throw new DigestMismatchError(
        e.expected,
        e.actual,
        `the uncompressed ${what} (config rootfs.diff_ids)`,
      );
    }
    if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`${what}: ${e.message}`);
    if (e instanceof BerthError) {
      const Ctor = e.constructor as new (m: string) => BerthError;
      throw new Ctor(`${what}: ${e.message}`);
    }
    throw e;
  }
}
