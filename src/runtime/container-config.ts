/**
 * From `berth create`/`run` options and the image's config to the RuntimeSpec a backend
 * runs, by Docker's rules: Entrypoint + Cmd (a command replaces Cmd), image Env then -e,
 * WorkingDir, User, hostname = the first 12 hex digits of the id.
 */
import { InvalidArgumentError } from '../errors.js';
import type { ImageConfig } from '../oci/types.js';
import { commandLine, environment } from './command.js';
import type { Backend } from './runtime.js';
import type { RuntimeSpec, SpecMount } from './spec.js';

export interface Volume {
  /** Host path (absolute). */
  source: string;
  target: string;
  readOnly?: boolean;
}

export interface CreateOptions {
  /** Undefined or 'toolbox': berth's base image. */
  image?: string;
  cmd?: string[];
  /** [] clears the image's entrypoint (`--entrypoint ''`). */
  entrypoint?: string[];
  /** NAME=value, or NAME to take it from hostEnv. */
  env?: string[];
  hostEnv?: Record<string, string | undefined>;
  workdir?: string;
  user?: string;
  hostname?: string;
  name?: string;
  volumes?: Volume[];
  /** `PATH[:options]` as for --tmpfs, parsed. */
  tmpfs?: { target: string; options: string[] }[];
  readOnly?: boolean;
  memoryBytes?: number;
  pidsLimit?: number;
  cpus?: number;
  backend?: Backend;
  /** os/arch[/variant] to pick from a multi-platform image. */
  platform?: string;
  toolbox?: boolean;
  autoRemove?: boolean;
  tty?: boolean;
  interactive?: boolean;
}

function absolute(path: string, what: string): string {
  if (!path.startsWith('/')) throw new InvalidArgumentError(`${what} '${path}' is not an absolute path`);
  return path;
}

export function buildSpec(id: string, o: CreateOptions, config: ImageConfig): RuntimeSpec {
  if (o.workdir !== undefined && !o.workdir.startsWith('/'))
    throw new InvalidArgumentError(
      `the working directory '${o.workdir}' is invalid, it needs to be an absolute path`,
    );
  const args = commandLine(config, o.cmd ?? [], o.entrypoint);
  if (args.length === 0) throw new InvalidArgumentError('no command specified');
  const hostname = o.hostname ?? id.slice(0, 12);
  const env = environment(config, o.env ?? [], o.hostEnv);
  env.HOSTNAME ??= hostname;
  const mounts: SpecMount[] = [];
  for (const v of o.volumes ?? []) {
    mounts.push({
      destination: absolute(v.target, 'volume destination'),
      type: 'bind',
      source: absolute(v.source, 'volume source'),
      options: ['rbind', ...(v.readOnly ? ['ro'] : [])],
    });
  }
  for (const t of o.tmpfs ?? [])
    mounts.push({
      destination: absolute(t.target, 'tmpfs'),
      type: 'tmpfs',
      source: 'tmpfs',
      options: t.options,
    });
  if (o.memoryBytes !== undefined && !(o.memoryBytes >= 6 * 1024 * 1024))
    throw new InvalidArgumentError('Minimum memory limit allowed is 6MB');
  if (o.cpus !== undefined && !(o.cpus > 0))
    throw new InvalidArgumentError('Range of CPUs is from 0.01 to the number of CPUs');
  return {
    process: {
      args,
      env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      cwd: o.workdir ?? (config.config?.WorkingDir || '/'),
      user: o.user ?? config.config?.User ?? '',
      terminal: o.tty ?? false,
    },
    hostname,
    readOnlyRoot: o.readOnly ?? false,
    mounts,
    resources: {
      ...(o.memoryBytes === undefined ? {} : { memoryBytes: o.memoryBytes }),
      ...(o.pidsLimit === undefined ? {} : { pidsLimit: o.pidsLimit }),
      ...(o.cpus === undefined ? {} : { cpus: o.cpus }),
    },
    ...(o.toolbox ? { toolbox: true } : {}),
  };
}
