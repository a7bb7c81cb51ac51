/**
 * `berth inspect [--type container|image] NAME…`: a JSON array like `docker inspect` —
 * each name is looked up as a container first, then as an image (as Docker does).
 */
import { NotFoundError } from '../errors.js';
import { inspectImage } from '../images/inspect.js';
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import { inspectContainer } from './container-view.js';
import type { CliContext, VerbInfo } from './context.js';
import { EXIT_FAILED, UsageError } from './errors.js';

const USAGE = `Usage:  berth inspect [OPTIONS] NAME|ID [NAME|ID...]

Return low-level information on containers or images, as a JSON array

Options:
      --type string   Only look for this type: container or image
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('inspect', argv, { type: { type: 'string' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('inspect', p, 1);
  const type = str(p, 'type');
  if (type !== undefined && type !== 'container' && type !== 'image')
    throw new UsageError(`"${type}" is not a valid value for --type`, 'inspect');
  const store = await ctx.store();
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const ref of p.positionals) {
    if (type !== 'image') {
      try {
        const { engine } = await ctx.engine();
        found.push(inspectContainer(await engine.inspect(ref)));
        continue;
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    try {
      if (type === 'container') throw new NotFoundError(`No such container: ${ref}`);
      found.push(inspectImage(await store.resolve(ref)));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      errors.push(type === undefined ? `No such object: ${ref}` : e.message);
    }
  }
  ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  for (const e of errors) ctx.stderr.write(`Error: ${e}\n`);
  return errors.length > 0 ? EXIT_FAILED : 0;
}

export const inspect: VerbInfo = {
  name: 'inspect',
  summary: 'Display detailed information on containers or images',
  run,
};
