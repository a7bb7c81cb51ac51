/** Validated parsing of image indexes and Docker manifest lists. */
import { Fields, parseJsonObject } from './fields.js';
import { isIndexMediaType } from './media-types.js';
import { parseDescriptor } from './parse-descriptor.js';
import type { ImageIndex } from './types.js';

/** `schemaVersion` must be 2. */
export function checkSchemaVersion(f: Fields): void {
  const v = f.optNumber('schemaVersion');
  if (v === undefined) f.fail('schemaVersion', 'is missing');
  if (v !== 2) f.fail('schemaVersion', `must be 2 (got ${v})`);
}

/**
 * Parse an image index (OCI or Docker manifest list). `where` names the document in
 * errors, e.g. 'index.json' or 'index sha256:ab…'. Throws InvalidArgumentError.
 */
export function parseIndex(bytes: Uint8Array | string, where: string): ImageIndex {
  const f = new Fields(where, parseJsonObject(bytes, where));
  checkSchemaVersion(f);
  const mediaType = f.optString('mediaType');
  if (mediaType !== undefined && !isIndexMediaType(mediaType)) {
    f.fail('mediaType', `is '${mediaType}', not an image index`);
  }
  const out = f.copy() as unknown as ImageIndex;
  out.manifests = f.objects('manifests').map(parseDescriptor);
  const subject = f.optObject('subject');
  if (subject) out.subject = parseDescriptor(subject);
  f.optString('artifactType');
  f.optStringMap('annotations');
  return out;
}
