import { describe, expect, it } from 'vitest';
import { MemoryContentStore } from '../../src/content/memory-store.js';
import { NotFoundError, UnsupportedPlatformError } from '../../src/errors.js';
import { archiveTar, bytesFile } from '../../src/images/archive-files.js';
import { ConflictError } from '../../src/images/errors.js';
import { saveFiles } from '../../src/images/export-archive.js';
import { exportFilesystem } from '../../src/images/export-filesystem.js';
import { imageHistory } from '../../src/images/history.js';
import { ImageStore } from '../../src/images/image-store.js';
import { importArchive } from '../../src/images/import-archive.js';
import { inspectImage } from '../../src/images/inspect.js';
import { MemoryTagTable } from '../../src/images/tag-table.js';
import { sha256Of } from '../../src/oci/digest.js';
import { readTar } from '../../src/tar/reader.js';
import {
  collect,
  dir,
  dockerArchive,
  file,
  multiPlatformLayout,
  ociLayout,
  toTar,
  type SyntheticImage,
} from './support/synthetic.js';

function newStore(platform?: { os: string; architecture: string }): ImageStore {
  return new ImageStore(new MemoryContentStore(), new MemoryTagTable(), platform ? { platform } : {});
}

const base: SyntheticImage = {
  name: 'example/app:1',
  layers: [
    {
      gzip: true,
      entries: [
        dir('etc/'),
        file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n'),
        dir('opt/'),
        dir('opt/a/'),
        file('opt/a/old', 'old'),
        file('gone', 'x'),
      ],
    },
    {
      gzip: true,
      entries: [
        file('.wh.gone', ''),
        dir('opt/a/'),
        file('opt/a/.wh..wh..opq', ''),
        file('opt/a/new', 'new', 0o4755, { uid: 1000, gid: 1000 }),
      ],
    },
  ],
  history: [
    { created: '2024-01-01T00:00:00Z', created_by: 'ADD rootfs' },
    { created: '2024-01-01T00:00:01Z', created_by: 'CMD ["/bin/sh"]', empty_layer: true },
    { created: '2024-01-01T00:00:02Z', created_by: 'RUN change', comment: 'second' },
  ],
};

async function loadBase(store: ImageStore) {
  const { files, built } = await ociLayout([base]);
  const result = await importArchive(store, await toTar(files));
  return { result, built: built[0]! };
}

