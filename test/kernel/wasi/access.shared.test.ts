/** Permission checks for non-root processes (src/kernel/wasi/access.ts), as Linux's generic_permission. */
import { describe, expect, it } from 'vitest';
import { checkRemove, permits, R_OK, W_OK, X_OK } from '../../../src/kernel/wasi/access.js';
import { MemFs } from '../../../src/vfs/memfs.js';

const stat = (mode: number, uid = 0, gid = 0) => ({ mode, uid, gid }) as Parameters<typeof permits>[0];

describe('permits', () => {
  it('uses the owner, group or other bits, whichever class the process is in first', () => {
    const f = stat(0o100640, 1000, 50);
    expect(permits(f, { uid: 1000, gid: 1 }, R_OK | W_OK)).toBe(true);
    expect(permits(f, { uid: 7, gid: 50 }, R_OK)).toBe(true);
    expect(permits(f, { uid: 7, gid: 50 }, W_OK)).toBe(false);
    expect(permits(f, { uid: 7, gid: 8 }, R_OK)).toBe(false);
    // the owner class decides even when other has more
    expect(permits(stat(0o100007, 1000, 0), { uid: 1000, gid: 0 }, R_OK)).toBe(false);
  });

  it('lets root read and write anything, and execute where any x bit is set or a directory', () => {
    expect(permits(stat(0o100000), { uid: 0, gid: 0 }, R_OK | W_OK)).toBe(true);
    expect(permits(stat(0o100644), { uid: 0, gid: 0 }, X_OK)).toBe(false);
    expect(permits(stat(0o100001), { uid: 0, gid: 0 }, X_OK)).toBe(true);
    expect(permits(stat(0o040000), { uid: 0, gid: 0 }, X_OK)).toBe(true);
  });
});

describe('checkRemove', () => {
  it("keeps others' files in a sticky directory (EPERM), and needs write on the directory (EACCES)", () => {
    const fs = new MemFs();
    fs.mkdir('/tmp', 0o1777);
    fs.writeFile('/tmp/theirs', 'x');
    fs.chown('/tmp/theirs', 2000, 2000);
    fs.writeFile('/tmp/mine', 'x');
    fs.chown('/tmp/mine', 1000, 1000);
    fs.mkdir('/etc', 0o755);
    fs.writeFile('/etc/f', 'x');
    const me = { uid: 1000, gid: 1000 };
    expect(() => checkRemove(fs, '/tmp/theirs', me, 'unlink')).toThrow(
      expect.objectContaining({ code: 'EPERM' }),
    );
    expect(() => checkRemove(fs, '/tmp/mine', me, 'unlink')).not.toThrow();
    expect(() => checkRemove(fs, '/etc/f', me, 'unlink')).toThrow(
      expect.objectContaining({ code: 'EACCES' }),
    );
    expect(() => checkRemove(fs, '/etc/f', { uid: 0, gid: 0 }, 'unlink')).not.toThrow();
  });
});
