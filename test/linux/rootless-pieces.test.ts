/**
 * The small pieces behind `-t` and rootless operation on the Linux backend, without
 * running a container (test/cli/containers.test.ts runs them end to end): the OCI spec's
 * terminal and rootless fields, the host terminal command line, /etc/subuid lookups,
 * reading --backend from a command line, and the user namespace checks on this host.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendFlag } from '../../src/cli/container-flags.js';
import { needsUserNamespace, subordinateRange } from '../../src/cli/rootless.js';
import { underTerminal } from '../../src/linux/host-terminal.js';
import { buildSpec } from '../../src/linux/oci-spec.js';
import { idMap, inUserNamespace, overlayXattrPrefix } from '../../src/linux/userns.js';

const process1 = { args: ['sh'], env: ['PATH=/bin'], cwd: '/', uid: 0, gid: 0 };

describe('the OCI spec', () => {
  it('asks for a terminal of the given size with -t, and none without', () => {
    const tty = buildSpec({
      process: { ...process1, terminal: { rows: 30, cols: 100 } },
      rootfs: '/r',
      hostname: 'h',
    });
    expect(tty.process).toMatchObject({ terminal: true, consoleSize: { height: 30, width: 100 } });
    const plain = buildSpec({ process: process1, rootfs: '/r', hostname: 'h', cgroupsPath: '/berth/x' });
    expect(plain.process).toMatchObject({ terminal: false });
    expect(plain.process).not.toHaveProperty('consoleSize');
    expect(plain.linux).toMatchObject({ cgroupsPath: '/berth/x' });
  });

  it('leaves out the cgroup path and the tty group where rootless berth lacks them', () => {
    const spec = buildSpec({ process: process1, rootfs: '/r', hostname: 'h', devptsGid: null });
    expect(spec.linux).not.toHaveProperty('cgroupsPath');
    const mounts = spec.mounts as { destination: string; options: string[] }[];
    expect(mounts.find((m) => m.destination === '/dev/pts')!.options).not.toContain('gid=5');
    const root = buildSpec({ process: process1, rootfs: '/r', hostname: 'h' });
    const rootMounts = root.mounts as { destination: string; options: string[] }[];
    expect(rootMounts.find((m) => m.destination === '/dev/pts')!.options).toContain('gid=5');
  });
});

describe('the host terminal', () => {
  it("runs the runtime under script after making the host side raw, silent and the caller's size", () => {
    const t = underTerminal(
      { script: '/usr/bin/script', stty: '/bin/stty' },
      { rows: 24, cols: 80 },
      'runc',
      ['run', "it's"],
    );
    expect(t.file).toBe('/usr/bin/script');
    expect(t.args).toEqual([
      '--quiet',
      '--return',
      '--echo',
      'never',
      '--command',
      `'/bin/stty' raw -echo rows 24 cols 80 && exec 'runc' 'run' 'it'\\''s' 2>&3`,
      '/dev/null',
    ]);
    expect(t.env.SHELL).toBe('/bin/sh');
  });
});

describe('rootless helpers', () => {
  it('finds a user’s first subordinate range by name or uid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-subuid-'));
    try {
      const f = join(dir, 'subuid');
      writeFileSync(f, 'alice:100000:65536\n1001:300000:1000\nalice:900000:10\nbad line\n');
      expect(subordinateRange(f, 'alice', 1000)).toEqual({ start: 100000, count: 65536 });
      expect(subordinateRange(f, 'bob', 1001)).toEqual({ start: 300000, count: 1000 });
      expect(subordinateRange(f, 'carol', 1002)).toBeUndefined();
      expect(subordinateRange(join(dir, 'missing'), 'alice', 1000)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads --backend from run/create flags, not from the command', () => {
    expect(backendFlag(['--backend', 'linux', 'toolbox'])).toBe('linux');
    expect(backendFlag(['-it', '--backend=linux', '-e', 'A=1', 'toolbox', 'sh'])).toBe('linux');
    expect(backendFlag(['-e', '--backend', 'toolbox'])).toBeUndefined();
    expect(backendFlag(['toolbox', 'echo', '--backend', 'linux'])).toBeUndefined();
  });

  it.skipIf(process.getuid?.() !== 0)('never re-executes root', () => {
    expect(needsUserNamespace(['run', '--backend', 'linux', 'toolbox'], '/nonexistent')).toBe(false);
  });

  it('sees the initial user namespace as such', () => {
    // these tests run in the initial namespace (CI and the project's machines)
    expect(idMap('uid').length).toBeGreaterThan(0);
    if (!inUserNamespace()) expect(overlayXattrPrefix()).toBe('trusted.overlay.');
    else expect(overlayXattrPrefix()).toBe('user.overlay.');
  });
});
