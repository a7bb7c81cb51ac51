import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffToLayer } from '../../src/layers/diff.js';
import { flattenLayers } from '../../src/layers/flatten.js';
import { treeToTar } from '../../src/layers/to-tar.js';
import { unpackLayer } from '../../src/layers/unpack.js';
import { readTar } from '../../src/tar/reader.js';
import { Inode, makedev, newDir, newFile, newSymlink } from '../../src/vfs/inode.js';
import { describeWith } from '../support/requirements.js';
import { makeFixture } from '../tar/fixtures.js';
import { all, collect, sh, sha256, tarOf, tempDir, text, useNodePlatform } from './helpers.js';
import { describeTree, lookup } from './tree.js';

beforeAll(useNodePlatform);

/** An overlay-upper-like tree: whiteouts, an opaque dir, links, devices, xattrs. */
function upperTree(): Inode {
  const root = newDir(0o755);
  root.mtimeMs = 1_700_000_000_000;
  const add = (dir: Inode, name: string, n: Inode) => {
    dir.entries!.set(name, n);
    if (n.kind === 'dir') dir.nlink++;
    n.mtimeMs = 1_700_000_000_000;
    return n;
  };
  const etc = add(root, 'etc', newDir(0o755));
  const f = add(etc, 'hosts', newFile(text('127.0.0.1 localhost\n'), 0o644));
  f.xattrs = new Map([['user.k', Uint8Array.from([1, 2, 0, 3])]]);
  add(etc, 'hosts.hard', f);
  f.nlink = 2;
  add(etc, 'shadow', new Inode('whiteout', 0));
  const opq = add(root, 'var', newDir(0o700));
  opq.opaque = true;
  add(opq, 'z', newFile(text('z')));
  add(root, 'link', newSymlink('etc/hosts'));
  const dev = add(root, 'null', new Inode('chardev', 0o666));
  dev.rdev = makedev(1, 3);
  add(root, 'pipe', new Inode('fifo', 0o600));
  add(root, 'sock', new Inode('socket', 0o755));
  add(root, 'ünï', newFile(text('x'.repeat(70_000)), 0o4755));
  return root;
}

describe('treeToTar', () => {
  it('writes OCI order: dir, opaque marker, whiteouts, then sorted entries', async () => {
    const names = (await all(readTar(treeToTar(upperTree())))).map((e) => e.header.name);
    expect(names).toEqual([
      './',
      'etc/',
      'etc/.wh.shadow',
      'etc/hosts',
      'etc/hosts.hard',
      'link',
      'null',
      'pipe',
      'var/',
      'var/.wh..wh..opq',
      'var/z',
      'ünï',
    ]);
    const hard = (await all(readTar(treeToTar(upperTree())))).find(
      (e) => e.header.name === 'etc/hosts.hard',
    )!;
    expect(hard.header).toMatchObject({ type: 'hardlink', linkname: 'etc/hosts' });
  });

  it('round trips tree → tar → tree', async () => {
    const tree = upperTree();
    const back = (await unpackLayer(await collect(treeToTar(tree)))).root;
    const expected = describeTree(tree).filter((n) => n.kind !== 'socket');
    for (const n of expected) if (n.kind === 'dir') n.implicit = false;
    expected[0].nlink = 2 + 2;
    expect(describeTree(back)).toEqual(expected);
  });

  it('is deterministic: same tree, same bytes, same digest', async () => {
    const a = await diffToLayer(upperTree());
    const b = await diffToLayer(upperTree());
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0);
    expect(a.diffId).toBe(b.diffId);
    expect(a.diffId).toBe(sha256(a.bytes));
    expect(a.size).toBe(a.bytes.length);
    const unpacked = await unpackLayer(a.bytes, { expectedDiffId: a.diffId });
    expect(unpacked.size).toBe(a.size);
    expect((await diffToLayer(unpacked.root)).diffId).toBe(a.diffId);
  });

  it('leaves implicit dirs out so they stay implicit', async () => {
    const layer = await unpackLayer(await collect(treeToTar(upperTree())));
    const again = await unpackLayer(await collect(treeToTar(layer.root)));
    expect(describeTree(again.root)).toEqual(describeTree(layer.root));
    const onlyFile = await unpackLayer(
      await tarOf([{ header: { name: 'a/b/f', type: 'file' }, body: text('f') }]),
    );
    const names = (await all(readTar(treeToTar(onlyFile.root)))).map((e) => e.header.name);
    expect(names).toEqual(['a/b/f']);
  });
});

describeWith([{ tool: 'tar' }, { tool: 'setfattr' }, { tool: 'getfattr' }], 'treeToTar and GNU tar', () => {
  const dir = tempDir('to-tar');

  it('rewrites a GNU tar layer into a tar GNU tar extracts to the same files', async () => {
    const src = join(dir, 'src');
    mkdirSync(src);
    makeFixture(src, { long: true, xattrs: true });
    sh(`tar --format=pax --xattrs --xattrs-include='user.*' --sort=name -cf in.tar -C src .`, dir);
    const layer = await unpackLayer(readFileSync(join(dir, 'in.tar')));
    const out = await collect(treeToTar(layer.root));
    writeFileSync(join(dir, 'out.tar'), out);
    const list = (f: string) =>
      sh(`tar --numeric-owner --full-time -tvf ${f}`, dir)
        .trimEnd()
        .split('\n')
        .map((l) => l.replace(/ \.\/(?=.)/, ' ').replace(/ link to \.\//, ' link to '))
        .sort();
    expect(list('out.tar')).toEqual(list('in.tar'));
    mkdirSync(join(dir, 'x'));
    sh(`tar --xattrs --xattrs-include='user.*' -xpf out.tar -C x`, dir);
    expect(sh('diff -r --no-dereference -x fifo src x && test -p x/fifo && echo same', dir)).toBe('same\n');
    expect(sh('getfattr -e hex -n user.bin x/xattr.txt', dir)).toMatch(/0x00ff0a3d/);
    expect(sh('stat -c %a x/bin/suid x/tmp x/sgid', dir)).toBe('4755\n1777\n2775\n');
    // And the tree survives another trip unchanged.
    const again = await unpackLayer(out);
    expect(describeTree(again.root)).toEqual(describeTree(layer.root));
    expect(describeTree(flattenLayers([again]))).toEqual(describeTree(flattenLayers([layer])));
    expect(lookup(again.root, 'zhard')).toBe(lookup(again.root, 'hello.txt'));
  });
});
