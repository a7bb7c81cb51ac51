/**
 * `berth system prune [-f]`: remove every container that is not running (dead ones —
 * whose berth process was killed — included) and the blobs no image or container needs.
 */
import { bool, parseVerbArgs } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth system prune [OPTIONS]

Remove stopped containers and unreferenced content

Options:
  -f, --force   Do not prompt for confirmation
`;

async function prune(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('system prune', argv, { force: { type: 'boolean', short: 'f' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (!bool(p, 'force')) {
    ctx.stdout.write(
      'WARNING! This will remove:\n  - all stopped containers\n  - all content no image refers to\nAre you sure you want to continue? [y/N] ',
    );
    let answer = '';
    for await (const chunk of ctx.stdin) {
      answer += Buffer.from(chunk).toString('utf8');
      if (answer.includes('\n')) break;
    }
    if (!/^y(es)?$/i.test(answer.trim())) return 0;
  }
  const { engine } = await ctx.engine();
  const gone = await engine.prune();
  if (process.getuid?.() === 0) {
    const { pruneLinux } = await import('../linux/prune.js');
    const recorded = new Set((await engine.list({ all: true })).map((r) => r.id));
    await pruneLinux(ctx.root, recorded);
  }
  if (gone.length > 0) ctx.stdout.write(`Deleted Containers:\n${gone.map((r) => `${r.id}\n`).join('')}\n`);
  const blobs = await engine.store.gc();
  ctx.stdout.write(`Total reclaimed: ${gone.length} containers, ${blobs.length} blobs\n`);
  return 0;
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    ctx.stdout.write(
      'Usage:  berth system COMMAND\n\nCommands:\n  prune   Remove stopped containers and unreferenced content\n',
    );
    return 0;
  }
  if (sub === 'prune') return prune(ctx, rest);
  throw new UsageError(`unknown command "${sub}" for "berth system"`, 'system');
}

export const system: VerbInfo = { name: 'system', summary: 'Manage berth (prune)', run };
