/** Small images built straight into a ContentStore, for store and gc tests. */
import type { ContentStore } from '../../src/content/store.js';
import { sha256Of } from '../../src/oci/digest.js';
import { MediaType } from '../../src/oci/media-types.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

export async function putJson(store: ContentStore, doc: unknown): Promise<{ digest: string; size: number }> {
  return store.put(enc(JSON.stringify(doc)));
}

export interface Built {
  manifest: string;
  config: string;
  layers: string[];
}

/** A one-platform image; `docker` switches every media type to Docker v2s2. */
export async function buildImage(
  store: ContentStore,
  tag: string,
  nLayers: number,
  docker = false,
): Promise<Built> {
  const layers: { digest: string; size: number }[] = [];
  for (let i = 0; i < nLayers; i++) layers.push(await store.put(enc(`${tag} layer ${i}`)));
  const config = await putJson(store, {
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256Of(`uncompressed ${l.digest}`)) },
  });
  const manifest = await putJson(store, {
    schemaVersion: 2,
    mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest,
    config: { mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig, ...config },
    layers: layers.map((l) => ({
      mediaType: docker ? MediaType.dockerLayerGzip : MediaType.ociLayerGzip,
      ...l,
    })),
  });
  return { manifest: manifest.digest, config: config.digest, layers: layers.map((l) => l.digest) };
}

/** An index over `manifests` (plus, optionally, a descriptor of a blob never stored). */
export async function buildIndex(
  store: ContentStore,
  manifests: string[],
  opts: { docker?: boolean; missing?: string } = {},
): Promise<string> {
  const entries = await Promise.all(
    manifests.map(async (digest, i) => ({
      mediaType: opts.docker ? MediaType.dockerManifest : MediaType.ociManifest,
      digest,
      size: (await store.info(digest))!.size,
      platform: { os: 'linux', architecture: i ? 'arm64' : 'amd64' },
    })),
  );
  if (opts.missing)
    entries.push({
      mediaType: MediaType.ociManifest,
      digest: opts.missing,
      size: 1,
      platform: { os: 'linux', architecture: 's390x' },
    });
  const doc: Record<string, unknown> = { schemaVersion: 2, manifests: entries };
  doc.mediaType = opts.docker ? MediaType.dockerManifestList : MediaType.ociIndex;
  return (await putJson(store, doc)).digest;
}
