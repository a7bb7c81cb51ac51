/** OCI image-spec (layer.md) whiteout file names. */

/** `.wh.<name>` hides <name> of the lower layers. */
export const WHITEOUT_PREFIX = '.wh.';
/** `.wh..wh..opq` in a directory hides all lower entries of that directory. */
export const OPAQUE_MARKER = '.wh..wh..opq';
/** Names with this prefix are reserved (AUFS bookkeeping such as `.wh..wh.plnk`). */
export const WHITEOUT_META_PREFIX = '.wh..wh.';
