/** `berth rmi [-f] IMAGE…`: untag and remove images, like `docker rmi`. */
import { BerthError } from '../errors.js';
import { familiarName, parseReference } from '../images/reference.js';
import { bool, needArgs, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { EXIT_FAILED } from './errors.js';

const USAGE = `Usage:  berth rmi [OPTIONS] IMAGE [IMAGE...]

Remove one or more images

Options:
  -f, --force   Remove the image even when several names point at it
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('rmi', argv, { force: { type: 'boolean', short: 'f' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('rmi', p, 1);
  const store = await ctx.store();
  let code = 0;
  for (const ref of p.positionals) {
    try {
      const r = await store.remove(ref, { force: bool(p, 'force') });
      for (const name of r.untagged) ctx.stdout.write(`Untagged: ${familiarName(parseReference(name))}\n`);
      if (r.deleted !== undefined) ctx.stdout.write(`Deleted: ${r.deleted}\n`);
    } catch (e) {
      if (!(e instanceof BerthError)) throw e;
      ctx.stderr.write(`Error: ${e.message}\n`);
      code = EXIT_FAILED;
    }
  }
  return code;
}

export const rmi: VerbInfo = { name: 'rmi', summary: 'Remove one or more images', run };
