/** Mount namespaces: mounts across paths, .., symlinks, ro, EXDEV, EBUSY, views, pivot_root. */
import { describe, expect, it } from 'vitest';
import { MountNamespace } from '../../../src/kernel/mnt/mount-namespace.js';
import { isFsError } from '../../../src/vfs/errno.js';
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

function setup() {
  const rootfs = new MemFs();
  for (const d of ['/mnt', '/data', '/etc', '/proc']) rootfs.mkdir(d);
  rootfs.writeFile('/etc/hostname', 'box\n');
  const vol = new MemFs();
  vol.mkdir('/sub');
  vol.writeFile('/sub/file', 'in volume');
  const ns = new MountNamespace({
    fs: rootfs,
    fstype: 'overlay',
    source: 'overlay',
    options: 'relatime,lowerdir=/l',
  });
  ns.mount('/data', { fs: vol, fstype: 'tmpfs', source: 'tmpfs' });
  return { rootfs, vol, ns, fs: ns.view() };
}

describe('MountNamespace', () => {
  it('reaches mounted filesystems and comes back out with ..', () => {
    const { fs } = setup();
    expect(new TextDecoder().decode(fs.readFile('/data/sub/file'))).toBe('in volume');
    expect(new TextDecoder().decode(fs.readFile('/data/sub/../../etc/hostname'))).toBe('box\n');
    expect(fs.readdir('/data').map((d) => d.name)).toEqual(['sub']);
    expect(fs.realpath('/data/sub/..')).toBe('/data');
  });

  it('follows symlinks across mounts, absolute ones from the view root', () => {
    const { fs, rootfs } = setup();
    rootfs.symlink('/data/sub/file', '/etc/link');
    fs.symlink('../../etc/hostname', '/data/sub/back');
    expect(new TextDecoder().decode(fs.readFile('/etc/link'))).toBe('in volume');
    expect(new TextDecoder().decode(fs.readFile('/data/sub/back'))).toBe('box\n');
  });

  it('gives EXDEV across mounts, EBUSY for mount points, EROFS on read-only mounts', () => {
    const { fs, ns } = setup();
    expect(errno(() => fs.rename('/etc/hostname', '/data/hostname'))).toBe('EXDEV');
    expect(errno(() => fs.link('/etc/hostname', '/data/h'))).toBe('EXDEV');
    expect(errno(() => fs.rmdir('/data'))).toBe('EBUSY');
    expect(errno(() => fs.rename('/data', '/data2'))).toBe('EBUSY');
    ns.bind('/etc', '/mnt', { readOnly: true });
    expect(new TextDecoder().decode(fs.readFile('/mnt/hostname'))).toBe('box\n');
    expect(errno(() => fs.writeFile('/mnt/new', 'x'))).toBe('EROFS');
    expect(errno(() => fs.unlink('/mnt/hostname'))).toBe('EROFS');
    expect(errno(() => fs.chmod('/mnt/hostname', 0o600))).toBe('EROFS');
    fs.writeFile('/etc/new', 'y');
    expect(fs.stat('/mnt/new').size).toBe(1);
  });

  it('stacks mounts and umount reveals the one below; EBUSY with a mount inside', () => {
    const { fs, ns } = setup();
    const other = new MemFs();
    other.writeFile('/top', 't');
    ns.mount('/data', { fs: other, fstype: 'tmpfs', source: 'tmpfs' });
    expect(fs.readdir('/data').map((d) => d.name)).toEqual(['top']);
    ns.umount('/data');
    expect(fs.readdir('/data').map((d) => d.name)).toEqual(['sub']);
    ns.mount('/data/sub', { fs: other, fstype: 'tmpfs', source: 'tmpfs' });
    expect(errno(() => ns.umount('/data'))).toBe('EBUSY');
    expect(errno(() => ns.umount('/etc'))).toBe('EINVAL');
  });

  it('confines a view (chroot): .. and absolute symlinks stay inside', () => {
    const { rootfs, ns } = setup();
    rootfs.mkdir('/mnt/jail');
    rootfs.writeFile('/mnt/jail/inside', 'i');
    rootfs.symlink('/etc', '/mnt/jail/escape');
    const jail = ns.view('/mnt/jail');
    expect(
      jail
        .readdir('/../..')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['escape', 'inside']);
    expect(errno(() => jail.readFile('/escape/hostname'))).toBe('ENOENT');
    expect(jail.realpath('/inside')).toBe('/inside');
  });

  it('clones into an independent table (CLONE_NEWNS)', () => {
    const { ns } = setup();
    const copy = ns.clone();
    copy.umount('/data');
    expect(copy.view().readdir('/data')).toEqual([]);
    expect(ns.view().readdir('/data').length).toBe(1);
    expect(copy.inode).not.toBe(ns.inode);
  });

  it('pivot_root: new root must be a mount point; the old root moves under put_old', () => {
    const { ns, rootfs } = setup();
    const image = new MemFs();
    image.mkdir('/old');
    image.writeFile('/hello', 'new root');
    rootfs.mkdir('/mnt/new');
    expect(errno(() => ns.pivotRoot('/mnt', '/mnt'))).toBe('EINVAL'); // not a mount point
    expect(errno(() => ns.pivotRoot('/mnt/new', '/mnt/new/old'))).toBe('ENOENT');
    ns.mount('/mnt/new', { fs: image, fstype: 'overlay', source: 'overlay' });
    expect(errno(() => ns.pivotRoot('/mnt/new', '/etc'))).toBe('EINVAL');
    ns.pivotRoot('/mnt/new', '/mnt/new/old');
    const fs = ns.view();
    expect(new TextDecoder().decode(fs.readFile('/hello'))).toBe('new root');
    expect(new TextDecoder().decode(fs.readFile('/old/etc/hostname'))).toBe('box\n');
    expect(new TextDecoder().decode(fs.readFile('/old/data/sub/file'))).toBe('in volume');
    ns.umount('/old/data');
    ns.umount('/old');
    expect(fs.readdir('/old')).toEqual([]);
  });

  it('renders /proc/mounts and mountinfo like Linux', () => {
    const { ns } = setup();
    ns.bind('/etc', '/mnt', { readOnly: true });
    const mounts = ns.renderMounts().split('\n');
    expect(mounts[0]).toBe('overlay / overlay rw,relatime,lowerdir=/l 0 0');
    expect(mounts[1]).toBe('tmpfs /data tmpfs rw,relatime 0 0');
    expect(mounts[2]).toBe('overlay /mnt overlay ro,relatime,lowerdir=/l 0 0');
    const info = ns.renderMountinfo().split('\n')[2]!;
    expect(info).toMatch(
      /^\d+ \d+ 0:\d+ \/etc \/mnt ro,relatime - overlay overlay ro,relatime,lowerdir=\/l$/,
    );
  });
});
