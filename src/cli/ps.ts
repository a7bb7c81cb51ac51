/** `berth ps [-a] [-q] [--no-trunc] [--format json]`: list containers like `docker ps`. */
import type { ContainerRecord } from '../runtime/records.js';
import { bool, parseVerbArgs, str } from './args.js';
import { commandText, statusText } from './container-view.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';
import { createdAt, since, table } from './format.js';

const USAGE = `Usage:  berth ps [OPTIONS]

List containers

Options:
  -a, --all             Show all containers (default shows just running)
      --format string   'table' (default) or 'json' (one JSON object per line)
      --no-trunc        Don't truncate output
  -q, --quiet           Only display container IDs
`;

function json(r: ContainerRecord, id: string): string {
  return JSON.stringify({
    Command: commandText(r, true),
    CreatedAt: createdAt(r.created),
    ID: id,
    Image: r.image,
    Labels: '',
    LocalVolumes: '0',
    Mounts: r.spec.mounts
      .filter((m) => m.type === 'bind')
      .map((m) => m.source)
      .join(','),
    Names: r.name,
    Networks: 'none',
    Ports: '',
    RunningFor: since(r.created),
    Size: 'N/A',
    State: r.state.status,
    Status: statusText(r),
    Backend: r.backend,
  });
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('ps', argv, {
    all: { type: 'boolean', short: 'a' },
    quiet: { type: 'boolean', short: 'q' },
    'no-trunc': { type: 'boolean' },
    format: { type: 'string' },
  });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (p.positionals.length > 0) throw new UsageError('"berth ps" accepts no arguments.', 'ps');
  const format = str(p, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`unsupported format '${format}': use 'table' or 'json'`, 'ps');
  const { engine } = await ctx.engine();
  const list = await engine.list({ all: bool(p, 'all') });
  const noTrunc = bool(p, 'no-trunc');
  const idOf = (r: ContainerRecord) => (noTrunc ? r.id : r.id.slice(0, 12));
  if (bool(p, 'quiet')) for (const r of list) ctx.stdout.write(`${idOf(r)}\n`);
  else if (format === 'json') for (const r of list) ctx.stdout.write(`${json(r, idOf(r))}\n`);
  else
    ctx.stdout.write(
      table(
        ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'],
        list.map((r) => [
          idOf(r),
          r.image,
          commandText(r, noTrunc),
          since(r.created),
          statusText(r),
          '',
          r.name,
        ]),
      ),
    );
  return 0;
}

export const ps: VerbInfo = { name: 'ps', summary: 'List containers', run };
