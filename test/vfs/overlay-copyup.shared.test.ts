import { describe, expect, it } from 'vitest';
import { O_RDONLY, O_RDWR, O_WRONLY } from '../../src/vfs/filesystem.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { dir, expectErrno, file, freezeTree, layer, T0, text, treeDigest } from './helpers.js';

const enc = new TextEncoder();

function image() {
  const f = file('lower data', 0o4755, { uid: 12, gid: 34 });
  f.xattrs = new Map([['user.tag', enc.encode('v')]]);
  return freezeTree(
    layer({
      a: dir({ b: dir({ f, g: file('g') }, { mode: 0o700, uid: 5, gid: 6 }) }, { mode: 0o751 }),
      other: 'o',
    }),
  );
}

/** The upper inode at a path, or undefined. */
function upperAt(fs: OverlayFs, path: string) {
  let n = fs.upper;
  for (const part of path.split('/').filter(Boolean)) {
    const next = n.entries?.get(part);
    if (!next) return undefined;
    n = next;
  }
  return n;
}

const triggers: [string, (fs: OverlayFs) => void][] = [
  ['write', (fs) => fs.open('/a/b/f', O_WRONLY).write(0, enc.encode('L'))],
  ['open for writing', (fs) => fs.open('/a/b/f', O_RDWR).close()],
  ['truncate', (fs) => fs.truncate('/a/b/f', 3)],
  ['chmod', (fs) => fs.chmod('/a/b/f', 0o600)],
  ['chown', (fs) => fs.chown('/a/b/f', 1, 1)],
  ['utimes', (fs) => fs.utimes('/a/b/f', 1000, 2000)],
  ['setxattr', (fs) => fs.setxattr('/a/b/f', 'user.new', enc.encode('1'))],
  ['link', (fs) => fs.link('/a/b/f', '/other2')],
];

describe('OverlayFs copy-up', () => {
  it.each(triggers)('%s copies the file and its parents up with their metadata', (_name, op) => {
    const lower = image();
    const digest = treeDigest(lower);
    const fs = new OverlayFs([lower]);
    const before = fs.stat('/a/b/f');
    op(fs);
    const up = upperAt(fs, '/a/b/f')!;
    expect(up).toBeDefined();
    expect(up.ino).toBe(before.ino); // st_ino survives copy-up
    const b = upperAt(fs, '/a/b')!;
    expect([b.mode, b.uid, b.gid, b.mtimeMs, b.opaque]).toEqual([0o700, 5, 6, T0, false]);
    expect(upperAt(fs, '/a')!.mode).toBe(0o751);
    expect(upperAt(fs, '/a/b/g')).toBeUndefined(); // siblings stay below
    expect(upperAt(fs, '/other')).toBeUndefined();
    expect(
      fs
        .readdir('/a/b')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['f', 'g']);
    expect(treeDigest(lower)).toBe(digest);
  });

  it('keeps data, mode, owner, times and xattrs', () => {
    const fs = new OverlayFs([image()]);
    fs.setxattr('/a/b/f', 'user.new', enc.encode('1'));
    const up = upperAt(fs, '/a/b/f')!;
    expect(text(up.content())).toBe('lower data');
    expect([up.mode, up.uid, up.gid, up.mtimeMs, up.atimeMs]).toEqual([0o4755, 12, 34, T0, T0]);
    expect(fs.listxattr('/a/b/f').sort()).toEqual(['user.new', 'user.tag']);
  });

  it('does not copy up on reads, failed removexattr or opening read-only', () => {
    const fs = new OverlayFs([image()]);
    fs.readFile('/a/b/f');
    fs.stat('/a/b/f');
    fs.readdir('/a/b');
    fs.getxattr('/a/b/f', 'user.tag');
    fs.open('/a/b/f', O_RDONLY).close();
    expectErrno(() => fs.removexattr('/a/b/f', 'user.none'), 'ENODATA');
    expectErrno(() => fs.setxattr('/a/b/f', 'trusted.overlay.opaque', enc.encode('y')), 'EPERM');
    expect(fs.upper.entries!.size).toBe(0);
  });

  it('copies the parents of a created file up without changing their times', () => {
    const fs = new OverlayFs([image()], { clock: () => 9e12 });
    fs.writeFile('/a/b/new', 'n');
    expect(fs.stat('/a/b').mtimeMs).toBe(9e12); // the directory that changed
    expect(fs.stat('/a').mtimeMs).toBe(T0); // only copied up
    expect(fs.stat('/a/b/f').mtimeMs).toBe(T0);
  });

  it('shares the lower bytes until the first write, then leaves the layer untouched', () => {
    const lower = image();
    const lowerFile = lower.entries!.get('a')!.entries!.get('b')!.entries!.get('f')!;
    const fs = new OverlayFs([lower]);
    fs.chmod('/a/b/f', 0o644);
    expect(upperAt(fs, '/a/b/f')!.data).toBe(lowerFile.data); // no copy for a metadata change
    const h = fs.open('/a/b/f', O_RDWR);
    h.write(0, enc.encode('UPPER'));
    expect(text(h.read(0, 100))).toBe('UPPER data');
    expect(text(lowerFile.content())).toBe('lower data');
  });

  it('gives a copied-up lower hard link a new inode number and breaks the link', () => {
    const shared = file('x');
    const fs = new OverlayFs([layer({ h1: shared, h2: shared, single: 'y' })]);
    const ino = fs.stat('/h1').ino;
    fs.writeFile('/h1', 'changed');
    expect(fs.stat('/h1').ino).not.toBe(ino);
    expect(fs.stat('/h1').nlink).toBe(1);
    expect(fs.stat('/h2')).toMatchObject({ ino, nlink: 2 });
    expect(text(fs.readFile('/h2'))).toBe('x');
    const single = fs.stat('/single').ino;
    fs.writeFile('/single', 'z');
    expect(fs.stat('/single').ino).toBe(single);
  });

  it('keeps a directory inode number across copy-up', () => {
    const fs = new OverlayFs([image()]);
    const ino = fs.stat('/a/b').ino;
    fs.chmod('/a/b', 0o755);
    expect(fs.stat('/a/b').ino).toBe(ino);
  });
});
