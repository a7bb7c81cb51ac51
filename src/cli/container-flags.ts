/**
 * The flags of `berth run` and `berth create` (Docker's names and value formats). Flags
 * stop at the first positional, the image: what follows is the command.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Backend } from '../runtime/runtime.js';
import type { CreateOptions } from '../runtime/container-config.js';
import { parseBytes } from '../runtime/spec.js';
import { UsageError } from './errors.js';

export interface ContainerArgs extends CreateOptions {
  detach: boolean;
  help: boolean;
}

type Kind = 'bool' | 'value';
const FLAGS: Record<string, [string, Kind]> = {
  '--rm': ['rm', 'bool'],
  '-d': ['detach', 'bool'],
  '--detach': ['detach', 'bool'],
  '-i': ['interactive', 'bool'],
  '--interactive': ['interactive', 'bool'],
  '-t': ['tty', 'bool'],
  '--tty': ['tty', 'bool'],
  '--read-only': ['readOnly', 'bool'],
  '--toolbox': ['toolbox', 'bool'],
  '-h': ['help', 'bool'],
  '--help': ['help', 'bool'],
  '-e': ['env', 'value'],
  '--env': ['env', 'value'],
  '--env-file': ['envFile', 'value'],
  '-v': ['volume', 'value'],
  '--volume': ['volume', 'value'],
  '--tmpfs': ['tmpfs', 'value'],
  '-w': ['workdir', 'value'],
  '--workdir': ['workdir', 'value'],
  '-u': ['user', 'value'],
  '--user': ['user', 'value'],
  '--hostname': ['hostname', 'value'],
  '--name': ['name', 'value'],
  '--entrypoint': ['entrypoint', 'value'],
  '-m': ['memory', 'value'],
  '--memory': ['memory', 'value'],
  '--pids-limit': ['pidsLimit', 'value'],
  '--cpus': ['cpus', 'value'],
  '--backend': ['backend', 'value'],
  '--platform': ['platform', 'value'],
};

/** KEY=value lines of an --env-file (comments and blank lines skipped; KEY alone from the host). */
export function readEnvFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `open ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`,
    );
  }
  return text
    .split('\n')
    .map((l) => l.replace(/^\s+/, ''))
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function parseVolume(spec: string, verb: string): NonNullable<CreateOptions['volumes']>[number] {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || parts[0] === '' || parts[1] === '')
    throw new UsageError(`invalid volume specification: '${spec}'`, verb);
  const [source, target, mode] = parts as [string, string, string | undefined];
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw')
    throw new UsageError(`invalid mode: ${mode}`, verb);
  if (!isAbsolute(target))
    throw new UsageError(`invalid volume specification: '${spec}': destination must be absolute`, verb);
  if (!source.startsWith('/') && !source.startsWith('.'))
    throw new UsageError(
      `invalid volume specification: '${spec}': named volumes are not supported, give a host path`,
      verb,
    );
  // as docker run -v: a host directory that does not exist yet is made
  const abs = resolve(source);
  if (!existsSync(abs)) mkdirSync(abs, { recursive: true });
  return { source: abs, target, readOnly: mode === 'ro' };
}

function parseTmpfs(spec: string): { target: string; options: string[] } {
  const colon = spec.indexOf(':');
  const target = colon < 0 ? spec : spec.slice(0, colon);
  const options =
    colon < 0
      ? []
      : spec
          .slice(colon + 1)
          .split(',')
          .filter(Boolean);
  return { target, options };
}

export function parseContainerArgs(argv: string[], verb: string, env: NodeJS.ProcessEnv): ContainerArgs {
  const a: ContainerArgs = { detach: false, help: false, env: [], volumes: [], tmpfs: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    // -it, -dit: bundled short booleans
    if (/^-[a-z]{2,}$/.test(arg) && [...arg.slice(1)].every((c) => FLAGS[`-${c}`]?.[1] === 'bool')) {
      for (const c of arg.slice(1)) set(a, FLAGS[`-${c}`]![0], true);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const known = FLAGS[flag];
    if (known === undefined) throw new UsageError(`unknown flag: ${flag}`, verb);
    const [key, kind] = known;
    if (kind === 'bool') {
      const v = eq > 0 ? arg.slice(eq + 1) : 'true';
      if (v !== 'true' && v !== 'false')
        throw new UsageError(`invalid argument "${v}" for "${flag}" flag`, verb);
      set(a, key, v === 'true');
      continue;
    }
    const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`, verb);
    value(a, key, v, flag, verb, env);
  }
  if (a.help) return a;
  a.image = argv[i];
  a.cmd = argv.slice(i + 1);
  if (a.detach && a.autoRemove && a.backend === undefined) a.backend = 'emulated';
  return a;
}

/**
 * The --backend of a run/create command line, read without parsing values (no side
 * effects, no errors): whether berth must enter a user namespace first (rootless.ts).
 */
export function backendFlag(argv: string[]): string | undefined {
  let backend: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') break;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS[flag]?.[1] !== 'value') continue;
    const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (flag === '--backend') backend = v;
  }
  return backend;
}

function set(a: ContainerArgs, key: string, v: boolean): void {
  if (key === 'rm') a.autoRemove = v;
  else (a as unknown as Record<string, boolean>)[key] = v;
}

function value(
  a: ContainerArgs,
  key: string,
  v: string,
  flag: string,
  verb: string,
  env: NodeJS.ProcessEnv,
): void {
  const bad = (): never => {
    throw new UsageError(`invalid argument "${v}" for "${flag}" flag`, verb);
  };
  switch (key) {
    case 'env':
      a.env!.push(v);
      return;
    case 'envFile':
      a.env!.push(...readEnvFile(v));
      return;
    case 'volume':
      a.volumes!.push(parseVolume(v, verb));
      return;
    case 'tmpfs':
      a.tmpfs!.push(parseTmpfs(v));
      return;
    case 'entrypoint':
      a.entrypoint = v === '' ? [] : [v];
      return;
    case 'memory': {
      const n = parseBytes(v);
      if (!Number.isFinite(n)) bad();
      a.memoryBytes = n;
      return;
    }
    case 'pidsLimit': {
      if (!/^-?\d+$/.test(v)) bad();
      const n = Number(v);
      if (n > 0) a.pidsLimit = n; // 0 or -1: unlimited, as Docker
      return;
    }
    case 'cpus': {
      const n = Number(v);
      if (!/^\d*\.?\d+$/.test(v) || !Number.isFinite(n)) bad();
      a.cpus = n;
      return;
    }
    case 'backend':
      if (v !== 'emulated' && v !== 'linux')
        throw new UsageError(`invalid --backend ${v}: expected emulated or linux`, verb);
      a.backend = v as Backend;
      return;
    default:
      (a as unknown as Record<string, string>)[key] = v;
  }
  void env;
}
