/** Generated filesystems (/proc, cgroupfs, /dev) and size-limited tmpfs, against Linux. */
import { describe, expect, it } from 'vitest';
import { createDevFs } from '../../../src/kernel/mnt/devfs.js';
import { MountNamespace } from '../../../src/kernel/mnt/mount-namespace.js';
import { SyntheticFs, type SynDir, type SynNode } from '../../../src/kernel/mnt/synthetic-fs.js';
import { FsError, isFsError } from '../../../src/vfs/errno.js';
import { O_CREAT, O_RDONLY, O_WRONLY, type FileSystem } from '../../../src/vfs/filesystem.js';
import { major, minor } from '../../../src/vfs/inode.js';
import { MemFs } from '../../../src/vfs/memfs.js';
import { TmpFs } from '../../../src/vfs/tmpfs.js';

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
const bytes = (s: string) => new TextEncoder().encode(s);

/** A tiny cgroupfs: cgroups are directories made by mkdir, each with a writable memory.max. */
function cgroupTree() {
  const groups = new Map<string, { max: string; procs: number }>();
  const writes: string[] = [];
  let counter = 0;
  const group = (name: string): SynDir => ({
    kind: 'dir',
    mode: 0o755,
    entries: () => {
      const g = groups.get(name)!;
      const out: [string, SynNode][] = [
        [
          'memory.max',
          {
            kind: 'file',
            mode: 0o644,
            read: () => `${g.max}\n`,
            write: (d) => {
              const v = text(d).trim();
              writes.push(v);
              if (v !== 'max' && !/^\d+$/.test(v)) throw new FsError('EINVAL', 'write');
              g.max = v;
            },
          },
        ],
        ['counter', { kind: 'file', read: () => `${++counter}\n` }],
      ];
      return out;
    },
  });
  const root: SynDir = {
    kind: 'dir',
    mode: 0o755,
    entries: () => [...groups.keys()].map((n): [string, SynNode] => [n, group(n)]),
    mkdir: (name) => {
      groups.set(name, { max: 'max', procs: 0 });
    },
    rmdir: (name) => {
      if (groups.get(name)!.procs > 0) throw new FsError('EBUSY', 'rmdir');
      groups.delete(name);
    },
  };
  return { fs: new SyntheticFs(root, 99), groups, writes };
}

describe('SyntheticFs', () => {
  it('computes directories on each lookup and supports mkdir/rmdir handlers', () => {
    const { fs, groups } = cgroupTree();
    expect(fs.readdir('/')).toEqual([]);
    fs.mkdir('/a');
    expect(fs.readdir('/').map((d) => d.name)).toEqual(['a']);
    expect(errno(() => fs.mkdir('/a'))).toBe('EEXIST');
    expect(fs.readdir('/a').map((d) => d.name)).toEqual(['memory.max', 'counter']);
    groups.get('a')!.procs = 1;
    expect(errno(() => fs.rmdir('/a'))).toBe('EBUSY');
    groups.get('a')!.procs = 0;
    fs.rmdir('/a');
    expect(errno(() => fs.stat('/a'))).toBe('ENOENT');
    // A directory without a mkdir handler refuses.
    fs.mkdir('/b');
    expect(errno(() => fs.mkdir('/b/c'))).not.toBe('ok');
  });

  it('snapshots content at open, reports size 0, and stable inode numbers per node', () => {
    const { fs } = cgroupTree();
    fs.mkdir('/a');
    const h = fs.open('/a/counter', O_RDONLY);
    const first = text(h.read(0, 100));
    expect(text(h.read(0, 100))).toBe(first);
    expect(text(h.read(1, 100))).toBe(first.slice(1));
    expect(text(fs.readFile('/a/counter'))).not.toBe(first);
    h.close();
    expect(fs.stat('/a/memory.max').size).toBe(0);
    expect(fs.stat('/a/memory.max').mode).toBe(0o100644);
    expect(fs.stat('/a').mode).toBe(0o040755);
    expect(fs.stat('/').dev).toBe(99);
  });

  it('passes each write to the handler whole; the handler can refuse with an errno', () => {
    const { fs, writes } = cgroupTree();
    fs.mkdir('/a');
    const h = fs.open('/a/memory.max', O_WRONLY);
    expect(h.write(0, bytes('1048576\n'))).toBe(8);
    expect(errno(() => h.write(0, bytes('lots')))).toBe('EINVAL');
    h.close();
    expect(writes).toEqual(['1048576', 'lots']);
    expect(text(fs.readFile('/a/memory.max'))).toBe('1048576\n');
    fs.writeFile('/a/memory.max', 'max');
    expect(text(fs.readFile('/a/memory.max'))).toBe('max\n');
    // A file without a write handler cannot be opened for writing.
    expect(errno(() => fs.open('/a/counter', O_WRONLY))).toBe('EACCES');
  });

  it('refuses what procfs refuses', () => {
    const fs: FileSystem = cgroupTree().fs;
    fs.mkdir('/a');
    // Linux /proc: creating a new name is ENOENT; removing an entry is EPERM.
    expect(errno(() => fs.open('/a/new', O_WRONLY | O_CREAT))).toBe('ENOENT');
    expect(errno(() => fs.unlink('/a/counter'))).toBe('EPERM');
    expect(errno(() => fs.setxattr('/a/counter', 'user.x', bytes('1')))).toBe('EOPNOTSUPP');
    expect(errno(() => fs.rename('/a/counter', '/a/c2'))).not.toBe('ok');
  });
});

