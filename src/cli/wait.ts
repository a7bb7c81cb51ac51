/** `berth wait CONTAINER...`: block until containers stop, then print their exit codes. */
import { bool, needArgs, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';

const USAGE = `Usage:  berth wait CONTAINER [CONTAINER...]

Block until one or more containers stop, then print their exit codes
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('wait', argv, {});
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('wait', p, 1);
  const { engine } = await ctx.engine();
  let failed = false;
  for (const ref of p.positionals) {
    try {
      const r = await engine.inspect(ref);
      await engine.waitExit(r.id);
      const after = await engine.inspect(r.id);
      ctx.stdout.write(`${after.state.exitCode}\n`);
    } catch (e) {
      ctx.stderr.write(`Error: ${(e as Error).message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

export const wait: VerbInfo = { name: 'wait', summary: 'Block until containers stop, print exit codes', run };
