import { describe, expect, it } from 'vitest';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { dir, expectErrno, file, layer, names, opaque, symlink, text, whiteout } from './helpers.js';

const S_IFMT = 0o170000;

/** Three layers, top first. */
function stack() {
  const bottom = layer({
    etc: { a: 'bottom-a', b: 'bottom-b', gone: 'x', sub: { deep: 'deep' } },
    opq: { hidden: 'h', alsohidden: { x: 'x' } },
    fileToDir: 'was a file',
    dirToFile: { inside: 'i' },
    wh: 'deleted in the middle layer',
    usr: { bin: { sh: 'sh' } },
  });
  const middle = layer({
    etc: { b: 'middle-b', gone: whiteout(), c: 'middle-c' },
    opq: opaque({ visible: 'v' }),
    fileToDir: { now: 'a dir' },
    dirToFile: 'now a file',
    wh: whiteout(),
    usr: { lib: { libc: 'c' } },
  });
  const top = layer({ etc: { a: 'top-a' }, only: 'top' });
  return [top, middle, bottom];
}

describe('OverlayFs lookup and readdir', () => {
  it('merges directories: upper layers over lower, whiteouts hide, opaque stops descent', () => {
    const fs = new OverlayFs(stack());
    expect(names(fs.readdir('/'))).toEqual(['dirToFile', 'etc', 'fileToDir', 'only', 'opq', 'usr']);
    expect(names(fs.readdir('/etc'))).toEqual(['a', 'b', 'c', 'sub']);
    expect(text(fs.readFile('/etc/a'))).toBe('top-a');
    expect(text(fs.readFile('/etc/b'))).toBe('middle-b');
    expect(text(fs.readFile('/etc/sub/deep'))).toBe('deep');
    expectErrno(() => fs.stat('/etc/gone'), 'ENOENT');
    expectErrno(() => fs.stat('/wh'), 'ENOENT');
    expect(names(fs.readdir('/opq'))).toEqual(['visible']);
    expectErrno(() => fs.stat('/opq/hidden'), 'ENOENT');
    expect(names(fs.readdir('/usr'))).toEqual(['bin', 'lib']);
  });

  it('lets a non-directory hide a directory below and the reverse', () => {
    const fs = new OverlayFs(stack());
    expect(fs.stat('/dirToFile').mode & S_IFMT).toBe(0o100000);
    expectErrno(() => fs.readdir('/dirToFile'), 'ENOTDIR');
    expect(names(fs.readdir('/fileToDir'))).toEqual(['now']);
  });

  it('reports nlink 1 for merged directories and the real count otherwise', () => {
    const fs = new OverlayFs(stack());
    expect(fs.stat('/').nlink).toBe(1);
    expect(fs.stat('/etc').nlink).toBe(1); // etc is in every layer
    expect(fs.stat('/opq').nlink).toBe(2); // opaque: one layer only
    expect(fs.stat('/etc/sub').nlink).toBe(2);
    fs.mkdir('/fresh');
    fs.mkdir('/fresh/x');
    expect(fs.stat('/fresh').nlink).toBe(3); // pure upper: 2 + one subdirectory
  });

  it('shows lower hard links with their link count and one inode number', () => {
    const shared = file('linked');
    const fs = new OverlayFs([layer({ h1: shared, h2: shared, d: { h3: shared } })]);
    const a = fs.stat('/h1');
    expect(a.nlink).toBe(3);
    expect(fs.stat('/d/h3').ino).toBe(a.ino);
  });

  it('hides whiteouts of the bottom layer too', () => {
    const fs = new OverlayFs([layer({ a: 'a', w: whiteout() })]);
    expect(names(fs.readdir('/'))).toEqual(['a']);
  });

  it('follows symlinks across layers, inside the mount', () => {
    const fs = new OverlayFs([layer({ link: symlink('/etc/a') }), ...stack()]);
    expect(text(fs.readFile('/link'))).toBe('top-a');
    expect(fs.readlink('/link')).toBe('/etc/a');
  });

  it('mounts no layers at all as an empty, writable root', () => {
    const fs = new OverlayFs([]);
    expect(fs.readdir('/')).toEqual([]);
    fs.writeFile('/x', 'x');
    expect(fs.stat('/').nlink).toBe(2);
    expect(names(fs.readdir('/'))).toEqual(['x']);
  });

  it('takes the root attributes from the top layer or from options', () => {
    const top = dir({}, { mode: 0o750, uid: 7 });
    expect(new OverlayFs([top]).stat('/').mode & 0o7777).toBe(0o750);
    const fs = new OverlayFs([top], { root: { mode: 0o700, uid: 0, mtimeMs: 5000 } });
    const st = fs.stat('/');
    expect([st.mode & 0o7777, st.uid, st.mtimeMs]).toEqual([0o700, 0, 5000]);
  });

  it('returns the same answers for repeated lookups (the cache) after changes', () => {
    const fs = new OverlayFs(stack());
    expect(text(fs.readFile('/etc/b'))).toBe('middle-b');
    fs.writeFile('/etc/b', 'new');
    expect(text(fs.readFile('/etc/b'))).toBe('new');
    fs.unlink('/etc/b');
    expectErrno(() => fs.stat('/etc/b'), 'ENOENT');
    fs.mkdir('/etc/b');
    expect(fs.stat('/etc/b').mode & S_IFMT).toBe(0o040000);
  });
});
