/**
 * `berth stats --no-stream [--format json] [CONTAINER...]`: memory, pids and CPU of
 * running containers from their cgroups. Without --no-stream it redraws every second on
 * a terminal, as Docker does.
 */
import type { ContainerStats } from '../runtime/runtime.js';
import { bool, parseVerbArgs, str } from './args.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';
import { table } from './format.js';

const USAGE = `Usage:  berth stats [OPTIONS] [CONTAINER...]

Display a live stream of container resource usage statistics

Options:
      --format string   'table' (default) or 'json' (one JSON object per line)
      --no-stream       Disable streaming stats and only pull the first result
`;

/** Binary units as docker stats prints them: 1.5MiB, 64MiB. */
function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.parseFloat(v.toFixed(i === 0 ? 0 : 2))}${units[i]}`;
}

interface Sample {
  id: string;
  name: string;
  stats: ContainerStats;
  at: number;
}

function row(s: Sample, prev: Sample | undefined, hostMemory: number) {
  const cpu = prev ? ((s.stats.cpuNs - prev.stats.cpuNs) / ((s.at - prev.at) * 1e6)) * 100 : 0;
  const limit = s.stats.memoryLimit || hostMemory;
  return {
    BlockIO: '--',
    CPUPerc: `${cpu.toFixed(2)}%`,
    Container: s.id.slice(0, 12),
    ID: s.id.slice(0, 12),
    MemPerc: `${((s.stats.memoryBytes / limit) * 100).toFixed(2)}%`,
    MemUsage: `${bytes(s.stats.memoryBytes)} / ${bytes(limit)}`,
    Name: s.name,
    NetIO: '--',
    PIDs: String(s.stats.pids),
  };
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseVerbArgs('stats', argv, { 'no-stream': { type: 'boolean' }, format: { type: 'string' } });
  if (bool(p, 'help')) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  const format = str(p, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`unsupported format '${format}': use 'table' or 'json'`, 'stats');
  const { engine } = await ctx.engine();
  const { totalmem } = await import('node:os');
  const stream = !bool(p, 'no-stream') && ctx.stdout.isTTY === true;
  const refs = p.positionals.length > 0 ? p.positionals : (await engine.list()).map((r) => r.id);
  const sample = async (): Promise<Sample[]> => {
    const out: Sample[] = [];
    for (const ref of refs) {
      const r = await engine.inspect(ref);
      out.push({ id: r.id, name: r.name, stats: await engine.stats(r.id), at: Date.now() });
    }
    return out;
  };
  // CPU % needs two samples, as docker stats takes
  let prev = await sample();
  for (;;) {
    await new Promise((res) => setTimeout(res, stream ? 1000 : 200));
    const now = await sample();
    const rows = now.map((s) =>
      row(
        s,
        prev.find((x) => x.id === s.id),
        totalmem(),
      ),
    );
    if (stream) ctx.stdout.write('\x1b[2J\x1b[H');
    if (format === 'json') for (const r of rows) ctx.stdout.write(`${JSON.stringify(r)}\n`);
    else
      ctx.stdout.write(
        table(
          ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
          rows.map((r) => [r.ID, r.Name, r.CPUPerc, r.MemUsage, r.MemPerc, r.NetIO, r.BlockIO, r.PIDs]),
        ),
      );
    if (!stream) return 0;
    prev = now;
  }
}

export const stats: VerbInfo = { name: 'stats', summary: 'Display container resource usage statistics', run };
