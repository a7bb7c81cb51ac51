/** `berth rm [-f] CONTAINER...`: remove containers (a running one only with -f). */
import { bool, needArgs, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';

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
  let failed = false;
  for (const ref of p.positionals) {
    try {
      await engine.remove(ref, { force: bool(p, 'force') });
      ctx.stdout.write(`${ref}\n`);
    } catch (e) {
      ctx.stderr.write(`Error: ${(e as Error).message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

export const rm: VerbInfo = { name: 'rm', summary: 'Remove one or more containers', run };
