/** `berth kill [-s SIGNAL] CONTAINER...`: signal PID 1 of running containers. */
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { eachContainer } from './each-container.js';
import { parseSignal } from './signal-arg.js';

const USAGE = `Usage:  berth kill [OPTIONS] CONTAINER [CONTAINER...]

Kill one or more running containers

Options:
  -s, --signal string   Signal to send to the container (default "KILL")
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('kill', argv, { signal: { type: 'string', short: 's' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('kill', p, 1);
  const signal = parseSignal(str(p, 'signal') ?? 'KILL', 'kill');
  const { engine } = await ctx.engine();
  return eachContainer(ctx, p.positionals, (ref) => engine.kill(ref, signal));
}

export const kill: VerbInfo = { name: 'kill', summary: 'Kill one or more running containers', run };
