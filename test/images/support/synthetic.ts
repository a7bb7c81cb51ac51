/**
 * Small images built in memory for tests that need no external tools: OCI layouts
 * (optionally multi-platform) and legacy docker-archives, as maps of archive path →
 * bytes, with hooks to break them in precise ways.
 */
import { concat } from '../../../src/compress/stream.js';
import { sha256Of } from '../../../src/oci/digest.js';
import { MediaType } from '../../../src/oci/media-types.js';
import type { Descriptor, ImageConfig, ImageManifest } from '../../../src/oci/types.js';
import { platform } from '../../../src/platform.js';
import { writeTar } from '../../../src/tar/writer.js';
import type { TarWriteEntry } from '../../../src/tar/types.js';
import { archiveTar, bytesFile } from '../../../src/images/archive-files.js';

export type Files = Map<string, Uint8Array>;

export interface SyntheticLayer {
  entries?: TarWriteEntry[];
  /** An uncompressed tar to use as is (e.g. with a broken header). */
  rawTar?: Uint8Array;
  gzip?: boolean;
  /** Compress the tar some other way (e.g. the zstd command); gives the blob and its media type. */
  encode?: (tar: Uint8Array) => { blob: Uint8Array; mediaType: string };
  /** Change the (compressed) blob before it is hashed: the digest stays consistent. */
  mutateBlob?: (blob: Uint8Array) => Uint8Array;
}

export interface SyntheticImage {
  name?: string;
  layers: SyntheticLayer[];
  architecture?: string;
  created?: string;
  history?: ImageConfig['history'];
  cmd?: string[];
  /** Edit the config after diff_ids are filled in (before it is hashed). */
  patchConfig?: (c: ImageConfig) => void;
}

const enc = new TextEncoder();

export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of stream) parts.push(c);
  return concat(parts);
}

export function file(
  name: string,
  content: string,
  mode = 0o644,
  extra: Partial<TarWriteEntry['header']> = {},
): TarWriteEntry {
  const body = enc.encode(content);
  return { header: { name, type: 'file', mode, size: body.length, mtimeMs: 0, ...extra }, body };
}

export function dir(name: string, mode = 0o755): TarWriteEntry {
  return { header: { name, type: 'dir', mode, mtimeMs: 0 } };
}

export async function tarBytes(entries: TarWriteEntry[]): Promise<Uint8Array> {
  return collect(writeTar(entries));
}

export interface BuiltImage {
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
  diffIds: string[];
  configBytes: Uint8Array;
  layerTars: Uint8Array[];
  blobs: Files;
}

