/**
 * A two-layer linux/amd64 image built from the host's busybox-static, written with
 * berth's own tar writer as a docker-archive and imported into an ImageStore:
 *
 *   layer 1: /bin/busybox + relative applet links, /etc/{passwd,group,deleted.txt},
 *            /opq/{old1,old2}, /tmp (1777), hard links /data/h1 = /data/h2 (with a user.*
 *            xattr), a fifo, a character device 1:3
 *   layer 2: whiteout of /etc/deleted.txt, /opq made opaque with /opq/new, /etc/added
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ImageStore } from '../../src/images/image-store.js';
import { importArchive } from '../../src/images/import-archive.js';
import { sha256Of } from '../../src/oci/digest.js';
import type { TarWriteEntry } from '../../src/tar/types.js';
import { writeTar } from '../../src/tar/writer.js';

export const BUSYBOX_IMAGE = 'berth-test/busybox:linux';
/** The host's statically linked busybox, copied into the image. */
export const BUSYBOX_REQUIREMENT = { file: '/bin/busybox', why: 'a static /bin/busybox (busybox-static)' };

async function tarBytes(entries: TarWriteEntry[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of writeTar(entries)) parts.push(c.slice());
  return Buffer.concat(parts);
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const MTIME = Date.UTC(2024, 0, 2, 3, 4, 5);

function file(
  name: string,
  body: Uint8Array,
  mode = 0o644,
  extra: Partial<TarWriteEntry['header']> = {},
): TarWriteEntry {
  return { header: { name, type: 'file', mode, size: body.length, mtimeMs: MTIME, ...extra }, body };
}
function dir(name: string, mode = 0o755): TarWriteEntry {
  return { header: { name, type: 'dir', mode, mtimeMs: MTIME } };
}

export async function importBusyboxImage(store: ImageStore, busybox = '/bin/busybox'): Promise<void> {
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a !== '' && a !== 'busybox' && !a.includes('/'));
  const layer1 = await tarBytes([
    dir('bin/'),
    file('bin/busybox', new Uint8Array(readFileSync(busybox)), 0o755),
    ...applets.map((a): TarWriteEntry => ({
      header: { name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mtimeMs: MTIME },
    })),
    dir('etc/'),
    file('etc/passwd', enc('root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n')),
    file('etc/group', enc('root:x:0:\nuser:x:1000:\nextra:x:2000:user\n')),
    file('etc/deleted.txt', enc('you should not see me\n')),
    dir('opq/'),
    file('opq/old1', enc('old\n')),
    file('opq/old2', enc('old\n')),
    dir('tmp/', 0o1777),
    dir('root/', 0o700),
    dir('data/'),
    file('data/h1', enc('linked\n'), 0o640, {
      uid: 1000,
      gid: 1000,
      xattrs: new Map([['user.berth', enc('yes')]]),
    }),
    { header: { name: 'data/null', type: 'chardev', mode: 0o666, devmajor: 1, devminor: 3, mtimeMs: MTIME } },
    { header: { name: 'data/h2', type: 'hardlink', linkname: 'data/h1', mtimeMs: MTIME } },
    { header: { name: 'data/fifo', type: 'fifo', mode: 0o600, mtimeMs: MTIME } },
  ]);
  const layer2 = await tarBytes([
    dir('etc/'),
    {
      header: { name: 'etc/.wh.deleted.txt', type: 'file', mode: 0o600, size: 0, mtimeMs: MTIME },
      body: new Uint8Array(0),
    },
    file('etc/added', enc('added\n')),
    dir('opq/'),
    {
      header: { name: 'opq/.wh..wh..opq', type: 'file', mode: 0o600, size: 0, mtimeMs: MTIME },
      body: new Uint8Array(0),
    },
    file('opq/new', enc('new\n')),
  ]);
  const config = enc(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/bin'], Cmd: ['sh'], WorkingDir: '/' },
      rootfs: { type: 'layers', diff_ids: [sha256Of(layer1), sha256Of(layer2)] },
    }),
  );
  const configName = `${sha256Of(config).slice(7)}.json`;
  const manifest = JSON.stringify([
    { Config: configName, RepoTags: [BUSYBOX_IMAGE], Layers: ['l1.tar', 'l2.tar'] },
  ]);
  const archive = await tarBytes([
    file('manifest.json', enc(manifest)),
    file(configName, config),
    file('l1.tar', layer1),
    file('l2.tar', layer2),
  ]);
  await importArchive(store, archive);
}
