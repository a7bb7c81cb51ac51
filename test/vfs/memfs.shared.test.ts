import { describe, expect, it } from 'vitest';
import {
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
} from '../../src/vfs/filesystem.js';
import { MemFs } from '../../src/vfs/memfs.js';
import { expectErrno, names, text } from './helpers.js';

const enc = new TextEncoder();

function fs(): MemFs {
  let t = 1e12;
  return new MemFs(undefined, { clock: () => (t += 1000) });
}

describe('MemFs files and handles', () => {
  it('creates, writes, appends, reads and zero-fills gaps', () => {
    const m = fs();
    m.writeFile('/f', 'hello');
    m.writeFile('/f', ' world', { flag: 'a' });
    expect(text(m.readFile('/f'))).toBe('hello world');
    const h = m.open('/f', O_RDWR);
    h.write(14, enc.encode('!'));
    expect([...h.read(11, 10)]).toEqual([0, 0, 0, 33]);
    expect(h.stat()).toMatchObject({ size: 15, blocks: 8, nlink: 1 });
    h.truncate(5);
    h.truncate(7);
    expect([...m.readFile('/f')]).toEqual([...enc.encode('hello'), 0, 0]);
    h.close();
    expectErrno(() => h.close(), 'EBADF');
  });

  it('applies open flags like open(2)', () => {
    const m = fs();
    m.mkdir('/d');
    m.symlink('f', '/l');
    expectErrno(() => m.open('/f', O_RDONLY), 'ENOENT');
    m.open('/l', O_WRONLY | O_CREAT, 0o600).close(); // creates the target of the dangling link
    expect(m.stat('/f').mode & 0o7777).toBe(0o600);
    expectErrno(() => m.open('/f', O_CREAT | O_EXCL | O_WRONLY), 'EEXIST');
    expectErrno(() => m.open('/l', O_CREAT | O_EXCL | O_WRONLY), 'EEXIST');
    expectErrno(() => m.open('/l', O_RDONLY | O_NOFOLLOW), 'ELOOP');
    expectErrno(() => m.open('/d', O_WRONLY), 'EISDIR');
    expectErrno(() => m.open('/d', O_RDONLY | O_TRUNC), 'EISDIR');
    expectErrno(() => m.open('/d', O_CREAT | O_WRONLY), 'EISDIR');
    expectErrno(() => m.open('/d/', O_CREAT | O_WRONLY), 'EISDIR');
    expectErrno(() => m.open('/f', O_RDONLY | O_DIRECTORY), 'ENOTDIR');
    expectErrno(() => m.open('/f/', O_RDONLY), 'ENOTDIR');
    expectErrno(() => m.open('/.', O_CREAT | O_EXCL | O_WRONLY), 'EEXIST');
    expectErrno(() => m.open('/.', O_CREAT | O_WRONLY), 'EISDIR');
    const d = m.open('/d', O_RDONLY | O_DIRECTORY);
    expectErrno(() => d.read(0, 1), 'EISDIR');
    m.writeFile('/f', 'abc');
    const ro = m.open('/f', O_RDONLY);
    expectErrno(() => ro.write(0, enc.encode('x')), 'EBADF');
    const wo = m.open('/f', O_WRONLY | O_APPEND);
    expectErrno(() => wo.read(0, 1), 'EBADF');
    wo.write(0, enc.encode('d')); // O_APPEND ignores the position
    expect(text(m.readFile('/f'))).toBe('abcd');
    m.open('/f', O_WRONLY | O_TRUNC).close();
    expect(m.stat('/f').size).toBe(0);
  });

  it('truncates only regular files, checking the length first', () => {
    const m = fs();
    m.mkdir('/d');
    m.mknod('/p', 'fifo', 0o644);
    expectErrno(() => m.truncate('/missing', -1), 'EINVAL');
    expectErrno(() => m.truncate('/missing', 0), 'ENOENT');
    expectErrno(() => m.truncate('/d', 0), 'EISDIR');
    expectErrno(() => m.truncate('/p', 0), 'EINVAL');
    expectErrno(() => m.readFile('/d'), 'EISDIR');
    expectErrno(() => m.readFile('/p'), 'EINVAL');
  });
});

