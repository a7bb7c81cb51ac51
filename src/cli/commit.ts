/** `berth commit [-a AUTHOR] [-m MESSAGE] CONTAINER [REPOSITORY[:TAG]]`: its changes as a new image layer. */
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]

Create a new image from a container's changes

Options:
  -a, --author string    Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")
  -m, --message string   Commit message
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('commit', argv, {
    author: { type: 'string', short: 'a' },
    message: { type: 'string', short: 'm' },
  });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('commit', p, 1);
  if (p.positionals.length > 2)
    throw new UsageError('"berth commit" requires at most 2 arguments.', 'commit');
  const { engine } = await ctx.engine();
  const author = str(p, 'author');
  const comment = str(p, 'message');
  const result = await engine.commit(p.positionals[0]!, {
    ...(p.positionals[1] === undefined ? {} : { reference: p.positionals[1] }),
    ...(author === undefined ? {} : { author }),
    ...(comment === undefined ? {} : { comment }),
  });
  ctx.stdout.write(`${result.id}\n`);
  return 0;
}

export const commit: VerbInfo = {
  name: 'commit',
  summary: "Create a new image from a container's changes",
  run,
};
