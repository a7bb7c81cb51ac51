import { beforeAll, describe, expect, it } from 'vitest';
import { applyLayer } from '../../src/layers/apply.js';
import { flattenLayers } from '../../src/layers/flatten.js';
import { treeToTar } from '../../src/layers/to-tar.js';
import { unpackLayer } from '../../src/layers/unpack.js';
import type { LayerTree } from '../../src/layers/types.js';
import type { TarWriteEntry } from '../../src/tar/types.js';
import { newDir } from '../../src/vfs/inode.js';
import { collect, tarOf, text, useNodePlatform } from './helpers.js';
import { describeTree, lookup } from './tree.js';

beforeAll(useNodePlatform);

const T = 1_700_000_000_000;
const file = (name: string, body = name, mode = 0o644): TarWriteEntry => ({
  header: { name, type: 'file', mode, mtimeMs: T },
  body: text(body),
});
const dir = (name: string, mode = 0o755, uid = 0): TarWriteEntry => ({
  header: { name, type: 'dir', mode, uid, mtimeMs: T },
});
const wh = (name: string): TarWriteEntry => ({ header: { name, type: 'file' }, body: text('') });

async function layer(entries: TarWriteEntry[]): Promise<LayerTree> {
  return unpackLayer(await tarOf(entries));
}

async function base(): Promise<LayerTree> {
  return layer([
    dir('./', 0o755),
    dir('etc/'),
    file('etc/passwd'),
    file('etc/group'),
    dir('data/', 0o750, 7),
    file('data/a'),
    file('data/b'),
    dir('data/sub/'),
    file('data/sub/deep'),
    file('opt'),
    dir('tree/'),
    file('tree/leaf'),
    dir('tmp/', 0o1777),
    file('bin/tool', 'tool'),
    { header: { name: 'bin/tool2', type: 'hardlink', linkname: 'bin/tool' } },
  ]);
}

async function upper(): Promise<LayerTree> {
  return layer([
    wh('etc/.wh.group'),
    dir('data/', 0o700, 9),
    wh('data/.wh..wh..opq'),
    file('data/c'),
    dir('opt/'),
    file('opt/inside'),
    file('tree', 'now a file'),
    file('tmp/new'), // no tmp/ entry: tmp keeps its 1777
    wh('bin/.wh.tool2'),
    wh('.wh.nothing-here'),
  ]);
}

describe('applyLayer', () => {
  it('applies whiteouts, opaque dirs and type changes', async () => {
    const root = newDir();
    const [b, u] = [await base(), await upper()];
    applyLayer(root, b.root);
    applyLayer(root, u.root);
    expect(lookup(root, 'etc/passwd')!.kind).toBe('file');
    expect(lookup(root, 'etc/group')).toBeUndefined();
    expect([...lookup(root, 'data')!.entries!.keys()]).toEqual(['c']);
    expect(lookup(root, 'data')).toMatchObject({ mode: 0o700, uid: 9, opaque: false, nlink: 2 });
    expect(lookup(root, 'opt')!.kind).toBe('dir');
    expect(lookup(root, 'opt/inside')!.kind).toBe('file');
    expect(lookup(root, 'tree')!.kind).toBe('file');
    expect(new TextDecoder().decode(lookup(root, 'tree')!.content())).toBe('now a file');
    expect(lookup(root, 'tmp')!.mode).toBe(0o1777);
    expect(lookup(root, 'tmp/new')).toBeDefined();
    expect(lookup(root, 'bin/tool2')).toBeUndefined();
    expect(lookup(root, 'bin/tool')!.nlink).toBe(1);
    expect(lookup(root, 'nothing-here')).toBeUndefined();
    const kinds = describeTree(root).map((n) => n.kind);
    expect(kinds).not.toContain('whiteout');
    expect(describeTree(root).some((n) => n.opaque)).toBe(false);
    expect(root.nlink).toBe(2 + 5); // etc data opt tmp bin
  });

  it('keeps hard links as one inode and never touches the layer', async () => {
    const b = await base();
    const before = await collect(treeToTar(b.root));
    const beforeTree = describeTree(b.root);
    const root = newDir();
    applyLayer(root, b.root);
    expect(lookup(root, 'bin/tool')).toBe(lookup(root, 'bin/tool2'));
    expect(lookup(root, 'bin/tool')!.nlink).toBe(2);
    expect(lookup(root, 'bin/tool')).not.toBe(lookup(b.root, 'bin/tool'));
    expect(lookup(root, 'bin/tool')!.ino).not.toBe(lookup(b.root, 'bin/tool')!.ino);
    // The merged tree is mutable; the layer is not affected by changes to it.
    lookup(root, 'etc')!.entries!.clear();
    lookup(root, 'bin/tool')!.mode = 0o700;
    applyLayer(root, (await upper()).root);
    expect(Buffer.compare(await collect(treeToTar(b.root)), before)).toBe(0);
    expect(describeTree(b.root)).toEqual(beforeTree);
  });

  it('an opaque root hides everything below', async () => {
    const root = flattenLayers([await base(), await layer([wh('.wh..wh..opq'), file('only')])]);
    expect([...root.entries!.keys()]).toEqual(['only']);
    expect(root.nlink).toBe(2);
  });
});

describe('flattenLayers', () => {
  it('gives the same tree as applying one by one', async () => {
    const layers = [await base(), await upper()];
    const a = flattenLayers(layers);
    const b = newDir();
    for (const l of layers) applyLayer(b, l.root);
    expect(describeTree(a)).toEqual(describeTree(b));
  });

  it('takes the root metadata from an explicit ./ entry only', async () => {
    const root = flattenLayers([await layer([dir('./', 0o700, 5)]), await layer([file('x')])]);
    expect(root).toMatchObject({ mode: 0o700, uid: 5 });
  });
});
