import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DigestMismatchError, InvalidArgumentError, ResourceLimitError } from '../../src/errors.js';
import { isImplicitDir } from '../../src/layers/implicit.js';
import { unpackLayer } from '../../src/layers/unpack.js';
import type { TarWriteEntry } from '../../src/tar/types.js';
import { makedev } from '../../src/vfs/inode.js';
import { describeWith } from '../support/requirements.js';
import { LONG_PATH, LONG_TARGET, MTIME, bigContent, makeFixture } from '../tar/fixtures.js';
import {
  chunked,
  rejection,
  sameBytes,
  sh,
  sha256,
  tarOf,
  tempDir,
  text,
  useNodePlatform,
} from './helpers.js';
import { lookup } from './tree.js';

beforeAll(useNodePlatform);

describeWith(
  [{ tool: 'tar' }, { tool: 'zstd' }, { tool: 'setfattr' }],
  'unpackLayer on GNU tar layers',
  () => {
    const dir = tempDir('unpack');
    const src = join(dir, 'src');
    mkdirSync(src);
    makeFixture(src, { long: true, xattrs: true });
    sh(
      `tar --format=pax --xattrs --xattrs-include='user.*' --sort=name -cf layer.tar -C src . && gzip -k layer.tar && zstd -q layer.tar`,
      dir,
    );
    const tar = readFileSync(join(dir, 'layer.tar'));

    for (const ext of ['tar', 'tar.gz', 'tar.zst']) {
      it(`builds the tree from a .${ext}`, async () => {
        const layer = await unpackLayer(chunked(readFileSync(join(dir, `layer.${ext}`)), 65536));
        expect(layer.diffId).toBe(sha256(tar));
        expect(layer.size).toBe(tar.length);
        const root = layer.root;
        expect(root.mode).toBe(statSync(src).mode & 0o7777);
        expect(isImplicitDir(root)).toBe(false);
        const hello = lookup(root, 'hello.txt')!;
        expect(hello).toMatchObject({
          kind: 'file',
          mode: 0o640,
          uid: 1234,
          gid: 5678,
          mtimeMs: MTIME * 1000,
          nlink: 2,
        });
        expect(new TextDecoder().decode(hello.content())).toBe('hello world\n');
        expect(lookup(root, 'zhard')).toBe(hello);
        expect(lookup(root, 'bin/suid')!.mode).toBe(0o4755);
        expect(lookup(root, 'tmp')!.mode).toBe(0o1777);
        expect(lookup(root, 'sgid')!.mode).toBe(0o2775);
        expect(lookup(root, 'link')).toMatchObject({
          kind: 'symlink',
          target: 'hello.txt',
          size: 9,
          mode: 0o777,
        });
        expect(lookup(root, 'longlink')!.target).toBe(LONG_TARGET);
        expect(lookup(root, 'fifo')!.kind).toBe('fifo');
        expect(new TextDecoder().decode(lookup(root, LONG_PATH)!.content())).toBe('long');
        expect(sameBytes(lookup(root, 'big.bin')!.content(), bigContent())).toBe(true);
        const x = lookup(root, 'xattr.txt')!.xattrs!;
        expect(Buffer.from(x.get('user.bin')!).toString('hex')).toBe('00ff0a3d');
        expect(root.nlink).toBe(2 + 5); // bin, sgid, tmp, mid, long
        expect(layer.entries).toBeGreaterThan(15);
      });
    }

    it('checks the expected diff_id', async () => {
      const gz = readFileSync(join(dir, 'layer.tar.gz'));
      await expect(unpackLayer(gz, { expectedDiffId: sha256(tar) })).resolves.toBeDefined();
      const e = await rejection(unpackLayer(gz, { expectedDiffId: sha256(text('other')) }));
      expect(e).toBeInstanceOf(DigestMismatchError);
      expect(e.message).toMatch(/digest mismatch for layer diff_id: expected sha256:.*, got sha256:/);
    });
  },
);

