/** checkLinuxHost names what is missing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { checkLinuxHost, LinuxHostError } from '../../src/linux/host-check.js';
import { LinuxRuntime } from '../../src/linux/linux-runtime.js';
import { describeWith } from '../support/requirements.js';

it('names every missing tool and the missing runtime', () => {
  const empty = mkdtempSync(join(tmpdir(), 'berth-nopath-'));
  try {
    const check = checkLinuxHost({ path: empty });
    const text = check.problems.join('\n');
    for (const what of [
      "'mount'",
      "'umount'",
      "'mknod'",
      "'setfattr' command is missing: install setfattr (the attr package)",
      'no OCI runtime: install crun or runc',
    ]) {
      expect(text).toContain(what);
    }
    expect(check.warnings.join('\n')).toMatch(/loopback interface stays down/);
    expect(new LinuxHostError(check.problems).message).toMatch(
      /^the Linux backend cannot run on this host: /,
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

describeWith(['root', 'overlayfs', { tool: 'runc' }], 'checkLinuxHost on a capable host', () => {
  it('finds nothing missing and LinuxRuntime opens', () => {
    expect(checkLinuxHost().problems).toEqual([]);
    const root = mkdtempSync(join(tmpdir(), 'berth-hostcheck-'));
    try {
      expect(['runc', 'crun']).toContain(LinuxRuntime.open(root).runtime.name);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
