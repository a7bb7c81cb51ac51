import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { MediaType } from '../../src/oci/media-types.js';
import { parseConfig } from '../../src/oci/parse-config.js';
import { parseIndex } from '../../src/oci/parse-index.js';
import { parseManifest } from '../../src/oci/parse-manifest.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;
const WHERE = 'manifest sha256:ab12…';

const layer = (digest: string, mediaType: string = MediaType.ociLayerGzip) => ({
  mediaType,
  digest,
  size: 10,
});

function ociManifest(): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: D1, size: 7 },
    layers: [layer(D2), layer(D3, MediaType.ociLayerZstd), layer(D1, MediaType.ociLayer)],
    annotations: { 'org.opencontainers.image.title': 'x' },
  };
}

function text(o: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(o));
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('parseManifest', () => {
  it('parses an OCI manifest and keeps unknown fields', () => {
    const m = parseManifest(text({ ...ociManifest(), extra: { a: 1 } }), WHERE);
    expect(m.config.digest).toBe(D1);
    expect(m.layers.map((l) => l.mediaType)).toEqual([
      MediaType.ociLayerGzip,
      MediaType.ociLayerZstd,
      MediaType.ociLayer,
    ]);
    expect((m as unknown as { extra: unknown }).extra).toEqual({ a: 1 });
  });

  it('parses a Docker v2s2 manifest, and one without mediaType', () => {
    const docker = {
      schemaVersion: 2,
      mediaType: MediaType.dockerManifest,
      config: { mediaType: MediaType.dockerConfig, digest: D1, size: 1 },
      layers: [
        layer(D2, MediaType.dockerLayerGzip),
        { ...layer(D3, MediaType.dockerForeignLayerGzip), urls: ['https://x/y'] },
      ],
    };
    expect(parseManifest(JSON.stringify(docker), WHERE).layers[1]!.urls).toEqual(['https://x/y']);
    const bare = ociManifest();
    delete bare.mediaType;
    expect(parseManifest(text(bare), WHERE).layers).toHaveLength(3);
  });

  it('names the document and the field path', () => {
    const m = ociManifest();
    delete (m.layers as Record<string, unknown>[])[2]!.digest;
    expect(errorOf(() => parseManifest(text(m), WHERE)).message).toBe(
      "manifest sha256:ab12…: field 'layers[2].digest' is missing",
    );
    const m2 = ociManifest();
    (m2.config as Record<string, unknown>).size = -1;
    expect(errorOf(() => parseManifest(text(m2), WHERE)).message).toBe(
      "manifest sha256:ab12…: field 'config.size' must be a non-negative integer (got -1)",
    );
    const m3 = ociManifest();
    (m3.layers as Record<string, unknown>[])[0]!.digest = 'sha256:XYZ';
    expect(errorOf(() => parseManifest(text(m3), WHERE)).message).toMatch(
      /field 'layers\[0\].digest' is not a valid digest \('sha256:XYZ'\)/,
    );
    const m4 = { ...ociManifest(), layers: 'nope' };
    expect(errorOf(() => parseManifest(text(m4), WHERE)).message).toMatch(
      /field 'layers' must be an array \(got string\)/,
    );
    const m5 = { ...ociManifest(), annotations: { a: 1 } };
    expect(errorOf(() => parseManifest(text(m5), WHERE)).message).toMatch(
      /field 'annotations\.a' must be a string \(got number\)/,
    );
    const m6 = ociManifest();
    delete m6.config;
    expect(errorOf(() => parseManifest(text(m6), WHERE)).message).toMatch(/field 'config' is missing/);
  });

  it('reports invalid JSON with the file name', () => {
    const msg = errorOf(() => parseManifest('{"schemaVersion": 2,', 'manifest.json')).message;
    expect(msg).toMatch(/^invalid JSON in manifest\.json: /);
    expect(errorOf(() => parseManifest(new Uint8Array([0x7b, 0xff, 0x7d]), 'm.json')).message).toMatch(
      /^invalid JSON in m\.json/,
    );
    expect(errorOf(() => parseManifest('[1]', 'manifest.json')).message).toBe(
      'manifest.json: expected a JSON object, got array',
    );
  });

  it('refuses indexes, schema 1 and other schema versions', () => {
    const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
    expect(errorOf(() => parseManifest(text(index), WHERE)).message).toMatch(
      /field 'mediaType' is '.*index.*', not an image manifest \(it is an index\)/,
    );
    expect(errorOf(() => parseManifest(text({ ...index, mediaType: undefined }), WHERE)).message).toMatch(
      /looks like an image index/,
    );
    expect(
      errorOf(() => parseManifest(text({ schemaVersion: 1, name: 'x', fsLayers: [] }), WHERE)).message,
    ).toMatch(/schema 1/);
    expect(errorOf(() => parseManifest(text({ ...ociManifest(), schemaVersion: 3 }), WHERE)).message).toMatch(
      /field 'schemaVersion' must be 2 \(got 3\)/,
    );
  });
});

