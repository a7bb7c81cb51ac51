import { describe, expect, it } from 'vitest';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { expectErrno, file, layer, names, text } from './helpers.js';

function image() {
  const hl = file('hard');
  return [
    layer({ merged: { t: 't' }, f: 'top-f' }),
    layer({ merged: { b: 'b' }, lowdir: { x: 'x' }, emptydir: {}, g: 'g', h1: hl, h2: hl }),
  ];
}

describe('OverlayFs rename', () => {
  it('copies a lower file up, moves it and whites out the old name', () => {
    const fs = new OverlayFs(image());
    const ino = fs.stat('/g').ino;
    fs.rename('/g', '/merged/g2');
    expect(text(fs.readFile('/merged/g2'))).toBe('g');
    expect(fs.stat('/merged/g2').ino).toBe(ino);
    expectErrno(() => fs.stat('/g'), 'ENOENT');
    expect(fs.upper.entries!.get('g')!.kind).toBe('whiteout');
  });

  it('moves a pure-upper file without leaving a whiteout', () => {
    const fs = new OverlayFs(image());
    fs.writeFile('/n', 'n');
    fs.rename('/n', '/m');
    expect(fs.upper.entries!.has('n')).toBe(false);
  });

  it('refuses to move a directory present in a lower layer (EXDEV: no redirect_dir)', () => {
    const fs = new OverlayFs(image());
    expectErrno(() => fs.rename('/merged', '/m2'), 'EXDEV');
    expectErrno(() => fs.rename('/lowdir', '/l2'), 'EXDEV');
    fs.chmod('/lowdir', 0o700); // copied up: now merged, still not movable
    expectErrno(() => fs.rename('/lowdir', '/l2'), 'EXDEV');
    expect(fs.upper.entries!.has('l2')).toBe(false);
  });

  it('moves an upper-only directory, which becomes opaque in a merged parent', () => {
    const fs = new OverlayFs(image());
    fs.mkdir('/u');
    fs.writeFile('/u/in', 'in');
    fs.rename('/u', '/merged/u');
    expect(text(fs.readFile('/merged/u/in'))).toBe('in');
    expect(fs.upper.entries!.get('merged')!.entries!.get('u')!.opaque).toBe(true);
  });

  it('replaces an empty lower directory by an upper one, hiding what was below', () => {
    const fs = new OverlayFs(image());
    fs.unlink('/lowdir/x');
    fs.mkdir('/u');
    fs.rename('/u', '/lowdir');
    expect(fs.readdir('/lowdir')).toEqual([]);
    expect(fs.upper.entries!.get('lowdir')!.opaque).toBe(true);
  });

  it('applies rename(2) type and emptiness rules', () => {
    const fs = new OverlayFs(image());
    fs.mkdir('/u');
    expectErrno(() => fs.rename('/f', '/emptydir'), 'EISDIR');
    expectErrno(() => fs.rename('/u', '/f'), 'ENOTDIR');
    expectErrno(() => fs.rename('/u', '/merged'), 'ENOTEMPTY');
    expectErrno(() => fs.rename('/u', '/u/inside'), 'EINVAL');
    expectErrno(() => fs.rename('/merged/t', '/merged'), 'ENOTEMPTY');
    expectErrno(() => fs.rename('/missing', '/x'), 'ENOENT');
    expectErrno(() => fs.rename('/f/', '/x'), 'ENOTDIR');
    fs.rename('/u', '/emptydir');
    expect(fs.readdir('/emptydir')).toEqual([]);
    fs.rename('/f', '/g');
    expect(text(fs.readFile('/g'))).toBe('top-f');
    expect(names(fs.readdir('/'))).not.toContain('f');
  });

  it('treats a rename between two names of one upper inode as a no-op', () => {
    const fs = new OverlayFs(image());
    fs.writeFile('/a', 'a');
    fs.link('/a', '/b');
    fs.rename('/a', '/b');
    expect(names(fs.readdir('/'))).toContain('a');
    expect(fs.stat('/b').nlink).toBe(2);
  });

  it('moves one lower hard link over the other (they are not one overlay inode)', () => {
    const fs = new OverlayFs(image());
    fs.rename('/h2', '/h1');
    expectErrno(() => fs.stat('/h2'), 'ENOENT');
    expect(text(fs.readFile('/h1'))).toBe('hard');
  });

  it('keeps a failed rename from changing anything but what the kernel changes first', () => {
    const fs = new OverlayFs(image());
    fs.mkdir('/p');
    fs.mkdir('/q');
    fs.writeFile('/q/x', 'x');
    expectErrno(() => fs.rename('/p', '/q'), 'ENOTEMPTY');
    // overlayfs marks the source opaque before the upper rename fails, and so do we.
    expect(fs.upper.entries!.get('p')!.opaque).toBe(true);
  });
});
