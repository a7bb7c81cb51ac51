/** `berth rm [-f] CONTAINER...`: remove containers (a running one only with -f). */
import { bool, needArgs, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { eachContainer } from './each-container.js';

const USAGE = `Usage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]

Remove one or more containers

Options:
  -f, --force   Force the removal of a running container (uses SIGKILL)
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('rm', argv, { force: { type: 'boolean', short: 'f' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('rm', p, 1);
  const { engine } = await ctx.engine();
  return eachContainer(ctx, p.positionals, async (ref) => {
    await engine.remove(ref, { force: bool(p, 'force') });
  });
}

export const rm: VerbInfo = { name: 'rm', summary: 'Remove one or more containers', run };
