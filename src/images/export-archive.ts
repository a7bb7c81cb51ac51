/**
 * `docker save`: the files of an OCI layout (for oci-layout dirs and oci-archives) or
 * of a docker-archive for some images. Every blob comes from the store as is, except
 * that docker-archive layers must be uncompressed tars whose sha256 is the diff_id:
 * compressed layers are decompressed (and checked) on the way out.
 */
import { concat } from '../compress/stream.js';
import { decompress } from '../compress/decompress.js';
import { reachable } from '../content/refs.js';
import { DigestMismatchError, InvalidArgumentError } from '../errors.js';
import { sha256Of, shortDigest } from '../oci/digest.js';
import { INDEX_FILE, OCI_LAYOUT_CONTENT, OCI_LAYOUT_FILE } from '../oci/layout.js';
import { MediaType } from '../oci/media-types.js';
import type { Descriptor, ImageManifest } from '../oci/types.js';
import { bytesFile, type ArchiveFile } from './archive-files.js';
import { loadImage } from './image-content.js';
import type { ImageStore } from './image-store.js';
import { blobPath } from './import-oci.js';
import { DOCKER_MANIFEST_FILE, type DockerManifestEntry } from './import-docker.js';
import { layoutIndex } from './layout-index.js';
import { familiarName, familiarRepository, parseReference } from './reference.js';
import type { TagRecord } from './tag-table.js';

export type SaveFormat = 'docker-archive' | 'oci-archive' | 'oci-layout';
export const SAVE_FORMATS: readonly SaveFormat[] = ['docker-archive', 'oci-archive', 'oci-layout'];

/** One image to save with the names it is saved under. */
export interface SaveSelection {
  id: string;
  target: Descriptor;
  names: string[];
}

/**
 * Resolve `refs` as `docker save` does: a name saves the image under that name; an ID
 * saves it without names. Several refs to one image merge.
 */
export async function selectImages(store: ImageStore, refs: string[]): Promise<SaveSelection[]> {
  if (refs.length === 0) throw new InvalidArgumentError('no image to save');
  const out: SaveSelection[] = [];
  for (const ref of refs) {
    const found = await store.lookup(ref);
    let sel = out.find((s) => s.target.digest === found.target.digest);
    if (!sel) {
      sel = { id: found.id, target: found.target, names: [] };
      out.push(sel);
    }
    if (found.byName !== undefined && !sel.names.includes(found.byName)) sel.names.push(found.byName);
  }
  return out;
}

function records(selection: SaveSelection[]): TagRecord[] {
  return selection.flatMap((s) =>
    s.names.length === 0 ? [{ target: s.target }] : s.names.map((name) => ({ name, target: s.target })),
  );
}

function blobFile(store: ImageStore, digest: string, size: number): ArchiveFile {
  return { path: blobPath(digest), size, body: () => store.content.get(digest) };
}

/** The files of an OCI image layout holding `selection` (whole indexes included). */
export async function ociLayoutFiles(store: ImageStore, selection: SaveSelection[]): Promise<ArchiveFile[]> {
  const digests = await reachable(
    store.content,
    selection.map((s) => ({ digest: s.target.digest, mediaType: s.target.mediaType })),
  );
  const files: ArchiveFile[] = [];
  for (const digest of [...digests].sort()) {
    const info = await store.content.info(digest);
    if (info) files.push(blobFile(store, digest, info.size)); // absent: a platform never loaded
  }
  files.push(bytesFile(OCI_LAYOUT_FILE, OCI_LAYOUT_CONTENT));
  files.push(bytesFile(INDEX_FILE, JSON.stringify(layoutIndex(records(selection)))));
  return files;
}

/** A layer as an uncompressed tar whose sha256 is `diffId`. */
async function uncompressedLayer(store: ImageStore, layer: Descriptor, diffId: string): Promise<ArchiveFile> {
  const path = blobPath(diffId);
  if (layer.digest === diffId) return { path, size: layer.size, body: () => store.content.get(layer.digest) };
  const chunks: Uint8Array[] = [];
  for await (const chunk of decompress(store.content.get(layer.digest))) chunks.push(chunk);
  const tar = concat(chunks);
  const actual = sha256Of(tar);
  if (actual !== diffId)
    throw new DigestMismatchError(diffId, actual, `uncompressed layer ${shortDigest(layer.digest)}`);
  return bytesFile(path, tar);
}

/**
 * The files of a docker-archive in the Docker 25+ form: manifest.json and repositories
 * for `docker load`, beside an OCI layout (index.json, oci-layout, blobs/sha256/) whose
 * manifests list the same uncompressed layers. Multi-platform images are saved for the
 * store's platform.
 */
export async function dockerArchiveFiles(
  store: ImageStore,
  selection: SaveSelection[],
): Promise<ArchiveFile[]> {
  const files = new Map<string, ArchiveFile>();
  const manifestJson: DockerManifestEntry[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const indexRecords: TagRecord[] = [];
  for (const sel of selection) {
    const image = await loadImage(store.content, sel.target, store.platform);
    const diffIds = image.config.rootfs.diff_ids;
    if (diffIds.length !== image.manifest.layers.length) {
      throw new InvalidArgumentError(
        `image ${shortDigest(sel.id)}: ${image.manifest.layers.length} layers but ${diffIds.length} diff_ids`,
      );
    }
    const configDesc = image.manifest.config;
    files.set(blobPath(configDesc.digest), bytesFile(blobPath(configDesc.digest), image.configBytes));
    const layers: Descriptor[] = [];
    for (const [i, layer] of image.manifest.layers.entries()) {
      const diffId = diffIds[i]!;
      if (!files.has(blobPath(diffId)))
        files.set(blobPath(diffId), await uncompressedLayer(store, layer, diffId));
      layers.push({ mediaType: MediaType.ociLayer, digest: diffId, size: files.get(blobPath(diffId))!.size });
    }
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: configDesc.digest, size: configDesc.size },
      layers,
    };
    const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
    const manifestDesc: Descriptor = {
      mediaType: MediaType.ociManifest,
      digest: sha256Of(manifestBytes),
      size: manifestBytes.length,
    };
    files.set(blobPath(manifestDesc.digest), bytesFile(blobPath(manifestDesc.digest), manifestBytes));
    if (sel.names.length === 0) indexRecords.push({ target: manifestDesc });
    for (const name of sel.names) {
      indexRecords.push({ name, target: manifestDesc });
      const ref = parseReference(name);
      (repositories[familiarRepository(ref)] ??= {})[ref.tag ?? 'latest'] = (
        diffIds[diffIds.length - 1] ?? configDesc.digest
      ).slice(7);
    }
    manifestJson.push({
      Config: blobPath(configDesc.digest),
      RepoTags: sel.names.map((n) => familiarName(parseReference(n))),
      Layers: layers.map((l) => blobPath(l.digest)),
    });
  }
  return [
    ...files.values(),
    bytesFile(OCI_LAYOUT_FILE, OCI_LAYOUT_CONTENT),
    bytesFile(INDEX_FILE, JSON.stringify(layoutIndex(indexRecords))),
    bytesFile(DOCKER_MANIFEST_FILE, JSON.stringify(manifestJson)),
    bytesFile('repositories', JSON.stringify(repositories)),
  ];
}

/** The files of an archive in `format` (oci-archive and oci-layout hold the same files). */
export async function saveFiles(
  store: ImageStore,
  refs: string[],
  format: SaveFormat,
): Promise<ArchiveFile[]> {
  const selection = await selectImages(store, refs);
  return format === 'docker-archive'
    ? dockerArchiveFiles(store, selection)
    : ociLayoutFiles(store, selection);
}
