/**
 * How containers look in `ps` and `inspect`: Docker's status texts ("Up 3 seconds",
 * "Exited (0) 2 minutes ago"), its quoted, shortened COMMAND column, and the
 * `docker container inspect` document.
 */
import type { ContainerRecord } from '../runtime/records.js';
import { humanDuration } from './format.js';

export function statusText(r: ContainerRecord, now = Date.now()): string {
  const s = r.state;
  const ago = (t: string | undefined) => (t ? humanDuration(Math.max(0, now - Date.parse(t))) : '');
  switch (s.status) {
    case 'created':
      return 'Created';
    case 'running':
      return `Up ${ago(s.startedAt)}`;
    case 'exited':
      return `Exited (${s.exitCode}) ${ago(s.finishedAt)} ago`;
    case 'dead':
      return 'Dead';
  }
}

export function commandText(r: ContainerRecord, noTrunc = false): string {
  const cmd = r.spec.process.args.join(' ');
  const shown = noTrunc || [...cmd].length <= 20 ? cmd : `${[...cmd].slice(0, 19).join('')}…`;
  return `"${shown}"`;
}

const NANO = 1e9;

export function inspectContainer(r: ContainerRecord): Record<string, unknown> {
  const s = r.state;
  const [path, ...args] = r.spec.process.args;
  const binds = r.spec.mounts
    .filter((m) => m.type === 'bind')
    .map((m) => `${m.source}:${m.destination}${m.options.includes('ro') ? ':ro' : ''}`);
  const tmpfs = Object.fromEntries(
    r.spec.mounts.filter((m) => m.type === 'tmpfs').map((m) => [m.destination, m.options.join(',')]),
  );
  return {
    Id: r.id,
    Created: r.created,
    Path: path,
    Args: args,
    State: {
      Status: s.status,
      Running: s.status === 'running',
      Paused: false,
      Restarting: false,
      OOMKilled: s.oomKilled,
      Dead: s.status === 'dead',
      Pid: s.status === 'running' ? (s.ownerPid ?? 0) : 0,
      ExitCode: s.exitCode,
      Error: s.error ?? '',
      StartedAt: s.startedAt ?? '0001-01-01T00:00:00Z',
      FinishedAt: s.finishedAt ?? '0001-01-01T00:00:00Z',
    },
    Image: r.imageId,
    Name: `/${r.name}`,
    Platform: r.platform,
    Backend: r.backend,
    HostConfig: {
      Binds: binds,
      AutoRemove: r.autoRemove,
      ReadonlyRootfs: r.spec.readOnlyRoot,
      Tmpfs: tmpfs,
      Memory: r.spec.resources.memoryBytes ?? 0,
      PidsLimit: r.spec.resources.pidsLimit ?? null,
      NanoCpus: Math.round((r.spec.resources.cpus ?? 0) * NANO),
    },
    Mounts: r.spec.mounts
      .filter((m) => m.type === 'bind')
      .map((m) => ({
        Type: 'bind',
        Source: m.source,
        Destination: m.destination,
        Mode: m.options.includes('ro') ? 'ro' : '',
        RW: !m.options.includes('ro'),
      })),
    Config: {
      Hostname: r.spec.hostname,
      User: r.spec.process.user,
      Tty: r.spec.process.terminal ?? false,
      Env: r.spec.process.env,
      Cmd: r.spec.process.args,
      Image: r.image,
      WorkingDir: r.spec.process.cwd,
    },
  };
}
