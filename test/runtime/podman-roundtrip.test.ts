/**
 * A committed image is a real image: the base image's linux/amd64 variant, changed in an
 * emulated overlay (add, change, delete, replace a directory), committed, saved as a
 * docker-archive, loaded and run by podman. podman's view of the root filesystem must be
 * exactly the committed tree, and the image ID podman computes must be berth's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { archiveTar } from '../../src/images/archive-files.js';
import { commitImage } from '../../src/images/commit-image.js';
import { imageLayerTrees, imageRootfs } from '../../src/images/export-filesystem.js';
import { saveFiles } from '../../src/images/export-archive.js';
import type { ImageStore } from '../../src/images/image-store.js';
import { dirFileSet, writeFileFromStream } from '../../src/node/archive-dir.js';
import { openImageStore } from '../../src/node/image-store.js';
import { containerChanges, formatChanges } from '../../src/runtime/changes.js';
import { readTar } from '../../src/tar/reader.js';
import { ensureToolboxImage } from '../../src/toolbox/ensure.js';
import { LINUX_AMD64, TOOLBOX_IMAGE } from '../../src/toolbox/image.js';
import type { Inode } from '../../src/vfs/inode.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { describeWith } from '../support/requirements.js';
import { berthOk } from '../cli/support/run-cli.js';

const LAYOUT = fileURLToPath(new URL('../../dist/toolbox-image', import.meta.url));
const NAME = 'localhost/berth-roundtrip:1';
const DATA = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251);

/**
 * Run options for this kind of host: low RLIMIT_NOFILE/NPROC (podman's defaults exceed
 * the hard limits of a VM where root lacks CAP_SYS_RESOURCE, and crun may not raise
 * them), and runc (crun refuses hybrid cgroup hosts; see src/linux/oci-runtime.ts).
 */
function runOptions(): string[] {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const low = (what: string) => {
    const v = new RegExp(`^Max ${what}\\s+\\S+\\s+(\\S+)`, 'm').exec(limits)?.[1] ?? 'unlimited';
    const n = Math.min(1024, v === 'unlimited' ? Infinity : Number(v));
    return `${n}:${n}`;
  };
  return [
    '--runtime',
    'runc',
    '--ulimit',
    `nofile=${low('open files')}`,
    '--ulimit',
    `nproc=${low('processes')}`,
  ];
}

let RUN: string[];

let work: string;
let store: ImageStore;
let imageId: string;
let podmanArgs: string[];

