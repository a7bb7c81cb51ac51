/**
 * The content store seam (after containerd's): immutable blobs addressed by digest.
 *
 * Lifecycle of a blob: `put` streams bytes in, hashing as they pass; only when the
 * computed digest (and size, when given) matches the expected descriptor is the blob
 * committed, atomically. A mismatching, failing or interrupted write leaves nothing
 * behind. `get` streams a committed blob out; `delete` and `gc` remove blobs.
 * Implementations: MemoryContentStore (browser and Node), DirContentStore (an OCI
 * image-layout directory on disk, Node only). Both store sha256 blobs only; every method
 * given a malformed digest throws InvalidArgumentError (digests become file names).
 */
export type ByteSource = AsyncIterable<Uint8Array> | Uint8Array;

export interface BlobInfo {
  digest: string;
  size: number;
}

export interface ContentStore {
  /**
   * Store a blob. `expected.digest` (and `expected.size` if given) must match the bytes,
   * else DigestMismatchError and nothing is stored. Returns the stored blob's info.
   * Storing a blob that already exists is a cheap success (the bytes are still verified).
   * Sizes over `expected.size` fail as soon as they are seen, not at the end.
   */
  put(source: ByteSource, expected?: Partial<BlobInfo>): Promise<BlobInfo>;
  /** Stream a blob; NotFoundError if absent. */
  get(digest: string): AsyncIterable<Uint8Array>;
  /** Whole blob in memory; NotFoundError if absent. */
  read(digest: string): Promise<Uint8Array>;
  has(digest: string): Promise<boolean>;
  /** Size of a blob, or undefined when absent. */
  info(digest: string): Promise<BlobInfo | undefined>;
  /** Remove a blob; removing an absent blob is not an error. */
  delete(digest: string): Promise<void>;
  list(): Promise<BlobInfo[]>;
}
