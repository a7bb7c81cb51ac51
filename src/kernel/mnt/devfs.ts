/**
 * /dev for a container, like the devtmpfs Docker gives: null, zero, full, random,
 * urandom, tty, the stdin/stdout/stderr of the opening process, and the fd, pts and shm
 * directories. Device numbers and modes are Linux's.
 */
import { FsError } from '../../vfs/errno.js';
import { O_ACCMODE, O_RDONLY, O_WRONLY, type FileHandle, type Stat } from '../../vfs/filesystem.js';
import { makedev } from '../../vfs/inode.js';
import type { Entry } from '../wasi/host.js';
import { inoFor, SyntheticFs, type SynDevice, type SynNode } from './synthetic-fs.js';

export interface DevHost {
  /** The fd table entry `fd` of the process making the call (for /dev/stdin…). */
  fdOf(fd: number): Entry | undefined;
}

/** A device handle from read/write functions. */
function deviceHandle(
  flags: number,
  read: (length: number) => Uint8Array,
  write: (bytes: Uint8Array) => number,
  stat: () => Stat,
): FileHandle {
  let closed = false;
  const acc = flags & O_ACCMODE;
  return {
    flags,
    read: (_p, length) => {
      if (closed || acc === O_WRONLY) throw new FsError('EBADF', 'read');
      return read(length);
    },
    write: (_p, bytes) => {
      if (closed || acc === O_RDONLY) throw new FsError('EBADF', 'write');
      return write(bytes);
    },
    append: (bytes) => {
      if (closed || acc === O_RDONLY) throw new FsError('EBADF', 'write');
      return write(bytes);
    },
    truncate: () => {},
    stat,
    close: () => {
      closed = true;
    },
  };
}

function random(length: number): Uint8Array {
  // getRandomValues refuses views of shared memory in browsers: fill a fresh array.
  const out = new Uint8Array(Math.min(length, 1 << 20));
  for (let i = 0; i < out.length; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

export function createDevFs(host: DevHost): SyntheticFs {
  // Entries are listed lazily, so the handles below can stat through `fs`.
  const fs: SyntheticFs = new SyntheticFs(
    { kind: 'dir', mode: 0o755, entries: () => entries, ino: inoFor('dev:/') },
    makedev(0, 5),
  );
  const dev = (
    name: string,
    major: number,
    minor: number,
    read: (n: number) => Uint8Array,
    write: (b: Uint8Array) => number,
  ): SynDevice => ({
    kind: 'chardev',
    rdev: makedev(major, minor),
    mode: 0o666,
    ino: inoFor(`dev:${name}`),
    open: (flags) => deviceHandle(flags, read, write, () => fs.lstat(`/${name}`)),
  });
  /** /dev/stdin etc.: the opening process's own fd, as a device. */
  const std = (name: string, fd: number): SynDevice => ({
    kind: 'chardev',
    rdev: makedev(136, 0),
    mode: 0o620,
    ino: inoFor(`dev:${name}`),
    open: (flags) => {
      const e = host.fdOf(fd);
      if (e === undefined) throw new FsError('ENXIO', 'open', `/dev/${name}`);
      const read = (n: number): Uint8Array => {
        if (e.type === 'stdio') return e.read?.(n) ?? new Uint8Array(0);
        const chunk = e.handle.read(e.position, n);
        e.position += chunk.length;
        return chunk;
      };
      const write = (b: Uint8Array): number => {
        if (e.type === 'stdio') {
          if (!e.write) throw new FsError('EBADF', 'write');
          const r = e.write(b);
          return typeof r === 'number' ? r : b.length;
        }
        const n = e.handle.write(e.position, b);
        e.position += n;
        return n;
      };
      return deviceHandle(flags, read, write, () => fs.lstat(`/${name}`));
    },
  });
  const none = (): Uint8Array => new Uint8Array(0);
  const zeros = (n: number): Uint8Array => new Uint8Array(Math.min(n, 1 << 20));
  const discard = (b: Uint8Array): number => b.length;
  const entries: [string, SynNode][] = [
    ['null', dev('null', 1, 3, none, discard)],
    ['zero', dev('zero', 1, 5, zeros, discard)],
    [
      'full',
      dev('full', 1, 7, zeros, () => {
        throw new FsError('ENOSPC', 'write');
      }),
    ],
    ['random', dev('random', 1, 8, random, discard)],
    ['urandom', dev('urandom', 1, 9, random, discard)],
    [
      'tty',
      {
        kind: 'chardev',
        rdev: makedev(5, 0),
        mode: 0o666,
        ino: inoFor('dev:tty'),
        open: () => {
          // No controlling terminals yet: Linux answers ENXIO without one.
          throw new FsError('ENXIO', 'open', '/dev/tty');
        },
      },
    ],
    ['stdin', std('stdin', 0)],
    ['stdout', std('stdout', 1)],
    ['stderr', std('stderr', 2)],
    ['fd', { kind: 'symlink', target: () => '/proc/self/fd', ino: inoFor('dev:fd') }],
    ['pts', { kind: 'dir', mode: 0o755, entries: () => [], ino: inoFor('dev:pts') }],
    ['shm', { kind: 'dir', mode: 0o1777, entries: () => [], ino: inoFor('dev:shm') }],
  ];
  return fs;
}
