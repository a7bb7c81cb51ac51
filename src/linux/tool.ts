/**
 * Running the host tools the Linux backend leans on (mount, mknod, setfattr, runc…):
 * one place that turns a failure into an error naming the command and its stderr.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export class HostToolError extends Error {
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`${command} failed${code === null ? '' : ` (exit ${code})`}${stderr ? `: ${stderr.trim()}` : ''}`);
  }
}

export interface ToolOptions {
  cwd?: string;
  /** Written to the tool's stdin. */
  input?: string | Uint8Array;
}

/** Run `file args…` to completion; resolves with stdout, rejects with HostToolError. */
export function runTool(file: string, args: string[], opts: ToolOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof err.code === 'number' ? err.code : null;
          const what = [file, ...args].join(' ');
          reject(
            new HostToolError(
              what.length > 200 ? `${what.slice(0, 200)}…` : what,
              code,
              stderr || err.message,
            ),
          );
        } else resolve(stdout);
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** $PATH plus the sbin directories, where root's tools live even if $PATH lacks them. */
export function defaultSearchPath(): string {
  return `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`;
}

/** The absolute path of a command found on `path` (or the given absolute path), else undefined. */
export function findOnPath(name: string, path = defaultSearchPath()): string | undefined {
  const dirs = name.includes('/') ? [''] : path.split(':').filter((d) => d !== '');
  for (const dir of dirs) {
    const candidate = dir === '' ? name : `${dir}/${name}`;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
