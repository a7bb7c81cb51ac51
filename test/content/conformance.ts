/**
 * The ContentStore contract, written once and run against every implementation.
 * `leftovers` reports partial-write debris (temp files) the store may hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gc } from '../../src/content/gc.js';
import type { BlobInfo, ContentStore } from '../../src/content/store.js';
import {
  DigestMismatchError,
  InvalidArgumentError,
  NotFoundError,
  ResourceLimitError,
} from '../../src/errors.js';
import { sha256Of } from '../../src/oci/digest.js';
import { buildImage, buildIndex, enc } from './fixtures.js';

export interface StoreUnderTest {
  store: ContentStore;
  leftovers(): Promise<string[]>;
  dispose?(): Promise<void>;
}

export type StoreFactory = (opts?: { maxBlobSize?: number }) => Promise<StoreUnderTest>;

async function* chunks(...parts: (Uint8Array | Error)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    await new Promise((r) => setTimeout(r, 1));
    if (p instanceof Error) throw p;
    yield p;
  }
}

async function collect(src: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  parts.reduce((off, p) => (out.set(p, off), off + p.byteLength), 0);
  return out;
}

/** Byte equality without vitest's slow deep diff of large arrays. */
function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual.byteLength).toBe(expected.byteLength);
  const firstDiff = actual.findIndex((b, i) => b !== expected[i]);
  expect(firstDiff).toBe(-1);
}

function random(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, i + 65536));
  return b;
}

const byDigest = (a: BlobInfo, b: BlobInfo): number => a.digest.localeCompare(b.digest);

