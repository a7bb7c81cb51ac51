/** `docker image inspect`: the JSON object Docker prints for one image. */
import type { ResolvedImage } from './image-store.js';
import { layersSize } from './image-content.js';
import { familiarName, familiarRepository, parseReference } from './reference.js';

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion: string;
  Author: string;
  Config: Record<string, unknown>;
  Architecture: string;
  Variant?: string;
  Os: string;
  OsVersion?: string;
  Size: number;
  RootFS: { Type: 'layers'; Layers: string[] };
  Metadata: { LastTagTime: string };
  /** berth: what the name points at (an index for multi-platform images). */
  Descriptor: { mediaType: string; digest: string; size: number };
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function inspectImage(image: ResolvedImage): ImageInspect {
  const c = image.config;
  const refs = image.names.map((n) => parseReference(n));
  const history = c.history ?? [];
  const dockerVersion = (c as { docker_version?: unknown }).docker_version;
  const out: ImageInspect = {
    Id: image.id,
    RepoTags: refs.map(familiarName),
    RepoDigests: [...new Set(refs.map((r) => `${familiarRepository(r)}@${image.target.digest}`))],
    Parent: '',
    Comment: history[history.length - 1]?.comment ?? '',
    Created: c.created ?? ZERO_TIME,
    DockerVersion: typeof dockerVersion === 'string' ? dockerVersion : '',
    Author: c.author ?? '',
    Config: { ...(c.config ?? {}) },
    Architecture: c.architecture,
    Os: c.os,
    Size: layersSize(image.manifest),
    RootFS: { Type: 'layers', Layers: [...c.rootfs.diff_ids] },
    Metadata: { LastTagTime: ZERO_TIME },
    Descriptor: { mediaType: image.target.mediaType, digest: image.target.digest, size: image.target.size },
  };
  if (c.variant !== undefined) out.Variant = c.variant;
  if (c['os.version'] !== undefined) out.OsVersion = c['os.version'];
  return out;
}
