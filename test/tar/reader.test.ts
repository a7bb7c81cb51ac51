import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTar } from '../../src/tar/reader.js';
import type { TarEntry } from '../../src/tar/types.js';
import { describeWith } from '../support/requirements.js';
import { chunked, sameBytes, sh, tempDir } from '../layers/helpers.js';
import { LONG_PATH, LONG_TARGET, MID_PATH, MTIME, bigContent, makeFixture } from './fixtures.js';

async function entries(bytes: Uint8Array, chunk = 65536): Promise<Map<string, TarEntry>> {
  const out = new Map<string, TarEntry>();
  for await (const e of readTar(chunked(bytes, chunk))) out.set(e.header.name.replace(/^\.\//, ''), e);
  return out;
}

describeWith(
  [{ tool: 'tar' }, { tool: 'setfattr' }, { tool: 'mkfifo' }],
  'readTar on GNU tar archives',
  () => {
    const root = tempDir('tar-read');
    const formats = ['gnu', 'pax', 'ustar'] as const;
    const archives = new Map<string, Uint8Array>();
    for (const format of formats) {
      const src = join(root, format);
      mkdirSync(src);
      makeFixture(src, { long: format !== 'ustar', xattrs: format === 'pax' });
      const file = join(root, `${format}.tar`);
      const xattrs = format === 'pax' ? '--xattrs --xattrs-include=user.*' : '';
      sh(`tar --format=${format} ${xattrs} --sort=name -cf ${file} -C ${src} .`);
      archives.set(format, readFileSync(file));
    }

    for (const format of formats) {
      describe(`--format=${format}`, () => {
        for (const chunk of [65536, 511, 7]) {
          it(`parses every member (chunks of ${chunk})`, async () => {
            const m = await entries(archives.get(format)!, chunk);
            const hello = m.get('hello.txt')!;
            expect(hello.header).toMatchObject({ type: 'file', mode: 0o640, uid: 1234, gid: 5678, size: 12 });
            expect(hello.header.mtimeMs).toBe(MTIME * 1000);
            expect(new TextDecoder().decode(hello.body)).toBe('hello world\n');
            expect(m.get('bin/suid')!.header.mode).toBe(0o4755);
            expect(m.get('sgid/')!.header).toMatchObject({ type: 'dir', mode: 0o2775 });
            expect(m.get('tmp/')!.header).toMatchObject({ type: 'dir', mode: 0o1777 });
            expect(m.get('link')!.header).toMatchObject({ type: 'symlink', linkname: 'hello.txt' });
            expect(m.get('zhard')!.header).toMatchObject({ type: 'hardlink', size: 0 });
            expect(m.get('zhard')!.header.linkname.replace(/^\.\//, '')).toBe('hello.txt');
            expect(m.get('fifo')!.header.type).toBe('fifo');
            expect(m.get(MID_PATH)!.body).toEqual(new TextEncoder().encode('mid'));
            expect(sameBytes(m.get('big.bin')!.body, bigContent())).toBe(true);
            if (format !== 'ustar') {
              expect(new TextDecoder().decode(m.get(LONG_PATH)!.body)).toBe('long');
              expect(m.get('longlink')!.header.linkname).toBe(LONG_TARGET);
            }
            if (format === 'pax') {
              const x = m.get('xattr.txt')!.header.xattrs;
              expect(new TextDecoder().decode(x.get('user.test'))).toBe('value');
              expect(x.get('user.bin')).toEqual(Uint8Array.from([0x00, 0xff, 0x0a, 0x3d]));
            }
          });
        }
      });
    }

    it('reads GNU base-256 numbers and negative PAX mtimes', async () => {
      const src = join(root, 'b256');
      mkdirSync(src);
      sh(`echo hi > f && touch -d @-315619200 f`, src);
      const gnu = join(root, 'b256.tar');
      sh(`tar --format=gnu --owner=big:3000000 --group=big:3000001 -cf ${gnu} -C ${src} f`);
      const [g] = [...(await entries(readFileSync(gnu))).values()];
      expect(g.header).toMatchObject({ uid: 3000000, gid: 3000001, mtimeMs: -315619200000, uname: 'big' });
      const pax = join(root, 'neg.tar');
      sh(`tar --format=pax --owner=big:3000000 -cf ${pax} -C ${src} f`);
      const [p] = [...(await entries(readFileSync(pax))).values()];
      expect(p.header).toMatchObject({ uid: 3000000, mtimeMs: -315619200000 });
    });
  },
);

describeWith(['root', { tool: 'tar' }, { tool: 'mknod' }], 'readTar on device nodes', () => {
  const root = tempDir('tar-dev');
  it('reads char and block devices', async () => {
    sh('mknod null c 1 3 && mknod blk b 8 17 && mknod big c 300 70000', root);
    const file = join(root, 'dev.tar');
    sh(`tar --format=gnu -cf ${file} null blk big`, root);
    const m = await entries(readFileSync(file));
    expect(m.get('null')!.header).toMatchObject({ type: 'chardev', devmajor: 1, devminor: 3 });
    expect(m.get('blk')!.header).toMatchObject({ type: 'blockdev', devmajor: 8, devminor: 17 });
    expect(m.get('big')!.header).toMatchObject({ type: 'chardev', devmajor: 300, devminor: 70000 });
  });
});
