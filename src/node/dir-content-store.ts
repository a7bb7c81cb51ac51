/**
 * A ContentStore that is an OCI image-layout directory:
 *
 *   <root>/oci-layout            {"imageLayoutVersion":"1.0.0"}
 *   <root>/index.json            image index; the image store keeps tags here
 *   <root>/blobs/sha256/<hex>    committed blobs
 *   <root>/ingest/               temp files of writes in progress (berth's own)
 *
 * A put streams into a uniquely named ingest file while hashing, then fsyncs and
 * renames it into blobs/ only if the digest matches; every failure removes the temp
 * file. Concurrent writers of the same blob (in any process) each rename identical
 * bytes, so a reader always sees one whole blob.
 */
import { open, mkdir, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { checkExpected, ingest, type IngestLimits } from '../content/ingest.js';
import type { BlobInfo, ByteSource, ContentStore } from '../content/store.js';
import { parseSha256 } from '../oci/digest.js';
import { parseJsonObject } from '../oci/fields.js';
import { BLOBS_DIR, emptyIndex, INDEX_FILE, OCI_LAYOUT_CONTENT, OCI_LAYOUT_FILE } from '../oci/layout.js';
import { parseIndex } from '../oci/parse-index.js';
import type { ImageIndex } from '../oci/types.js';
import { fsyncDir, uniqueTempName, writeFileAtomic } from './fs-atomic.js';

const READ_CHUNK = 256 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
const HEX64 = /^[a-f0-9]{64}$/;

export interface DirContentStoreOptions extends IngestLimits {
  /** Remove ingest temp files idle this long when opening (default one day). */
  staleIngestMs?: number;
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let off = 0; off < chunk.byteLength;) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
    off += bytesWritten;
  }
}

