/** `berth inspect IMAGE…`: a JSON array like `docker image inspect`. */
import { NotFoundError } from '../errors.js';
import { inspectImage, type ImageInspect } from '../images/inspect.js';
import { bool, needArgs, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { EXIT_FAILED } from './errors.js';

const USAGE = `Usage:  berth inspect IMAGE [IMAGE...]

Display detailed information on one or more images, as a JSON array
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('inspect', argv, {});
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('inspect', p, 1);
  const store = await ctx.store();
  const found: ImageInspect[] = [];
  const errors: string[] = [];
  for (const ref of p.positionals) {
    try {
      found.push(inspectImage(await store.resolve(ref)));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      errors.push(e.message);
    }
  }
  ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  for (const e of errors) ctx.stderr.write(`Error: ${e}\n`);
  return errors.length > 0 ? EXIT_FAILED : 0;
}

export const inspect: VerbInfo = { name: 'inspect', summary: 'Display detailed information on images', run };
