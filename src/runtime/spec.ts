/**
 * What a runtime is asked to run: the parts of an OCI runtime-spec config.json that berth
 * uses (process, hostname, root.readonly, mounts, linux.resources), with the command,
 * environment and working directory already resolved by Docker's rules (command.ts).
 * The user stays a string (`uid[:gid]` or names) because names are looked up in the
 * container's own /etc/passwd, which only the runtime can read.
 */

export interface ProcessSpec {
  args: string[];
  /** NAME=value. */
  env: string[];
  cwd: string;
  /** `uid[:gid]`, `name[:group]`, or '' for root. */
  user: string;
  /** Allocate a terminal on fds 0–2. */
  terminal?: boolean;
}

/** An OCI mount: a bind of a host path (a volume) or a tmpfs. */
export interface SpecMount {
  destination: string;
  type: 'bind' | 'tmpfs';
  /** Host path for a bind; 'tmpfs' for tmpfs. */
  source: string;
  /** 'ro', 'rbind', 'size=64m', 'mode=1777', … */
  options: string[];
}

export interface Resources {
  memoryBytes?: number;
  pidsLimit?: number;
  /** CPUs as a fraction (Docker's --cpus): quota = cpus × period. */
  cpus?: number;
}

export interface RuntimeSpec {
  process: ProcessSpec;
  hostname: string;
  readOnlyRoot: boolean;
  mounts: SpecMount[];
  resources: Resources;
  /** berth's toolbox read-only at /.berth, first on PATH (emulated backend). */
  toolbox?: boolean;
}

export const CPU_PERIOD_US = 100_000;

/** The size= of a tmpfs mount's options in bytes (Docker's k/m/g suffixes), if any. */
export function tmpfsSize(options: string[]): number | undefined {
  for (const o of options) {
    if (!o.startsWith('size=')) continue;
    return parseBytes(o.slice(5));
  }
  return undefined;
}

/** "64m", "1g", "512k", "1000" (bytes) → bytes; NaN for anything else. */
export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)i?b?$/i.exec(text.trim());
  if (!m) return NaN;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase()]!;
  return Math.floor(Number(m[1]) * unit);
}
