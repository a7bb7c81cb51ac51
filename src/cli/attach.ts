/**
 * A container in the foreground of this terminal (`run` without -d, `start -a`): its
 * output here (and in its log), this stdin to it with -i, a terminal with -t (raw mode:
 * the container's line discipline echoes and turns ^C into SIGINT), SIGINT/SIGTERM of
 * berth passed on, and its exit code as berth's.
 */
import { ChunkQueue } from '../node/chunk-queue.js';
import type { NodeEngine } from '../node/engine.js';
import type { Stdio } from '../runtime/runtime.js';
import type { CliContext } from './context.js';

export interface AttachOptions {
  interactive: boolean;
  tty: boolean;
}

/** process.stdin as an iterable that `stop` ends (so berth can exit while no input comes). */
export function hostInput(): { input: AsyncIterable<Uint8Array>; stop(): void } {
  const stdin = process.stdin;
  const input = new ChunkQueue();
  const onData = (b: Buffer): void => input.push(new Uint8Array(b.buffer, b.byteOffset, b.length));
  const onEnd = (): void => input.end();
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdin.resume();
  const stop = (): void => {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.pause();
    onEnd();
  };
  return { input, stop };
}

/** The Stdio of a foreground container or exec, and how to undo it. */
export function foregroundStdio(ctx: CliContext, o: AttachOptions): { stdio: Stdio; done(): void } {
  const raw = o.tty && o.interactive && process.stdin.isTTY === true;
  if (raw) process.stdin.setRawMode(true);
  const host = o.interactive ? hostInput() : null;
  const stdio: Stdio = {
    stdin: host?.input ?? null,
    stdout: (b) => void ctx.stdout.write(b),
    stderr: (b) => void ctx.stderr.write(b),
    ...(o.tty ? { tty: { rows: process.stdout.rows ?? 24, cols: process.stdout.columns ?? 80 } } : {}),
  };
  return {
    stdio,
    done: () => {
      host?.stop();
      if (raw) process.stdin.setRawMode(false);
    },
  };
}

/** Start `id` here and wait for it; resolves to its exit code. */
export async function runAttached(
  ctx: CliContext,
  ne: NodeEngine,
  id: string,
  o: AttachOptions,
): Promise<number> {
  await ne.serve();
  const { stdio, done } = foregroundStdio(ctx, o);
  const forward = (sig: number) => () => void ne.engine.kill(id, sig).catch(() => undefined);
  const onInt = forward(2);
  const onTerm = forward(15);
  let started;
  try {
    started = await ne.engine.start(id, stdio);
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const status = await started.exit;
    if (status.error !== undefined) ctx.stderr.write(`berth: ${status.error}\n`);
    return status.exitCode;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    done();
  }
}