export function contentStoreSuite(name: string, factory: StoreFactory): void {
  describe(`ContentStore conformance: ${name}`, () => {
    let t: StoreUnderTest;
    let store: ContentStore;
    beforeEach(async () => {
      t = await factory();
      store = t.store;
    });
    afterEach(async () => {
      await t.dispose?.();
    });

    async function expectEmpty(): Promise<void> {
      expect(await store.list()).toEqual([]);
      expect(await t.leftovers()).toEqual([]);
    }

    it('puts, gets, reads, reports and lists blobs', async () => {
      const data = random(700_000);
      const digest = sha256Of(data);
      expect(await store.has(digest)).toBe(false);
      expect(await store.info(digest)).toBeUndefined();
      const info = await store.put(
        chunks(data.subarray(0, 1), data.subarray(1, 300_000), data.subarray(300_000)),
        { digest },
      );
      expect(info).toEqual({ digest, size: data.length });
      expect(await store.has(digest)).toBe(true);
      expect(await store.info(digest)).toEqual({ digest, size: data.length });
      expectBytes(await store.read(digest), data);
      expectBytes(await collect(store.get(digest)), data);
      const small = await store.put(enc('abc'));
      expect(small.digest).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      const empty = await store.put(new Uint8Array(), { size: 0 });
      expect(empty.digest).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expectBytes(await store.read(empty.digest), new Uint8Array());
      expect((await store.list()).sort(byDigest)).toEqual([info, small, empty].sort(byDigest));
      expect(await t.leftovers()).toEqual([]);
    });

    it('keeps its bytes safe from callers that reuse buffers', async () => {
      const buf = enc('original');
      const { digest } = await store.put(buf);
      buf.fill(0);
      const out = await store.read(digest);
      out.fill(1);
      expect(new TextDecoder().decode(await store.read(digest))).toBe('original');
    });

    it('deletes blobs, and deleting an absent blob is fine', async () => {
      const { digest } = await store.put(enc('x'));
      await store.delete(digest);
      expect(await store.has(digest)).toBe(false);
      await store.delete(digest);
      await expectEmpty();
    });

    it('throws NotFoundError for absent blobs', async () => {
      const absent = sha256Of('absent');
      await expect(store.read(absent)).rejects.toThrow(NotFoundError);
      await expect(collect(store.get(absent))).rejects.toThrow(NotFoundError);
    });

    it('rejects malformed digests everywhere', async () => {
      for (const bad of ['sha256:../../etc/passwd', 'sha256:ABC', `sha512:${'0'.repeat(128)}`, 'nope']) {
        await expect(store.has(bad)).rejects.toThrow(InvalidArgumentError);
        await expect(store.info(bad)).rejects.toThrow(InvalidArgumentError);
        await expect(store.read(bad)).rejects.toThrow(InvalidArgumentError);
        await expect(store.delete(bad)).rejects.toThrow(InvalidArgumentError);
        await expect(collect(store.get(bad))).rejects.toThrow(InvalidArgumentError);
        await expect(store.put(enc('x'), { digest: bad })).rejects.toThrow(InvalidArgumentError);
      }
      await expectEmpty();
    });

    it('refuses a mismatching digest and keeps nothing', async () => {
      const wrong = sha256Of('something else');
      const err = await store
        .put(chunks(enc('hello '), enc('world')), { digest: wrong })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DigestMismatchError);
      expect((err as DigestMismatchError).expected).toBe(wrong);
      expect((err as DigestMismatchError).actual).toBe(sha256Of('hello world'));
      expect(await store.has(sha256Of('hello world'))).toBe(false);
      await expectEmpty();
    });

    it('refuses a size mismatch, early when too long, and keeps nothing', async () => {
      const data = enc('twelve bytes');
      await expect(store.put(data, { digest: sha256Of(data), size: 13 })).rejects.toThrow(
        DigestMismatchError,
      );
      await expect(store.put(data, { size: 11 })).rejects.toThrow(/expected 11 bytes/);
      let pulled = 0;
      async function* endless(): AsyncGenerator<Uint8Array> {
        for (;;) {
          pulled++;
          yield new Uint8Array(1000);
        }
      }
      await expect(store.put(endless(), { size: 4500 })).rejects.toThrow(DigestMismatchError);
      expect(pulled).toBe(5);
      await expectEmpty();
    });

    it('leaves nothing when the source fails midway', async () => {
      const boom = new Error('connection reset');
      await expect(store.put(chunks(random(100_000), random(100_000), boom))).rejects.toBe(boom);
      await expect(store.put(chunks(enc('a'), boom), { digest: sha256Of('ab') })).rejects.toBe(boom);
      await expectEmpty();
    });

    it('stores one intact blob when 8 writers put it at once', async () => {
      const data = random(300_000);
      const digest = sha256Of(data);
      const parts = [data.subarray(0, 100_000), data.subarray(100_000, 200_000), data.subarray(200_000)];
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.put(i % 2 ? chunks(...parts) : data, i % 3 ? { digest, size: data.length } : undefined),
        ),
      );
      for (const r of results) expect(r).toEqual({ digest, size: data.length });
      expect(await store.list()).toEqual([{ digest, size: data.length }]);
      expectBytes(await store.read(digest), data);
      expect(await t.leftovers()).toEqual([]);
    });

    it('verifies the bytes even when the blob already exists', async () => {
      const { digest } = await store.put(enc('same'));
      expect(await store.put(chunks(enc('sa'), enc('me')), { digest })).toEqual({ digest, size: 4 });
      await expect(store.put(enc('different'), { digest })).rejects.toThrow(DigestMismatchError);
      expect(new TextDecoder().decode(await store.read(digest))).toBe('same');
      expect(await t.leftovers()).toEqual([]);
    });

    it('enforces maxBlobSize', async () => {
      const limited = await factory({ maxBlobSize: 1000 });
      try {
        await expect(limited.store.put(new Uint8Array(1001))).rejects.toThrow(ResourceLimitError);
        await expect(limited.store.put(chunks(new Uint8Array(600), new Uint8Array(600)))).rejects.toThrow(
          ResourceLimitError,
        );
        await expect(limited.store.put(chunks(new Uint8Array(1)), { size: 5000 })).rejects.toThrow(
          ResourceLimitError,
        );
        expect((await limited.store.put(new Uint8Array(1000))).size).toBe(1000);
        expect(await limited.store.list()).toHaveLength(1);
        expect(await limited.leftovers()).toEqual([]);
      } finally {
        await limited.dispose?.();
      }
    });

    it('gc removes only what no root reaches', async () => {
      const kept = await buildImage(store, 'kept', 2);
      const dockerKept = await buildImage(store, 'docker', 2, true);
      const viaIndex = await buildImage(store, 'arm', 1);
      const dropped = await buildImage(store, 'dropped', 2);
      const shared = await buildImage(store, 'kept', 2); // same layers and config as `kept`
      expect(shared.manifest).toBe(kept.manifest);
      const index = await buildIndex(store, [viaIndex.manifest], { missing: sha256Of('never pulled') });
      const stray = (await store.put(enc('stray'))).digest;
      const before = await store.list();

      const removed = await gc(store, [kept.manifest, dockerKept.manifest, index]);
      expect(removed).toEqual([dropped.manifest, dropped.config, ...dropped.layers, stray].sort());
      const left = new Set((await store.list()).map((b) => b.digest));
      expect(left.size).toBe(before.length - removed.length);
      for (const d of [kept, dockerKept, viaIndex]
        .flatMap((b) => [b.manifest, b.config, ...b.layers])
        .concat(index)) {
        expect(left.has(d), d).toBe(true);
      }
      expect(await gc(store, [kept.manifest, dockerKept.manifest, index])).toEqual([]);
      expect((await gc(store, [])).length).toBe(left.size);
      await expectEmpty();
    });
  });
}
