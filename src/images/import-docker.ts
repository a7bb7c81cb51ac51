/**
 * Staging a docker-archive (`docker save`, `skopeo copy … docker-archive:`):
 *
 *   manifest.json   [{"Config": "<hex>.json", "RepoTags": ["busybox:latest"], "Layers": ["<hex>.tar", …]}]
 *   repositories    legacy {"busybox": {"latest": "<layer id>"}} (not needed)
 *   <hex>.json, <hex>.tar, <id>/layer.tar …  (Docker 25+: blobs/sha256/<hex> plus an OCI layout)
 *
 * Each manifest.json entry becomes an OCI manifest over the same config and layer
 * bytes. When the archive also carries an OCI layout (Docker 25+), the layout's own
 * manifest for that config is kept instead, and manifest.json's RepoTags name it.
 */
import { detectCompression } from '../compress/detect.js';
import { DigestMismatchError, InvalidArgumentError } from '../errors.js';
import { sha256Of } from '../oci/digest.js';
import { Fields } from '../oci/fields.js';
import { MediaType } from '../oci/media-types.js';
import { parseConfig } from '../oci/parse-config.js';
import type { Descriptor, ImageManifest } from '../oci/types.js';
import { normalizeArchivePath } from './file-set.js';
import { verifyLayers, type StageContext, type StagedRoot } from './import-oci.js';
import { formatReference, parseReference } from './reference.js';

export const DOCKER_MANIFEST_FILE = 'manifest.json';

export interface DockerManifestEntry {
  Config: string;
  RepoTags: string[];
  Layers: string[];
}

/** Parse and validate manifest.json (InvalidArgumentError naming the field). */
export function parseDockerManifest(bytes: Uint8Array, where: string): DockerManifestEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new InvalidArgumentError(`invalid JSON in ${where}: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new InvalidArgumentError(`${where}: expected a JSON array of images`);
  return doc.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InvalidArgumentError(`${where}: field '[${i}]' must be an object`);
    }
    const f = new Fields(where, item as Record<string, unknown>, `[${i}]`);
    return {
      Config: f.string('Config'),
      RepoTags: f.optStringArray('RepoTags') ?? [],
      Layers: f.stringArray('Layers'),
    };
  });
}

/** Layers named '<hex>.tar' may be named by diff_id while compressed; diff_id checks cover them. */
const DIGEST_NAMED = [/^blobs\/sha256\/([a-f0-9]{64})$/, /^([a-f0-9]{64})\.json$/];

/** Files named after their sha256 (blobs/sha256/<hex>, <hex>.json) must hash to it. */
function checkNamedDigest(path: string, digest: string, source: string): void {
  for (const re of DIGEST_NAMED) {
    const m = re.exec(path);
    if (m && `sha256:${m[1]}` !== digest)
      throw new DigestMismatchError(`sha256:${m[1]}`, digest, `${source}: ${path}`);
  }
}

const LAYER_TYPES = {
  none: MediaType.ociLayer,
  gzip: MediaType.ociLayerGzip,
  zstd: MediaType.ociLayerZstd,
} as const;

async function stageFile(
  ctx: StageContext,
  path: string,
  what: string,
): Promise<{ bytes: Uint8Array; digest: string }> {
  const normal = normalizeArchivePath(path, `${what} path`);
  if (!(await ctx.files.has(normal))) {
    throw new InvalidArgumentError(
      `${ctx.files.source}: ${what} '${path}' named in ${DOCKER_MANIFEST_FILE} is missing`,
    );
  }
  const bytes = await ctx.files.read(normal);
  const digest = sha256Of(bytes);
  checkNamedDigest(normal, digest, ctx.files.source);
  await ctx.staging.put(bytes, { digest, size: bytes.length });
  return { bytes, digest };
}

/**
 * Stage every image manifest.json lists. `ociRoots` are the roots staged from an OCI
 * layout in the same archive (Docker 25+); a root whose config matches is reused.
 */
export async function stageDockerArchive(
  ctx: StageContext,
  ociRoots: StagedRoot[] = [],
): Promise<StagedRoot[]> {
  const where = `${ctx.files.source}: ${DOCKER_MANIFEST_FILE}`;
  const entries = parseDockerManifest(await ctx.files.read(DOCKER_MANIFEST_FILE), where);
  const out: StagedRoot[] = [];
  const used = new Set<StagedRoot>();
  for (const [i, entry] of entries.entries()) {
    const names = entry.RepoTags.map((t) => {
      const ref = parseReference(t);
      if (ref.digest !== undefined)
        throw new InvalidArgumentError(`${where}: RepoTags of image ${i} holds a digest reference '${t}'`);
      return formatReference(ref);
    });
    const config = await stageFile(ctx, entry.Config, 'config');
    const parsed = parseConfig(config.bytes, `${ctx.files.source}: config ${entry.Config}`);

    const fromLayout = ociRoots.find(
      (r) => r.configDigests.length === 1 && r.configDigests[0] === config.digest,
    );
    let target: Descriptor;
    if (fromLayout) {
      used.add(fromLayout);
      target = fromLayout.target;
      if (names.length === 0 && fromLayout.name !== undefined) names.push(fromLayout.name);
    } else {
      const layers: Descriptor[] = [];
      for (const path of entry.Layers) {
        const layer = await stageFile(ctx, path, 'layer');
        layers.push({
          mediaType: LAYER_TYPES[detectCompression(layer.bytes.subarray(0, 4))],
          digest: layer.digest,
          size: layer.bytes.length,
        });
      }
      await verifyLayers(ctx, layers, parsed.rootfs.diff_ids, `${where} image ${i}`);
      const manifest: ImageManifest = {
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.bytes.length },
        layers,
      };
      const bytes = new TextEncoder().encode(JSON.stringify(manifest));
      target = { mediaType: MediaType.ociManifest, digest: sha256Of(bytes), size: bytes.length };
      await ctx.staging.put(bytes, target);
    }
    if (names.length === 0) out.push({ target, configDigests: [config.digest] });
    for (const name of names) out.push({ name, target, configDigests: [config.digest] });
  }
  for (const r of ociRoots) if (!used.has(r)) out.push(r);
  return out;
}
