/** `docker cp`: tars of container paths, safe extraction, and Docker's SRC/DEST path rules. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError } from '../../src/errors.js';
import { containerChanges, formatChanges } from '../../src/runtime/changes.js';
import { copyIn, copyOut, copyPath } from '../../src/runtime/copy.js';
import { copyDestination, copySource, planCopy } from '../../src/runtime/copy-paths.js';
import { readTar } from '../../src/tar/reader.js';
import { writeTar } from '../../src/tar/writer.js';
import type { TarWriteEntry } from '../../src/tar/types.js';
import type { FileSystem } from '../../src/vfs/filesystem.js';
import { MemFs } from '../../src/vfs/memfs.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { T0, layer } from '../vfs/helpers.js';

const MTIME = Date.UTC(2024, 0, 2, 3, 4, 5);

/** A container root: an overlay over one layer with files of several kinds and owners. */
function container(): OverlayFs {
  const fs = new OverlayFs([
    layer({ etc: { hostname: 'box\n', 'conf.d': { a: 'A', sub: { b: 'B' } } }, tmp: {}, data: {} }),
  ]);
  fs.writeFile('/data/f', 'secret', { mode: 0o640 });
  fs.chown('/data/f', 1000, 1001);
  fs.utimes('/data/f', MTIME, MTIME);
  fs.link('/data/f', '/data/f2');
  fs.symlink('../etc/hostname', '/data/link');
  fs.mknod('/data/fifo', 'fifo', 0o600);
  fs.chmod('/data', 0o750);
  fs.utimes('/data', MTIME, MTIME);
  return fs;
}

async function entries(tar: AsyncIterable<Uint8Array>) {
  const out: {
    name: string;
    type: string;
    mode: number;
    uid: number;
    gid: number;
    mtimeMs: number;
    link: string;
    body: string;
  }[] = [];
  for await (const e of readTar(tar)) {
    const h = e.header;
    out.push({
      name: h.name,
      type: h.type,
      mode: h.mode,
      uid: h.uid,
      gid: h.gid,
      mtimeMs: h.mtimeMs,
      link: h.linkname,
      body: new TextDecoder().decode(e.body),
    });
  }
  return out;
}

function tarOf(list: TarWriteEntry[]): AsyncIterable<Uint8Array> {
  return writeTar(list);
}

const read = (fs: FileSystem, p: string) => new TextDecoder().decode(fs.readFile(p));

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('copyOut', () => {
  it('a file is one entry named by its last component, with mode, owner and mtime', async () => {
    const list = await entries(copyOut(container(), '/data/f'));
    expect(list).toEqual([
      {
        name: 'f',
        type: 'file',
        mode: 0o640,
        uid: 1000,
        gid: 1001,
        mtimeMs: MTIME,
        link: '',
        body: 'secret',
      },
    ]);
  });

  it('a directory comes with everything below it; hard links, symlinks and fifos kept', async () => {
    const list = await entries(copyOut(container(), '/data'));
    expect(list.map((e) => [e.name, e.type, e.link])).toEqual([
      ['data/', 'dir', ''],
      ['data/f', 'file', ''],
      ['data/f2', 'hardlink', 'data/f'],
      ['data/fifo', 'fifo', ''],
      ['data/link', 'symlink', '../etc/hostname'],
    ]);
    expect(list[0]).toMatchObject({ mode: 0o750, mtimeMs: MTIME });
  });

  it("'DIR/.' names the contents '.', and a final symlink is copied as a link unless followed", async () => {
    const fs = container();
    expect((await entries(copyOut(fs, '/etc/conf.d/.'))).map((e) => e.name)).toEqual([
      './',
      './a',
      './sub/',
      './sub/b',
    ]);
    expect((await entries(copyOut(fs, '/data/link')))[0]).toMatchObject({ name: 'link', type: 'symlink' });
    expect((await entries(copyOut(fs, '/data/link', { followLink: true })))[0]).toMatchObject({
      name: 'link',
      type: 'file',
      body: 'box\n',
    });
  });

  it('a missing source is NotFoundError at once; a file with a trailing slash is not a directory', () => {
    expect(() => copyOut(container(), '/nope')).toThrow(NotFoundError);
    expect(() => copyOut(container(), '/etc/hostname/')).toThrow(/not a directory/);
  });
});

