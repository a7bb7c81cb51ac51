import { concat } from '../compress/stream.js';
import { platform } from '../platform.js';
import type { Inode } from '../vfs/inode.js';
import { treeToTar } from './to-tar.js';

export interface LayerBytes {
  /** The uncompressed layer tar. */
  bytes: Uint8Array;
  /** 'sha256:…' of `bytes`. */
  diffId: string;
  size: number;
}

/**
 * A container's changes as a layer: the overlay upper already holds whiteout inodes and
 * opaque dirs exactly like a layer tree, so the diff is the upper written as a tar.
 */
export async function diffToLayer(upper: Inode): Promise<LayerBytes> {
  const hasher = platform().sha256();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of treeToTar(upper)) {
    hasher.update(chunk);
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: concat(chunks, size), diffId: hasher.digest(), size };
}
