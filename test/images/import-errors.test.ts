/**
 * Broken archives: each import must fail with an error naming the file or digest, and
 * leave the on-disk store exactly as it was (same files, same index.json).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BerthError,
  DigestMismatchError,
  InvalidArgumentError,
  ResourceLimitError,
} from '../../src/errors.js';
import { MediaType } from '../../src/oci/media-types.js';
import type { ImageStore } from '../../src/images/image-store.js';
import { importArchive } from '../../src/images/import-archive.js';
import { dirFileSet, writeArchiveDir } from '../../src/node/archive-dir.js';
import { openImageStore } from '../../src/node/image-store.js';
import { bytesFile } from '../../src/images/archive-files.js';
import {
  dockerArchive,
  file,
  ociLayout,
  tarWithAbsurdSize,
  toTar,
  type Files,
  type SyntheticImage,
} from './support/synthetic.js';

const enc = new TextEncoder();
let root: string;
let store: ImageStore;

/** Every file under the root with its size and content hash. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const p = rel ? `${rel}/${name}` : name;
      const st = statSync(join(dir, p));
      if (st.isDirectory()) walk(p);
      else
        out.push(
          `${p} ${st.size} ${createHash('sha256')
            .update(readFileSync(join(dir, p)))
            .digest('hex')
            .slice(0, 16)}`,
        );
    }
  };
  walk('');
  return out.sort();
}

const good: SyntheticImage = {
  name: 'good/app:1',
  layers: [{ gzip: true, entries: [file('etc/hostname', 'good\n')] }, { entries: [file('b', 'b')] }],
};

function blobKey(digest: string): string {
  return `blobs/sha256/${digest.slice(7)}`;
}

async function expectRejectedUnchanged(
  input: Uint8Array | Files,
  kind: new (...a: never[]) => BerthError,
  message: RegExp,
): Promise<Error> {
  const before = snapshot(root);
  let source: Parameters<typeof importArchive>[1];
  if (input instanceof Uint8Array) {
    source = input;
  } else {
    const dir = join(mkdtempSync(join(root, '..', `${basename(root)}-layout-`)), 'layout');
    await writeArchiveDir(
      dir,
      [...input].map(([p, b]) => bytesFile(p, b)),
    );
    source = dirFileSet(dir);
  }
  const err = await importArchive(store, source).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(err, 'import should fail').toBeInstanceOf(kind);
  expect(err!.message).toMatch(message);
  expect(snapshot(root)).toEqual(before);
  expect((await store.list()).map((i) => i.names)).toEqual([['docker.io/good/app:1']]);
  return err!;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'berth-import-errors-'));
  store = await openImageStore(root);
  const { files } = await ociLayout([good]);
  await importArchive(store, await toTar(files));
});

afterAll(() => {
  const parent = join(root, '..');
  for (const name of readdirSync(parent)) {
    if (name.startsWith(basename(root))) rmSync(join(parent, name), { recursive: true, force: true });
  }
});

describe('a broken archive fails clearly and leaves the store unchanged', () => {
  it('truncated archive', async () => {
    const { files } = await ociLayout([{ ...good, name: 'other/app:1' }]);
    const tar = await toTar(files);
    await expectRejectedUnchanged(
      tar.subarray(0, Math.floor(tar.length / 2) + 100),
      InvalidArgumentError,
      /truncated/,
    );
  });

  it('not an image archive at all', async () => {
    await expectRejectedUnchanged(new Uint8Array(1024).fill(7), InvalidArgumentError, /archive/);
    const { files } = await ociLayout([good]);
    files.delete('index.json');
    await expectRejectedUnchanged(
      await toTar(files),
      InvalidArgumentError,
      /neither manifest\.json .* nor index\.json/,
    );
  });

  it('corrupt gzip layer (digest consistent, stream broken)', async () => {
    const img: SyntheticImage = {
      name: 'bad/gzip:1',
      layers: [
        {
          gzip: true,
          entries: [file('data', 'x'.repeat(5000) + Math.random())],
          mutateBlob: (b) => {
            const c = b.slice();
            for (let i = 20; i < c.length - 10; i += 7) c[i] ^= 0x5a;
            return c;
          },
        },
      ],
    };
    const { files, built } = await ociLayout([img]);
    const err = await expectRejectedUnchanged(await toTar(files), BerthError, /layer sha256:/);
    expect(err.message).toContain(built[0]!.layers[0]!.digest.slice(0, 19));
  });

  it('digest mismatch: a tampered blob', async () => {
    const { files, built } = await ociLayout([{ ...good, name: 'bad/tamper:1' }]);
    const key = blobKey(built[0]!.layers[1]!.digest);
    const bytes = files.get(key)!.slice();
    bytes[600] ^= 1;
    files.set(key, bytes);
    const err = await expectRejectedUnchanged(await toTar(files), DigestMismatchError, new RegExp(key));
    expect((err as DigestMismatchError).expected).toBe(built[0]!.layers[1]!.digest);
  });

  it('digest mismatch in a layout directory', async () => {
    const { files, built } = await ociLayout([{ ...good, name: 'bad/dir:1' }]);
    const key = blobKey(built[0]!.config.digest);
    files.set(key, enc.encode(new TextDecoder().decode(files.get(key)).replace('amd64', 'arm64')));
    await expectRejectedUnchanged(files, DigestMismatchError, /directory .*blobs\/sha256/);
  });

  it('diff_id mismatch: config names another uncompressed digest', async () => {
    const img: SyntheticImage = {
      ...good,
      name: 'bad/diffid:1',
      patchConfig: (c) => void (c.rootfs.diff_ids[1] = `sha256:${'0'.repeat(64)}`),
    };
    const oci = await ociLayout([img]);
    await expectRejectedUnchanged(await toTar(oci.files), DigestMismatchError, /diff_ids/);
    const docker = await dockerArchive([img]);
    await expectRejectedUnchanged(await toTar(docker.files), DigestMismatchError, /diff_ids/);
  });

  it('manifest naming a missing blob', async () => {
    const { files, built } = await ociLayout([{ ...good, name: 'bad/missing:1' }]);
    const digest = built[0]!.layers[0]!.digest;
    files.delete(blobKey(digest));
    await expectRejectedUnchanged(
      await toTar(files),
      InvalidArgumentError,
      new RegExp(`blob ${digest} .* is missing`),
    );
    const docker = await dockerArchive([{ ...good, name: 'bad/missing:2' }]);
    const layer = [...docker.files.keys()].find((k) => k.endsWith('.tar'))!;
    docker.files.delete(layer);
    await expectRejectedUnchanged(
      await toTar(docker.files),
      InvalidArgumentError,
      new RegExp(`layer '${layer}' named in manifest.json is missing`),
    );
  });

  it('invalid JSON in index.json, manifest.json, a manifest blob and a config', async () => {
    const oci = await ociLayout([good]);
    oci.files.set('index.json', enc.encode('{"schemaVersion":2,"manifests":[}'));
    await expectRejectedUnchanged(
      await toTar(oci.files),
      InvalidArgumentError,
      /invalid JSON in archive: index\.json/,
    );

    const docker = await dockerArchive([good]);
    docker.files.set('manifest.json', enc.encode('[{"Config": '));
    await expectRejectedUnchanged(
      await toTar(docker.files),
      InvalidArgumentError,
      /invalid JSON in archive: manifest\.json/,
    );

    const fields = await dockerArchive([good]);
    fields.files.set('manifest.json', enc.encode('[{"Config": 7, "Layers": []}]'));
    await expectRejectedUnchanged(
      await toTar(fields.files),
      InvalidArgumentError,
      /manifest\.json: field '\[0\]\.Config' must be a string/,
    );

    const blob = await ociLayout([good]);
    const bad = enc.encode('{"schemaVersion": 2, "config": ');
    const { createHash: h } = await import('node:crypto');
    const digest = `sha256:${h('sha256').update(bad).digest('hex')}`;
    blob.files.set(blobKey(digest), bad);
    blob.files.set(
      'index.json',
      enc.encode(
        JSON.stringify({
          schemaVersion: 2,
          manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: bad.length }],
        }),
      ),
    );
    await expectRejectedUnchanged(
      await toTar(blob.files),
      InvalidArgumentError,
      new RegExp(`invalid JSON in archive: ${blobKey(digest)}`),
    );

    const config = await ociLayout([
      { ...good, patchConfig: (c) => void delete (c as { rootfs?: unknown }).rootfs },
    ]);
    await expectRejectedUnchanged(
      await toTar(config.files),
      InvalidArgumentError,
      /config blobs\/sha256\/[0-9a-f]+: field 'rootfs' is missing/,
    );
  });

  it('absurd size in a layer tar header', async () => {
    const { files } = await ociLayout([
      { name: 'bad/size:1', layers: [{ rawTar: await tarWithAbsurdSize(8 * 1024 ** 3 - 1) }] },
    ]);
    await expectRejectedUnchanged(
      await toTar(files),
      BerthError,
      /layer sha256:.*(big|size|limit|truncated)/,
    );
  });

  it('layer entry escaping the root (../x)', async () => {
    const { files } = await ociLayout([
      { name: 'bad/escape:1', layers: [{ entries: [file('ok', 'ok'), file('../x', 'evil')] }] },
    ]);
    await expectRejectedUnchanged(
      await toTar(files),
      InvalidArgumentError,
      /layer sha256:.*escapes the layer root/,
    );
    const docker = await dockerArchive([
      { name: 'bad/escape:2', layers: [{ gzip: true, entries: [file('a/../../x', 'evil')] }] },
    ]);
    await expectRejectedUnchanged(await toTar(docker.files), InvalidArgumentError, /escapes the layer root/);
  });

  it('docker-archive config that does not hash to its file name', async () => {
    const { files } = await dockerArchive([{ ...good, name: 'bad/config:1' }]);
    const key = [...files.keys()].find((k) => k.endsWith('.json') && k !== 'manifest.json')!;
    files.set(
      key,
      enc.encode(new TextDecoder().decode(files.get(key)).replace('"os":"linux"', '"os":"linux" ')),
    );
    await expectRejectedUnchanged(await toTar(files), DigestMismatchError, new RegExp(key));
  });

  it('unsupported oci-layout version', async () => {
    const { files } = await ociLayout([good]);
    files.set('oci-layout', enc.encode('{"imageLayoutVersion":"2.0.0"}'));
    await expectRejectedUnchanged(await toTar(files), InvalidArgumentError, /imageLayoutVersion "2\.0\.0"/);
  });
});

/** Compress with the zstd command, optionally damaging the frame. */
function zstdLayer(damage?: (blob: Uint8Array) => Uint8Array) {
  return (tar: Uint8Array) => {
    let blob: Uint8Array = new Uint8Array(execFileSync('zstd', ['-q', '-c'], { input: tar }));
    if (damage) blob = damage(blob);
    return { blob, mediaType: MediaType.ociLayerZstd };
  };
}

