/**
 * Reading one image out of a content store: the root a tag points at (a manifest or a
 * multi-platform index), the manifest for a platform, and its config.
 */
import type { ContentStore } from '../content/store.js';
import { InvalidArgumentError } from '../errors.js';
import { shortDigest } from '../oci/digest.js';
import { parseJsonObject } from '../oci/fields.js';
import { isIndexMediaType, isManifestMediaType } from '../oci/media-types.js';
import { parseConfig } from '../oci/parse-config.js';
import { parseIndex } from '../oci/parse-index.js';
import { parseManifest } from '../oci/parse-manifest.js';
import { selectManifest, type Platform } from '../oci/platform.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from '../oci/types.js';

/** The platform berth assumes where none is given (browsers have no host platform). */
export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

export interface ImageContent {
  /** The root a name points at: a manifest, or an index for multi-platform images. */
  target: Descriptor;
  /** The index when `target` is one. */
  index?: ImageIndex;
  /** The manifest for the platform (`target` itself for single-platform images). */
  manifestDescriptor: Descriptor;
  manifest: ImageManifest;
  config: ImageConfig;
  configBytes: Uint8Array;
}

/** Whether a root descriptor is an index; sniffs the document when the media type is missing. */
export function isIndexDocument(desc: Descriptor, bytes: Uint8Array): boolean {
  if (isIndexMediaType(desc.mediaType)) return true;
  if (isManifestMediaType(desc.mediaType)) return false;
  const doc = parseJsonObject(bytes, `document ${shortDigest(desc.digest)}`);
  const mt = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  if (isIndexMediaType(mt)) return true;
  if (isManifestMediaType(mt)) return false;
  return Array.isArray(doc.manifests) && doc.config === undefined;
}

/** Read and parse a manifest blob. */
export async function readManifest(store: ContentStore, desc: Descriptor): Promise<ImageManifest> {
  return parseManifest(await store.read(desc.digest), `manifest ${shortDigest(desc.digest)}`);
}

/** Read and parse a config blob. */
export async function readConfig(
  store: ContentStore,
  desc: Descriptor,
): Promise<{ config: ImageConfig; bytes: Uint8Array }> {
  const bytes = await store.read(desc.digest);
  return { config: parseConfig(bytes, `config ${shortDigest(desc.digest)}`), bytes };
}

/**
 * Resolve `target` to the manifest for `platform` (through nested indexes) and read
 * its config. UnsupportedPlatformError when an index has no matching manifest.
 */
export async function loadImage(
  store: ContentStore,
  target: Descriptor,
  platform: Platform = DEFAULT_PLATFORM,
): Promise<ImageContent> {
  let desc = target;
  let index: ImageIndex | undefined;
  for (let depth = 0; ; depth++) {
    if (depth > 4)
      throw new InvalidArgumentError(`image ${shortDigest(target.digest)}: indexes nested too deeply`);
    const bytes = await store.read(desc.digest);
    if (!isIndexDocument(desc, bytes)) {
      const manifest = parseManifest(bytes, `manifest ${shortDigest(desc.digest)}`);
      const { config, bytes: configBytes } = await readConfig(store, manifest.config);
      const out: ImageContent = { target, manifestDescriptor: desc, manifest, config, configBytes };
      if (index) out.index = index;
      return out;
    }
    const parsed = parseIndex(bytes, `index ${shortDigest(desc.digest)}`);
    index ??= parsed;
    const nested = parsed.manifests.filter((m) => isIndexMediaType(m.mediaType));
    desc =
      parsed.manifests.some((m) => m.platform) || nested.length !== 1
        ? selectManifest(parsed, platform)
        : nested[0]!;
  }
}

/**
 * An image's ID: the config digest of a single-platform image (what `docker images`
 * shows), the index digest of a multi-platform one.
 */
export async function imageIdOf(store: ContentStore, target: Descriptor): Promise<string> {
  const bytes = await store.read(target.digest);
  if (isIndexDocument(target, bytes)) return target.digest;
  return parseManifest(bytes, `manifest ${shortDigest(target.digest)}`).config.digest;
}

/** '0123456789ab' from 'sha256:0123456789ab…' */
export function shortId(id: string): string {
  const colon = id.indexOf(':');
  return id.slice(colon + 1, colon + 13);
}

/** Sum of the layer blob sizes (as stored, possibly compressed). */
export function layersSize(manifest: ImageManifest): number {
  return manifest.layers.reduce((n, l) => n + l.size, 0);
}
