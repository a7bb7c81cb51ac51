/**
 * berth/toolbox:latest as built from wasm/: a multi-platform OCI index (wasip1/wasm and
 * linux/amd64), deterministic, with the files a base image needs; each backend's
 * platform picks its own image from it.
 */
import { describe, expect, it } from 'vitest';
import appletsDef from '../../wasm/toolbox/applets.def?raw';
import shUrl from '../../wasm/build/sh.wasm?url';
import toolboxUrl from '../../wasm/build/toolbox.wasm?url';
import { MemoryContentStore } from '../../src/content/memory-store.js';
import { imageRootfs } from '../../src/images/export-filesystem.js';
import { ImageStore } from '../../src/images/image-store.js';
import { importArchive } from '../../src/images/import-archive.js';
import { MemoryTagTable } from '../../src/images/tag-table.js';
import { parseAppletList } from '../../src/toolbox/applets.js';
import { isToolboxReference, ensureToolboxImage } from '../../src/toolbox/ensure.js';
import { buildToolboxLayout, LINUX_AMD64, TOOLBOX_IMAGE, WASI_PLATFORM } from '../../src/toolbox/image.js';
import { layoutFileSet } from '../../src/toolbox/layout-file-set.js';
import { MemFs } from '../../src/vfs/memfs.js';
import { fixtureBytes } from '../support/fixture.js';

const fakeNative = (tag: string): Uint8Array => new TextEncoder().encode(`\x7fELF native ${tag}`);

async function build() {
  return buildToolboxLayout({
    wasm: { sh: await fixtureBytes(shUrl), toolbox: await fixtureBytes(toolboxUrl) },
    native: { sh: fakeNative('sh'), toolbox: fakeNative('toolbox') },
    applets: parseAppletList(appletsDef),
  });
}

describe('the base image berth/toolbox:latest', () => {
  it('is the same bytes on every build', async () => {
    const a = await build();
    const b = await build();
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path), path).toEqual(bytes);
  });

  it('is an OCI layout holding an index with a wasip1/wasm and a linux/amd64 image', async () => {
    const files = await build();
    const top = JSON.parse(new TextDecoder().decode(files.get('index.json')));
    expect(top.manifests).toHaveLength(1);
    expect(top.manifests[0].annotations['io.containerd.image.name']).toBe('docker.io/berth/toolbox:latest');
    const index = JSON.parse(
      new TextDecoder().decode(files.get(`blobs/sha256/${top.manifests[0].digest.slice(7)}`)),
    );
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests.map((m: { platform: unknown }) => m.platform)).toEqual([
      WASI_PLATFORM,
      LINUX_AMD64,
    ]);
  });

  it('gives each platform its own programs and the files of a base image', async () => {
    const store = new ImageStore(new MemoryContentStore(), new MemoryTagTable());
    await ensureToolboxImage(store, async () => layoutFileSet(await build()));
    expect(isToolboxReference(undefined) && isToolboxReference('toolbox')).toBe(true);
    for (const [platform, sh] of [
      [WASI_PLATFORM, await fixtureBytes(shUrl)],
      [LINUX_AMD64, fakeNative('sh')],
    ] as const) {
      const image = await store.resolve(TOOLBOX_IMAGE, platform);
      expect(image.config.os).toBe(platform.os);
      expect(image.config.architecture).toBe(platform.architecture);
      expect(image.config.config?.Cmd).toEqual(['sh']);
      expect(image.config.config?.Env).toEqual([
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ]);
      const fs = new MemFs(await imageRootfs(store.content, image));
      expect(fs.readFile('/bin/sh')).toEqual(sh);
      expect(fs.stat('/bin/sh').mode & 0o7777).toBe(0o755);
      expect(fs.readlink('/bin/ls')).toBe('toolbox');
      expect(fs.readdir('/bin').length).toBe(parseAppletList(appletsDef).length + 2);
      expect(new TextDecoder().decode(fs.readFile('/etc/passwd'))).toMatch(
        /^root:x:0:0:root:\/root:\/bin\/sh$/m,
      );
      expect(new TextDecoder().decode(fs.readFile('/etc/group'))).toMatch(/^root:x:0:$/m);
      expect(fs.stat('/tmp').mode & 0o7777).toBe(0o1777);
      expect(fs.stat('/root').mode & 0o7777).toBe(0o700);
    }
    // Loaded once: a second ensure of the same image leaves the store as it is.
    const before = await store.list();
    await ensureToolboxImage(store, async () => layoutFileSet(await build()));
    expect(await store.list()).toEqual(before);
    // A newer packaged image replaces an older one under the same name.
    const newer = await buildToolboxLayout({
      wasm: { sh: await fixtureBytes(shUrl), toolbox: await fixtureBytes(toolboxUrl) },
      applets: ['true'],
    });
    await ensureToolboxImage(store, () => Promise.resolve(layoutFileSet(newer)));
    const fs = new MemFs(await imageRootfs(store.content, await store.resolve(TOOLBOX_IMAGE, WASI_PLATFORM)));
    expect(
      fs
        .readdir('/bin')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['sh', 'toolbox', 'true']);
  });

  it('imports like any OCI layout', async () => {
    const store = new ImageStore(new MemoryContentStore(), new MemoryTagTable());
    const r = await importArchive(store, layoutFileSet(await build()));
    expect(r.images.map((i) => i.name)).toEqual([`docker.io/${TOOLBOX_IMAGE}`]);
  });
});
