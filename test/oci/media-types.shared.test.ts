import { describe, expect, it } from 'vitest';
import {
  isConfigMediaType,
  isIndexMediaType,
  isLayerMediaType,
  isManifestMediaType,
  isNondistributable,
  layerCompression,
  MediaType,
} from '../../src/oci/media-types.js';
import { ANNOTATION_REF_NAME, emptyIndex, OCI_LAYOUT_CONTENT } from '../../src/oci/layout.js';

describe('media types', () => {
  it('classifies OCI and Docker documents alike', () => {
    expect(isIndexMediaType(MediaType.ociIndex) && isIndexMediaType(MediaType.dockerManifestList)).toBe(true);
    expect(isManifestMediaType(MediaType.ociManifest) && isManifestMediaType(MediaType.dockerManifest)).toBe(
      true,
    );
    expect(isConfigMediaType(MediaType.ociConfig) && isConfigMediaType(MediaType.dockerConfig)).toBe(true);
    expect(isIndexMediaType(MediaType.ociManifest)).toBe(false);
    expect(isManifestMediaType(undefined)).toBe(false);
  });

  it('knows how each layer type is compressed', () => {
    expect(layerCompression(MediaType.ociLayer)).toBe('none');
    expect(layerCompression(MediaType.ociLayerGzip)).toBe('gzip');
    expect(layerCompression(MediaType.ociLayerZstd)).toBe('zstd');
    expect(layerCompression(MediaType.ociLayerNondistributableZstd)).toBe('zstd');
    expect(layerCompression(MediaType.dockerLayerGzip)).toBe('gzip');
    expect(layerCompression(MediaType.dockerForeignLayerGzip)).toBe('gzip');
    expect(layerCompression('application/octet-stream')).toBeUndefined();
    expect(isLayerMediaType(MediaType.ociLayerNondistributable)).toBe(true);
    expect(isLayerMediaType(MediaType.ociConfig)).toBe(false);
    expect(isNondistributable(MediaType.dockerForeignLayerGzip)).toBe(true);
    expect(isNondistributable(MediaType.ociLayerGzip)).toBe(false);
  });

  it('has the layout constants of the spec', () => {
    expect(JSON.parse(OCI_LAYOUT_CONTENT)).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(emptyIndex()).toEqual({ schemaVersion: 2, manifests: [] });
    expect(ANNOTATION_REF_NAME).toBe('org.opencontainers.image.ref.name');
  });
});
