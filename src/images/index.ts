/** Images: references, the image store, import and export (browser-safe). */
export * from './reference.js';
export * from './tag-table.js';
export * from './errors.js';
export * from './image-content.js';
export * from './image-store.js';
export * from './file-set.js';
export * from './import-archive.js';
export { parseDockerManifest, DOCKER_MANIFEST_FILE, type DockerManifestEntry } from './import-docker.js';
export { nameFromAnnotations, blobPath } from './import-oci.js';
export * from './archive-files.js';
export * from './layout-index.js';
export * from './export-archive.js';
export * from './export-filesystem.js';
export * from './history.js';
export * from './inspect.js';
export type { LayerLimits } from './verify-layer.js';
