/**
 * The verified-write core shared by every ContentStore: hash bytes as they stream to a
 * sink, enforce size limits as they arrive, and check the expected descriptor at the
 * end. The store commits only after this resolves.
 */
import { DigestMismatchError, InvalidArgumentError, ResourceLimitError } from '../errors.js';
import { parseSha256, shortDigest } from '../oci/digest.js';
import { digestStream } from '../oci/digest-stream.js';
import type { BlobInfo, ByteSource } from './store.js';

export interface IngestLimits {
  /** Refuse blobs larger than this many bytes (ResourceLimitError). */
  maxBlobSize?: number;
}

/** Validate `expected` before any bytes are read (InvalidArgumentError if malformed). */
export function checkExpected(expected: Partial<BlobInfo> | undefined, limits: IngestLimits = {}): void {
  if (expected?.digest !== undefined) parseSha256(expected.digest);
  const size = expected?.size;
  if (size === undefined) return;
  if (!(Number.isSafeInteger(size) && size >= 0))
    throw new InvalidArgumentError(`invalid expected blob size ${String(size)}`);
  if (limits.maxBlobSize !== undefined && size > limits.maxBlobSize) throw tooBig(limits.maxBlobSize);
}

function tooBig(max: number): ResourceLimitError {
  return new ResourceLimitError(`blob exceeds the maximum size of ${max} bytes`);
}

function sizeMismatch(
  expected: Partial<BlobInfo>,
  expectedSize: number,
  actual: string,
): DigestMismatchError {
  return new DigestMismatchError(
    `${expectedSize} bytes`,
    `${actual} bytes`,
    `size of blob${expected.digest ? ` ${shortDigest(expected.digest)}` : ''}`,
  );
}

/**
 * Stream `source` through `sink` while hashing. Throws DigestMismatchError when the
 * digest or size differs from `expected`, ResourceLimitError past `maxBlobSize`.
 */
export async function ingest(
  source: ByteSource,
  expected: Partial<BlobInfo> | undefined,
  sink: ((chunk: Uint8Array) => void | Promise<void>) | undefined,
  limits: IngestLimits = {},
): Promise<BlobInfo> {
  checkExpected(expected, limits);
  const want = expected ?? {};
  let seen = 0;
  const info = await digestStream(source, async (chunk) => {
    seen += chunk.byteLength;
    if (want.size !== undefined && seen > want.size) throw sizeMismatch(want, want.size, `at least ${seen}`);
    if (limits.maxBlobSize !== undefined && seen > limits.maxBlobSize) throw tooBig(limits.maxBlobSize);
    if (sink) await sink(chunk);
  });
  if (want.size !== undefined && info.size !== want.size)
    throw sizeMismatch(want, want.size, String(info.size));
  if (want.digest !== undefined && info.digest !== want.digest) {
    throw new DigestMismatchError(want.digest, info.digest, 'blob');
  }
  return info;
}
