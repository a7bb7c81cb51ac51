/** A host directory bind-mounted into an emulated container (Node only: HostFs). */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createContainer } from '../../../src/kernel/container.js';
import { HostFs } from '../../../src/node/host-fs.js';
import { OverlayFs } from '../../../src/vfs/overlay.js';
import { collector, newKernel, probeRoot } from './helpers.js';

const kernel = newKernel();
const dir = mkdtempSync(join(tmpdir(), 'berth-bind-'));
afterEach(() => {
  kernel.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

it('reads and writes the host directory through the mount, and nothing else of the host', async () => {
  writeFileSync(join(dir, 'from-host'), 'hello from the host\n');
  const image = await probeRoot();
  const c = createContainer(kernel, {
    rootfs: new OverlayFs([image.root]),
    mounts: [{ target: '/host', fs: new HostFs(dir), fstype: 'ext4', source: '/dev/sda1' }],
  });
  const out = collector();
  const p = await c.start({
    program: image.readFile('/bin/probe'),
    argv: ['/bin/probe', 'writefile', '1', '/host/out'],
    fds: [undefined, out.entry, out.entry],
  });
  expect(await p.exited).toEqual({ code: 0 });
  expect(statSync(join(dir, 'out')).size).toBe(1 << 20);
  const fs = c.mnt.view();
  expect(new TextDecoder().decode(fs.readFile('/host/from-host'))).toBe('hello from the host\n');
  expect(() => fs.readFile('/host/../../../../etc/passwd')).toThrow(/ENOENT/);
  expect(readFileSync(join(dir, 'from-host'), 'utf8')).toBe('hello from the host\n');
});
