import { newDir, type Inode } from '../vfs/inode.js';
import { applyLayer } from './apply.js';
import type { LayerTree } from './types.js';

/** Applies the layers, lowest first, onto an empty root: the image's root filesystem. */
export function flattenLayers(trees: LayerTree[]): Inode {
  const root = newDir(0o755);
  for (const t of trees) applyLayer(root, t.root);
  return root;
}
