/**
 * Runs the built CLI (`node bin/berth.js`) as a user would. `npm test` builds dist/
 * first; run `npx tsc -p tsconfig.build.json` before running these tests on their own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const berthBin = join(repoRoot, 'bin', 'berth.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))) {
    throw new Error(
      'dist/cli/main.js is missing: run `npx tsc -p tsconfig.build.json` (npm test does) first',
    );
  }
}

/** `berth --root ROOT ...args` (no --root when root is undefined). */
export function berth(
  root: string | undefined,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: Uint8Array } = {},
): CliResult {
  const argv = root === undefined ? args : ['--root', root, ...args];
  const r = spawnSync(process.execPath, [berthBin, ...argv], {
    encoding: 'utf8',
    env: opts.env ?? process.env,
    input: opts.input,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like berth() but the run must succeed; returns stdout. */
export function berthOk(
  root: string,
  args: string[],
  opts?: { env?: NodeJS.ProcessEnv; input?: Uint8Array },
): string {
  const r = berth(root, args, opts);
  if (r.code !== 0) throw new Error(`berth ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}
