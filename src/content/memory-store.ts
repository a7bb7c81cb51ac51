/** A ContentStore held in memory (browsers, tests, scratch work). */
import { NotFoundError } from '../errors.js';
import { parseSha256 } from '../oci/digest.js';
import { ingest, type IngestLimits } from './ingest.js';
import type { BlobInfo, ByteSource, ContentStore } from './store.js';

const CHUNK = 1 << 20;

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteLength === size) return chunks[0]!;
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/** Blobs in a Map; callers get copies, so stored bytes cannot be changed from outside. */
export class MemoryContentStore implements ContentStore {
  private readonly blobs = new Map<string, Uint8Array>();

  constructor(private readonly limits: IngestLimits = {}) {}

  async put(source: ByteSource, expected?: Partial<BlobInfo>): Promise<BlobInfo> {
    // A known blob is only verified; keep a reference in case it is deleted meanwhile.
    const existing = expected?.digest !== undefined ? this.blobs.get(expected.digest) : undefined;
    const chunks: Uint8Array[] = [];
    const sink = existing ? undefined : (c: Uint8Array): void => void chunks.push(c.slice());
    const info = await ingest(source, expected, sink, this.limits);
    if (!this.blobs.has(info.digest)) this.blobs.set(info.digest, existing ?? concat(chunks, info.size));
    return info;
  }

  async *get(digest: string): AsyncIterable<Uint8Array> {
    const blob = this.blob(digest);
    for (let off = 0; off < blob.byteLength; off += CHUNK) yield blob.slice(off, off + CHUNK);
  }

  async read(digest: string): Promise<Uint8Array> {
    return this.blob(digest).slice();
  }

  async has(digest: string): Promise<boolean> {
    parseSha256(digest);
    return this.blobs.has(digest);
  }

  async info(digest: string): Promise<BlobInfo | undefined> {
    parseSha256(digest);
    const b = this.blobs.get(digest);
    return b && { digest, size: b.byteLength };
  }

  async delete(digest: string): Promise<void> {
    parseSha256(digest);
    this.blobs.delete(digest);
  }

  async list(): Promise<BlobInfo[]> {
    return [...this.blobs].map(([digest, b]) => ({ digest, size: b.byteLength }));
  }

  private blob(digest: string): Uint8Array {
    parseSha256(digest);
    const b = this.blobs.get(digest);
    if (!b) throw new NotFoundError(`blob ${digest} not found`);
    return b;
  }
}
