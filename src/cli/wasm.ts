/**
 * `berth wasm run [--dir HOSTDIR[:GUESTDIR]]… [--env K=V]… [--] MODULE.wasm [ARGS…]`:
 * run one WASI program on the emulated kernel with host directories preopened
 * (read-write, confined to the directory) and stdio on the terminal — berth as a WASI
 * runtime, like `wasmtime run`. Exits with the program's exit code (128+n if killed by
 * signal n), 126 if the file is not a runnable module, 127 if it does not exist.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { InputQueue } from '../kernel/proc/input-queue.js';
import { Kernel } from '../kernel/proc/kernel.js';
import { exitCode } from '../kernel/proc/process.js';
import { Signal } from '../kernel/proc/signals.js';
import { preopenEntry, type Entry } from '../kernel/wasi/host.js';
import { HostFs } from '../node/host-fs.js';
import { platform } from '../platform.js';
import { MemFs } from '../vfs/memfs.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth wasm run [OPTIONS] [--] MODULE.wasm [ARGS...]

Run a WASI (preview1) program on berth's kernel

Options:
      --dir HOSTDIR[:GUESTDIR]   Preopen a host directory (read-write, confined),
                                 as GUESTDIR (default: HOSTDIR as given)
      --env KEY=VALUE            Set an environment variable
  -h, --help                     Print usage
`;

interface RunArgs {
  dirs: { host: string; guest: string }[];
  env: Record<string, string>;
  module: string;
  args: string[];
}

function parse(argv: string[]): RunArgs | null {
  const out: RunArgs = { dirs: [], env: {}, module: '', args: [] };
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`, 'wasm run');
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const [flag, inline] =
      a.includes('=') && a.startsWith('--')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    if (flag === '-h' || flag === '--help') return null;
    if (flag === '--dir') {
      const spec = value(flag, inline);
      const colon = spec.indexOf(':');
      const host = colon < 0 ? spec : spec.slice(0, colon);
      const guest = colon < 0 ? spec : spec.slice(colon + 1);
      if (host === '' || guest === '')
        throw new UsageError(`invalid --dir ${spec}: expected HOSTDIR[:GUESTDIR]`, 'wasm run');
      out.dirs.push({ host, guest });
    } else if (flag === '--env' || flag === '-e') {
      const kv = value(flag, inline);
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`invalid --env ${kv}: expected KEY=VALUE`, 'wasm run');
      out.env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else throw new UsageError(`unknown flag: ${flag}`, 'wasm run');
  }
  const module = argv[i];
  if (module === undefined)
    throw new UsageError('"berth wasm run" requires at least 1 argument.', 'wasm run');
  out.module = module;
  out.args = argv.slice(i + 1);
  return out;
}

async function runModule(ctx: CliContext, a: RunArgs): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(a.module);
  } catch (e) {
    ctx.stderr.write(
      `berth: ${a.module}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`,
    );
    return 127;
  }
  const kernel = new Kernel({ workers: platform().workers(), pool: 1 });
  const stdin = new InputQueue();
  const onData = (chunk: Buffer): void => stdin.push(chunk);
  const onEnd = (): void => stdin.end();
  const fds: (Entry | undefined)[] = [
    stdin.entry(),
    // A terminal is a character device (isatty); a pipe or file is not.
    { type: 'stdio', write: (b) => void ctx.stdout.write(b.slice()), filetype: ctx.stdout.isTTY ? 2 : 0 },
    { type: 'stdio', write: (b) => void ctx.stderr.write(b.slice()), filetype: ctx.stderr.isTTY ? 2 : 0 },
  ];
  for (const d of a.dirs) {
    let fs: HostFs;
    try {
      fs = new HostFs(resolve(d.host));
    } catch {
      throw new UsageError(`--dir ${d.host}: not a directory`, 'wasm run');
    }
    fds.push(preopenEntry({ guestPath: d.guest, fs }));
  }
  if (fds.length === 3) fds.push(preopenEntry({ guestPath: '/', fs: new MemFs() }));
  const input = process.stdin;
  let proc;
  try {
    proc = await kernel.spawn({
      program: bytes,
      argv: [a.module, ...a.args],
      env: a.env,
      root: new MemFs(),
      fds,
    });
  } catch (e) {
    kernel.shutdown();
    if (e instanceof InvalidArgumentError) {
      ctx.stderr.write(`berth: ${a.module}: cannot execute: ${e.message}\n`);
      return 126;
    }
    throw e;
  }
  input.on('data', onData);
  input.on('end', onEnd);
  const forward = (sig: number) => () => kernel.signal(proc, sig);
  const onInt = forward(Signal.SIGINT);
  const onTerm = forward(Signal.SIGTERM);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return exitCode(await proc.exited);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    input.off('data', onData);
    input.off('end', onEnd);
    input.pause();
    kernel.shutdown();
  }
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const sub = argv[0];
  if (sub === undefined || sub === '--help' || sub === '-h') {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (sub !== 'run') throw new UsageError(`unknown command: berth wasm ${sub}`, 'wasm');
  const a = parse(argv.slice(1));
  if (a === null) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  return runModule(ctx, a);
}

export const wasm: VerbInfo = {
  name: 'wasm',
  summary: 'Run a WASI program on the emulated kernel (berth wasm run)',
  run,
};
