/**
 * `run -d` and `start`: the container needs a process to live in once berth returns (an
 * emulated container is a set of workers of some Node process; a Linux one is the child
 * of `runc run`). berth starts itself again as `berth __serve ID`, detached, which starts
 * the container, says "ok" (or why not) on a pipe, and stays until the container exits,
 * answering other berth processes on its control socket meanwhile.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliContext } from './context.js';

/**
 * bin/berth.js of the package this module is in: the nearest folder above it that has one
 * (this module is src/cli/detach.ts, dist/cli/detach.js or part of dist/berth.mjs).
 */
export function berthBin(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ;) {
    const bin = join(dir, 'bin', 'berth.js');
    if (existsSync(bin)) return bin;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find bin/berth.js above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export interface DetachResult {
  ok: boolean;
  /** When not ok: the message and the exit code berth gives. */
  message?: string;
  code?: number;
}

export function startDetached(ctx: CliContext, id: string): Promise<DetachResult> {
  const child = spawn(process.execPath, [berthBin(), '--root', ctx.root, '__serve', id], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: ctx.env,
  });
  return new Promise((resolve) => {
    let text = '';
    const settle = (r: DetachResult): void => {
      child.stdout!.destroy();
      child.unref();
      resolve(r);
    };
    child.stdout!.on('data', (b: Buffer) => {
      text += b.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      const o = JSON.parse(text.slice(0, nl)) as DetachResult;
      settle(o);
    });
    child.on('exit', (code) =>
      settle({ ok: false, message: `the background process exited (${code})`, code: 125 }),
    );
    child.on('error', (e) => settle({ ok: false, message: e.message, code: 125 }));
  });
}
