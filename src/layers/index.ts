/** Image layers: unpack to inode trees, apply/flatten with OCI whiteouts, write back. */
export type { LayerTree, UnpackOptions } from './types.js';
export { unpackLayer, DEFAULT_MAX_UNCOMPRESSED_BYTES } from './unpack.js';
export { applyLayer } from './apply.js';
export { flattenLayers } from './flatten.js';
export { treeToTar, treeEntries } from './to-tar.js';
export { diffToLayer, type LayerBytes } from './diff.js';
export { isImplicitDir, markImplicitDir } from './implicit.js';
export { OPAQUE_MARKER, WHITEOUT_PREFIX } from './whiteout.js';
