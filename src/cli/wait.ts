/** `berth wait CONTAINER...`: block until containers stop, then print their exit codes. */
import { bool, needArgs, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { eachContainer } from './each-container.js';

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
  return eachContainer(ctx, p.positionals, async (ref) => {
    const r = await engine.inspect(ref);
    await engine.waitExit(r.id);
    return String((await engine.inspect(r.id)).state.exitCode);
  });
}

export const wait: VerbInfo = { name: 'wait', summary: 'Block until containers stop, print exit codes', run };