/** Blobs of one image (config, layers, manifest). */
export async function buildImage(img: SyntheticImage): Promise<BuiltImage> {
  const blobs: Files = new Map();
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  const layerTars: Uint8Array[] = [];
  for (const l of img.layers) {
    const tar = l.rawTar ?? (await tarBytes(l.entries ?? []));
    layerTars.push(tar);
    diffIds.push(sha256Of(tar));
    const encoded = l.encode?.(tar);
    let blob = encoded
      ? encoded.blob
      : l.gzip
        ? await collect(
            platform().codecs.gzip(
              (async function* () {
                yield tar;
              })(),
            ),
          )
        : tar;
    if (l.mutateBlob) blob = l.mutateBlob(blob);
    const d: Descriptor = {
      mediaType: encoded ? encoded.mediaType : l.gzip ? MediaType.ociLayerGzip : MediaType.ociLayer,
      digest: sha256Of(blob),
      size: blob.length,
    };
    blobs.set(d.digest, blob);
    layers.push(d);
  }
  const config: ImageConfig = {
    created: img.created ?? '2024-01-02T03:04:05Z',
    architecture: img.architecture ?? 'amd64',
    os: 'linux',
    config: { Cmd: img.cmd ?? ['/bin/sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history:
      img.history ?? img.layers.map((_, i) => ({ created: '2024-01-02T03:04:05Z', created_by: `step ${i}` })),
  };
  img.patchConfig?.(config);
  const configBytes = enc.encode(JSON.stringify(config));
  const configDesc: Descriptor = {
    mediaType: MediaType.ociConfig,
    digest: sha256Of(configBytes),
    size: configBytes.length,
  };
  blobs.set(configDesc.digest, configBytes);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: configDesc,
    layers,
  };
  const manifestBytes = enc.encode(JSON.stringify(manifest));
  const manifestDesc: Descriptor = {
    mediaType: MediaType.ociManifest,
    digest: sha256Of(manifestBytes),
    size: manifestBytes.length,
  };
  blobs.set(manifestDesc.digest, manifestBytes);
  return { manifest: manifestDesc, config: configDesc, layers, diffIds, configBytes, layerTars, blobs };
}

function blobPath(digest: string): string {
  return `blobs/sha256/${digest.slice(7)}`;
}

function refAnnotations(name: string | undefined): Record<string, string> | undefined {
  return name === undefined ? undefined : { 'org.opencontainers.image.ref.name': name };
}

/** An OCI layout with one index.json entry per image (ref.name = the image's name). */
export async function ociLayout(images: SyntheticImage[]): Promise<{ files: Files; built: BuiltImage[] }> {
  const files: Files = new Map();
  const built: BuiltImage[] = [];
  const manifests: Descriptor[] = [];
  for (const img of images) {
    const b = await buildImage(img);
    built.push(b);
    for (const [d, bytes] of b.blobs) files.set(blobPath(d), bytes);
    const entry: Descriptor = { ...b.manifest };
    const ann = refAnnotations(img.name);
    if (ann) entry.annotations = ann;
    manifests.push(entry);
  }
  files.set('oci-layout', enc.encode('{"imageLayoutVersion":"1.0.0"}'));
  files.set('index.json', enc.encode(JSON.stringify({ schemaVersion: 2, manifests })));
  return { files, built };
}

/** A multi-platform OCI layout: index.json → one image index → one manifest per image. */
export async function multiPlatformLayout(
  name: string,
  images: SyntheticImage[],
): Promise<{ files: Files; built: BuiltImage[]; index: Descriptor }> {
  const files: Files = new Map();
  const built: BuiltImage[] = [];
  const manifests: Descriptor[] = [];
  for (const img of images) {
    const b = await buildImage(img);
    built.push(b);
    for (const [d, bytes] of b.blobs) files.set(blobPath(d), bytes);
    manifests.push({ ...b.manifest, platform: { os: 'linux', architecture: img.architecture ?? 'amd64' } });
  }
  const indexBytes = enc.encode(
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }),
  );
  const index: Descriptor = {
    mediaType: MediaType.ociIndex,
    digest: sha256Of(indexBytes),
    size: indexBytes.length,
  };
  files.set(blobPath(index.digest), indexBytes);
  files.set('oci-layout', enc.encode('{"imageLayoutVersion":"1.0.0"}'));
  files.set(
    'index.json',
    enc.encode(
      JSON.stringify({ schemaVersion: 2, manifests: [{ ...index, annotations: refAnnotations(name) }] }),
    ),
  );
  return { files, built, index };
}

/** A legacy docker-archive (`<hex>.json`, `<hex>.tar`, manifest.json, repositories). */
export async function dockerArchive(
  images: SyntheticImage[],
): Promise<{ files: Files; built: BuiltImage[] }> {
  const files: Files = new Map();
  const built: BuiltImage[] = [];
  const manifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  for (const img of images) {
    const b = await buildImage(img);
    built.push(b);
    files.set(`${b.config.digest.slice(7)}.json`, b.configBytes);
    const layerPaths: string[] = [];
    b.layers.forEach((l, i) => {
      const path = `${b.diffIds[i]!.slice(7)}.tar`;
      files.set(path, b.blobs.get(l.digest)!);
      layerPaths.push(path);
    });
    manifest.push({
      Config: `${b.config.digest.slice(7)}.json`,
      RepoTags: img.name ? [img.name] : [],
      Layers: layerPaths,
    });
  }
  files.set('manifest.json', enc.encode(JSON.stringify(manifest)));
  files.set('repositories', enc.encode('{}'));
  return { files, built };
}

/** The files as a tar archive. */
export async function toTar(files: Files): Promise<Uint8Array> {
  return collect(archiveTar([...files].map(([p, b]) => bytesFile(p, b))));
}

/** A tar whose only file header claims `size` bytes (checksum fixed up) and whose body is short. */
export async function tarWithAbsurdSize(size: number): Promise<Uint8Array> {
  const tar = await tarBytes([file('big', 'x')]);
  const octal = size.toString(8).padStart(11, '0');
  for (let i = 0; i < 11; i++) tar[124 + i] = octal.charCodeAt(i);
  tar[135] = 0;
  for (let i = 148; i < 156; i++) tar[i] = 0x20;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tar[i]!;
  const chk = sum.toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) tar[148 + i] = chk.charCodeAt(i);
  tar[154] = 0;
  tar[155] = 0x20;
  return tar;
}
