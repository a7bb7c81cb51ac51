/**
 * `berth start [-a] [-i] CONTAINER...`: start created or exited containers — in a
 * background berth process (see detach.ts), or with -a in the foreground like `run`.
 */
import { runAttached } from './attach.js';
import { bool, needArgs, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { eachContainer } from './each-container.js';
import { startDetached } from './detach.js';
import { startFailure } from './start-failure.js';

const USAGE = `Usage:  berth start [OPTIONS] CONTAINER [CONTAINER...]

Start one or more stopped containers

Options:
  -a, --attach        Attach STDOUT/STDERR and forward signals
  -i, --interactive   Attach container's STDIN
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('start', argv, {
    attach: { type: 'boolean', short: 'a' },
    interactive: { type: 'boolean', short: 'i' },
  });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('start', p, 1);
  const ne = await ctx.engine();
  const attach = bool(p, 'attach') || bool(p, 'interactive');
  if (attach) {
    if (p.positionals.length > 1) {
      ctx.stderr.write('berth: you cannot start and attach multiple containers at once\n');
      return 125;
    }
    try {
      const r = await ne.engine.inspect(p.positionals[0]!);
      return await runAttached(ctx, ne, r.id, {
        interactive: bool(p, 'interactive'),
        tty: r.spec.process.terminal ?? false,
      });
    } catch (e) {
      const f = startFailure(e);
      ctx.stderr.write(`Error: ${f.message}\n`);
      return f.code === 125 ? 1 : f.code;
    } finally {
      await ne.close();
    }
  }
  return eachContainer(ctx, p.positionals, async (ref) => {
    const r = await ne.engine.inspect(ref);
    if (r.state.status === 'running') return;
    const d = await startDetached(ctx, r.id);
    if (!d.ok) throw new Error(d.message);
  });
}

export const start: VerbInfo = { name: 'start', summary: 'Start one or more stopped containers', run };
