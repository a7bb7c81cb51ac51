/**
 * Media types of image documents and layers, OCI and Docker (image manifest v2
 * schema 2), with classifiers so that callers treat both families alike.
 */
export const MediaType = {
  ociDescriptor: 'application/vnd.oci.descriptor.v1+json',
  ociLayoutHeader: 'application/vnd.oci.layout.header.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  /** Docker schema 1 (signed); recognised only to be refused with a clear message. */
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
} as const;

export type Compression = 'none' | 'gzip' | 'zstd';

const LAYERS: Record<string, { compression: Compression; nondistributable: boolean }> = {
  [MediaType.ociLayer]: { compression: 'none', nondistributable: false },
  [MediaType.ociLayerGzip]: { compression: 'gzip', nondistributable: false },
  [MediaType.ociLayerZstd]: { compression: 'zstd', nondistributable: false },
  [MediaType.ociLayerNondistributable]: { compression: 'none', nondistributable: true },
  [MediaType.ociLayerNondistributableGzip]: { compression: 'gzip', nondistributable: true },
  [MediaType.ociLayerNondistributableZstd]: { compression: 'zstd', nondistributable: true },
  [MediaType.dockerLayer]: { compression: 'none', nondistributable: false },
  [MediaType.dockerLayerGzip]: { compression: 'gzip', nondistributable: false },
  [MediaType.dockerForeignLayerGzip]: { compression: 'gzip', nondistributable: true },
};

/** An image index or Docker manifest list. */
export function isIndexMediaType(m: string | undefined): boolean {
  return m === MediaType.ociIndex || m === MediaType.dockerManifestList;
}

/** An image manifest (OCI or Docker v2s2). */
export function isManifestMediaType(m: string | undefined): boolean {
  return m === MediaType.ociManifest || m === MediaType.dockerManifest;
}

/** An image configuration (OCI or Docker). */
export function isConfigMediaType(m: string | undefined): boolean {
  return m === MediaType.ociConfig || m === MediaType.dockerConfig;
}

/** A filesystem layer type that berth knows how to unpack. */
export function isLayerMediaType(m: string | undefined): boolean {
  return m !== undefined && m in LAYERS;
}

/** How a layer's tar stream is compressed; undefined for unknown media types. */
export function layerCompression(m: string): Compression | undefined {
  return LAYERS[m]?.compression;
}

/** Non-distributable ("foreign") layers: registries may refuse to store them. */
export function isNondistributable(m: string): boolean {
  return LAYERS[m]?.nondistributable ?? false;
}