describe('MemFs directories and names', () => {
  it('keeps directory link counts and sizes like tmpfs', () => {
    const m = fs();
    m.mkdir('/a');
    m.mkdir('/a/b');
    m.mkdir('/c');
    expect(m.stat('/').nlink).toBe(4);
    expect(m.stat('/a')).toMatchObject({ nlink: 3, size: 60 });
    m.rename('/a/b', '/c/b');
    expect([m.stat('/a').nlink, m.stat('/c').nlink]).toEqual([2, 3]);
    m.rmdir('/c/b');
    expect(m.stat('/c').nlink).toBe(2);
  });

  it('applies mkdir, rmdir and unlink errno rules', () => {
    const m = fs();
    m.mkdir('/d', 0o7777);
    expect(m.stat('/d').mode & 0o7777).toBe(0o1777); // setuid/setgid dropped
    m.writeFile('/d/f', 'x');
    expectErrno(() => m.mkdir('/d'), 'EEXIST');
    expectErrno(() => m.mkdir('/nope/x'), 'ENOENT');
    expectErrno(() => m.rmdir('/d'), 'ENOTEMPTY');
    expectErrno(() => m.rmdir('/d/f'), 'ENOTDIR');
    expectErrno(() => m.rmdir('/nope'), 'ENOENT');
    expectErrno(() => m.unlink('/d'), 'EISDIR');
    expectErrno(() => m.unlink('/d/'), 'EISDIR');
    expectErrno(() => m.unlink('/nope'), 'ENOENT');
    m.unlink('/d/f');
    m.rmdir('/d/');
    expect(m.readdir('/')).toEqual([]);
  });

  it('applies rename rules and moves inodes, not copies', () => {
    const m = fs();
    m.mkdir('/a');
    m.mkdir('/a/b');
    m.mkdir('/e');
    m.writeFile('/f', 'f');
    m.writeFile('/g', 'g');
    const ino = m.stat('/f').ino;
    expectErrno(() => m.rename('/a', '/a/b/c'), 'EINVAL');
    expectErrno(() => m.rename('/a/b', '/a'), 'ENOTEMPTY');
    expectErrno(() => m.rename('/f', '/a'), 'EISDIR');
    expectErrno(() => m.rename('/a', '/f'), 'ENOTDIR');
    expectErrno(() => m.rename('/e', '/a'), 'ENOTEMPTY');
    expectErrno(() => m.rename('/f', '/g/'), 'ENOTDIR');
    m.rename('/f', '/g');
    expect(m.stat('/g').ino).toBe(ino);
    m.rename('/e', '/a/b');
    expect(names(m.readdir('/a'))).toEqual(['b']);
    m.rename('/g', '/g');
    expect(text(m.readFile('/g'))).toBe('f');
  });

  it('counts hard links and frees names', () => {
    const m = fs();
    m.writeFile('/f', 'x');
    m.link('/f', '/h');
    expect(m.stat('/f').nlink).toBe(2);
    m.rename('/f', '/h'); // same inode: nothing happens
    expect(names(m.readdir('/'))).toEqual(['f', 'h']);
    m.unlink('/f');
    expect(m.stat('/h').nlink).toBe(1);
    expectErrno(() => m.link('/missing', '/x'), 'ENOENT');
    expectErrno(() => m.link('/h', '/new/'), 'ENOENT');
    expectErrno(() => m.link('/h/', '/x'), 'ENOTDIR');
  });

  it('lists kinds and makes special files', () => {
    const m = fs();
    m.mkdir('/d');
    m.symlink('d', '/s');
    m.mknod('/p', 'fifo', 0o600);
    m.mknod('/c', 'chardev', 0o600, 0x105);
    m.mknod('/b', 'blockdev', 0o600, 0x800);
    const kinds = Object.fromEntries(m.readdir('/').map((d) => [d.name, d.kind]));
    expect(kinds).toEqual({ d: 'dir', s: 'symlink', p: 'fifo', c: 'chardev', b: 'blockdev' });
    expect(m.lstat('/s')).toMatchObject({ size: 1, mode: 0o120777 });
    expect(m.stat('/c').rdev).toBe(0x105);
    expect(m.realpath('/s/.')).toBe('/d');
    expectErrno(() => m.symlink('', '/e'), 'ENOENT');
    expectErrno(() => m.mknod('/s', 'fifo', 0o600), 'EEXIST');
  });

  it('changes owners and modes', () => {
    const m = fs();
    m.writeFile('/f', 'x', { mode: 0o4755 });
    m.chown('/f', 10, -1);
    expect(m.stat('/f')).toMatchObject({ uid: 10, gid: 0, mode: 0o100755 });
    m.chmod('/f', 0o12644);
    expect(m.stat('/f').mode).toBe(0o102644);
    m.symlink('f', '/s');
    m.chown('/s', 3, 4, { nofollow: true });
    expect(m.lstat('/s')).toMatchObject({ uid: 3, gid: 4 });
    expect(m.stat('/s').uid).toBe(10);
  });
});