describe('copyIn', () => {
  it('extracts into a container path, keeping attributes, and the overlay diff shows it', async () => {
    const fs = new OverlayFs([layer({ etc: {}, tmp: {} })], { clock: () => T0 + 1000 });
    const tar = tarOf([
      { header: { name: 'app/', type: 'dir', mode: 0o711, uid: 5, gid: 6, mtimeMs: MTIME } },
      {
        header: { name: 'app/run', type: 'file', mode: 0o4755, uid: 5, gid: 6, mtimeMs: MTIME },
        body: new TextEncoder().encode('#!/bin/sh\n'),
      },
      { header: { name: 'app/run2', type: 'hardlink', linkname: 'app/run' } },
      { header: { name: 'app/cfg', type: 'symlink', linkname: '/etc/app.conf', mtimeMs: MTIME } },
    ]);
    await copyIn(fs, '/tmp', tar);
    const st = fs.stat('/tmp/app/run');
    expect([st.mode & 0o7777, st.uid, st.gid, st.mtimeMs, st.nlink]).toEqual([0o4755, 5, 6, MTIME, 2]);
    const d = fs.stat('/tmp/app');
    expect([d.mode & 0o7777, d.uid, d.mtimeMs]).toEqual([0o711, 5, MTIME]);
    expect(fs.readlink('/tmp/app/cfg')).toBe('/etc/app.conf');
    expect(formatChanges(containerChanges(fs.upper, new OverlayFs([layer({ etc: {}, tmp: {} })])))).toBe(
      'C /tmp\nA /tmp/app\nA /tmp/app/cfg\nA /tmp/app/run\nA /tmp/app/run2\n',
    );
  });

  it('owner replaces the tar owners (docker cp without -a)', async () => {
    const fs = new MemFs();
    await copyIn(
      fs,
      '/',
      tarOf([{ header: { name: 'f', type: 'file', uid: 7, gid: 7 }, body: new Uint8Array(1) }]),
      {
        owner: { uid: 0, gid: 0 },
      },
    );
    expect([fs.stat('/f').uid, fs.stat('/f').gid]).toEqual([0, 0]);
  });

  it('refuses entries that climb out of the target directory', async () => {
    const fs = new MemFs();
    fs.mkdir('/dest');
    const climb = await failure(copyIn(fs, '/dest', tarOf([{ header: { name: '../evil', type: 'file' } }])));
    expect(climb).toBeInstanceOf(InvalidArgumentError);
    const viaLink = await failure(
      copyIn(
        fs,
        '/dest',
        tarOf([
          { header: { name: 'l', type: 'symlink', linkname: '/' } },
          { header: { name: 'l/evil', type: 'file' } },
        ]),
      ),
    );
    expect(viaLink.message).toMatch(/outside the target directory/);
    expect(() => fs.lstat('/evil')).toThrow(/ENOENT/);
    // A link inside the target is followed.
    await copyIn(
      fs,
      '/dest',
      tarOf([
        { header: { name: 'sub/', type: 'dir' } },
        { header: { name: 'in', type: 'symlink', linkname: 'sub' } },
        { header: { name: 'in/x', type: 'file' }, body: new TextEncoder().encode('x') },
      ]),
    );
    expect(read(fs, '/dest/sub/x')).toBe('x');
  });

  it('replaces an existing file or link without writing through it; never a directory by a file', async () => {
    const fs = new MemFs();
    fs.writeFile('/target', 'keep');
    fs.mkdir('/dest');
    fs.symlink('/target', '/dest/f');
    fs.mkdir('/dest/d');
    await copyIn(
      fs,
      '/dest',
      tarOf([{ header: { name: 'f', type: 'file' }, body: new TextEncoder().encode('new') }]),
    );
    expect(read(fs, '/target')).toBe('keep');
    expect(read(fs, '/dest/f')).toBe('new');
    const e = await failure(copyIn(fs, '/dest', tarOf([{ header: { name: 'd', type: 'file' } }])));
    expect(e.message).toMatch(/cannot overwrite directory/);
  });
});

describe('docker cp path rules', () => {
  /** Copy from a container to a "host" MemFs with a few things in it. */
  async function cp(src: string, dest: string) {
    const c = container();
    const host = new MemFs();
    host.mkdir('/out');
    host.writeFile('/out/file', 'old');
    await copyPath(c, src, host, dest);
    return host;
  }

  it('a file into an existing directory keeps its name; to a new name it takes that name', async () => {
    expect(read(await cp('/etc/hostname', '/out'), '/out/hostname')).toBe('box\n');
    expect(read(await cp('/etc/hostname', '/out/'), '/out/hostname')).toBe('box\n');
    expect(read(await cp('/etc/hostname', '/out/name'), '/out/name')).toBe('box\n');
  });

  it('a file over an existing file replaces its content', async () => {
    expect(read(await cp('/etc/hostname', '/out/file'), '/out/file')).toBe('box\n');
  });

  it("a file to a missing 'DIR/' is an error: no such directory", async () => {
    const e = await failure(cp('/etc/hostname', '/out/missing/'));
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toMatch(/no such directory/);
  });

  it('a directory into an existing directory nests; to a new name it is created with that name', async () => {
    const nested = await cp('/etc/conf.d', '/out');
    expect(read(nested, '/out/conf.d/sub/b')).toBe('B');
    const renamed = await cp('/etc/conf.d', '/out/new');
    expect(read(renamed, '/out/new/a')).toBe('A');
    expect(
      renamed
        .readdir('/out/new')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['a', 'sub']);
    const slash = await cp('/etc/conf.d', '/out/new2/');
    expect(read(slash, '/out/new2/sub/b')).toBe('B');
  });

  it("'DIR/.' copies the contents into an existing directory", async () => {
    const host = await cp('/etc/conf.d/.', '/out');
    expect(
      host
        .readdir('/out')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['a', 'file', 'sub']);
  });

  it('a directory onto a file is an error; a missing parent or source is NotFoundError', async () => {
    expect((await failure(cp('/etc/conf.d', '/out/file'))).message).toMatch(/cannot copy directory/);
    expect(await failure(cp('/etc/hostname', '/nowhere/x'))).toBeInstanceOf(NotFoundError);
    expect(await failure(cp('/etc/missing', '/out'))).toBeInstanceOf(NotFoundError);
  });

  it('into a container: a final symlink in DEST is followed', async () => {
    const c = container();
    c.symlink('/tmp', '/dest-link');
    const host = new MemFs();
    host.writeFile('/f', 'from host');
    await copyPath(host, '/f', c, '/dest-link');
    expect(read(c, '/tmp/f')).toBe('from host');
  });

  it('planCopy follows PrepareArchiveCopy', () => {
    const fs = container();
    const src = copySource(fs, '/etc/conf.d/.');
    expect(src).toMatchObject({ path: '/etc/conf.d', name: '.', isDir: true });
    expect(planCopy(src, copyDestination(fs, '/tmp/new'))).toEqual({
      dir: '/tmp',
      rename: { from: '.', to: 'new' },
    });
    expect(planCopy(src, copyDestination(fs, '/tmp'))).toEqual({ dir: '/tmp' });
  });
});
