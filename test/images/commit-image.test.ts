/** `docker commit`: base layers + the upper as a new layer, a new config, tagged in the store. */
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryContentStore } from '../../src/content/memory-store.js';
import { commitImage } from '../../src/images/commit-image.js';
import { imageLayerTrees } from '../../src/images/export-filesystem.js';
import { ImageStore, type ResolvedImage } from '../../src/images/image-store.js';
import { MemoryTagTable } from '../../src/images/tag-table.js';
import { diffToLayer } from '../../src/layers/diff.js';
import { sha256Of } from '../../src/oci/digest.js';
import { MediaType } from '../../src/oci/media-types.js';
import type { ImageConfig, ImageManifest } from '../../src/oci/types.js';
import { containerChanges, formatChanges } from '../../src/runtime/changes.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { layer } from '../vfs/helpers.js';

const BASE = 'docker.io/library/base:1';
const CREATED = new Date(Date.UTC(2025, 4, 6, 7, 8, 9));

/** A one-layer image named BASE, built the way an importer would stage it. */
async function baseStore(): Promise<ImageStore> {
  const store = new ImageStore(new MemoryContentStore(), new MemoryTagTable());
  const staging = new MemoryContentStore();
  const put = async (mediaType: string, bytes: Uint8Array) => {
    const info = await staging.put(bytes);
    return { mediaType, digest: info.digest, size: info.size };
  };
  const tree = layer({ etc: { hostname: 'base\n', os: 'berth' }, tmp: { junk: 'j' }, bin: {} });
  const l = await diffToLayer(tree);
  const layerDesc = await put(MediaType.ociLayer, l.bytes);
  const config: ImageConfig = {
    created: '2020-01-01T00:00:00Z',
    author: 'base author',
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/bin'], Cmd: ['sh'], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [l.diffId] },
    history: [{ created: '2020-01-01T00:00:00Z', created_by: 'base' }],
  };
  const enc = new TextEncoder();
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: await put(MediaType.ociConfig, enc.encode(JSON.stringify(config))),
    layers: [layerDesc],
  };
  const target = await put(MediaType.ociManifest, enc.encode(JSON.stringify(manifest)));
  await store.commit(staging, [{ name: BASE, target }]);
  return store;
}

async function rootOf(store: ImageStore, image: ResolvedImage): Promise<OverlayFs> {
  return new OverlayFs((await imageLayerTrees(store.content, image)).map((t) => t.root).reverse());
}

let store: ImageStore;
let base: ResolvedImage;

beforeEach(async () => {
  store = await baseStore();
  base = await store.resolve(BASE);
});

describe('commitImage', () => {
  it('appends the upper as a layer, with config, history and a name', async () => {
    const c = await rootOf(store, base);
    c.writeFile('/etc/hostname', 'changed\n');
    c.writeFile('/bin/new', 'new', { mode: 0o755 });
    c.unlink('/tmp/junk');
    const { id, manifestDigest } = await commitImage(store, base, c.upper, {
      reference: 'committed',
      author: 'me <me@example.com>',
      comment: 'a test',
      config: { Cmd: ['/bin/new'], Hostname: 'box' },
      created: CREATED,
    });
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);

    const found = await store.lookup('committed');
    expect(found).toMatchObject({ id, names: ['docker.io/library/committed:latest'] });
    expect(found.target.digest).toBe(manifestDigest);
    const img = await store.resolve('committed');
    expect(sha256Of(img.configBytes)).toBe(id);
    expect(img.manifest.layers.slice(0, 1)).toEqual(base.manifest.layers);
    expect(img.manifest.layers).toHaveLength(2);
    expect(img.manifest.layers[1]!.mediaType).toBe(MediaType.ociLayer);
    // Uncompressed: the layer digest is its diff_id.
    expect(img.config.rootfs.diff_ids).toEqual([
      ...base.config.rootfs.diff_ids,
      img.manifest.layers[1]!.digest,
    ]);
    expect(img.config.created).toBe(CREATED.toISOString());
    expect(img.config.author).toBe('me <me@example.com>');
    expect(img.config.config).toEqual({
      Env: ['PATH=/bin'],
      Cmd: ['/bin/new'],
      WorkingDir: '/',
      Hostname: 'box',
    });
    expect(img.config.history!.at(-1)).toEqual({
      created: CREATED.toISOString(),
      created_by: 'berth commit',
      author: 'me <me@example.com>',
      comment: 'a test',
    });

    // The committed image's filesystem is the container's.
    const fs = await rootOf(store, img);
    expect(new TextDecoder().decode(fs.readFile('/etc/hostname'))).toBe('changed\n');
    expect(fs.stat('/bin/new').mode & 0o777).toBe(0o755);
    expect(() => fs.lstat('/tmp/junk')).toThrow(/ENOENT/);
    expect(formatChanges(containerChanges(c.upper, await rootOf(store, base)))).toBe(
      'C /bin\nA /bin/new\nC /etc/hostname\nC /tmp\nD /tmp/junk\n',
    );
  });

  it('without changes adds no layer (an empty_layer history entry); without a name the image is kept unnamed', async () => {
    const c = await rootOf(store, base);
    const { id, manifestDigest } = await commitImage(store, base, c.upper, { created: CREATED });
    expect(await store.lookup(id)).toMatchObject({ id, names: [] });
    expect(
      (await store.records()).some((r) => r.name === undefined && r.target.digest === manifestDigest),
    ).toBe(true);
    const img = await store.resolve(id);
    expect(img.manifest.layers).toEqual(base.manifest.layers);
    expect(img.config.author).toBeUndefined();
    expect(img.config.history!.at(-1)).toEqual({
      created: CREATED.toISOString(),
      created_by: 'berth commit',
      empty_layer: true,
    });
  });

  it('is deterministic for the same upper and time, and refuses a digest reference', async () => {
    const c = await rootOf(store, base);
    c.writeFile('/x', 'x');
    const a = await commitImage(store, base, c.upper, { created: CREATED, reference: 'a' });
    const b = await commitImage(store, base, c.upper, { created: CREATED, reference: 'b' });
    expect(a).toEqual(b);
    await expect(
      commitImage(store, base, c.upper, { reference: `x@sha256:${'0'.repeat(64)}` }),
    ).rejects.toThrow(/digest reference/);
  });
});
