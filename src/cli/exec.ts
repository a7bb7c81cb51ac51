/** `berth exec [-i] [-t] [-e] [-w] [-u] CONTAINER COMMAND [ARG...]`: run a process in a running container. */
import { foregroundStdio } from './attach.js';
import { readEnvFile } from './container-flags.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';
import { startFailure } from './start-failure.js';

const USAGE = `Usage:  berth exec [OPTIONS] CONTAINER COMMAND [ARG...]

Execute a command in a running container

Options:
  -e, --env list          Set environment variables
      --env-file list     Read in a file of environment variables
  -i, --interactive       Keep STDIN open
  -t, --tty               Allocate a terminal
  -u, --user string       Username or UID (format: <name|uid>[:<group|gid>])
  -w, --workdir string    Working directory inside the container
`;

interface ExecArgs {
  env: string[];
  interactive: boolean;
  tty: boolean;
  user?: string;
  workdir?: string;
  rest: string[];
}

function parse(argv: string[]): ExecArgs | null {
  const a: ExecArgs = { env: [], interactive: false, tty: false, rest: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    if (arg === '-h' || arg === '--help') return null;
    if (/^-[it]+$/.test(arg)) {
      a.interactive ||= arg.includes('i');
      a.tty ||= arg.includes('t');
      continue;
    }
    if (arg === '--interactive') a.interactive = true;
    else if (arg === '--tty') a.tty = true;
    else {
      const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
      const flag = eq > 0 ? arg.slice(0, eq) : arg;
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (!['-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir'].includes(flag))
        throw new UsageError(`unknown flag: ${flag}`, 'exec');
      if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`, 'exec');
      if (flag === '-e' || flag === '--env') a.env.push(v);
      else if (flag === '--env-file') a.env.push(...readEnvFile(v));
      else if (flag === '-u' || flag === '--user') a.user = v;
      else a.workdir = v;
    }
  }
  a.rest = argv.slice(i);
  return a;
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const a = parse(argv);
  if (a === null) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (a.rest.length < 2) throw new UsageError('"berth exec" requires at least 2 arguments.', 'exec');
  const [ref, ...cmd] = a.rest as [string, ...string[]];
  const ne = await ctx.engine();
  const env = a.env.map((kv) =>
    kv.includes('=') || ctx.env[kv] === undefined ? kv : `${kv}=${ctx.env[kv]}`,
  );
  const { stdio, done } = foregroundStdio(ctx, { interactive: a.interactive, tty: a.tty });
  try {
    const p = await ne.engine.exec(ref, { cmd, env, workdir: a.workdir, user: a.user, tty: a.tty }, stdio);
    return await p.wait();
  } catch (e) {
    const f = startFailure(e);
    ctx.stderr.write(f.code === 125 ? `Error: ${f.message}\n` : `berth: ${f.message}\n`);
    return f.code === 125 ? 1 : f.code;
  } finally {
    done();
    await ne.close();
  }
}

export const exec: VerbInfo = { name: 'exec', summary: 'Execute a command in a running container', run };
