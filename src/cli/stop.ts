/** `berth stop [-t SECONDS] CONTAINER...`: SIGTERM, then SIGKILL after the grace time. */
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { eachContainer } from './each-container.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth stop [OPTIONS] CONTAINER [CONTAINER...]

Stop one or more running containers

Options:
  -t, --time int   Seconds to wait before killing the container (default 10)
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('stop', argv, { time: { type: 'string', short: 't' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('stop', p, 1);
  const t = str(p, 'time') ?? '10';
  if (!/^\d+$/.test(t)) throw new UsageError(`invalid argument "${t}" for "-t, --time" flag`, 'stop');
  const { engine } = await ctx.engine();
  return eachContainer(ctx, p.positionals, (ref) => engine.stop(ref, Number(t)));
}

export const stop: VerbInfo = { name: 'stop', summary: 'Stop one or more running containers', run };