describe('ImageStore over memory', () => {
  it('imports an oci-archive and names the image by config digest', async () => {
    const store = newStore();
    const { result, built } = await loadBase(store);
    expect(result.format).toBe('oci-layout');
    expect(result.images).toEqual([
      { name: 'docker.io/example/app:1', id: built.config.digest, target: built.manifest },
    ]);
    const list = await store.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: built.config.digest,
      names: ['docker.io/example/app:1'],
      created: '2024-01-02T03:04:05Z',
    });
    expect(list[0]!.size).toBe(built.layers[0]!.size + built.layers[1]!.size);
  });

  it('looks images up by name, ID, ID prefix and name@digest', async () => {
    const store = newStore();
    const { built } = await loadBase(store);
    const id = built.config.digest;
    for (const ref of [
      'example/app:1',
      'docker.io/example/app:1',
      id,
      id.slice(7, 19),
      id.slice(7, 10),
      `example/app@${built.manifest.digest}`,
    ]) {
      expect((await store.lookup(ref)).id, ref).toBe(id);
    }
    await expect(store.lookup('example/app')).rejects.toThrow(
      new NotFoundError('No such image: example/app'),
    );
    await expect(store.lookup('deadbeef')).rejects.toThrow(NotFoundError);
    await expect(store.lookup(`example/other@${built.manifest.digest}`)).rejects.toThrow(NotFoundError);
  });

  it('tags, refuses to remove a multiply tagged image by ID, untags by name, then deletes and collects garbage', async () => {
    const store = newStore();
    const { built } = await loadBase(store);
    await store.tag('example/app:1', 'other:latest');
    expect((await store.list())[0]!.names).toEqual([
      'docker.io/example/app:1',
      'docker.io/library/other:latest',
    ]);
    await expect(store.remove(built.config.digest.slice(7, 19))).rejects.toThrow(ConflictError);
    await expect(store.remove(built.config.digest.slice(7, 19))).rejects.toThrow(
      /must be forced.*multiple repositories/,
    );

    const first = await store.remove('other');
    expect(first).toEqual({ untagged: ['docker.io/library/other:latest'], removedBlobs: [] });
    expect((await store.content.list()).length).toBe(4);

    const second = await store.remove('example/app:1');
    expect(second.untagged).toEqual(['docker.io/example/app:1']);
    expect(second.deleted).toBe(built.config.digest);
    expect(second.removedBlobs).toHaveLength(4);
    expect(await store.list()).toEqual([]);
    expect(await store.content.list()).toEqual([]);
  });

  it('removes every name with force', async () => {
    const store = newStore();
    const { built } = await loadBase(store);
    await store.tag('example/app:1', 'a');
    await store.tag('example/app:1', 'b');
    const r = await store.remove(built.config.digest, { force: true });
    expect(r.untagged).toHaveLength(3);
    expect(r.deleted).toBe(built.config.digest);
    expect(await store.content.list()).toEqual([]);
  });

  it('keeps an image whose name moved to another image, without a name', async () => {
    const store = newStore();
    const { built } = await loadBase(store);
    const { files, built: built2 } = await ociLayout([
      { name: 'example/app:1', layers: [{ entries: [file('x', 'y')] }] },
    ]);
    await importArchive(store, await toTar(files));
    const list = await store.list();
    expect(list.map((i) => [i.id, i.names])).toEqual(
      expect.arrayContaining([
        [built.config.digest, []],
        [built2[0]!.config.digest, ['docker.io/example/app:1']],
      ]),
    );
    // a dangling image can be removed by ID
    expect((await store.remove(built.config.digest.slice(7, 15))).deleted).toBe(built.config.digest);
    expect(await store.list()).toHaveLength(1);
  });

  it('loads an image without a name (a bare tag as ref name) and rejects tagging to a digest', async () => {
    const store = newStore();
    const { files, built } = await ociLayout([{ name: 'latest', layers: [{ entries: [file('x', 'y')] }] }]);
    const r = await importArchive(store, await toTar(files));
    expect(r.images).toEqual([{ id: built[0]!.config.digest, target: built[0]!.manifest }]);
    await expect(store.tag(built[0]!.config.digest, `x@sha256:${'0'.repeat(64)}`)).rejects.toThrow(/digest/);
    await store.tag(built[0]!.config.digest, 'named');
    expect(await store.records()).toEqual([
      { name: 'docker.io/library/named:latest', target: built[0]!.manifest },
    ]);
  });

  it('imports a legacy docker-archive with names from RepoTags and the same image ID', async () => {
    const store = newStore();
    const { files, built } = await dockerArchive([{ ...base, name: 'busybox:latest' }]);
    const r = await importArchive(store, await toTar(files));
    expect(r.format).toBe('docker-archive');
    expect(r.images.map((i) => [i.name, i.id])).toEqual([
      ['docker.io/library/busybox:latest', built[0]!.config.digest],
    ]);
    const img = await store.resolve('busybox');
    expect(img.manifest.layers.map((l) => l.mediaType)).toEqual([
      'application/vnd.oci.image.layer.v1.tar+gzip',
      'application/vnd.oci.image.layer.v1.tar+gzip',
    ]);
  });

  it('saves in all three formats and loads them back to the same image', async () => {
    const store = newStore();
    const { built } = await loadBase(store);
    for (const format of ['docker-archive', 'oci-archive', 'oci-layout'] as const) {
      const files = await saveFiles(store, ['example/app:1'], format);
      const other = newStore();
      const r = await importArchive(other, await collect(archiveTar(files)));
      expect(
        r.images.map((i) => [i.name, i.id]),
        format,
      ).toEqual([['docker.io/example/app:1', built.config.digest]]);
      if (format === 'docker-archive') {
        const manifestJson = JSON.parse(
          new TextDecoder().decode(
            (await files.find((f) => f.path === 'manifest.json')!.body()) as Uint8Array,
          ),
        );
        expect(manifestJson).toEqual([
          {
            Config: `blobs/sha256/${built.config.digest.slice(7)}`,
            RepoTags: ['example/app:1'],
            Layers: built.diffIds.map((d) => `blobs/sha256/${d.slice(7)}`),
          },
        ]);
        for (const d of built.diffIds) {
          const f = files.find((x) => x.path === `blobs/sha256/${d.slice(7)}`)!;
          expect(sha256Of(await collect(toIterable(f.body())))).toBe(d);
        }
      } else {
        expect((await other.resolve('example/app:1')).manifestDescriptor.digest).toBe(built.manifest.digest);
      }
    }
  });

  it('a Docker 25+ archive: names come from manifest.json RepoTags, content from its OCI layout', async () => {
    const store = newStore();
    const { built } = await loadBase(store);
    const files = await saveFiles(store, ['example/app:1'], 'docker-archive');
    const manifestFile = files.find((f) => f.path === 'manifest.json')!;
    const entries = JSON.parse(new TextDecoder().decode(manifestFile.body() as Uint8Array));
    entries[0].RepoTags = ['renamed:v9', 'quay.io/x/y:z'];
    const patched = files.map((f) =>
      f === manifestFile ? bytesFile('manifest.json', JSON.stringify(entries)) : f,
    );
    const index = JSON.parse(
      new TextDecoder().decode(files.find((f) => f.path === 'index.json')!.body() as Uint8Array),
    );
    const other = newStore();
    const r = await importArchive(other, await collect(archiveTar(patched)));
    expect(r.format).toBe('docker-archive');
    expect(r.images.map((i) => [i.name, i.id, i.target.digest])).toEqual([
      ['docker.io/library/renamed:v9', built.config.digest, index.manifests[0].digest],
      ['quay.io/x/y:z', built.config.digest, index.manifests[0].digest],
    ]);
  });

  it('exports the flattened filesystem with whiteouts applied and none written', async () => {
    const store = newStore();
    await loadBase(store);
    const img = await store.resolve('example/app:1');
    const names: string[] = [];
    for await (const { header } of readTar(await exportFilesystem(store.content, img))) {
      names.push(`${header.name} ${header.mode.toString(8)} ${header.uid}`);
    }
    expect(names).toEqual([
      './ 755 0',
      'etc/ 755 0',
      'etc/passwd 644 0',
      'opt/ 755 0',
      'opt/a/ 755 0',
      'opt/a/new 4755 1000',
    ]);
  });

  it('reports history newest first with empty layers, and docker-style inspect', async () => {
    const store = newStore();
    const { built } = await loadBase(store);
    const img = await store.resolve('example/app:1');
    expect(imageHistory(img)).toEqual([
      {
        id: built.config.digest,
        created: '2024-01-01T00:00:02Z',
        createdBy: 'RUN change',
        size: built.layers[1]!.size,
        comment: 'second',
        emptyLayer: false,
      },
      {
        id: '<missing>',
        created: '2024-01-01T00:00:01Z',
        createdBy: 'CMD ["/bin/sh"]',
        size: 0,
        comment: '',
        emptyLayer: true,
      },
      {
        id: '<missing>',
        created: '2024-01-01T00:00:00Z',
        createdBy: 'ADD rootfs',
        size: built.layers[0]!.size,
        comment: '',
        emptyLayer: false,
      },
    ]);
    const ins = inspectImage(img);
    expect(ins).toMatchObject({
      Id: built.config.digest,
      RepoTags: ['example/app:1'],
      RepoDigests: [`example/app@${built.manifest.digest}`],
      Architecture: 'amd64',
      Os: 'linux',
      Created: '2024-01-02T03:04:05Z',
      Config: { Cmd: ['/bin/sh'], Env: ['PATH=/bin'] },
      RootFS: { Type: 'layers', Layers: built.diffIds },
    });
  });

  it('keeps a multi-platform index and selects the platform on use', async () => {
    const amd = newStore({ os: 'linux', architecture: 'amd64' });
    const { files, built, index } = await multiPlatformLayout('multi/app:1', [
      { layers: [{ gzip: true, entries: [file('arch', 'amd64')] }], architecture: 'amd64' },
      { layers: [{ gzip: true, entries: [file('arch', 'arm64')] }], architecture: 'arm64' },
    ]);
    const archive = await toTar(files);
    const r = await importArchive(amd, archive);
    expect(r.images).toEqual([{ name: 'docker.io/multi/app:1', id: index.digest, target: index }]);
    expect((await amd.resolve('multi/app:1')).config.architecture).toBe('amd64');
    expect(
      (await amd.resolve('multi/app:1', { os: 'linux', architecture: 'arm64' })).manifestDescriptor.digest,
    ).toBe(built[1]!.manifest.digest);
    await expect(amd.resolve('multi/app:1', { os: 'linux', architecture: 's390x' })).rejects.toThrow(
      UnsupportedPlatformError,
    );
    // the whole index survives an oci-archive round trip; docker-archive takes the store's platform
    const arm = newStore({ os: 'linux', architecture: 'arm64' });
    await importArchive(arm, await collect(archiveTar(await saveFiles(amd, ['multi/app:1'], 'oci-archive'))));
    expect((await arm.resolve('multi/app:1')).config.architecture).toBe('arm64');
    const docker = newStore();
    await importArchive(
      docker,
      await collect(archiveTar(await saveFiles(arm, ['multi/app:1'], 'docker-archive'))),
    );
    expect((await docker.lookup('multi/app:1')).id).toBe(built[1]!.config.digest);
  });
});

function toIterable(b: Uint8Array | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return b instanceof Uint8Array
    ? (async function* () {
        yield b;
      })()
    : b;
}