function podman(args: string[]): string {
  return execFileSync('podman', [...podmanArgs, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

interface Entry {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  /** file: sha-free byte string (hex of content length + bytes would be long); symlink: target */
  data: string;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Every path of a flattened tree (no leading slash) with what a tar shows of it. */
function treeEntries(root: Inode): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: Inode, prefix: string) => {
    for (const [name, n] of dir.entries!) {
      if (n.kind === 'whiteout') continue;
      const path = prefix + name;
      const data = n.kind === 'file' ? hex(n.content()) : n.kind === 'symlink' ? n.target! : '';
      out.set(path, { type: n.kind, mode: n.mode, uid: n.uid, gid: n.gid, data });
      if (n.kind === 'dir') walk(n, `${path}/`);
    }
  };
  walk(root, '');
  return out;
}

/** `podman export` of a created container, as the same map (hard links resolved to files). */
async function exportedEntries(ref: string): Promise<Map<string, Entry>> {
  const cid = podman(['create', '--pull=never', '--network=none', ref]).trim();
  try {
    const tar = join(work, 'export.tar');
    podman(['export', '-o', tar, cid]);
    const out = new Map<string, Entry>();
    const chunks = (async function* () {
      yield new Uint8Array(execFileSync('cat', [tar], { maxBuffer: 256 * 1024 * 1024 }));
    })();
    for await (const { header: h, body } of readTar(chunks)) {
      const path = h.name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
      if (path === '' || path === '.') continue;
      const linked = h.type === 'hardlink' ? out.get(h.linkname.replace(/^\.?\/+/, '')) : undefined;
      const data = h.type === 'file' ? hex(body) : h.type === 'symlink' ? h.linkname : (linked?.data ?? '');
      const type = h.type === 'hardlink' ? 'file' : h.type;
      out.set(path, { type, mode: linked?.mode ?? h.mode, uid: h.uid, gid: h.gid, data });
    }
    return out;
  } finally {
    podman(['rm', '-f', cid]);
  }
}

describeWith(
  [
    'root',
    'linux-amd64',
    { tool: 'podman' },
    { tool: 'runc' },
    { file: join(LAYOUT, 'index.json'), why: 'dist/toolbox-image (npm run build)' },
  ],
  'commit → docker-archive → podman',
  () => {
    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'berth-podman-rt-'));
      RUN = ['--rm', '--network=none', '--pull=never', ...runOptions()];
      podmanArgs = [
        '--root',
        join(work, 'podman', 'root'),
        '--runroot',
        join(work, 'podman', 'run'),
        '--storage-driver',
        'vfs',
        '--events-backend',
        'file',
      ];
      store = await openImageStore(join(work, 'berth'));
      await ensureToolboxImage(store, async () => dirFileSet(LAYOUT));
      const base = await store.resolve(TOOLBOX_IMAGE, LINUX_AMD64);
      const lowers = (await imageLayerTrees(store.content, base)).map((t) => t.root).reverse();

      const c = new OverlayFs(lowers);
      c.writeFile('/etc/greeting', 'hello from berth commit\n', { mode: 0o640 });
      c.chown('/etc/greeting', 1000, 1000);
      c.writeFile('/etc/passwd', 'nobody:x:65534:65534::/:/bin/sh\n', { flag: 'a' });
      c.unlink('/etc/group');
      c.mkdir('/srv', 0o750);
      c.writeFile('/srv/data.bin', DATA, { mode: 0o600 });
      c.symlink('data.bin', '/srv/link');
      c.rmdir('/root');
      c.mkdir('/root', 0o700); // opaque over the old /root
      c.writeFile('/root/.profile', 'export PS1=box\n');
      expect(formatChanges(containerChanges(c.upper, new OverlayFs(lowers)))).toBe(
        [
          'C /etc',
          'A /etc/greeting',
          'D /etc/group',
          'C /etc/passwd',
          'D /root',
          'A /root/.profile',
          'A /srv',
          'A /srv/data.bin',
          'A /srv/link',
          '',
        ].join('\n'),
      );

      ({ id: imageId } = await commitImage(store, base, c.upper, {
        reference: NAME,
        config: { Cmd: ['cat', '/etc/greeting'] },
      }));
      const archive = join(work, 'committed.tar');
      await writeFileFromStream(archive, archiveTar(await saveFiles(store, [NAME], 'docker-archive')));
      expect(podman(['load', '-q', '-i', archive])).toContain(NAME);
    }, 120_000);

    afterAll(() => {
      if (work === undefined) return;
      try {
        podman(['rmi', '-a', '-f']);
      } catch {
        // the storage goes with the directory anyway
      }
      rmSync(work, { recursive: true, force: true });
    });

    it('podman computes the same image ID', () => {
      const images = JSON.parse(podman(['images', '--format', 'json'])) as { Id: string }[];
      expect(images.map((i) => i.Id)).toEqual([imageId.slice('sha256:'.length)]);
    });

    it('podman runs it: the new CMD, added and changed files, the deleted one gone', () => {
      expect(podman(['run', ...RUN, NAME])).toBe('hello from berth commit\n');
      const script =
        'tail -n 1 /etc/passwd; ls -a /root; test -e /etc/group && echo group || echo no-group; readlink /srv/link';
      expect(podman(['run', ...RUN, NAME, 'sh', '-c', script])).toBe(
        'nobody:x:65534:65534::/:/bin/sh\n.\n..\n.profile\nno-group\ndata.bin\n',
      );
    });

    it("podman's root filesystem is exactly the committed tree", async () => {
      const committed = treeEntries(await imageRootfs(store.content, await store.resolve(NAME)));
      const exported = await exportedEntries(NAME);
      for (const [path, want] of committed) expect(exported.get(path), path).toEqual(want);
      // podman may add mountpoints (/dev, /proc, /etc/hosts…) but nothing the image deleted
      expect(exported.has('etc/group')).toBe(false);
      expect(exported.get('srv/data.bin')!.data).toBe(hex(DATA));
    });
    it("an emulated container's commit runs under podman run with identical files", () => {
      // The container runs the base image's linux/amd64 variant on the emulated kernel,
      // changed with the toolbox at /.berth (its own programs are ELF)
      const cli = join(work, 'cli');
      const name = 'localhost/berth-emulated-commit:1';
      const change =
        'echo made in berth > /etc/motd; rm /etc/group; mkdir -p /srv/data; printf "one\\ntwo\\n" > /srv/data/f; ' +
        'chmod 600 /srv/data/f; chown 1000:1000 /srv/data; ln -s ../etc/motd /srv/link';
      berthOk(cli, [
        'run',
        '--name',
        'changed',
        '--platform',
        'linux/amd64',
        '--toolbox',
        'toolbox',
        'sh',
        '-c',
        change,
      ]);
      berthOk(cli, ['commit', 'changed', name]);
      const archive = join(work, 'emulated-commit.tar');
      berthOk(cli, ['save', '-o', archive, name]);
      expect(podman(['load', '-q', '-i', archive])).toContain(name);
      const look =
        'cd /; find etc srv bin root tmp | sort | xargs stat -c "%n %a %u:%g %F"; ' +
        'find etc srv bin -type f | sort | xargs sha256sum; readlink srv/link';
      const inPodman = podman(['run', ...RUN, name, 'sh', '-c', look]);
      const inBerth = berthOk(cli, [
        'run',
        '--rm',
        '--toolbox',
        name,
        'sh',
        '-c',
        `PATH=/.berth/bin; ${look}`,
      ]);
      // what each runtime puts there for the container itself is not the image's
      const own = (out: string) =>
        out
          .split('\n')
          .filter((l) => !/\betc\/(hostname|hosts|mtab|resolv\.conf)\b/.test(l))
          .join('\n');
      expect(own(inPodman)).toBe(own(inBerth));
      expect(inPodman).toContain('srv/data/f 600 0:0 regular file');
      expect(inPodman).toContain('srv/data 755 1000:1000 directory');
      expect(inPodman).not.toMatch(/^etc\/group /m);
      expect(inPodman).toMatch(/ etc\/motd\n/);
    });
  },
);
