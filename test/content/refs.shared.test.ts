import { describe, expect, it } from 'vitest';
import { gc } from '../../src/content/gc.js';
import { MemoryContentStore } from '../../src/content/memory-store.js';
import { imageRefs, reachable, type RefsOf } from '../../src/content/refs.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { sha256Of } from '../../src/oci/digest.js';
import { MediaType } from '../../src/oci/media-types.js';
import { buildImage, buildIndex, enc, putJson } from './fixtures.js';

describe('image references', () => {
  it('walks a Docker manifest list to manifests, configs and layers', async () => {
    const store = new MemoryContentStore();
    const a = await buildImage(store, 'a', 2, true);
    const b = await buildImage(store, 'b', 1, true);
    const list = await buildIndex(store, [a.manifest, b.manifest], { docker: true });
    const all = await reachable(store, [list]);
    expect([...all].sort()).toEqual(
      [list, a.manifest, a.config, ...a.layers, b.manifest, b.config, ...b.layers].sort(),
    );
  });

  it('walks nested indexes and recognises roots without mediaType by shape', async () => {
    const store = new MemoryContentStore();
    const a = await buildImage(store, 'a', 1);
    const inner = await buildIndex(store, [a.manifest]);
    const outer = await putJson(store, {
      schemaVersion: 2,
      manifests: [{ mediaType: MediaType.ociIndex, digest: inner, size: (await store.info(inner))!.size }],
    });
    expect(await reachable(store, [outer.digest])).toEqual(
      new Set([outer.digest, inner, a.manifest, a.config, ...a.layers]),
    );
    const bare = await putJson(store, {
      schemaVersion: 2,
      config: { mediaType: MediaType.ociConfig, digest: a.config, size: 1 },
      layers: [],
    });
    expect(await reachable(store, [bare.digest])).toEqual(new Set([bare.digest, a.config]));
  });

  it('never reads layers or configs', async () => {
    const store = new MemoryContentStore();
    const a = await buildImage(store, 'a', 3);
    const read: string[] = [];
    const spy: RefsOf = (node, load) => imageRefs(node, () => (read.push(node.digest), load()));
    await reachable(store, [a.manifest], spy);
    expect(read).toEqual([a.manifest]);
  });

  it('includes absent blobs without failing, and keeps unknown roots as leaves', async () => {
    const store = new MemoryContentStore();
    const missing = sha256Of('gone');
    const other = await putJson(store, { hello: 'world' });
    expect(await reachable(store, [missing, other.digest])).toEqual(new Set([missing, other.digest]));
  });

  it('refuses to gc when a reachable manifest is malformed', async () => {
    const store = new MemoryContentStore();
    const a = await buildImage(store, 'a', 1);
    const broken = await store.put(
      enc('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}'),
    );
    const err = await gc(store, [a.manifest, broken.digest]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(/manifest sha256:[0-9a-f]{12}…: field 'config' is missing/);
    expect(await store.list()).toHaveLength(4);
    const notJson = await store.put(enc('not json'));
    await expect(gc(store, [notJson.digest])).rejects.toThrow(/invalid JSON in root sha256:/);
  });
});