describeWith(['root', { tool: 'tar' }, { tool: 'mknod' }], 'unpackLayer device nodes', () => {
  it('gives devices their rdev', async () => {
    const dir = tempDir('unpack-dev');
    sh(
      'mkdir d && mknod d/null c 1 3 && mknod d/sda1 b 8 1 && chmod 0620 d/null && tar -cf l.tar -C d .',
      dir,
    );
    const layer = await unpackLayer(readFileSync(join(dir, 'l.tar')));
    expect(lookup(layer.root, 'null')).toMatchObject({ kind: 'chardev', rdev: makedev(1, 3), mode: 0o620 });
    expect(lookup(layer.root, 'sda1')).toMatchObject({ kind: 'blockdev', rdev: makedev(8, 1) });
  });
});

const file = (name: string, body = 'x'): TarWriteEntry => ({
  header: { name, type: 'file' },
  body: text(body),
});
const dirE = (name: string, mode = 0o755): TarWriteEntry => ({ header: { name, type: 'dir', mode } });
const link = (name: string, type: 'symlink' | 'hardlink', linkname: string): TarWriteEntry => ({
  header: { name, type, linkname },
});

async function unpackEntries(entries: TarWriteEntry[]) {
  return unpackLayer(await tarOf(entries));
}

async function expectInvalid(entries: TarWriteEntry[], re: RegExp): Promise<void> {
  const e = await rejection(unpackEntries(entries));
  expect(e).toBeInstanceOf(InvalidArgumentError);
  expect(e.message).toMatch(re);
}

describe('unpackLayer builds whiteouts, opaque dirs and implicit parents', () => {
  it('turns whiteout files into whiteout inodes and opaque markers into flags', async () => {
    const { root } = await unpackEntries([
      dirE('etc/'),
      file('etc/.wh.passwd', ''),
      dirE('var/'),
      file('var/.wh..wh..opq', ''),
      file('var/new'),
      file('.wh.gone', ''),
      file('x/.wh..wh.plnk/ignored'),
    ]);
    expect(lookup(root, 'etc/passwd')!.kind).toBe('whiteout');
    expect(lookup(root, 'etc/.wh.passwd')).toBeUndefined();
    expect(lookup(root, 'var')!.opaque).toBe(true);
    expect(lookup(root, 'var')!.entries!.has('.wh..wh..opq')).toBe(false);
    expect(lookup(root, 'var/new')!.kind).toBe('file');
    expect(lookup(root, 'gone')!.kind).toBe('whiteout');
    expect(lookup(root, 'etc')!.opaque).toBe(false);
  });

  it('creates implicit parents (0755, root) and lets a later dir entry set them', async () => {
    const { root } = await unpackEntries([file('a/b/c'), dirE('a/', 0o700)]);
    const a = lookup(root, 'a')!;
    const b = lookup(root, 'a/b')!;
    expect(b).toMatchObject({ kind: 'dir', mode: 0o755, uid: 0, gid: 0 });
    expect(isImplicitDir(b)).toBe(true);
    expect(a.mode).toBe(0o700);
    expect(isImplicitDir(a)).toBe(false);
    expect(isImplicitDir(root)).toBe(true);
    expect(a.nlink).toBe(3);
  });

  it('treats leading / and ./ as relative and resolves inner ..', async () => {
    const { root } = await unpackEntries([
      file('/etc/passwd', 'p'),
      file('./etc/group', 'g'),
      file('etc/x/../hosts', 'h'),
    ]);
    expect(new TextDecoder().decode(lookup(root, 'etc/passwd')!.content())).toBe('p');
    expect(lookup(root, 'etc/group')).toBeDefined();
    expect(lookup(root, 'etc/hosts')).toBeDefined();
  });

  it('allows a directory to repeat', async () => {
    const { root } = await unpackEntries([dirE('d/'), file('d/f'), dirE('d/', 0o711)]);
    expect(lookup(root, 'd')!.mode).toBe(0o711);
    expect(lookup(root, 'd/f')).toBeDefined();
  });
});

