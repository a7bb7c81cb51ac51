/**
 * Docker's rules for what a container runs: the image's Entrypoint + Cmd, a command
 * given on the command line replacing Cmd, its environment (image Env, then -e), and the
 * program found on PATH inside the container's root the way execve would find it.
 */
import { FsError } from '../vfs/errno.js';
import type { FileSystem } from '../vfs/filesystem.js';
import type { ImageConfig } from '../oci/types.js';
import { classifyExecutable, execFormatMessage } from '../kernel/proc/exec-image.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A command that cannot run; `exitCode` as Docker's: 126 cannot execute, 127 not found. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: 126 | 127,
  ) {
    super(message);
  }
}

export function commandLine(config: ImageConfig, cmd: string[], entrypoint?: string[]): string[] {
  const ep = entrypoint ?? config.config?.Entrypoint ?? [];
  const args = cmd.length > 0 ? cmd : entrypoint !== undefined ? [] : (config.config?.Cmd ?? []);
  return [...ep, ...args];
}

/** Image Env then `extra` (NAME=value, or NAME alone to take it from `host`), as a record. */
export function environment(
  config: ImageConfig,
  extra: string[],
  host: Record<string, string | undefined> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of [...(config.config?.Env ?? []), ...extra]) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
    else if (eq < 0 && host[kv] !== undefined) env[kv] = host[kv]!;
  }
  env.PATH ??= DEFAULT_PATH;
  return env;
}

function isExecutableFile(fs: FileSystem, path: string): boolean | 'denied' {
  try {
    const st = fs.stat(path);
    if ((st.mode & 0o170000) !== 0o100000) return false;
    return (st.mode & 0o111) !== 0 ? true : 'denied';
  } catch (e) {
    if (e instanceof FsError) return false;
    throw e;
  }
}

/** The path execve would run for `name` (PATH search when it has no '/'). */
export function findCommand(fs: FileSystem, name: string, path: string, cwd: string): string {
  if (name.includes('/')) {
    const abs = name.startsWith('/') ? name : `${cwd.replace(/\/$/, '')}/${name}`;
    const ok = isExecutableFile(fs, abs);
    if (ok === true) return abs;
    throw ok === 'denied'
      ? new CommandError(`exec ${name}: permission denied`, 126)
      : new CommandError(`exec ${name}: no such file or directory`, 127);
  }
  let denied = false;
  for (const dir of path.split(':')) {
    const candidate = `${dir === '' ? '.' : dir.replace(/\/$/, '')}/${name}`;
    const ok = isExecutableFile(fs, candidate);
    if (ok === true) return candidate;
    if (ok === 'denied') denied = true;
  }
  throw denied
    ? new CommandError(`exec: "${name}": permission denied`, 126)
    : new CommandError(`exec: "${name}": executable file not found in $PATH`, 127);
}

/** Follow `#!` lines and refuse ELF programs, naming their platform; returns the module to load. */
export function programFor(
  fs: FileSystem,
  path: string,
  argv: string[],
  depth = 0,
): { path: string; argv: string[]; bytes: Uint8Array } {
  const bytes = fs.readFile(path);
  const kind = classifyExecutable(bytes.subarray(0, 256));
  if (kind.kind === 'elf') throw new CommandError(execFormatMessage(path, kind.platform), 126);
  if (kind.kind === 'script') {
    if (depth >= 4) throw new CommandError(`exec ${path}: too many levels of #! interpreters`, 126);
    const args = [kind.interpreter, ...(kind.arg === undefined ? [] : [kind.arg]), path, ...argv.slice(1)];
    return programFor(fs, kind.interpreter, args, depth + 1);
  }
  if (kind.kind !== 'wasm') throw new CommandError(`exec ${path}: exec format error`, 126);
  return { path, argv, bytes };
}
