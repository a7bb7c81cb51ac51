/**
 * `docker commit`: a new single-platform image made of the base image's layers plus one
 * layer holding a container's changes (its overlay upper tree, written by the shared
 * diff code), with a config that appends the layer's diff_id and a history entry.
 *
 * The new layer is stored uncompressed: its digest is then its diff_id, `berth save`
 * (docker-archive) and the Linux layer cache use it without a decompress pass, and the
 * bytes are the same in Node and browsers (gzip output differs between zlib builds).
 * A registry push may compress it later.
 *
 * As Docker does, a container with no changes adds no layer: the history entry is
 * marked empty_layer. The manifest keeps the base's family (OCI or Docker v2s2), so
 * base layer descriptors stay valid in it.
 */
import { MemoryContentStore } from '../content/memory-store.js';
import { InvalidArgumentError } from '../errors.js';
import { diffToLayer } from '../layers/diff.js';
import { MediaType } from '../oci/media-types.js';
import type { ContainerConfig, Descriptor, HistoryEntry, ImageConfig, ImageManifest } from '../oci/types.js';
import type { Inode } from '../vfs/inode.js';
import type { ImageStore, ResolvedImage } from './image-store.js';
import { formatReference, parseReference } from './reference.js';
import type { TagRecord } from './tag-table.js';

/** The run-time settings a committed image carries (Docker keeps Hostname and Domainname too). */
export type CommitConfig = Partial<ContainerConfig> & { Hostname?: string; Domainname?: string };

export interface CommitOptions {
  /** Name for the new image ('repo[:tag]', tag defaults to latest); none: an unnamed image. */
  reference?: string;
  author?: string;
  comment?: string;
  /** Replaces the base's fields one by one (undefined values are ignored). */
  config?: CommitConfig;
  /** Default: now. */
  created?: Date;
}

export interface CommitImageResult {
  /** The image ID: the config digest, 'sha256:…'. */
  id: string;
  manifestDigest: string;
}

function mergeConfig(base: ContainerConfig | undefined, over: CommitConfig | undefined): ContainerConfig {
  const out: Record<string, unknown> = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(over ?? {})) if (v !== undefined) out[k] = v;
  return out as ContainerConfig;
}

/** Build the image, store its blobs and (when given) point `o.reference` at it. */
export async function commitImage(
  store: ImageStore,
  base: ResolvedImage,
  upper: Inode,
  o: CommitOptions = {},
): Promise<CommitImageResult> {
  const name = o.reference === undefined ? undefined : parseReference(o.reference);
  if (name?.digest !== undefined)
    throw new InvalidArgumentError(`refusing to create a tag with a digest reference: '${o.reference}'`);
  if (upper.kind !== 'dir') throw new InvalidArgumentError('commit: the upper tree is not a directory');

  const docker = base.manifest.mediaType === MediaType.dockerManifest;
  const staging = new MemoryContentStore();
  const put = async (mediaType: string, bytes: Uint8Array): Promise<Descriptor> => {
    const info = await staging.put(bytes);
    return { mediaType, digest: info.digest, size: info.size };
  };

  const empty = upper.entries!.size === 0;
  const layers = [...base.manifest.layers];
  const diffIds = [...base.config.rootfs.diff_ids];
  if (!empty) {
    const layer = await diffToLayer(upper);
    layers.push(await put(docker ? MediaType.dockerLayer : MediaType.ociLayer, layer.bytes));
    diffIds.push(layer.diffId);
  }

  const created = (o.created ?? new Date()).toISOString();
  const step: HistoryEntry = { created, created_by: 'berth commit' };
  if (o.author !== undefined) step.author = o.author;
  if (o.comment !== undefined) step.comment = o.comment;
  if (empty) step.empty_layer = true;

  // Docker replaces the author (empty when not given) and keeps the rest of the base config.
  const config: ImageConfig = {
    ...base.config,
    created,
    config: mergeConfig(base.config.config, o.config),
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [...(base.config.history ?? []), step],
  };
  if (o.author !== undefined) config.author = o.author;
  else delete config.author;
  const enc = new TextEncoder();
  const configDesc = await put(
    docker ? MediaType.dockerConfig : MediaType.ociConfig,
    enc.encode(JSON.stringify(config)),
  );

  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest,
    config: configDesc,
    layers,
  };
  const manifestDesc = await put(manifest.mediaType!, enc.encode(JSON.stringify(manifest)));

  const record: TagRecord = name
    ? { name: formatReference(name), target: manifestDesc }
    : { target: manifestDesc };
  await store.commit(staging, [record]);
  return { id: configDesc.digest, manifestDigest: manifestDesc.digest };
}
