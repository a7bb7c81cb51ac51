/** `berth history IMAGE`: the image's build steps, newest first, like `docker history`. */
import { imageHistory } from '../images/history.js';
import { shortId } from '../images/image-content.js';
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';
import { ellipsis, humanSize, since, table } from './format.js';

const USAGE = `Usage:  berth history [OPTIONS] IMAGE

Show the history of an image

Options:
      --format string   'table' (default) or 'json' (one JSON object per line)
      --no-trunc        Don't truncate output
  -q, --quiet           Only show image IDs
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('history', argv, {
    format: { type: 'string' },
    'no-trunc': { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('history', p, 1, true);
  const format = str(p, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`unsupported format '${format}': use 'table' or 'json'`, 'history');
  const noTrunc = bool(p, 'no-trunc');
  const image = await (await ctx.store()).resolve(p.positionals[0]!);
  const rows = imageHistory(image).map((h) => ({
    ID: h.id === '<missing>' || noTrunc ? h.id : shortId(h.id),
    CreatedSince: since(h.created),
    CreatedAt: h.created ?? '',
    CreatedBy: noTrunc ? h.createdBy : ellipsis(h.createdBy.replace(/\t/g, ' '), 45),
    Size: humanSize(h.size),
    Comment: h.comment,
  }));
  if (bool(p, 'quiet')) {
    for (const r of rows) ctx.stdout.write(`${r.ID}\n`);
  } else if (format === 'json') {
    for (const r of rows) ctx.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    ctx.stdout.write(
      table(
        ['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'],
        rows.map((r) => [r.ID, r.CreatedSince, r.CreatedBy, r.Size, r.Comment]),
      ),
    );
  }
  return 0;
}

export const history: VerbInfo = { name: 'history', summary: 'Show the history of an image', run };
