/** `berth save IMAGE… -o FILE [--format …]`: write images as an archive, like `docker save`. */
import { archiveTar } from '../images/archive-files.js';
import { SAVE_FORMATS, saveFiles, type SaveFormat } from '../images/export-archive.js';
import { writeArchiveDir, writeFileFromStream } from '../node/archive-dir.js';
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth save [OPTIONS] IMAGE [IMAGE...]

Save one or more images to a tar archive (streamed to STDOUT by default) or an OCI
layout directory

Options:
      --format string   docker-archive (default, like docker save), oci-archive, or
                        oci-layout (a directory; needs -o)
  -o, --output string   Write to a file (or directory for oci-layout) instead of STDOUT
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('save', argv, {
    output: { type: 'string', short: 'o' },
    format: { type: 'string' },
  });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('save', p, 1);
  const format = (str(p, 'format') ?? 'docker-archive') as SaveFormat;
  if (!SAVE_FORMATS.includes(format))
    throw new UsageError(`unsupported format '${format}': use ${SAVE_FORMATS.join(', ')}`, 'save');
  const output = str(p, 'output');
  if (output === undefined && format === 'oci-layout')
    throw new UsageError('--format oci-layout needs -o DIR', 'save');
  if (output === undefined && ctx.stdout.isTTY) {
    throw new UsageError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 'save');
  }
  const files = await saveFiles(await ctx.store(), p.positionals, format);
  if (format === 'oci-layout') {
    await writeArchiveDir(output!, files);
  } else if (output !== undefined) {
    await writeFileFromStream(output, archiveTar(files));
  } else {
    for await (const chunk of archiveTar(files)) ctx.stdout.write(chunk);
  }
  return 0;
}

export const save: VerbInfo = { name: 'save', summary: 'Save images to a tar archive or OCI layout', run };