describe('devfs', () => {
  const dev = () => createDevFs({ fdOf: () => undefined });

  it('has Linux device numbers and modes', () => {
    const fs = dev();
    const want: [string, number, number][] = [
      ['null', 1, 3],
      ['zero', 1, 5],
      ['full', 1, 7],
      ['random', 1, 8],
      ['urandom', 1, 9],
      ['tty', 5, 0],
    ];
    for (const [name, ma, mi] of want) {
      const st = fs.stat(`/${name}`);
      expect([name, major(st.rdev), minor(st.rdev), st.mode, st.uid]).toEqual([name, ma, mi, 0o020666, 0]);
    }
    expect(fs.readlink('/fd')).toBe('/proc/self/fd');
    expect(fs.stat('/pts').mode & 0o170000).toBe(0o040000);
    expect(fs.stat('/shm').mode).toBe(0o041777);
  });

  it('reads and writes devices like Linux', () => {
    const fs = dev();
    const nul = fs.open('/null', 2);
    expect(nul.read(0, 10).length).toBe(0);
    expect(nul.write(0, bytes('gone'))).toBe(4);
    const zero = fs.open('/zero', 2);
    expect([...zero.read(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(zero.write(0, bytes('x'))).toBe(1);
    const full = fs.open('/full', 2);
    expect([...full.read(0, 3)]).toEqual([0, 0, 0]);
    expect(errno(() => full.write(0, bytes('x')))).toBe('ENOSPC');
    const r = fs.open('/urandom', O_RDONLY).read(0, 200000);
    expect(r.length).toBe(200000);
    expect(new Set(r.subarray(150000, 150100)).size).toBeGreaterThan(10);
    expect(errno(() => fs.open('/tty', 2))).toBe('ENXIO');
    expect(errno(() => fs.open('/null', O_RDONLY).write(0, bytes('x')))).toBe('EBADF');
  });

  it('mounted at /dev, its fd symlink crosses into /proc', () => {
    const root = new MemFs();
    root.mkdir('/dev');
    root.mkdir('/proc');
    const proc = new MemFs();
    proc.mkdir('/self');
    proc.mkdir('/self/fd');
    const ns = new MountNamespace({ fs: root, fstype: 'overlay', source: 'overlay' });
    ns.mount('/dev', { fs: dev(), fstype: 'devtmpfs', source: 'udev' });
    ns.mount('/proc', { fs: proc, fstype: 'proc', source: 'proc' });
    const fs = ns.view();
    expect(fs.realpath('/dev/fd')).toBe('/proc/self/fd');
    expect(fs.stat('/dev/fd').ino).toBe(proc.stat('/self/fd').ino);
  });
});

describe('TmpFs', () => {
  it('fails writes past size= with ENOSPC and counts usedBytes', () => {
    const fs = new TmpFs(100);
    fs.writeFile('/a', new Uint8Array(60));
    expect(fs.usedBytes()).toBe(60);
    expect(errno(() => fs.writeFile('/b', new Uint8Array(41)))).toBe('ENOSPC');
    const h = fs.open('/c', O_WRONLY | O_CREAT);
    expect(h.write(0, new Uint8Array(40))).toBe(40);
    expect(errno(() => h.write(40, new Uint8Array(1)))).toBe('ENOSPC');
    expect(errno(() => fs.truncate('/a', 61))).toBe('ENOSPC');
    h.close();
    expect(fs.usedBytes()).toBe(100);
    fs.unlink('/a');
    expect(fs.usedBytes()).toBe(40);
    fs.writeFile('/b', new Uint8Array(60));
    expect(fs.usedBytes()).toBe(100);
  });
});
