/** Validated parsing of image manifests (OCI and Docker v2 schema 2). */
import { Fields, parseJsonObject } from './fields.js';
import { isIndexMediaType, isManifestMediaType, MediaType } from './media-types.js';
import { parseDescriptor } from './parse-descriptor.js';
import { checkSchemaVersion } from './parse-index.js';
import type { ImageManifest } from './types.js';

/**
 * Parse an image manifest. `where` names the document in errors, e.g.
 * 'manifest sha256:ab…'. Throws InvalidArgumentError (also for an index or a Docker
 * schema 1 manifest passed by mistake).
 */
export function parseManifest(bytes: Uint8Array | string, where: string): ImageManifest {
  const f = new Fields(where, parseJsonObject(bytes, where));
  const mediaType = f.optString('mediaType');
  if (
    f.optNumber('schemaVersion') === 1 ||
    mediaType === MediaType.dockerSchema1 ||
    mediaType === MediaType.dockerSchema1Signed
  ) {
    f.fail('schemaVersion', 'is 1: Docker schema 1 manifests are not supported');
  }
  checkSchemaVersion(f);
  if (mediaType !== undefined && !isManifestMediaType(mediaType)) {
    f.fail(
      'mediaType',
      `is '${mediaType}', not an image manifest${isIndexMediaType(mediaType) ? ' (it is an index)' : ''}`,
    );
  }
  if (mediaType === undefined && f.has('manifests') && !f.has('config')) {
    f.fail('config', 'is missing (the document looks like an image index)');
  }
  const out = f.copy() as unknown as ImageManifest;
  out.config = parseDescriptor(f.object('config'));
  out.layers = f.objects('layers').map(parseDescriptor);
  const subject = f.optObject('subject');
  if (subject) out.subject = parseDescriptor(subject);
  f.optString('artifactType');
  f.optStringMap('annotations');
  return out;
}
