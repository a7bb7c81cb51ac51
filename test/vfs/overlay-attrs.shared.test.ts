import { describe, expect, it } from 'vitest';
import { O_RDONLY, O_RDWR, O_WRONLY } from '../../src/vfs/filesystem.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { dir, expectErrno, file, layer, symlink, T0, text } from './helpers.js';

const enc = new TextEncoder();

function clock() {
  let t = 1e12;
  return { now: () => t, tick: () => (t += 1000) };
}

describe('OverlayFs links, symlinks, times and xattrs', () => {
  it('hard-links a lower file by copying it up first; nlink counts upper names', () => {
    const fs = new OverlayFs([layer({ d: { f: 'data' } })]);
    const ino = fs.stat('/d/f').ino;
    fs.link('/d/f', '/l');
    expect(fs.stat('/l')).toMatchObject({ ino, nlink: 2 });
    expect(fs.stat('/d/f')).toMatchObject({ ino, nlink: 2 });
    fs.writeFile('/l', 'both');
    expect(text(fs.readFile('/d/f'))).toBe('both');
    fs.unlink('/d/f');
    expect(fs.stat('/l').nlink).toBe(1);
    expect(fs.upper.entries!.get('d')!.entries!.get('f')!.kind).toBe('whiteout');
    expectErrno(() => fs.link('/d', '/d2'), 'EPERM');
    expectErrno(() => fs.link('/l', '/l'), 'EEXIST');
  });

  it('links a symlink itself, and copies symlinks up on lchown', () => {
    const fs = new OverlayFs([layer({ s: symlink('target'), target: 'T' })]);
    fs.link('/s', '/s2');
    expect(fs.readlink('/s2')).toBe('target');
    fs.chown('/s', 5, 6, { nofollow: true });
    expect(fs.lstat('/s')).toMatchObject({ uid: 5, gid: 6 });
    expect(fs.stat('/s').uid).toBe(0); // the target is untouched
    expectErrno(() => fs.chmod('/s', 0o600, { nofollow: true }), 'EOPNOTSUPP');
    expectErrno(() => fs.readlink('/target'), 'EINVAL');
  });

  it('updates mtime and ctime like Linux', () => {
    const c = clock();
    const fs = new OverlayFs([layer({ d: { f: 'abc' } })], { clock: c.now });
    c.tick();
    const h = fs.open('/d/f', O_WRONLY); // copy-up keeps the lower times
    expect(fs.stat('/d/f').mtimeMs).toBe(T0);
    h.write(0, new Uint8Array(0)); // an empty write changes nothing
    expect(fs.stat('/d/f').mtimeMs).toBe(T0);
    h.write(3, enc.encode('d'));
    expect(fs.stat('/d/f')).toMatchObject({ mtimeMs: c.now(), ctimeMs: c.now(), size: 4 });
    expect(fs.stat('/d').mtimeMs).toBe(T0); // a write does not touch the directory
    c.tick();
    fs.chmod('/d/f', 0o600);
    expect(fs.stat('/d/f')).toMatchObject({ mtimeMs: c.now() - 1000, ctimeMs: c.now() });
    c.tick();
    fs.writeFile('/d/g', 'g');
    expect(fs.stat('/d').mtimeMs).toBe(c.now());
    fs.utimes('/d/g', 5000, 'omit');
    expect(fs.stat('/d/g')).toMatchObject({ atimeMs: 5000, mtimeMs: c.now() });
    c.tick();
    fs.utimes('/d/g', 'now', 7000);
    expect(fs.stat('/d/g')).toMatchObject({ atimeMs: c.now(), mtimeMs: 7000 });
    c.tick();
    fs.truncate('/d/g', 1); // same size: times still move (tmpfs)
    expect(fs.stat('/d/g').mtimeMs).toBe(c.now());
  });

  it('clears setuid and setgid-with-group-exec on chown, even by root, but not on directories', () => {
    const fs = new OverlayFs([
      layer({ a: file('', 0o6755), b: file('', 0o2745), d: dir({}, { mode: 0o6755 }) }),
    ]);
    fs.chown('/a', -1, -1);
    fs.chown('/b', 1, 1);
    fs.chown('/d', 1, 1);
    expect(fs.stat('/a').mode & 0o7777).toBe(0o755);
    expect(fs.stat('/b').mode & 0o7777).toBe(0o2745);
    expect(fs.stat('/d').mode & 0o7777).toBe(0o6755);
  });

  it('inherits group and setgid from a setgid directory', () => {
    const fs = new OverlayFs([layer({ s: dir({}, { mode: 0o2775, gid: 50 }) })]);
    fs.mkdir('/s/sub', 0o7777);
    fs.writeFile('/s/f', 'x', { mode: 0o6755 });
    expect(fs.stat('/s/sub')).toMatchObject({ gid: 50 });
    expect(fs.stat('/s/sub').mode & 0o7777).toBe(0o3777);
    expect(fs.stat('/s/f').mode & 0o7777).toBe(0o6755);
  });

  it('reads xattrs through layers and writes them on the upper copy', () => {
    const f = file('x');
    f.xattrs = new Map([
      ['user.a', enc.encode('1')],
      ['trusted.overlay.origin', enc.encode('hidden')],
    ]);
    const fs = new OverlayFs([layer({ f, s: symlink('f') })]);
    expect(fs.listxattr('/f')).toEqual(['user.a']);
    expect(text(fs.getxattr('/f', 'user.a'))).toBe('1');
    expectErrno(() => fs.getxattr('/f', 'trusted.overlay.origin'), 'ENODATA');
    fs.setxattr('/f', 'user.b', enc.encode('2'), { mode: 'create' });
    expectErrno(() => fs.setxattr('/f', 'user.b', enc.encode('3'), { mode: 'create' }), 'EEXIST');
    expectErrno(() => fs.setxattr('/f', 'user.c', enc.encode('3'), { mode: 'replace' }), 'ENODATA');
    fs.removexattr('/f', 'user.a');
    expect(fs.listxattr('/f')).toEqual(['user.b']);
    expect(fs.upper.entries!.get('f')!.xattrs!.has('trusted.overlay.origin')).toBe(false);
    expectErrno(() => fs.setxattr('/s', 'user.x', enc.encode('1'), { nofollow: true }), 'EPERM');
    expectErrno(() => fs.getxattr('/s', 'user.x', { nofollow: true }), 'ENODATA');
    expect(fs.listxattr('/s')).toEqual(['user.b']); // follows to f
    expectErrno(() => fs.setxattr('/f', 'bogus.x', enc.encode('1')), 'EOPNOTSUPP');
    expectErrno(() => fs.setxattr('/f', 'user.', enc.encode('1')), 'EINVAL');
    expectErrno(() => fs.setxattr('/f', '', enc.encode('1')), 'ERANGE');
    expectErrno(() => fs.setxattr('/f', 'user.big', new Uint8Array(65537)), 'E2BIG');
  });

  it('serves open handles after unlink and rename, like Linux file descriptions', () => {
    const fs = new OverlayFs([layer({ f: 'lower' })]);
    const h = fs.open('/f', O_RDWR);
    fs.rename('/f', '/g');
    h.write(0, enc.encode('LOWER'));
    expect(text(fs.readFile('/g'))).toBe('LOWER');
    fs.unlink('/g');
    expect(text(h.read(0, 10))).toBe('LOWER');
    expect(h.stat().nlink).toBe(0);
    h.close();
    expectErrno(() => h.read(0, 1), 'EBADF');
  });
});

describe('OverlayFs open handles across copy-up', () => {
  it('lets a read-only handle on a lower file see the data once it is copied up (as overlayfs)', () => {
    const fs = new OverlayFs([layer({ f: 'lowerdata' })]);
    const r = fs.open('/f', O_RDONLY);
    fs.open('/f', O_WRONLY).write(0, enc.encode('UPPER'));
    expect(text(r.read(0, 20))).toBe('UPPERdata');
    fs.chmod('/f', 0o600);
    expect(r.stat().mode & 0o7777).toBe(0o600);
  });
});
