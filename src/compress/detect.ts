/** Compression formats recognised by their magic bytes. */
export type Compression = 'none' | 'gzip' | 'zstd';

/** Bytes needed to recognise every supported format. */
export const MAGIC_LENGTH = 4;

/** 'gzip' (1f 8b), 'zstd' (28 b5 2f fd) or 'none'. */
export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    return 'zstd';
  }
  return 'none';
}