describe('unsafe or broken layers fail at import and leave the store unchanged', () => {
  it('a path through a symlinked parent', async () => {
    const { files } = await ociLayout([
      {
        name: 'bad/symlink-parent:1',
        layers: [
          {
            entries: [
              { header: { name: 'etc', type: 'symlink', linkname: '/' } },
              file('etc/passwd', 'root::0:0::/:/bin/sh\n'),
            ],
          },
        ],
      },
    ]);
    await expectRejectedUnchanged(await toTar(files), InvalidArgumentError, /layer sha256:.*symlink/);
  });

  it('hard links to a path outside the root and to a path not yet present', async () => {
    for (const linkname of ['../../etc/shadow', 'not/yet/here']) {
      const { files } = await ociLayout([
        {
          name: 'bad/hardlink:1',
          layers: [
            {
              entries: [{ header: { name: 'evil', type: 'hardlink', linkname } }, file('not/yet/here', 'x')],
            },
          ],
        },
      ]);
      await expectRejectedUnchanged(
        await toTar(files),
        InvalidArgumentError,
        /layer sha256:.*(hard ?link|escapes)/i,
      );
    }
  });

  it('duplicate entries', async () => {
    const { files } = await ociLayout([
      { name: 'bad/dup:1', layers: [{ entries: [file('a', 'one'), file('a', 'two')] }] },
    ]);
    await expectRejectedUnchanged(await toTar(files), InvalidArgumentError, /layer sha256:.*duplicate/i);
  });

  it('corrupt and truncated zstd layers', async () => {
    const corrupt = await ociLayout([
      {
        name: 'bad/zstd:1',
        layers: [
          {
            entries: [file('a', 'x'.repeat(4096))],
            encode: zstdLayer((b) => {
              const c = b.slice();
              c[4] ^= 0xff; // the frame header descriptor
              return c;
            }),
          },
        ],
      },
    ]);
    await expectRejectedUnchanged(await toTar(corrupt.files), BerthError, /layer sha256:.*zstd/i);
    const truncated = await ociLayout([
      {
        name: 'bad/zstd:2',
        layers: [
          { entries: [file('a', 'y'.repeat(4096))], encode: zstdLayer((b) => b.subarray(0, b.length - 8)) },
        ],
      },
    ]);
    await expectRejectedUnchanged(
      await toTar(truncated.files),
      BerthError,
      /layer sha256:.*(zstd|truncated)/i,
    );
  });

  it('a decompression bomb beyond the configured limit', async () => {
    const { files } = await ociLayout([
      {
        name: 'bad/bomb:1',
        layers: [{ gzip: true, entries: [file('zeros', '\0'.repeat(4 * 1024 * 1024))] }],
      },
    ]);
    const before = snapshot(root);
    const err = await importArchive(store, await toTar(files), { maxUncompressedBytes: 1024 * 1024 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(ResourceLimitError);
    expect(err!.message).toMatch(/layer sha256:.*(limit|exceeds)/i);
    expect(snapshot(root)).toEqual(before);
  });
});
