import { describe, expect, it } from 'vitest';
import { MemFs } from '../../src/vfs/memfs.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import type { FileSystem } from '../../src/vfs/filesystem.js';
import { dir, expectErrno, file, layer, symlink, text } from './helpers.js';

function image() {
  return layer({
    etc: { passwd: 'root:x:0:0:inside\n', hosts: 'h' },
    a: { b: { c: { deep: 'deep' } } },
    abs: symlink('/etc/passwd'),
    rel: symlink('../etc/passwd'),
    up: symlink('../../../../etc'),
    dotdot: symlink('..'),
    self: symlink('self'),
    dangling: symlink('/nowhere/x'),
    tofile: symlink('/etc/hosts'),
    todir: symlink('/a/b'),
    f: 'plain',
    empty: dir({}),
  });
}

const filesystems: [string, () => FileSystem][] = [
  ['MemFs', () => new MemFs(image())],
  ['OverlayFs', () => new OverlayFs([image()])],
];

describe.each(filesystems)('path resolution (%s)', (_name, make) => {
  it('keeps absolute symlinks inside the mount: /etc/passwd is the mount’s', () => {
    const fs = make();
    expect(text(fs.readFile('/abs'))).toBe('root:x:0:0:inside\n');
    expect(text(fs.readFile('rel'))).toBe('root:x:0:0:inside\n');
    expect(fs.realpath('/abs')).toBe('/etc/passwd');
  });

  it('stays at the root on .. and ../../..', () => {
    const fs = make();
    expect(fs.realpath('/../../..')).toBe('/');
    expect(text(fs.readFile('../../../etc/passwd'))).toBe('root:x:0:0:inside\n');
    expect(text(fs.readFile('/a/../../../../etc/hosts'))).toBe('h');
    expect(text(fs.readFile('/up/passwd'))).toBe('root:x:0:0:inside\n');
    expect(fs.realpath('/dotdot/dotdot/a')).toBe('/a');
    expect(fs.realpath('/a/b/c/../../b/./c')).toBe('/a/b/c');
  });

  it('resolves relative symlinks from their directory', () => {
    const fs = make();
    fs.symlink('c/deep', '/a/b/tolink');
    expect(text(fs.readFile('/a/b/tolink'))).toBe('deep');
    fs.symlink('../b/c', '/a/b/c2');
    expect(fs.realpath('/a/b/c2/deep')).toBe('/a/b/c/deep');
    expect(fs.realpath('/todir/c')).toBe('/a/b/c');
  });

  it('gives ELOOP after 40 symlinks, and follows 40', () => {
    const fs = make();
    expectErrno(() => fs.stat('/self'), 'ELOOP');
    expect(fs.lstat('/self').mode & 0o170000).toBe(0o120000);
    fs.mkdir('/chain');
    fs.writeFile('/chain/end', 'x');
    fs.symlink('end', '/chain/l0');
    for (let i = 1; i <= 40; i++) fs.symlink(`l${i - 1}`, `/chain/l${i}`);
    expect(text(fs.readFile('/chain/l39'))).toBe('x');
    expectErrno(() => fs.readFile('/chain/l40'), 'ELOOP');
  });

  it('gives ENOTDIR for a file used as a directory, ENOENT for missing parts', () => {
    const fs = make();
    expectErrno(() => fs.stat('/f/x'), 'ENOTDIR');
    expectErrno(() => fs.stat('/f/.'), 'ENOTDIR');
    expectErrno(() => fs.stat('/tofile/x'), 'ENOTDIR');
    expectErrno(() => fs.stat('/missing/x'), 'ENOENT');
    expectErrno(() => fs.stat('/dangling'), 'ENOENT');
    expectErrno(() => fs.stat('/dangling/x'), 'ENOENT');
    expectErrno(() => fs.stat(''), 'ENOENT');
  });

  it('applies trailing-slash rules like Linux', () => {
    const fs = make();
    expectErrno(() => fs.stat('/f/'), 'ENOTDIR');
    expectErrno(() => fs.lstat('/tofile/'), 'ENOTDIR');
    expect(fs.lstat('/todir/').mode & 0o170000).toBe(0o040000); // a slash follows the link
    expect(fs.lstat('/todir').mode & 0o170000).toBe(0o120000);
    expect(fs.stat('/a//b///').mode & 0o170000).toBe(0o040000);
    expectErrno(() => fs.unlink('/f/'), 'ENOTDIR');
    expectErrno(() => fs.rmdir('/todir/'), 'ENOTDIR');
    expectErrno(() => fs.writeFile('/newfile/', 'x'), 'EISDIR');
    expectErrno(() => fs.symlink('x', '/newlink/'), 'ENOENT');
    expectErrno(() => fs.mkdir('/dangling/'), 'EEXIST');
    fs.mkdir('/newdir/');
    expect(fs.stat('/newdir').mode & 0o170000).toBe(0o040000);
  });

  it('gives ENAMETOOLONG for long components and paths', () => {
    const fs = make();
    expectErrno(() => fs.stat('/' + 'x'.repeat(256)), 'ENAMETOOLONG');
    expectErrno(() => fs.stat('/' + 'é'.repeat(128)), 'ENAMETOOLONG'); // 256 bytes
    expectErrno(() => fs.stat('/' + 'x'.repeat(255)), 'ENOENT');
    expectErrno(() => fs.stat('/a'.repeat(2048)), 'ENAMETOOLONG');
    expectErrno(() => fs.symlink('x'.repeat(4096), '/long'), 'ENAMETOOLONG');
    expectErrno(() => fs.stat('/a\0b'), 'EINVAL');
  });

  it('handles ., .. and / as final components', () => {
    const fs = make();
    expectErrno(() => fs.rmdir('/empty/.'), 'EINVAL');
    expectErrno(() => fs.rmdir('/empty/..'), 'ENOTEMPTY');
    expectErrno(() => fs.rmdir('/'), 'EBUSY');
    expectErrno(() => fs.unlink('/a/.'), 'EISDIR');
    expectErrno(() => fs.mkdir('/a/.'), 'EEXIST');
    expectErrno(() => fs.mkdir('/'), 'EEXIST');
    expectErrno(() => fs.rename('/a/..', '/x'), 'EBUSY');
    expectErrno(() => fs.rename('/f', '/'), 'EBUSY');
    expectErrno(() => fs.link('/f', '/a/..'), 'EEXIST');
    expect(fs.realpath('/a/b/..')).toBe('/a');
    expect(fs.realpath('/a/.')).toBe('/a');
    expect(fs.realpath('/')).toBe('/');
  });

  it('opens through symlinks: O_CREAT on a dangling link creates its target inside the mount', () => {
    const fs = make();
    fs.symlink('/etc/created', '/mk');
    fs.writeFile('/mk', 'new');
    expect(text(fs.readFile('/etc/created'))).toBe('new');
    expectErrno(() => fs.writeFile('/abs', 'x', { flag: 'wx' }), 'EEXIST');
    expectErrno(() => fs.writeFile('/dangling', 'x'), 'ENOENT'); // its parent is missing
  });
});

describe('MemFs over a given tree', () => {
  it('uses the tree in place', () => {
    const root = dir({ x: file('1') });
    const fs = new MemFs(root);
    fs.writeFile('/y', '2');
    expect(root.entries!.has('y')).toBe(true);
  });
});
