/**
 * index.json entries for named images, written the way containerd and Docker 25+ do:
 * `org.opencontainers.image.ref.name` holds the tag, `io.containerd.image.name` the
 * full name. Used by the on-disk store and by every OCI layout berth exports.
 */
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME } from '../oci/layout.js';
import { MediaType } from '../oci/media-types.js';
import type { Descriptor, ImageIndex } from '../oci/types.js';
import { nameFromAnnotations, stripNameAnnotations } from './import-oci.js';
import { parseReference } from './reference.js';
import type { TagRecord } from './tag-table.js';

/** The index.json descriptor for a record. */
export function indexEntry(record: TagRecord): Descriptor {
  const out = stripNameAnnotations(record.target);
  if (record.name !== undefined) {
    const ref = parseReference(record.name);
    out.annotations = {
      ...out.annotations,
      [ANNOTATION_IMAGE_NAME]: record.name,
      [ANNOTATION_REF_NAME]: ref.tag ?? 'latest',
    };
  }
  return out;
}

/** A whole index.json for `records`. */
export function layoutIndex(records: TagRecord[]): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: records.map(indexEntry) };
}

/** Records back from an index.json (inverse of layoutIndex). */
export function recordsFromIndex(index: ImageIndex): TagRecord[] {
  return index.manifests.map((entry) => {
    const name = nameFromAnnotations(entry.annotations);
    const target = stripNameAnnotations(entry);
    return name === undefined ? { target } : { name, target };
  });
}
