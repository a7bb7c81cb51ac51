/** `berth top CONTAINER`: its processes, with ps -ef's columns as `docker top` shows them. */
import { bool, needArgs, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';
import { table } from './format.js';

const USAGE = `Usage:  berth top [OPTIONS] CONTAINER

Display the running processes of a container

Options:
      --format string   'table' (default) or 'json' (one JSON object per line)
`;

function cpuTime(seconds: number): string {
  const s = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ps's STIME: HH:MM for a process started today, MonDD this year, else the year. */
export function startTime(ms: number, now = new Date()): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d.toDateString() === now.toDateString()) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.getFullYear() === now.getFullYear()) return `${MONTHS[d.getMonth()]}${pad(d.getDate())}`;
  return String(d.getFullYear());
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('top', argv, { format: { type: 'string' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  needArgs('top', p, 1, true);
  const { engine } = await ctx.engine();
  const format = str(p, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`unsupported format '${format}': use 'table' or 'json'`, 'top');
  const rows = await engine.top(p.positionals[0]!);
  if (format === 'json') {
    for (const r of rows)
      ctx.stdout.write(
        `${JSON.stringify({ UID: r.uid, PID: r.pid, PPID: r.ppid, STime: startTime(r.startedMs), Time: cpuTime(r.cpuSeconds), Command: r.command })}\n`,
      );
    return 0;
  }
  ctx.stdout.write(
    table(
      ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
      rows.map((r) => [
        r.uid === 0 ? 'root' : String(r.uid),
        String(r.pid),
        String(r.ppid),
        '0',
        startTime(r.startedMs),
        '?',
        cpuTime(r.cpuSeconds),
        r.command,
      ]),
    ),
  );
  return 0;
}

export const top: VerbInfo = { name: 'top', summary: 'Display the running processes of a container', run };
