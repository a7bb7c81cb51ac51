/** `berth export IMAGE -o FILE`: the image's flattened root filesystem as a tar (`docker export` of a fresh container). */
import { exportFilesystem } from '../images/export-filesystem.js';
import { writeFileFromStream } from '../node/archive-dir.js';
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth export [OPTIONS] IMAGE

Export an image's root filesystem (all layers applied) as a tar archive

Options:
  -o, --output string   Write to a file instead of STDOUT
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('export', argv, { output: { type: 'string', short: 'o' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('export', p, 1, true);
  const output = str(p, 'output');
  if (output === undefined && ctx.stdout.isTTY) {
    throw new UsageError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 'export');
  }
  const store = await ctx.store();
  const image = await store.resolve(p.positionals[0]!);
  const tar = await exportFilesystem(store.content, image);
  if (output !== undefined) await writeFileFromStream(output, tar);
  else for await (const chunk of tar) ctx.stdout.write(chunk);
  return 0;
}

export const exportVerb: VerbInfo = {
  name: 'export',
  summary: "Export an image's filesystem as a tar archive",
  run,
};
