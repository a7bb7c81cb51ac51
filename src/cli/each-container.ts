/**
 * What the verbs that take CONTAINER... share: act on each in turn, print what the act
 * returns (the name as given, as Docker echoes it), report a failure as `Error: …` and
 * go on; exit 1 if any failed.
 */
import type { CliContext } from './context.js';

export async function eachContainer(
  ctx: CliContext,
  refs: string[],
  act: (ref: string) => Promise<string | void>,
): Promise<number> {
  let failed = false;
  for (const ref of refs) {
    try {
      const shown = await act(ref);
      ctx.stdout.write(`${shown ?? ref}\n`);
    } catch (e) {
      ctx.stderr.write(`Error: ${(e as Error).message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}
