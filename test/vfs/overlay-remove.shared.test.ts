import { describe, expect, it } from 'vitest';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { expectErrno, layer, names, text, whiteout } from './helpers.js';

function image() {
  return [
    layer({ d: { x: 'top-x', gone: whiteout() }, f: 'f' }),
    layer({ d: { y: 'y', gone: 'hidden below', sub: { z: 'z' } }, e: { inner: 'i' }, lowfile: 'lf' }),
  ];
}

describe('OverlayFs unlink, rmdir and re-creation', () => {
  it('leaves a whiteout in the upper layer when the name exists below', () => {
    const fs = new OverlayFs(image());
    fs.unlink('/f');
    expect(fs.upper.entries!.get('f')!.kind).toBe('whiteout');
    expectErrno(() => fs.stat('/f'), 'ENOENT');
    expect(names(fs.readdir('/'))).toEqual(['d', 'e', 'lowfile']);
  });

  it('removes a pure-upper name without a trace', () => {
    const fs = new OverlayFs(image());
    fs.writeFile('/new', 'n');
    fs.unlink('/new');
    expect(fs.upper.entries!.has('new')).toBe(false);
  });

  it('refuses to remove a merged directory that still shows entries', () => {
    const fs = new OverlayFs(image());
    expectErrno(() => fs.rmdir('/d'), 'ENOTEMPTY');
    expect(fs.upper.entries!.size).toBe(0); // no copy-up for a failed rmdir
  });

  it('rmdir of a merged directory with whiteouts inside, then mkdir makes it opaque', () => {
    const fs = new OverlayFs(image());
    for (const n of ['x', 'y']) fs.unlink(`/d/${n}`);
    fs.unlink('/d/sub/z');
    fs.rmdir('/d/sub');
    expect(fs.readdir('/d')).toEqual([]);
    expect(fs.upper.entries!.get('d')!.entries!.size).toBe(3); // whiteouts for x, y, sub
    fs.rmdir('/d');
    expect(fs.upper.entries!.get('d')!.kind).toBe('whiteout');
    fs.mkdir('/d');
    const d = fs.upper.entries!.get('d')!;
    expect([d.kind, d.opaque]).toEqual(['dir', true]);
    expect(fs.readdir('/d')).toEqual([]); // nothing from below shows through
    fs.writeFile('/d/y', 'new y');
    expect(names(fs.readdir('/d'))).toEqual(['y']);
  });

  it('replaces a lower directory by a file, and a lower file by a directory', () => {
    const fs = new OverlayFs(image());
    fs.unlink('/e/inner');
    fs.rmdir('/e');
    fs.writeFile('/e', 'now a file');
    expect(text(fs.readFile('/e'))).toBe('now a file');
    fs.unlink('/lowfile');
    fs.mkdir('/lowfile');
    expect(fs.readdir('/lowfile')).toEqual([]);
    expect(fs.upper.entries!.get('lowfile')!.opaque).toBe(true);
  });

  it('makes a non-opaque directory where only a lower layer whites the name out', () => {
    const fs = new OverlayFs(image());
    fs.mkdir('/d/gone');
    const gone = fs.upper.entries!.get('d')!.entries!.get('gone')!;
    expect([gone.kind, gone.opaque]).toEqual(['dir', false]);
    expect(fs.readdir('/d/gone')).toEqual([]);
  });

  it('refuses mknod of a whiteout device', () => {
    const fs = new OverlayFs(image());
    expectErrno(() => fs.mknod('/w', 'chardev', 0o600, 0), 'EPERM');
    fs.mknod('/null', 'chardev', 0o666, 0x103);
    expect(fs.stat('/null').rdev).toBe(0x103);
  });
});
