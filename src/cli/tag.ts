/** `berth tag SOURCE TARGET`: give an image another name. */
import { bool, needArgs, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';

const USAGE = `Usage:  berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]

Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
`;

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('tag', argv, {});
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('tag', p, 2, true);
  await (await ctx.store()).tag(p.positionals[0]!, p.positionals[1]!);
  return 0;
}

export const tag: VerbInfo = {
  name: 'tag',
  summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  run,
};
