/**
 * Tests that need root, a kernel feature or a system tool declare it here. Where one is
 * missing the suite is skipped with a message naming it — unless BERTH_REQUIRE_ALL is
 * set (CI sets it), where the suite fails instead, so a missing install step cannot hide.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';

export type Requirement =
  'root' | 'overlayfs' | 'linux-amd64' | { tool: string } | { file: string; why: string };

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function describeRequirement(r: Requirement): string | undefined {
  if (r === 'root') {
    return process.getuid?.() === 0 ? undefined : 'root';
  }
  if (r === 'linux-amd64') {
    return process.platform === 'linux' && process.arch === 'x64' ? undefined : 'Linux on amd64';
  }
  if (r === 'overlayfs') {
    const fs = existsSync('/proc/filesystems') ? readFileSync('/proc/filesystems', 'utf8') : '';
    if (/\boverlay\b/.test(fs)) return undefined;
    try {
      execFileSync('modprobe', ['overlay'], { stdio: 'ignore' });
      return undefined;
    } catch {
      return 'the overlay filesystem in the kernel';
    }
  }
  if ('tool' in r) return hasTool(r.tool) ? undefined : `the '${r.tool}' command`;
  return existsSync(r.file) ? undefined : r.why;
}

/** Names of the requirements that this machine lacks. */
export function missing(requirements: Requirement[]): string[] {
  return requirements.map(describeRequirement).filter((m): m is string => m !== undefined);
}

export const requireAll = !!process.env.BERTH_REQUIRE_ALL;

/** `describe` that runs only where every requirement is met (see the file comment). */
export function describeWith(requirements: Requirement[], name: string, body: () => void): void {
  const lacking = missing(requirements);
  if (lacking.length === 0) {
    describe(name, body);
    return;
  }
  const why = `needs ${lacking.join(', ')}`;
  if (requireAll) {
    describe(name, () => {
      it('has what it needs', () => {
        throw new Error(`${name}: ${why}, and BERTH_REQUIRE_ALL is set`);
      });
    });
    return;
  }
  describe.skipIf(true)(`${name} [skipped: ${why}]`, body);
}