describe('unpackLayer rejects unsafe and broken layers', () => {
  it('names escaping the root', async () => {
    await expectInvalid([file('../x')], /tar entry '..\/x' escapes the layer root/);
    await expectInvalid([file('a/../../x')], /tar entry 'a\/..\/..\/x' escapes the layer root/);
    await expectInvalid([file('/../etc/passwd')], /escapes the layer root/);
  });

  it('a path through a symlink of the layer', async () => {
    await expectInvalid(
      [link('link', 'symlink', '/etc'), file('link/passwd')],
      /tar entry 'link\/passwd' goes through the symlink 'link'/,
    );
    await expectInvalid(
      [file('f'), file('f/g')],
      /tar entry 'f\/g' goes through 'f', which is not a directory/,
    );
  });

  it('hard links outside, missing, later or to directories', async () => {
    await expectInvalid(
      [link('h', 'hardlink', '../../etc/shadow')],
      /tar entry 'h' \(hard link to '..\/..\/etc\/shadow'\) escapes the layer root/,
    );
    await expectInvalid(
      [link('h', 'hardlink', 'missing')],
      /tar entry 'h' \(hard link to 'missing'\): the target is not an earlier entry/,
    );
    await expectInvalid([link('h', 'hardlink', 'later'), file('later')], /not an earlier entry/);
    await expectInvalid([dirE('d/'), link('h', 'hardlink', 'd')], /the target is a directory/);
    await expectInvalid(
      [link('l', 'symlink', 'd'), dirE('d/'), file('d/f'), link('h', 'hardlink', 'l/f')],
      /not an earlier entry/,
    );
  });

  it('duplicate entries', async () => {
    await expectInvalid([file('a'), file('a')], /duplicate tar entry 'a'/);
    await expectInvalid([file('d/f'), file('d')], /duplicate tar entry 'd'/);
    await expectInvalid([dirE('d/'), file('d')], /duplicate tar entry 'd'/);
    await expectInvalid([file('a'), file('.wh.a', '')], /duplicate tar entry '.wh.a'/);
    await expectInvalid([file('a'), link('a', 'hardlink', 'a')], /duplicate tar entry 'a'/);
  });

  it('a root entry that is not a directory and bad whiteout names', async () => {
    await expectInvalid([file('./')], /names the root but is not a directory/);
    await expectInvalid([file('.wh.', '')], /whiteout without a valid name/);
  });

  it('truncated tar, inside gzip too', async () => {
    const tar = await tarOf([file('f', 'y'.repeat(5000))]);
    const cut = tar.subarray(0, 3000);
    for (const bytes of [cut, gzipSync(cut)]) {
      const e = await rejection(unpackLayer(bytes));
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect(e.message).toBe("truncated tar: entry 'f' needs 5120 bytes (only 2488 left)");
    }
  });

  it('corrupt and truncated gzip', async () => {
    const gz = gzipSync(await tarOf([file('f', 'z'.repeat(100_000))]));
    const bad = Uint8Array.from(gz);
    bad.fill(0x55, 20, 60);
    expect((await rejection(unpackLayer(bad))).message).toMatch(/^corrupt gzip stream/);
    expect((await rejection(unpackLayer(gz.subarray(0, gz.length - 10)))).message).toBe(
      'truncated gzip stream',
    );
  });

  it('decompression bombs and oversized entries', async () => {
    const bomb = gzipSync(await tarOf([file('zeros', '\0'.repeat(20_000_000))]));
    expect(bomb.length).toBeLessThan(100_000);
    const e = await rejection(unpackLayer(bomb, { maxUncompressedBytes: 1_000_000 }));
    expect(e).toBeInstanceOf(ResourceLimitError);
    expect(e.message).toBe('uncompressed layer exceeds the limit of 1000000 bytes');
    const e2 = await rejection(unpackLayer(bomb, { maxEntrySize: 1_000_000 }));
    expect(e2).toBeInstanceOf(InvalidArgumentError);
    expect(e2.message).toMatch(/tar entry 'zeros': size 20000000 exceeds the limit of 1000000 bytes/);
  });

  it('absurd size headers', async () => {
    const tar = Uint8Array.from(await tarOf([file('f')]));
    tar.set(text('77777777777'), 124);
    const { sealChecksum } = await import('../../src/tar/fields.js');
    sealChecksum(tar.subarray(0, 512));
    expect((await rejection(unpackLayer(tar))).message).toMatch(
      /tar entry 'f': size 8589934591 exceeds the limit/,
    );
  });
});
