/** `berth images [--format json] [-q] [REPOSITORY[:TAG]]`: list images like `docker images`. */
import type { ImageSummary } from '../images/image-store.js';
import { shortId } from '../images/image-content.js';
import { familiarRepository, parseReference, repositoryOf, tryParseReference } from '../images/reference.js';
import { bool, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';
import { createdAt, humanSize, since, table } from './format.js';

const USAGE = `Usage:  berth images [OPTIONS] [REPOSITORY[:TAG]]

List images

Options:
      --format string   'table' (default) or 'json' (one JSON object per line)
      --no-trunc        Don't truncate image IDs
  -q, --quiet           Only show image IDs
`;

interface Row {
  Repository: string;
  Tag: string;
  ID: string;
  CreatedSince: string;
  CreatedAt: string;
  Size: string;
  Digest: string;
}

function rowsOf(images: ImageSummary[], noTrunc: boolean, filter?: string): Row[] {
  const want = filter !== undefined ? tryParseReference(filter, { defaultTag: false }) : undefined;
  if (filter !== undefined && !want) throw new UsageError(`invalid reference format: '${filter}'`, 'images');
  const rows: Row[] = [];
  for (const img of images) {
    const id = noTrunc ? img.id : shortId(img.id);
    const common = {
      ID: id,
      CreatedSince: since(img.created),
      CreatedAt: createdAt(img.created),
      Size: humanSize(img.size),
      Digest: img.target.digest,
    };
    const names = img.names.map((n) => parseReference(n));
    if (names.length === 0) {
      if (!want) rows.push({ Repository: '<none>', Tag: '<none>', ...common });
      continue;
    }
    for (const ref of names) {
      if (
        want &&
        (repositoryOf(want) !== repositoryOf(ref) || (want.tag !== undefined && want.tag !== ref.tag))
      )
        continue;
      rows.push({ Repository: familiarRepository(ref), Tag: ref.tag ?? '<none>', ...common });
    }
  }
  return rows;
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('images', argv, {
    format: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    'no-trunc': { type: 'boolean' },
  });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (p.positionals.length > 1) throw new UsageError('"berth images" accepts at most 1 argument.', 'images');
  const format = str(p, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`unsupported format '${format}': use 'table' or 'json'`, 'images');
  const store = await ctx.store();
  const rows = rowsOf(await store.list(), bool(p, 'no-trunc'), p.positionals[0]);
  if (bool(p, 'quiet')) {
    for (const r of rows) ctx.stdout.write(`${r.ID}\n`);
  } else if (format === 'json') {
    for (const r of rows) {
      ctx.stdout.write(
        `${JSON.stringify({ Containers: 'N/A', CreatedAt: r.CreatedAt, CreatedSince: r.CreatedSince, Digest: r.Digest, ID: r.ID, Repository: r.Repository, SharedSize: 'N/A', Size: r.Size, Tag: r.Tag, UniqueSize: 'N/A', VirtualSize: r.Size })}\n`,
      );
    }
  } else {
    ctx.stdout.write(
      table(
        ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
        rows.map((r) => [r.Repository, r.Tag, r.ID, r.CreatedSince, r.Size]),
      ),
    );
  }
  return 0;
}

export const images: VerbInfo = { name: 'images', summary: 'List images', run };
