/**
 * berth/toolbox:latest: a multi-platform OCI index with a wasip1/wasm image (the WASI
 * builds, run by the emulated backend) and a linux/amd64 image (the native builds, run by
 * the Linux backend), each one uncompressed layer. Deterministic: the same programs give
 * the same digests, in Node and in browsers.
 */
import { sha256Of } from '../oci/digest.js';
import {
  ANNOTATION_IMAGE_NAME,
  ANNOTATION_REF_NAME,
  INDEX_FILE,
  OCI_LAYOUT_CONTENT,
  OCI_LAYOUT_FILE,
} from '../oci/layout.js';
import { MediaType } from '../oci/media-types.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from '../oci/types.js';
import { writeTar } from '../tar/writer.js';
import { TOOLBOX_EPOCH_MS, toolboxEntries, type ToolboxPrograms } from './rootfs.js';

export const TOOLBOX_IMAGE = 'berth/toolbox:latest';
/** Short names that mean the base image on the command line. */
export const TOOLBOX_ALIASES = ['toolbox', 'berth/toolbox', TOOLBOX_IMAGE];

export const WASI_PLATFORM = { os: 'wasip1', architecture: 'wasm' } as const;
export const LINUX_AMD64 = { os: 'linux', architecture: 'amd64' } as const;

export const TOOLBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ToolboxBuild {
  /** The WASI programs (required) and the native linux/amd64 ones (optional). */
  wasm: ToolboxPrograms;
  native?: ToolboxPrograms;
  applets: readonly string[];
}

/** An OCI layout in memory: file paths (oci-layout, index.json, blobs/sha256/…) → bytes. */
export type LayoutFiles = Map<string, Uint8Array>;

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    parts.push(c.slice());
    n += c.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function buildToolboxLayout(build: ToolboxBuild): Promise<LayoutFiles> {
  const files: LayoutFiles = new Map();
  const enc = new TextEncoder();
  const blob = (mediaType: string, bytes: Uint8Array): Descriptor => {
    const digest = sha256Of(bytes);
    files.set(`blobs/sha256/${digest.slice('sha256:'.length)}`, bytes);
    return { mediaType, digest, size: bytes.length };
  };
  const json = (mediaType: string, doc: unknown): Descriptor =>
    blob(mediaType, enc.encode(JSON.stringify(doc)));
  const created = new Date(TOOLBOX_EPOCH_MS).toISOString();

  const image = async (
    programs: ToolboxPrograms,
    platform: { os: string; architecture: string },
  ): Promise<Descriptor> => {
    const layer = await collect(writeTar(toolboxEntries(programs, build.applets)));
    const layerDesc = blob(MediaType.ociLayer, layer);
    const config: ImageConfig = {
      created,
      architecture: platform.architecture,
      os: platform.os,
      config: { Env: [`PATH=${TOOLBOX_PATH}`], Cmd: ['sh'], WorkingDir: '/' },
      rootfs: { type: 'layers', diff_ids: [layerDesc.digest] },
      history: [{ created, created_by: 'berth: wasm/ sh and toolbox, /etc/passwd, /etc/group, /tmp, /root' }],
    };
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: json(MediaType.ociConfig, config),
      layers: [layerDesc],
    };
    return { ...json(MediaType.ociManifest, manifest), platform: { ...platform } };
  };

  const manifests = [await image(build.wasm, WASI_PLATFORM)];
  if (build.native) manifests.push(await image(build.native, LINUX_AMD64));
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests };
  const indexDesc = json(MediaType.ociIndex, index);
  const top: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      {
        ...indexDesc,
        annotations: {
          [ANNOTATION_IMAGE_NAME]: `docker.io/${TOOLBOX_IMAGE}`,
          [ANNOTATION_REF_NAME]: 'latest',
        },
      },
    ],
  };
  files.set(OCI_LAYOUT_FILE, enc.encode(OCI_LAYOUT_CONTENT));
  files.set(INDEX_FILE, enc.encode(JSON.stringify(top)));
  return files;
}
