/** `berth diff CONTAINER`: what it changed in its root, as Docker's A/C/D lines. */
import { formatChanges } from '../runtime/changes.js';
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth diff [OPTIONS] CONTAINER

Inspect changes to files or directories on a container's filesystem

Options:
      --format string   'table' (default: "KIND PATH" lines) or 'json' (one object per line)
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('diff', argv, { format: { type: 'string' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('diff', p, 1, true);
  const format = str(p, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`unsupported format '${format}': use 'table' or 'json'`, 'diff');
  const { engine } = await ctx.engine();
  const changes = await engine.diff(p.positionals[0]!);
  if (format === 'json')
    for (const c of changes) ctx.stdout.write(`${JSON.stringify({ Kind: c.kind, Path: c.path })}\n`);
  else ctx.stdout.write(formatChanges(changes));
  return 0;
}

export const diff: VerbInfo = { name: 'diff', summary: "Inspect changes on a container's filesystem", run };
