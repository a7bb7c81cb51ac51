/**
 * `berth` command line: global options, then one verb per file. Exit codes follow
 * Docker: 0 ok, 1 the command failed, 125 usage or engine error (see errors.ts).
 */
import '../node/platform.js';
import { defaultRoot } from '../node/image-store.js';
import { enterUserNamespace, needsUserNamespace, signalUserNamespaceReady } from './rootless.js';
import { makeContext, type CliContext, type VerbInfo } from './context.js';
import { EXIT_ENGINE, report, UsageError } from './errors.js';
import { exportVerb } from './export.js';
import { history } from './history.js';
import { images } from './images.js';
import { inspect } from './inspect.js';
import { load } from './load.js';
import { rmi } from './rmi.js';
import { commit } from './commit.js';
import { cp } from './cp.js';
import { diff } from './diff.js';
import { exec } from './exec.js';
import { kill } from './kill.js';
import { logs } from './logs.js';
import { ps } from './ps.js';
import { rm } from './rm.js';
import { createVerb, runVerb } from './run.js';
import { serve } from './serve.js';
import { start } from './start.js';
import { stats } from './stats.js';
import { stop } from './stop.js';
import { system } from './system.js';
import { top } from './top.js';
import { wait } from './wait.js';
import { save } from './save.js';
import { tag } from './tag.js';
import { wasm } from './wasm.js';

export const VERSION = '0.1.0';

export const VERBS: VerbInfo[] = [
  runVerb,
  createVerb,
  start,
  exec,
  ps,
  logs,
  stop,
  kill,
  rm,
  wait,
  top,
  stats,
  diff,
  commit,
  cp,
  inspect,
  images,
  history,
  load,
  save,
  exportVerb,
  tag,
  rmi,
  system,
  wasm,
];

/** Verbs berth runs for itself (not listed in the usage). */
const INTERNAL: VerbInfo[] = [serve];

function usage(): string {
  const width = Math.max(...VERBS.map((v) => v.name.length)) + 3;
  return `Usage:  berth [OPTIONS] COMMAND

Containers that run anywhere a JavaScript engine runs

Options:
      --root string   Where berth keeps its state (default $BERTH_ROOT, else
                      $XDG_DATA_HOME/berth, else ~/.local/share/berth)
  -h, --help          Print usage
  -v, --version       Print version information and quit

Commands:
${VERBS.map((v) => `  ${v.name.padEnd(width)}${v.summary}`).join('\n')}

Run 'berth COMMAND --help' for more information on a command.
`;
}

interface Globals {
  root?: string;
  rest: string[];
  help: boolean;
  version: boolean;
}

function parseGlobals(argv: string[]): Globals {
  const g: Globals = { rest: [], help: false, version: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) break;
    if (a === '--root') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('flag needs an argument: --root');
      g.root = v;
    } else if (a.startsWith('--root=')) {
      g.root = a.slice('--root='.length);
    } else if (a === '--help' || a === '-h') {
      g.help = true;
    } else if (a === '--version' || a === '-v') {
      g.version = true;
    } else {
      throw new UsageError(`unknown flag: ${a}`);
    }
  }
  g.rest = argv.slice(i);
  return g;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  makeCtx: (root: string) => CliContext = (root) => makeContext(root, env),
): Promise<number> {
  let verbName: string | undefined;
  signalUserNamespaceReady(env);
  try {
    const g = parseGlobals(argv);
    if (g.version && g.rest.length === 0) {
      process.stdout.write(`berth version ${VERSION}\n`);
      return 0;
    }
    verbName = g.rest[0];
    if (verbName === undefined || verbName === 'help') {
      process.stdout.write(usage());
      return 0;
    }
    if (verbName === 'version') {
      process.stdout.write(`berth version ${VERSION}\n`);
      return 0;
    }
    const verb = [...VERBS, ...INTERNAL].find((v) => v.name === verbName);
    if (!verb) {
      process.stderr.write(`berth: '${verbName}' is not a berth command.\nSee 'berth --help'.\n`);
      return EXIT_ENGINE;
    }
    const root = g.root ?? defaultRoot(env);
    // a non-root user's Linux containers live in a user namespace (rootless.ts)
    if (needsUserNamespace(g.rest, root)) return await enterUserNamespace(argv, env);
    const ctx = makeCtx(root);
    const args = g.help ? ['--help', ...g.rest.slice(1)] : g.rest.slice(1);
    try {
      return await verb.run(ctx, args);
    } finally {
      await ctx.close();
    }
  } catch (e) {
    const r = report(e, verbName);
    process.stderr.write(r.text);
    return r.code;
  }
}
