/**
 * `berth __serve ID` (internal; see detach.ts): start the container in this process,
 * report on stdout as one JSON line, and live until it exits.
 */
import type { CliContext, VerbInfo } from './context.js';
import { startFailure } from './start-failure.js';

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const id = argv[0];
  if (id === undefined) return 125;
  const ne = await ctx.engine();
  let exit;
  try {
    await ne.serve();
    // -d -t: a terminal of Docker's default size (its output goes to the log)
    const tty = (await ne.engine.inspect(id)).spec.process.terminal ? { rows: 24, cols: 80 } : undefined;
    const stdio = { stdin: null, stdout: () => {}, stderr: () => {}, ...(tty ? { tty } : {}) };
    exit = (await ne.engine.start(id, stdio)).exit;
  } catch (e) {
    const f = startFailure(e);
    process.stdout.write(JSON.stringify({ ok: false, message: f.message, code: f.code }) + '\n');
    return f.code;
  }
  process.stdout.write(JSON.stringify({ ok: true }) + '\n');
  const status = await exit;
  await ne.close();
  return status.exitCode;
}

export const serve: VerbInfo = { name: '__serve', summary: '', run };
