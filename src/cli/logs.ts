/**
 * `berth logs [-f] [-t] [--tail N] CONTAINER`: what the container wrote, each stream to
 * its own (stdout to stdout, stderr to stderr), from its json log; -f follows until it
 * stops (reading the log as the owner process appends to it).
 */
import type { LogEntry } from '../runtime/records.js';
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth logs [OPTIONS] CONTAINER

Fetch the logs of a container

Options:
  -f, --follow         Follow log output
  -n, --tail string    Number of lines to show from the end of the logs (default "all")
  -t, --timestamps     Show timestamps
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('logs', argv, {
    follow: { type: 'boolean', short: 'f' },
    timestamps: { type: 'boolean', short: 't' },
    tail: { type: 'string', short: 'n' },
  });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('logs', p, 1, true);
  const tail = str(p, 'tail') ?? 'all';
  if (tail !== 'all' && !/^\d+$/.test(tail)) throw new UsageError(`invalid --tail ${tail}`, 'logs');
  const { engine } = await ctx.engine();
  const r = await engine.inspect(p.positionals[0]!);
  const show = (e: LogEntry): void => {
    const out = e.stream === 'stderr' ? ctx.stderr : ctx.stdout;
    if (bool(p, 'timestamps')) out.write(`${e.time} `);
    out.write(e.bytes);
  };
  let entries = await engine.logs(r.id);
  let shown = entries.length;
  for (const e of tail === 'all' ? entries : entries.slice(Math.max(0, entries.length - Number(tail))))
    show(e);
  if (!bool(p, 'follow')) return 0;
  for (;;) {
    const running = (await engine.list({ all: true })).some(
      (x) => x.id === r.id && x.state.status === 'running',
    );
    entries = await engine.logs(r.id);
    for (const e of entries.slice(shown)) show(e);
    shown = entries.length;
    if (!running) return 0;
    await new Promise((res) => setTimeout(res, 100));
  }
}

export const logs: VerbInfo = { name: 'logs', summary: 'Fetch the logs of a container', run };
