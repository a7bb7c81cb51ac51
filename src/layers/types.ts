import type { Inode } from '../vfs/inode.js';

/** An unpacked layer: an immutable inode tree with whiteout inodes and opaque dirs. */
export interface LayerTree {
  root: Inode;
  /** 'sha256:…' of the uncompressed tar stream. */
  diffId: string;
  /** Uncompressed tar bytes. */
  size: number;
  /** Tar members read (PAX and GNU metadata records not counted). */
  entries: number;
}

export interface UnpackOptions {
  /** When given, the computed diff_id must equal it (else DigestMismatchError). */
  expectedDiffId?: string;
  /** Decompression-bomb guard (ResourceLimitError beyond it); default 8 GiB. */
  maxUncompressedBytes?: number;
  /** Largest single file; default 1 GiB. */
  maxEntrySize?: number;
}