export class DirContentStore implements ContentStore {
  readonly layoutPath: string;
  readonly indexPath: string;
  readonly blobsDir: string;
  readonly ingestDir: string;
  private indexQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly root: string,
    private readonly limits: IngestLimits,
  ) {
    this.layoutPath = join(root, OCI_LAYOUT_FILE);
    this.indexPath = join(root, INDEX_FILE);
    this.blobsDir = join(root, BLOBS_DIR, 'sha256');
    this.ingestDir = join(root, 'ingest');
  }

  /**
   * Open (creating if needed) the layout at `root`: writes `oci-layout` and an empty
   * index.json when absent; InvalidArgumentError if an existing `oci-layout` is not 1.x.
   */
  static async open(root: string, opts: DirContentStoreOptions = {}): Promise<DirContentStore> {
    const store = new DirContentStore(root, { maxBlobSize: opts.maxBlobSize });
    await mkdir(store.blobsDir, { recursive: true });
    await mkdir(store.ingestDir, { recursive: true });
    const tempDir = store.ingestDir;
    // An existing layout is only checked: writing (and fsyncing) files that exist already
    // would cost every berth command a few milliseconds.
    if (
      existsSync(store.layoutPath) ||
      !(await writeFileAtomic(store.layoutPath, OCI_LAYOUT_CONTENT, { tempDir, noClobber: true }))
    ) {
      await store.checkLayout();
    }
    if (!existsSync(store.indexPath))
      await writeFileAtomic(store.indexPath, `${JSON.stringify(emptyIndex())}\n`, {
        tempDir,
        noClobber: true,
      });
    await store.cleanIngest(opts.staleIngestMs ?? DAY_MS);
    return store;
  }

  /** blobs/sha256/<hex> for a digest (InvalidArgumentError if malformed or not sha256). */
  blobPath(digest: string): string {
    return join(this.blobsDir, parseSha256(digest));
  }

  async put(source: ByteSource, expected?: Partial<BlobInfo>): Promise<BlobInfo> {
    checkExpected(expected, this.limits);
    if (expected?.digest !== undefined && (await this.has(expected.digest))) {
      return ingest(source, expected, undefined, this.limits);
    }
    const tmp = join(this.ingestDir, uniqueTempName('blob'));
    const fh = await open(tmp, 'wx', 0o644);
    let fhOpen = true;
    try {
      const info = await ingest(source, expected, (chunk) => writeAll(fh, chunk), this.limits);
      await fh.sync();
      fhOpen = false;
      await fh.close();
      if (!(await this.has(info.digest))) {
        await rename(tmp, this.blobPath(info.digest));
        await fsyncDir(this.blobsDir);
      }
      return info;
    } finally {
      if (fhOpen) await fh.close().catch(() => undefined);
      await rm(tmp, { force: true });
    }
  }

  async *get(digest: string): AsyncIterable<Uint8Array> {
    const fh = await this.openBlob(digest);
    try {
      for (;;) {
        const buf = new Uint8Array(READ_CHUNK);
        const { bytesRead } = await fh.read(buf, 0, READ_CHUNK, null);
        if (bytesRead === 0) return;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  }

  async read(digest: string): Promise<Uint8Array> {
    const fh = await this.openBlob(digest);
    try {
      const b = await fh.readFile();
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } finally {
      await fh.close();
    }
  }

  async has(digest: string): Promise<boolean> {
    return (await this.info(digest)) !== undefined;
  }

  async info(digest: string): Promise<BlobInfo | undefined> {
    const path = this.blobPath(digest);
    try {
      const st = await stat(path);
      return st.isFile() ? { digest, size: st.size } : undefined;
    } catch (e) {
      if (errno(e) === 'ENOENT') return undefined;
      throw e;
    }
  }

  async delete(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  async list(): Promise<BlobInfo[]> {
    const out: BlobInfo[] = [];
    for (const name of await readdir(this.blobsDir)) {
      if (!HEX64.test(name)) continue;
      const info = await this.info(`sha256:${name}`);
      if (info) out.push(info);
    }
    return out;
  }

  /** The layout's index.json, validated (an absent file reads as an empty index). */
  async readIndex(): Promise<ImageIndex> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.indexPath);
    } catch (e) {
      if (errno(e) === 'ENOENT') return emptyIndex();
      throw e;
    }
    return parseIndex(bytes, this.indexPath);
  }

  /** Replace index.json atomically (temp file + rename); the index is validated first. */
  async writeIndex(index: ImageIndex): Promise<void> {
    const text = `${JSON.stringify(index)}\n`;
    parseIndex(text, `${this.indexPath} (to be written)`);
    await writeFileAtomic(this.indexPath, text, { tempDir: this.ingestDir });
  }

  /**
   * Read-modify-write index.json, serialized with other updates through this object
   * (not across processes: callers that share a directory between processes lock).
   * `change` edits the index in place or returns a replacement.
   */
  updateIndex(
    change: (index: ImageIndex) => ImageIndex | void | Promise<ImageIndex | void>,
  ): Promise<ImageIndex> {
    const run = async (): Promise<ImageIndex> => {
      const current = await this.readIndex();
      const next = (await change(current)) ?? current;
      await this.writeIndex(next);
      return next;
    };
    const result = this.indexQueue.then(run, run);
    this.indexQueue = result.catch(() => undefined);
    return result;
  }

  /** Remove ingest temp files not modified for `olderThanMs`; returns how many. */
  async cleanIngest(olderThanMs: number): Promise<number> {
    let removed = 0;
    const now = Date.now();
    for (const name of await readdir(this.ingestDir)) {
      const path = join(this.ingestDir, name);
      try {
        if (now - (await stat(path)).mtimeMs < olderThanMs) continue;
        await rm(path, { force: true });
        removed++;
      } catch (e) {
        if (errno(e) !== 'ENOENT') throw e;
      }
    }
    return removed;
  }

  private async openBlob(digest: string): Promise<FileHandle> {
    const path = this.blobPath(digest);
    try {
      return await open(path, 'r');
    } catch (e) {
      if (errno(e) === 'ENOENT') throw new NotFoundError(`blob ${digest} not found in ${this.root}`);
      throw e;
    }
  }

  private async checkLayout(): Promise<void> {
    const doc = parseJsonObject(await readFile(this.layoutPath), this.layoutPath);
    const v = doc.imageLayoutVersion;
    if (typeof v !== 'string' || !/^1\.\d+\.\d+$/.test(v)) {
      throw new InvalidArgumentError(
        `${this.layoutPath}: unsupported imageLayoutVersion ${JSON.stringify(v)}`,
      );
    }
  }
}
