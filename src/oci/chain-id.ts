/**
 * ChainIDs (OCI image-spec config.md, "Layer ChainID"): identify a stack of layers.
 * ChainID(L0) = DiffID(L0); ChainID(Ln) = SHA256(ChainID(Ln-1) + " " + DiffID(Ln)),
 * hashed over the ASCII text of the two digests.
 */
import { parseDigest, sha256Of } from './digest.js';

/** ChainIDs for each prefix of `diffIds` (same length; element i names layers 0..i). */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    parseDigest(diffId);
    const prev = out[out.length - 1];
    out.push(prev === undefined ? diffId : sha256Of(`${prev} ${diffId}`));
  }
  return out;
}
