/**
 * The reference graph of stored images: index → manifests (or nested indexes) →
 * config + layers. Used by gc and by image code that needs every blob of an image.
 */
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { shortDigest } from '../oci/digest.js';
import { parseJsonObject } from '../oci/fields.js';
import { isIndexMediaType, isManifestMediaType } from '../oci/media-types.js';
import { parseIndex } from '../oci/parse-index.js';
import { parseManifest } from '../oci/parse-manifest.js';
import type { ContentStore } from './store.js';

/** A blob reached in the walk; `mediaType` is unknown for roots named by digest alone. */
export interface BlobRef {
  digest: string;
  mediaType?: string;
}

/**
 * The blobs one blob refers to. `read` loads its bytes; implementations call it only
 * for blobs that can have children (never for layers).
 */
export type RefsOf = (node: BlobRef, read: () => Promise<Uint8Array>) => Promise<BlobRef[]>;

function kindOf(node: BlobRef, bytes: Uint8Array): 'index' | 'manifest' | undefined {
  if (isIndexMediaType(node.mediaType)) return 'index';
  if (isManifestMediaType(node.mediaType)) return 'manifest';
  const doc = parseJsonObject(bytes, `root ${shortDigest(node.digest)}`);
  const mt = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  if (isIndexMediaType(mt) || (mt === undefined && Array.isArray(doc.manifests))) return 'index';
  if (isManifestMediaType(mt) || (mt === undefined && typeof doc.config === 'object')) return 'manifest';
  return undefined;
}

/**
 * Children of OCI and Docker indexes and manifests. Blobs of other media types are
 * leaves; a root of unknown type is read and recognised by its mediaType or shape.
 * Malformed indexes and manifests throw InvalidArgumentError.
 */
export const imageRefs: RefsOf = async (node, read) => {
  if (
    node.mediaType !== undefined &&
    !isIndexMediaType(node.mediaType) &&
    !isManifestMediaType(node.mediaType)
  ) {
    return [];
  }
  const bytes = await read();
  const kind = kindOf(node, bytes);
  if (kind === 'index') {
    return parseIndex(bytes, `index ${shortDigest(node.digest)}`).manifests.map((d) => ({
      digest: d.digest,
      mediaType: d.mediaType,
    }));
  }
  if (kind === 'manifest') {
    const m = parseManifest(bytes, `manifest ${shortDigest(node.digest)}`);
    return [m.config, ...m.layers].map((d) => ({ digest: d.digest, mediaType: d.mediaType }));
  }
  return [];
};

/**
 * Every digest reachable from `roots` (the roots included). Blobs that are absent
 * (e.g. manifests of platforms never pulled) are included but not descended into.
 */
export async function reachable(
  store: ContentStore,
  roots: Iterable<string | BlobRef>,
  refsOf: RefsOf = imageRefs,
): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue: BlobRef[] = [...roots].map((r) => (typeof r === 'string' ? { digest: r } : r));
  for (let node = queue.shift(); node; node = queue.shift()) {
    if (seen.has(node.digest)) continue;
    seen.add(node.digest);
    const current = node;
    try {
      queue.push(...(await refsOf(current, () => store.read(current.digest))));
    } catch (e) {
      if (e instanceof NotFoundError) continue;
      if (e instanceof InvalidArgumentError)
        throw new InvalidArgumentError(`cannot walk image references: ${e.message}`);
      throw e;
    }
  }
  return seen;
}
