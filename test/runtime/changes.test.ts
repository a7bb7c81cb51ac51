/** `docker diff` from an overlay upper: Docker's overlay rules, over the emulated OverlayFs. */
import { describe, expect, it } from 'vitest';
import { containerChanges, formatChanges, type Change } from '../../src/runtime/changes.js';
import { MemFs } from '../../src/vfs/memfs.js';
import { OverlayFs } from '../../src/vfs/overlay.js';
import { T0, dir, file, layer, opaque, whiteout } from '../vfs/helpers.js';

const LATER = T0 + 5_000;

function base() {
  return layer({
    etc: { hostname: 'old\n', passwd: 'root:x:0:0\n', 'conf.d': { a: 'a' } },
    tmp: { x: 'x' },
    var: { lib: { db: { data: 'd' } } },
    usr: { bin: { tool: 'bin' } },
  });
}

function mount(lowers = [base()]) {
  return new OverlayFs(lowers, { clock: () => LATER });
}

const lines = (c: Change[]) => formatChanges(c).trimEnd().split('\n');

describe('containerChanges', () => {
  it('lists adds, changes and deletes like docker diff', () => {
    const fs = mount();
    fs.writeFile('/etc/foo', 'new');
    fs.writeFile('/etc/hostname', 'box\n');
    fs.unlink('/tmp/x');
    fs.mkdir('/srv');
    fs.writeFile('/srv/app', 'app');
    expect(lines(containerChanges(fs.upper, new OverlayFs([base()])))).toEqual([
      'C /etc',
      'A /etc/foo',
      'C /etc/hostname',
      'A /srv',
      'A /srv/app',
      'C /tmp',
      'D /tmp/x',
    ]);
  });

  it('does not list a directory copied up only because a file below it changed', () => {
    const fs = mount();
    fs.writeFile('/var/lib/db/data', 'changed'); // copies up /var, /var/lib, /var/lib/db unchanged
    expect(lines(containerChanges(fs.upper, mount()))).toEqual(['C /var/lib/db/data']);
  });

  it('lists the parent of an add or delete even when its attributes did not change', () => {
    const upper = dir(
      { usr: dir({ bin: dir({ new: file('n') }, { mtimeMs: T0 }) }, { mtimeMs: T0 }) },
      { mtimeMs: T0 },
    );
    // A lower with the same dirs (same mode and mtime): only the direct parent of the add is listed.
    expect(lines(containerChanges(upper, mount()))).toEqual(['C /usr/bin', 'A /usr/bin/new']);
  });

  it('lists a directory whose mode changed', () => {
    const fs = mount();
    fs.chmod('/usr/bin', 0o700);
    expect(lines(containerChanges(fs.upper, mount()))).toEqual(['C /usr/bin']);
  });

  it('reports an opaque directory that replaced a lower one as deleted, then its new entries', () => {
    const fs = mount();
    fs.unlink('/etc/conf.d/a');
    fs.rmdir('/etc/conf.d');
    fs.mkdir('/etc/conf.d');
    fs.writeFile('/etc/conf.d/b', 'b');
    expect(fs.upper.entries!.get('etc')!.entries!.get('conf.d')!.opaque).toBe(true);
    expect(lines(containerChanges(fs.upper, mount()))).toEqual([
      'C /etc',
      'D /etc/conf.d',
      'A /etc/conf.d/b',
    ]);
  });

  it('an opaque directory that is new to the lowers is an add', () => {
    const upper = dir({ srv: opaque({ f: file('f') }) });
    expect(lines(containerChanges(upper, mount()))).toEqual(['A /srv', 'A /srv/f']);
  });

  it('a whiteout of a whole directory is one D; a file replaced by a link is C, by a directory D', () => {
    const fs = mount();
    fs.unlink('/var/lib/db/data');
    fs.rmdir('/var/lib/db');
    fs.unlink('/etc/passwd');
    fs.symlink('hostname', '/etc/passwd');
    fs.unlink('/etc/hostname');
    fs.mkdir('/etc/hostname'); // made over a whiteout: opaque, so Docker reports it deleted
    expect(lines(containerChanges(fs.upper, mount()))).toEqual([
      'C /etc',
      'D /etc/hostname',
      'C /etc/passwd',
      'C /var/lib',
      'D /var/lib/db',
    ]);
  });

  it('sorts by path component: a directory listing stays together', () => {
    const upper = dir({ etc: dir({ a: file('a') }), 'etc-x': file('x'), 'etc.d': file('d') });
    expect(lines(containerChanges(upper, () => false))).toEqual([
      'A /etc',
      'A /etc/a',
      'A /etc-x',
      'A /etc.d',
    ]);
  });

  it('accepts an existence test for the lowers (directories then show only as parents)', () => {
    const upper = dir({ etc: dir({ new: file('n'), passwd: file('p') }), gone: whiteout() });
    const lower = new Set(['/etc', '/etc/passwd', '/gone']);
    expect(lines(containerChanges(upper, (p) => lower.has(p)))).toEqual([
      'C /etc',
      'A /etc/new',
      'C /etc/passwd',
      'D /gone',
    ]);
  });

  it('an empty upper has no changes; a MemFs of the flattened image works as the lower', () => {
    expect(containerChanges(mount().upper, new MemFs(base()))).toEqual([]);
    expect(formatChanges([])).toBe('');
  });
});
