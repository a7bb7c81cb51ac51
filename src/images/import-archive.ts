/**
 * `importArchive`: load images from an OCI layout, an oci-archive or a docker-archive
 * (legacy or Docker 25+), detected from the files present. Everything is staged in a
 * MemoryContentStore and verified (blob digests and sizes, JSON documents, layer tars,
 * diff_ids) before a single blob reaches the real store; names are written last. A
 * failure at any point leaves the store as it was.
 */
import { MemoryContentStore } from '../content/memory-store.js';
import type { ByteSource } from '../content/store.js';
import { InvalidArgumentError } from '../errors.js';
import { INDEX_FILE } from '../oci/layout.js';
import { tarFileSet, type FileSet } from './file-set.js';
import type { CommitResult, ImageStore } from './image-store.js';
import { DOCKER_MANIFEST_FILE, stageDockerArchive } from './import-docker.js';
import { stageOciLayout, type StageContext, type StagedRoot } from './import-oci.js';
import type { LayerLimits } from './verify-layer.js';

export type ArchiveFormat = 'oci-layout' | 'docker-archive';

export interface ImportOptions extends LayerLimits {
  /** Largest archive member accepted when reading a tar (default: the tar reader's 1 GiB). */
  maxArchiveEntrySize?: number;
  /** Name of the source for messages (default 'archive'). */
  sourceName?: string;
}

export interface ImportResult {
  format: ArchiveFormat;
  /** One per name loaded (and one per image without a name), in archive order. */
  images: CommitResult['records'];
}

/** Which format a set of files holds (docker-archive wins when both are present). */
export async function detectArchiveFormat(files: FileSet): Promise<ArchiveFormat> {
  if (await files.has(DOCKER_MANIFEST_FILE)) return 'docker-archive';
  if (await files.has(INDEX_FILE)) return 'oci-layout';
  throw new InvalidArgumentError(
    `${files.source}: not an image archive: it has neither ${DOCKER_MANIFEST_FILE} (docker-archive) nor ${INDEX_FILE} (OCI layout)`,
  );
}

/**
 * Verify the images in `files` into a fresh staging store without touching `store`.
 * Returns the staging store and the records to commit.
 */
export async function stageArchive(
  files: FileSet,
  limits: LayerLimits = {},
): Promise<{ format: ArchiveFormat; staging: MemoryContentStore; roots: StagedRoot[] }> {
  const format = await detectArchiveFormat(files);
  const staging = new MemoryContentStore();
  const ctx: StageContext = { files, staging, limits, verified: new Set() };
  let roots: StagedRoot[];
  if (format === 'docker-archive') {
    const oci = (await files.has(INDEX_FILE)) ? await stageOciLayout(ctx) : [];
    roots = await stageDockerArchive(ctx, oci);
  } else {
    roots = await stageOciLayout(ctx);
  }
  if (roots.length === 0) throw new InvalidArgumentError(`${files.source}: the archive holds no images`);
  return { format, staging, roots };
}

/** Import from a FileSet (a directory, see src/node) or the bytes of a tar archive (optionally gzip/zstd). */
export async function importArchive(
  store: ImageStore,
  input: FileSet | ByteSource,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const files = isFileSet(input)
    ? input
    : await tarFileSet(
        input,
        options.sourceName ?? 'archive',
        options.maxArchiveEntrySize === undefined ? {} : { maxEntrySize: options.maxArchiveEntrySize },
      );
  const limits: LayerLimits = {};
  if (options.maxUncompressedBytes !== undefined) limits.maxUncompressedBytes = options.maxUncompressedBytes;
  if (options.maxEntrySize !== undefined) limits.maxEntrySize = options.maxEntrySize;
  const { format, staging, roots } = await stageArchive(files, limits);
  const committed = await store.commit(
    staging,
    roots.map(({ name, target }) => (name === undefined ? { target } : { name, target })),
  );
  return { format, images: committed.records };
}

function isFileSet(x: FileSet | ByteSource): x is FileSet {
  return typeof (x as FileSet).read === 'function' && typeof (x as FileSet).has === 'function';
}
