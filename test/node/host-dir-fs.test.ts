/** HostDirFs: a host directory as a berth FileSystem, confined to the directory. */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostDirFs } from '../../src/node/host-dir-fs.js';
import { isFsError } from '../../src/vfs/errno.js';
import { O_CREAT, O_RDWR, O_WRONLY } from '../../src/vfs/filesystem.js';

let top: string;
let box: string;
let fs: HostDirFs;

beforeEach(() => {
  top = mkdtempSync(join(tmpdir(), 'berth-hostdir-'));
  box = join(top, 'box');
  mkdirSync(box);
  writeFileSync(join(top, 'secret'), 'outside');
  fs = new HostDirFs(box);
});
afterEach(() => rmSync(top, { recursive: true, force: true }));

function errno(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isFsError(e)) {
      expect(e.message).not.toContain(top);
      return e.code;
    }
    throw e;
  }
  return 'ok';
}

describe('HostDirFs confinement', () => {
  it('resolves .. and symlinks inside the directory only', () => {
    symlinkSync('/', join(box, 'rootlink'));
    symlinkSync('../../..', join(box, 'up'));
    symlinkSync('up/secret', join(box, 'chain'));
    mkdirSync(join(box, 'd'));
    writeFileSync(join(box, 'd', 'f'), 'inside');
    expect(fs.realpath('/rootlink')).toBe('/');
    expect(fs.realpath('/up')).toBe('/');
    expect(new TextDecoder().decode(fs.readFile('/d/../../../d/f'))).toBe('inside');
    expect(errno(() => fs.readFile('/../secret'))).toBe('ENOENT');
    expect(errno(() => fs.readFile('/chain'))).toBe('ENOENT');
    expect(errno(() => fs.readFile('/rootlink/etc/passwd'))).toBe('ENOENT');
    expect(
      fs
        .readdir('/up')
        .map((d) => d.name)
        .sort(),
    ).toEqual(['chain', 'd', 'rootlink', 'up']);
  });

  it('creates through a dangling absolute symlink inside, never outside', () => {
    symlinkSync('/tmp/berth-should-not-exist', join(box, 'link'));
    expect(errno(() => fs.writeFile('/link', 'x'))).toBe('ENOENT'); // no /tmp inside yet, as Linux
    mkdirSync(join(box, 'tmp'));
    fs.writeFile('/link', 'x');
    expect(existsSync('/tmp/berth-should-not-exist')).toBe(false);
    expect(readFileSync(join(box, 'tmp', 'berth-should-not-exist'), 'utf8')).toBe('x');
  });

  it('cannot hard-link or rename anything from outside', () => {
    expect(errno(() => fs.link('/../secret', '/stolen'))).toBe('ENOENT');
    expect(errno(() => fs.rename('/../secret', '/stolen'))).toBe('ENOENT');
    expect(existsSync(join(box, 'stolen'))).toBe(false);
  });

  it('follows a directory swapped for an outside symlink only inside', () => {
    mkdirSync(join(box, 'sub'));
    fs.writeFile('/sub/a', 'a');
    rmSync(join(box, 'sub'), { recursive: true });
    symlinkSync(top, join(box, 'sub'));
    expect(errno(() => fs.readFile('/sub/secret'))).toBe('ENOENT');
  });

  it('reports errno like Linux and never the host path', () => {
    expect(errno(() => fs.mkdir('/'))).toBe('EEXIST');
    expect(errno(() => fs.rmdir('/'))).toBe('EBUSY');
    expect(errno(() => fs.open('/missing/x', O_CREAT | O_WRONLY))).toBe('ENOENT');
    fs.writeFile('/file', 'x');
    expect(errno(() => fs.mkdir('/file/sub'))).toBe('ENOTDIR');
    expect(errno(() => fs.stat('/file/'))).toBe('ENOTDIR');
    expect(errno(() => fs.unlink('/'))).toBe('EISDIR');
  });

  it('is read-only when asked', () => {
    writeFileSync(join(box, 'f'), 'x');
    const ro = new HostDirFs(box, { readOnly: true });
    expect(errno(() => ro.writeFile('/g', 'y'))).toBe('EROFS');
    expect(errno(() => ro.open('/f', O_RDWR))).toBe('EROFS');
    expect(errno(() => ro.unlink('/f'))).toBe('EROFS');
    expect(new TextDecoder().decode(ro.readFile('/f'))).toBe('x');
  });
});
