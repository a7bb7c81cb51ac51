/**
 * The mount namespace against the FileSystem contract, beyond test/kernel/mnt: errno per
 * call on read-only mounts, device numbers per mount, mount targets, symlink loops and
 * relative links across mounts, bind mounts of subdirectories, pivot_root's result.
 */
import { describe, expect, it } from 'vitest';
import { MountNamespace } from '../../../src/kernel/mnt/mount-namespace.js';
import { isFsError } from '../../../src/vfs/errno.js';
import { O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY } from '../../../src/vfs/filesystem.js';
import { MemFs } from '../../../src/vfs/memfs.js';

function errno(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (isFsError(e)) return e.code;
    throw e;
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function setup() {
  const rootfs = new MemFs();
  for (const d of ['/mnt', '/data', '/ro', '/etc', '/proc']) rootfs.mkdir(d);
  rootfs.writeFile('/etc/hostname', 'box\n');
  rootfs.writeFile('/file', 'x');
  const vol = new MemFs();
  vol.mkdir('/sub');
  vol.writeFile('/sub/file', 'in volume');
  vol.writeFile('/top', 'top');
  const ns = new MountNamespace({ fs: rootfs, fstype: 'overlay', source: 'overlay' });
  ns.mount('/data', { fs: vol, fstype: 'tmpfs', source: 'tmpfs' });
  const rofs = new MemFs();
  rofs.mkdir('/d');
  rofs.writeFile('/f', 'ro');
  rofs.symlink('f', '/l');
  ns.mount('/ro', { fs: rofs, fstype: 'tmpfs', source: 'tmpfs', readOnly: true });
  return { rootfs, vol, rofs, ns, fs: ns.view() };
}

describe('mount namespace contract', () => {
  it('refuses every modifying call on a read-only mount with EROFS, reads still work', () => {
    const { fs } = setup();
    const x = new Uint8Array([1]);
    expect(text(fs.readFile('/ro/f'))).toBe('ro');
    expect(text(fs.readFile('/ro/l'))).toBe('ro');
    expect(errno(() => fs.open('/ro/f', O_RDONLY).close())).toBe('ok');
    expect(errno(() => fs.open('/ro/f', O_WRONLY))).toBe('EROFS');
    expect(errno(() => fs.open('/ro/f', O_RDWR))).toBe('EROFS');
    expect(errno(() => fs.open('/ro/f', O_RDONLY | O_TRUNC))).toBe('EROFS');
    expect(errno(() => fs.open('/ro/new', O_WRONLY | O_CREAT))).toBe('EROFS');
    expect(errno(() => fs.writeFile('/ro/f', 'y'))).toBe('EROFS');
    expect(errno(() => fs.mkdir('/ro/n'))).toBe('EROFS');
    expect(errno(() => fs.rmdir('/ro/d'))).toBe('EROFS');
    expect(errno(() => fs.unlink('/ro/f'))).toBe('EROFS');
    expect(errno(() => fs.rename('/ro/f', '/ro/g'))).toBe('EROFS');
    expect(errno(() => fs.link('/ro/f', '/ro/g'))).toBe('EROFS');
    expect(errno(() => fs.symlink('f', '/ro/s'))).toBe('EROFS');
    expect(errno(() => fs.mknod('/ro/p', 'fifo', 0o644))).toBe('EROFS');
    expect(errno(() => fs.chmod('/ro/f', 0o600))).toBe('EROFS');
    expect(errno(() => fs.chown('/ro/f', 1, 1))).toBe('EROFS');
    expect(errno(() => fs.utimes('/ro/f', 'now', 'now'))).toBe('EROFS');
    expect(errno(() => fs.truncate('/ro/f', 0))).toBe('EROFS');
    expect(errno(() => fs.setxattr('/ro/f', 'user.a', x))).toBe('EROFS');
    expect(errno(() => fs.removexattr('/ro/f', 'user.a'))).toBe('EROFS');
    // Linux checks existence first: a missing name is ENOENT even on a read-only mount.
    expect(errno(() => fs.unlink('/ro/missing'))).toBe('ENOENT');
    // The mount point itself lives on the parent mount, which is writable.
    expect(errno(() => fs.writeFile('/file', 'ok'))).toBe('ok');
  });

  it('gives each mount its own st_dev and shows the mounted root at a mount point', () => {
    const { fs, vol, rootfs } = setup();
    const a = fs.stat('/etc');
    const b = fs.stat('/data/sub');
    expect(a.dev).not.toBe(b.dev);
    expect(fs.stat('/data').ino).toBe(vol.stat('/').ino);
    expect(fs.stat('/data').ino).not.toBe(rootfs.stat('/data').ino);
    expect(
      fs
        .readdir('/data')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['sub', 'top']);
    // Listing the parent shows the mount point under its own name.
    expect(fs.readdir('/').map((d) => d.name)).toContain('data');
  });

  it('needs an existing directory as a mount target', () => {
    const { ns } = setup();
    const spec = { fs: new MemFs(), fstype: 'tmpfs', source: 'tmpfs' };
    expect(errno(() => ns.mount('/nope', spec))).toBe('ENOENT');
    expect(errno(() => ns.mount('/file/x', spec))).toBe('ENOTDIR');
    // A directory on a file is refused (Linux: ENOTDIR from graft_tree; berth: EISDIR).
    expect(errno(() => ns.mount('/file', spec))).not.toBe('ok');
  });

  it('umount: EINVAL for a plain directory, EBUSY for the root', () => {
    const { ns } = setup();
    expect(errno(() => ns.umount('/etc'))).toBe('EINVAL');
    expect(errno(() => ns.umount('/nope'))).toBe('ENOENT');
    expect(errno(() => ns.umount('/data'))).toBe('ok');
    expect(errno(() => ns.umount('/data'))).toBe('EINVAL');
  });

  it('follows relative symlinks with .. out of a mount and detects loops across mounts', () => {
    const { fs, rootfs, vol } = setup();
    vol.symlink('../../etc/hostname', '/sub/host');
    expect(text(fs.readFile('/data/sub/host'))).toBe('box\n');
    expect(fs.realpath('/data/sub/host')).toBe('/etc/hostname');
    // A loop that bounces between two mounts is still 40 links.
    rootfs.symlink('/data/b', '/a');
    vol.symlink('/a', '/b');
    expect(errno(() => fs.stat('/a'))).toBe('ELOOP');
    expect(fs.lstat('/a').mode & 0o170000).toBe(0o120000);
    expect(errno(() => fs.stat('/data/top/x'))).toBe('ENOTDIR');
    expect(errno(() => fs.stat('/data/' + 'n'.repeat(256)))).toBe('ENAMETOOLONG');
    expect(fs.realpath('/data/sub/../../etc/./')).toBe('/etc');
  });

  it('bind-mounts a subdirectory: same files, writes visible both ways, ro binds', () => {
    const { ns, fs, vol } = setup();
    ns.bind('/data/sub', '/mnt');
    expect(text(fs.readFile('/mnt/file'))).toBe('in volume');
    fs.writeFile('/mnt/new', 'via bind');
    expect(text(vol.readFile('/sub/new'))).toBe('via bind');
    // `..` from the bind's root goes to the mount point's parent, not the source's.
    expect(fs.readdir('/mnt/..').map((d) => d.name)).toContain('etc');
    // Bind and source share a device (one superblock), rename between them is still EXDEV.
    expect(fs.stat('/mnt/file').dev).toBe(fs.stat('/data/sub/file').dev);
    expect(errno(() => fs.rename('/mnt/new', '/data/top2'))).toBe('EXDEV');
    fs.mkdir('/etc/robind');
    ns.bind('/data/sub', '/etc/robind', { readOnly: true });
    expect(errno(() => fs.writeFile('/etc/robind/file', 'no'))).toBe('EROFS');
    expect(errno(() => fs.writeFile('/mnt/file', 'yes'))).toBe('ok');
  });

  it('pivot_root puts the old root at put_old and the new root at /', () => {
    const { ns, fs } = setup();
    const newRoot = new MemFs();
    newRoot.mkdir('/old');
    newRoot.writeFile('/marker', 'new');
    fs.mkdir('/mnt/nr');
    // new_root must be a mount point.
    expect(errno(() => ns.pivotRoot('/mnt/nr', '/mnt/nr'))).toBe('EINVAL');
    ns.mount('/mnt/nr', { fs: newRoot, fstype: 'tmpfs', source: 'tmpfs' });
    expect(errno(() => ns.pivotRoot('/mnt/nr', '/etc'))).toBe('EINVAL');
    ns.pivotRoot('/mnt/nr', '/mnt/nr/old');
    const after = ns.view('/');
    expect(text(after.readFile('/marker'))).toBe('new');
    expect(text(after.readFile('/old/etc/hostname'))).toBe('box\n');
    expect(text(after.readFile('/old/data/top'))).toBe('top');
    // Unmounting the old root (umount -l /old) leaves only the new one.
    ns.umount('/old', after, { detach: true });
    expect(errno(() => after.stat('/old/etc'))).toBe('ENOENT');
    expect(ns.renderMounts().split('\n')[0]).toBe('tmpfs / tmpfs rw,relatime 0 0');
  });

  it('confines views: .. and absolute symlinks through other mounts stay in the root', () => {
    const { ns, rootfs, vol } = setup();
    vol.symlink('/etc', '/sub/abs');
    rootfs.mkdir('/mnt/jail');
    ns.bind('/data', '/mnt/jail');
    const jail = ns.view('/mnt/jail');
    expect(
      jail
        .readdir('/../../..')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['sub', 'top']);
    expect(errno(() => jail.stat('/sub/abs'))).toBe('ENOENT');
    expect(jail.realpath('/sub/../top')).toBe('/top');
  });
});
