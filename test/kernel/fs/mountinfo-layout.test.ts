/** Node only: berth's /proc/<pid>/mounts and mountinfo lines have the field layout of this host's. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MountNamespace } from '../../../src/kernel/mnt/mount-namespace.js';
import { MemFs } from '../../../src/vfs/memfs.js';

// id parent major:minor root mountpoint options [optional fields…] - fstype source superoptions
const MOUNTINFO = /^\d+ \d+ \d+:\d+ (\S+) (\S+) (r[ow](?:,\S+)?)(?: \S+:\S+)* - (\S+) (\S+) (\S+)$/;
const MOUNTS = /^(\S+) (\S+) (\S+) (r[ow](?:,\S+)?) 0 0$/;

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

describe('mount table rendering', () => {
  it("matches the layout of this machine's /proc/self/mountinfo and /proc/self/mounts", () => {
    for (const l of lines(readFileSync('/proc/self/mountinfo', 'utf8'))) expect(l).toMatch(MOUNTINFO);
    for (const l of lines(readFileSync('/proc/self/mounts', 'utf8'))) expect(l).toMatch(MOUNTS);

    const root = new MemFs();
    root.mkdir('/my dir');
    root.mkdir('/proc');
    const ns = new MountNamespace({
      fs: root,
      fstype: 'overlay',
      source: 'overlay',
      options: 'relatime,lowerdir=/l',
    });
    ns.mount('/proc', { fs: new MemFs(), fstype: 'proc', source: 'proc', readOnly: true, options: 'nosuid' });
    ns.mount('/my dir', { fs: new MemFs(), fstype: 'tmpfs', source: 'tmpfs' });
    const info = lines(ns.renderMountinfo());
    const mounts = lines(ns.renderMounts());
    expect(info).toHaveLength(3);
    for (const l of info) expect(l).toMatch(MOUNTINFO);
    for (const l of mounts) expect(l).toMatch(MOUNTS);
    // The root's id is the parent of the others; ro shows up in both option fields.
    const [rootId] = info[0]!.split(' ');
    expect(info[1]!.split(' ')[1]).toBe(rootId);
    expect(MOUNTINFO.exec(info[1]!)!.slice(1)).toEqual([
      '/',
      '/proc',
      'ro,relatime',
      'proc',
      'proc',
      'ro,nosuid',
    ]);
    // Spaces in a mount point are escaped as \040, as Linux prints them.
    expect(mounts[2]).toBe('tmpfs /my\\040dir tmpfs rw,relatime 0 0');
  });
});
