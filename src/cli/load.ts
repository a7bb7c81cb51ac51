/** `berth load [-i FILE|DIR] [FILE|DIR]`: import an OCI layout, oci-archive or docker-archive. */
import { stat } from 'node:fs/promises';
import { importArchive, type ImportResult } from '../images/import-archive.js';
import { familiarName, parseReference } from '../images/reference.js';
import { dirFileSet, fileStream, isDirectory } from '../node/archive-dir.js';
import { bool, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';
import { withProgress } from './progress.js';

const USAGE = `Usage:  berth load [OPTIONS] [FILE|DIR]

Load images from an OCI image layout directory, an oci-archive or a docker-archive
(tar, optionally gzip or zstd compressed), or from STDIN.

Options:
  -i, --input string   Read from this archive file or layout directory instead of STDIN
  -q, --quiet          Suppress the load output
`;

export function loadedLines(result: ImportResult): string[] {
  return result.images.map((r) =>
    r.name !== undefined
      ? `Loaded image: ${familiarName(parseReference(r.name))}`
      : `Loaded image ID: ${r.id}`,
  );
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('load', argv, {
    input: { type: 'string', short: 'i' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  const flagInput = str(p, 'input');
  if (p.positionals.length > 1 || (flagInput !== undefined && p.positionals.length > 0)) {
    throw new UsageError('"berth load" accepts one input: -i FILE or a FILE argument', 'load');
  }
  const input = flagInput ?? p.positionals[0];
  const store = await ctx.store();
  let result: ImportResult;
  if (input === undefined) {
    if (ctx.stdin.isTTY)
      throw new UsageError('requested load from stdin, but stdin is a terminal; use -i FILE', 'load');
    result = await importArchive(store, withProgress('Loading', ctx.stdin, undefined, ctx.stderr), {
      sourceName: 'stdin',
    });
  } else if (await isDirectory(input)) {
    result = await importArchive(store, dirFileSet(input));
  } else {
    const size = (await stat(input)).size;
    result = await importArchive(store, withProgress('Loading', fileStream(input), size, ctx.stderr), {
      sourceName: input,
    });
  }
  if (!bool(p, 'quiet')) for (const line of loadedLines(result)) ctx.stdout.write(`${line}\n`);
  return 0;
}

export const load: VerbInfo = { name: 'load', summary: 'Load images from an archive or an OCI layout', run };