describe('parseIndex', () => {
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      {
        mediaType: MediaType.ociManifest,
        digest: D1,
        size: 5,
        platform: { os: 'linux', architecture: 'amd64' },
      },
      {
        mediaType: MediaType.ociManifest,
        digest: D2,
        size: 6,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        annotations: { 'org.opencontainers.image.ref.name': 'latest' },
      },
    ],
  };

  it('parses OCI indexes and Docker manifest lists', () => {
    expect(parseIndex(text(index), 'index.json').manifests[1]!.platform).toEqual({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
    });
    const list = {
      ...index,
      mediaType: MediaType.dockerManifestList,
      manifests: index.manifests.map((m) => ({
        ...m,
        mediaType: MediaType.dockerManifest,
        platform: { ...m.platform, features: ['sse4'] },
      })),
    };
    expect(parseIndex(text(list), 'list').manifests[0]!.platform!.features).toEqual(['sse4']);
    expect(parseIndex('{"schemaVersion":2,"manifests":[]}', 'index.json').manifests).toEqual([]);
  });

  it('names the field path of a bad platform', () => {
    const bad = structuredClone(index);
    delete (bad.manifests[1]!.platform as Partial<(typeof bad.manifests)[1]['platform']>).os;
    expect(errorOf(() => parseIndex(text(bad), 'index.json')).message).toBe(
      "index.json: field 'manifests[1].platform.os' is missing",
    );
  });

  it('refuses manifests and a missing schemaVersion', () => {
    expect(
      errorOf(() => parseIndex(text({ schemaVersion: 2, mediaType: MediaType.ociManifest }), 'x')).message,
    ).toMatch(/not an image index/);
    expect(errorOf(() => parseIndex(text({ manifests: [] }), 'index.json')).message).toBe(
      "index.json: field 'schemaVersion' is missing",
    );
    expect(errorOf(() => parseIndex(text({ schemaVersion: 2 }), 'index.json')).message).toBe(
      "index.json: field 'manifests' is missing",
    );
  });
});

describe('parseConfig', () => {
  const dockerConfig = {
    architecture: 'amd64',
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    author: 'me',
    docker_version: '24.0.0',
    config: {
      Env: ['PATH=/usr/bin'],
      Cmd: ['/bin/sh'],
      Entrypoint: null,
      Volumes: null,
      OnBuild: null,
      ExposedPorts: { '80/tcp': {} },
      Labels: { a: 'b' },
      WorkingDir: '',
      Healthcheck: { Test: ['CMD', 'true'], Interval: 1000 },
    },
    rootfs: { type: 'layers', diff_ids: [D1, D2] },
    history: [
      { created_by: 'ADD x /', empty_layer: false },
      { created_by: 'CMD', empty_layer: true },
    ],
  };

  it('parses a Docker config, dropping nulls and keeping extras', () => {
    const c = parseConfig(text(dockerConfig), 'config sha256:cc…');
    expect(c.config).toEqual({
      Env: ['PATH=/usr/bin'],
      Cmd: ['/bin/sh'],
      ExposedPorts: { '80/tcp': {} },
      Labels: { a: 'b' },
      WorkingDir: '',
      Healthcheck: { Test: ['CMD', 'true'], Interval: 1000 },
    });
    expect(c.rootfs.diff_ids).toEqual([D1, D2]);
    expect(c.history![1]!.empty_layer).toBe(true);
    expect((c as unknown as Record<string, unknown>).docker_version).toBe('24.0.0');
  });

  it('parses a minimal OCI config with variant and os.version', () => {
    const c = parseConfig(
      text({
        architecture: 'arm64',
        variant: 'v8',
        os: 'linux',
        'os.version': '6.1',
        rootfs: { type: 'layers', diff_ids: [] },
      }),
      'c',
    );
    expect(c).toEqual({
      architecture: 'arm64',
      variant: 'v8',
      os: 'linux',
      'os.version': '6.1',
      rootfs: { type: 'layers', diff_ids: [] },
    });
  });

  it('names the field path of bad values', () => {
    const where = 'config sha256:cc…';
    const cases: [unknown, string][] = [
      [
        { ...dockerConfig, rootfs: { type: 'layers', diff_ids: [D1, 'sha256:no'] } },
        "field 'rootfs.diff_ids[1]' is not a valid digest",
      ],
      [
        { ...dockerConfig, rootfs: { type: 'squash', diff_ids: [] } },
        "field 'rootfs.type' must be 'layers' (got 'squash')",
      ],
      [{ ...dockerConfig, rootfs: undefined }, "field 'rootfs' is missing"],
      [{ ...dockerConfig, os: undefined }, "field 'os' is missing"],
      [
        { ...dockerConfig, config: { Env: ['A=1', 2] } },
        "field 'config.Env[1]' must be a string (got number)",
      ],
      [{ ...dockerConfig, config: { Cmd: 'sh' } }, "field 'config.Cmd' must be an array (got string)"],
      [
        { ...dockerConfig, history: [{}, { empty_layer: 'yes' }] },
        "field 'history[1].empty_layer' must be a boolean (got string)",
      ],
    ];
    for (const [doc, msg] of cases) {
      expect(errorOf(() => parseConfig(text(doc), where)).message).toContain(`${where}: ${msg}`);
    }
  });
});
