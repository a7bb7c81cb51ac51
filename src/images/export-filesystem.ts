/**
 * `docker export` of a fresh container: the image's layers applied in order into one
 * root filesystem, written as a single tar with no whiteouts or opaque markers.
 */
import { flattenLayers } from '../layers/flatten.js';
import { treeEntries } from '../layers/to-tar.js';
import { unpackLayer } from '../layers/unpack.js';
import type { LayerTree } from '../layers/types.js';
import type { TarWriteEntry } from '../tar/types.js';
import { writeTar } from '../tar/writer.js';
import type { Inode } from '../vfs/inode.js';
import type { ContentStore } from '../content/store.js';
import type { ImageContent } from './image-content.js';
import type { LayerLimits } from './verify-layer.js';

/** The image's layers unpacked (bottom first) and verified against its diff_ids. */
export async function imageLayerTrees(
  store: ContentStore,
  image: ImageContent,
  limits: LayerLimits = {},
): Promise<LayerTree[]> {
  const trees: LayerTree[] = [];
  const diffIds = image.config.rootfs.diff_ids;
  for (const [i, layer] of image.manifest.layers.entries()) {
    const opts = diffIds[i] === undefined ? limits : { ...limits, expectedDiffId: diffIds[i] };
    trees.push(await unpackLayer(store.get(layer.digest), opts));
  }
  return trees;
}

/** The image's layer roots top first, as an OverlayFs (like overlayfs's lowerdir) takes them. */
export async function imageLowers(
  store: ContentStore,
  image: ImageContent,
  limits: LayerLimits = {},
): Promise<Inode[]> {
  return (await imageLayerTrees(store, image, limits)).map((t) => t.root).reverse();
}

/** The image's root filesystem as an inode tree (layers unpacked and verified against diff_ids). */
export async function imageRootfs(
  store: ContentStore,
  image: ImageContent,
  limits: LayerLimits = {},
): Promise<Inode> {
  return flattenLayers(await imageLayerTrees(store, image, limits));
}

function isMarker(entry: TarWriteEntry): boolean {
  const base = entry.header.name.replace(/\/$/, '').split('/').pop() ?? '';
  return base.startsWith('.wh.');
}

/** A tar of the flattened root filesystem (entries relative, './' first). */
export async function exportFilesystem(
  store: ContentStore,
  image: ImageContent,
  limits: LayerLimits = {},
): Promise<AsyncIterable<Uint8Array>> {
  const root = await imageRootfs(store, image, limits);
  function* entries(): Generator<TarWriteEntry> {
    for (const e of treeEntries(root)) if (!isMarker(e)) yield e;
  }
  return writeTar(entries());
}
