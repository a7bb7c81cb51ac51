import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { DirContentStore } from '../../src/node/dir-content-store.js';
import { sha256Of } from '../../src/oci/digest.js';
import { ANNOTATION_REF_NAME, MediaType } from '../../src/oci/index.js';
import { contentStoreSuite } from './conformance.js';
import { enc } from './fixtures.js';

async function tempRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'berth-dir-store-'));
}

contentStoreSuite('DirContentStore', async (opts) => {
  const root = await tempRoot();
  const store = await DirContentStore.open(join(root, 'layout'), opts);
  return {
    store,
    // Anything in ingest/, or in the layout root besides the three layout entries.
    leftovers: async () => [
      ...(await readdir(store.ingestDir)).map((n) => `ingest/${n}`),
      ...(await readdir(store.root)).filter(
        (n) => !['oci-layout', 'index.json', 'blobs', 'ingest'].includes(n),
      ),
    ],
    dispose: () => rm(root, { recursive: true, force: true }),
  };
});

describe('DirContentStore layout', () => {
  let root: string;
  beforeEach(async () => {
    root = await tempRoot();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates oci-layout, an empty index.json and blobs/sha256', async () => {
    const s = await DirContentStore.open(join(root, 'a', 'b'));
    expect(JSON.parse(await readFile(s.layoutPath, 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(JSON.parse(await readFile(s.indexPath, 'utf8'))).toEqual({ schemaVersion: 2, manifests: [] });
    expect((await stat(join(root, 'a', 'b', 'blobs', 'sha256'))).isDirectory()).toBe(true);
    const { digest } = await s.put(enc('hello'));
    expect(s.blobPath(digest)).toBe(join(root, 'a', 'b', 'blobs', 'sha256', digest.slice(7)));
    expect(await readFile(s.blobPath(digest), 'utf8')).toBe('hello');
  });

  it('keeps an existing layout and its index when reopened', async () => {
    const s = await DirContentStore.open(root);
    const m = await s.put(enc('{}'));
    await s.writeIndex({ schemaVersion: 2, manifests: [{ mediaType: MediaType.ociManifest, ...m }] });
    await Promise.all([DirContentStore.open(root), DirContentStore.open(root)]);
    const again = await DirContentStore.open(root);
    expect((await again.readIndex()).manifests.map((d) => d.digest)).toEqual([m.digest]);
    expect(await again.has(m.digest)).toBe(true);
  });

  it('refuses an oci-layout of another major version', async () => {
    await writeFile(join(root, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    await expect(DirContentStore.open(root)).rejects.toThrow(/unsupported imageLayoutVersion "2.0.0"/);
    await writeFile(join(root, 'oci-layout'), 'garbage');
    await expect(DirContentStore.open(root)).rejects.toThrow(InvalidArgumentError);
  });

  it('writes index.json atomically and validates it both ways', async () => {
    const s = await DirContentStore.open(root);
    const digest = sha256Of('m');
    const entry = {
      mediaType: MediaType.ociManifest,
      digest,
      size: 1,
      annotations: { [ANNOTATION_REF_NAME]: 'v1' },
    };
    await s.writeIndex({ schemaVersion: 2, manifests: [entry] });
    expect((await s.readIndex()).manifests).toEqual([entry]);
    await expect(
      s.writeIndex({ schemaVersion: 2, manifests: [{ ...entry, digest: 'sha256:bad' }] }),
    ).rejects.toThrow(/field 'manifests\[0\].digest' is not a valid digest/);
    expect((await s.readIndex()).manifests).toEqual([entry]);
    await writeFile(s.indexPath, '{"schemaVersion":2,');
    await expect(s.readIndex()).rejects.toThrow(`invalid JSON in ${s.indexPath}`);
    expect(await readdir(s.ingestDir)).toEqual([]);
  });

  it('serializes concurrent index updates', async () => {
    const s = await DirContentStore.open(root);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        s.updateIndex(async (index) => {
          const seen = index.manifests.length;
          await new Promise((r) => setTimeout(r, 2));
          index.manifests.push({ mediaType: MediaType.ociManifest, digest: sha256Of(String(i)), size: seen });
        }),
      ),
    );
    expect((await s.readIndex()).manifests.map((d) => d.size)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expect(
      s.updateIndex(() => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect((await s.updateIndex(() => undefined)).manifests).toHaveLength(10);
  });

  it('removes stale ingest files when opened', async () => {
    const s = await DirContentStore.open(root);
    const stale = join(s.ingestDir, 'blob.1.dead.tmp');
    const fresh = join(s.ingestDir, 'blob.2.live.tmp');
    await writeFile(stale, 'x');
    await writeFile(fresh, 'y');
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(stale, old, old);
    await DirContentStore.open(root);
    expect(await readdir(s.ingestDir)).toEqual(['blob.2.live.tmp']);
  });

  it('lets two store objects on one directory write the same blob at once', async () => {
    const [a, b] = await Promise.all([DirContentStore.open(root), DirContentStore.open(root)]);
    const data = new Uint8Array(2_000_000).map((_, i) => i * 7);
    async function* slow(): AsyncGenerator<Uint8Array> {
      for (let off = 0; off < data.length; off += 250_000) {
        await new Promise((r) => setTimeout(r, 1));
        yield data.subarray(off, off + 250_000);
      }
    }
    const [ra, rb] = await Promise.all([a.put(slow()), b.put(slow())]);
    expect(ra).toEqual(rb);
    expect(await readdir(a.blobsDir)).toEqual([ra.digest.slice(7)]);
    expect(sha256Of(await readFile(a.blobPath(ra.digest)))).toBe(ra.digest);
    expect(await readdir(a.ingestDir)).toEqual([]);
  });

  it('lists only blob files named by their digest', async () => {
    const s = await DirContentStore.open(root);
    const { digest } = await s.put(enc('x'));
    await writeFile(join(s.blobsDir, 'README'), 'not a blob');
    expect(await s.list()).toEqual([{ digest, size: 1 }]);
  });
});
