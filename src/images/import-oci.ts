/**
 * Staging an OCI image layout (a directory, or the files of an oci-archive or of a
 * Docker 25+ docker-archive): every blob reachable from index.json is copied into the
 * staging store with its digest and size verified, every manifest's layers are
 * unpacked once against the config's diff_ids. Nothing touches the real store.
 */
import type { ContentStore } from '../content/store.js';
import { DigestMismatchError, InvalidArgumentError } from '../errors.js';
import { parseDigest } from '../oci/digest.js';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, INDEX_FILE, OCI_LAYOUT_FILE } from '../oci/layout.js';
import { parseJsonObject } from '../oci/fields.js';
import { isConfigMediaType, isLayerMediaType } from '../oci/media-types.js';
import { parseConfig } from '../oci/parse-config.js';
import { parseIndex } from '../oci/parse-index.js';
import { parseManifest } from '../oci/parse-manifest.js';
import type { Annotations, Descriptor } from '../oci/types.js';
import type { FileSet } from './file-set.js';
import { isIndexDocument } from './image-content.js';
import { formatReference, tryParseReference } from './reference.js';
import type { TagRecord } from './tag-table.js';
import { verifyLayer, type LayerLimits } from './verify-layer.js';

export interface StageContext {
  files: FileSet;
  staging: ContentStore;
  limits: LayerLimits;
  /** 'layerDigest diffId' pairs already verified. */
  verified: Set<string>;
}

/** A staged root with the config digest of each manifest below it. */
export interface StagedRoot extends TagRecord {
  configDigests: string[];
}

/** `blobs/<alg>/<hex>` of a digest. */
export function blobPath(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `blobs/${algorithm}/${hex}`;
}

/**
 * Copy the blob `desc` names from the archive into staging, verifying digest and size.
 * `referencedBy` says which document names it, for the error when it is missing.
 */
export async function stageBlob(
  ctx: StageContext,
  desc: Descriptor,
  referencedBy: string,
): Promise<Uint8Array> {
  const path = blobPath(desc.digest);
  if (!(await ctx.files.has(path))) {
    throw new InvalidArgumentError(
      `${ctx.files.source}: blob ${desc.digest} (${referencedBy}) is missing: no file ${path}`,
    );
  }
  const bytes = await ctx.files.read(path);
  try {
    await ctx.staging.put(bytes, { digest: desc.digest, size: desc.size });
  } catch (e) {
    if (e instanceof DigestMismatchError) {
      throw new DigestMismatchError(e.expected, e.actual, `${ctx.files.source}: ${path} (${referencedBy})`);
    }
    throw e;
  }
  return bytes;
}

/** Verify each layer of a manifest against its config's diff_ids (once per pair). */
export async function verifyLayers(
  ctx: StageContext,
  layers: Descriptor[],
  diffIds: string[],
  where: string,
): Promise<void> {
  if (!layers.every((l) => isLayerMediaType(l.mediaType))) return; // an artifact, not a filesystem image
  if (layers.length !== diffIds.length) {
    throw new InvalidArgumentError(
      `${where}: ${layers.length} layers but the config lists ${diffIds.length} rootfs.diff_ids`,
    );
  }
  for (let i = 0; i < layers.length; i++) {
    const key = `${layers[i]!.digest} ${diffIds[i]!}`;
    if (ctx.verified.has(key)) continue;
    try {
      await verifyLayer(ctx.staging, layers[i]!.digest, diffIds[i]!, ctx.limits);
    } catch (e) {
      if (e instanceof Error) e.message = `${ctx.files.source}: ${e.message}`;
      throw e;
    }
    ctx.verified.add(key);
  }
}

/** Stage a manifest or index and everything below it; returns the config digests met. */
async function stageTree(
  ctx: StageContext,
  desc: Descriptor,
  referencedBy: string,
  depth: number,
): Promise<string[]> {
  if (depth > 4)
    throw new InvalidArgumentError(`${ctx.files.source}: indexes nested too deeply at ${desc.digest}`);
  const bytes = await stageBlob(ctx, desc, referencedBy);
  const where = `${ctx.files.source}: ${blobPath(desc.digest)}`;
  if (isIndexDocument(desc, bytes)) {
    const index = parseIndex(bytes, where);
    const configs: string[] = [];
    for (const child of index.manifests)
      configs.push(...(await stageTree(ctx, child, `listed in ${blobPath(desc.digest)}`, depth + 1)));
    return configs;
  }
  const manifest = parseManifest(bytes, where);
  const by = `named by manifest ${blobPath(desc.digest)}`;
  const configBytes = await stageBlob(ctx, manifest.config, by);
  for (const layer of manifest.layers) await stageBlob(ctx, layer, by);
  if (!isConfigMediaType(manifest.config.mediaType)) return [];
  const config = parseConfig(configBytes, `${ctx.files.source}: config ${blobPath(manifest.config.digest)}`);
  await verifyLayers(ctx, manifest.layers, config.rootfs.diff_ids, where);
  return [manifest.config.digest];
}

/**
 * The image name an index.json entry carries: containerd's full name, else a ref name
 * that is a whole reference ('fixtures/app:v2'); a bare tag ('latest') names nothing.
 */
export function nameFromAnnotations(annotations: Annotations | undefined): string | undefined {
  const full = annotations?.[ANNOTATION_IMAGE_NAME];
  const fromFull = full !== undefined ? tryParseReference(full) : undefined;
  if (fromFull && fromFull.digest === undefined) return formatReference(fromFull);
  const ref = annotations?.[ANNOTATION_REF_NAME];
  if (ref === undefined || !/[:/]/.test(ref)) return undefined;
  const parsed = tryParseReference(ref);
  return parsed && parsed.digest === undefined ? formatReference(parsed) : undefined;
}

/** A descriptor without the naming annotations (they live in the tag table). */
export function stripNameAnnotations(desc: Descriptor): Descriptor {
  const out: Descriptor = { ...desc };
  if (desc.annotations) {
    const rest = { ...desc.annotations };
    delete rest[ANNOTATION_IMAGE_NAME];
    delete rest[ANNOTATION_REF_NAME];
    if (Object.keys(rest).length > 0) out.annotations = rest;
    else delete out.annotations;
  }
  return out;
}

/** Stage every image index.json lists; one record per entry (unnamed where it carries no name). */
export async function stageOciLayout(ctx: StageContext): Promise<StagedRoot[]> {
  const { files } = ctx;
  if (await files.has(OCI_LAYOUT_FILE)) {
    const layout = parseJsonObject(await files.read(OCI_LAYOUT_FILE), `${files.source}: ${OCI_LAYOUT_FILE}`);
    const version = layout.imageLayoutVersion;
    if (typeof version !== 'string' || !version.startsWith('1.')) {
      throw new InvalidArgumentError(
        `${files.source}: ${OCI_LAYOUT_FILE}: unsupported imageLayoutVersion ${JSON.stringify(version)}`,
      );
    }
  }
  const index = parseIndex(await files.read(INDEX_FILE), `${files.source}: ${INDEX_FILE}`);
  const out: StagedRoot[] = [];
  for (const entry of index.manifests) {
    const configDigests = await stageTree(ctx, entry, `listed in ${INDEX_FILE}`, 0);
    const name = nameFromAnnotations(entry.annotations);
    const root: StagedRoot = { target: stripNameAnnotations(entry), configDigests };
    if (name !== undefined) root.name = name;
    out.push(root);
  }
  return out;
}
