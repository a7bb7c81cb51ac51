/** OCI image layout (image-spec image-layout.md): file names, content and annotations. */
import type { ImageIndex } from './types.js';

export const OCI_LAYOUT_FILE = 'oci-layout';
export const OCI_LAYOUT_VERSION = '1.0.0';
/** Exact bytes berth writes to `oci-layout`. */
export const OCI_LAYOUT_CONTENT = `{"imageLayoutVersion":"${OCI_LAYOUT_VERSION}"}`;
export const INDEX_FILE = 'index.json';
export const BLOBS_DIR = 'blobs';

/** The tag name of a manifest in index.json. */
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
/** containerd/nerdctl's full image name on a manifest in index.json. */
export const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name';

/** A fresh `{"schemaVersion":2,"manifests":[]}`. */
export function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, manifests: [] };
}
