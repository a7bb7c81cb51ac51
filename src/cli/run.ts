/**
 * `berth run [OPTIONS] [IMAGE] [COMMAND] [ARG...]`: run a command in a new container on
 * the emulated kernel. No IMAGE (or `toolbox`) means the built-in base image
 * berth/toolbox:latest, loaded into the store on first use. `--toolbox` mounts that
 * toolbox at /.berth inside any image. The Linux backend and the rest of Docker's run
 * flags come with the runtime work (issue 5).
 */
import { UnsupportedPlatformError } from '../errors.js';
import { imageLayerTrees } from '../images/export-filesystem.js';
import type { ImageStore, ResolvedImage } from '../images/image-store.js';
import { InputQueue } from '../kernel/proc/input-queue.js';
import { execFormatMessage } from '../kernel/proc/exec-image.js';
import { Kernel } from '../kernel/proc/kernel.js';
import { Terminal } from '../kernel/tty/terminal.js';
import { exitCode } from '../kernel/proc/process.js';
import { Signal } from '../kernel/proc/signals.js';
import type { Entry } from '../kernel/wasi/host.js';
import { flattenLayers } from '../layers/flatten.js';
import { parsePlatform } from '../oci/platform.js';
import { attachTerminal, type Attached } from '../node/terminal-stdio.js';
import { packagedToolboxFiles } from '../node/toolbox-image.js';
import { platform as jsPlatform } from '../platform.js';
import { CommandError } from '../runtime/command.js';
import { runEmulated } from '../runtime/emulated.js';
import { runOnLinux } from './run-linux.js';
import { ensureToolboxImage, isToolboxReference } from '../toolbox/ensure.js';
import { TOOLBOX_IMAGE, WASI_PLATFORM } from '../toolbox/image.js';
import type { CliContext, VerbInfo } from './context.js';
import { UsageError } from './errors.js';

const USAGE = `Usage:  berth run [OPTIONS] [IMAGE] [COMMAND] [ARG...]

Create and run a new container from an image (default: the built-in berth/toolbox)

Options:
      --backend string    emulated (default), or linux (root: crun or runc)
  -e, --env list          Set environment variables (NAME=value, or NAME from here)
      --entrypoint string Overwrite the default ENTRYPOINT of the image
  -h, --help              Print usage
      --hostname string   Container host name
  -i, --interactive       Keep STDIN open
  -t, --tty               Allocate a terminal (line editing, ^C to the foreground job)
      --name string       Assign a name to the container
      --platform string   Image platform to use (default: wasip1/wasm, else the host's)
      --rm                Remove the container when it exits (emulated containers
                          live only while berth runs, so they always go)
      --toolbox           Mount berth's toolbox read-only at /.berth, first on PATH
  -w, --workdir string    Working directory inside the container
`;

interface RunArgs {
  image: string | undefined;
  cmd: string[];
  env: string[];
  entrypoint?: string;
  hostname?: string;
  name?: string;
  workdir?: string;
  platform?: string;
  backend: string;
  interactive: boolean;
  tty: boolean;
  toolbox: boolean;
}

const VALUE_FLAGS: Record<string, keyof RunArgs> = {
  '-e': 'env',
  '--env': 'env',
  '--entrypoint': 'entrypoint',
  '--hostname': 'hostname',
  '--name': 'name',
  '-w': 'workdir',
  '--workdir': 'workdir',
  '--platform': 'platform',
  '--backend': 'backend',
};

/** Flags stop at the first positional (the image): what follows is the command. */
function parse(argv: string[]): RunArgs | null {
  const a: RunArgs = {
    image: undefined,
    cmd: [],
    env: [],
    backend: 'emulated',
    interactive: false,
    tty: false,
    toolbox: false,
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '-h' || flag === '--help') return null;
    if (flag === '--rm') continue;
    if (flag === '-i' || flag === '--interactive') a.interactive = true;
    else if (flag === '-t' || flag === '--tty') a.tty = true;
    else if (flag === '-it' || flag === '-ti') a.interactive = a.tty = true;
    else if (flag === '--toolbox') a.toolbox = true;
    else if (flag in VALUE_FLAGS) {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`, 'run');
      const key = VALUE_FLAGS[flag]!;
      if (key === 'env') a.env.push(v);
      else (a as unknown as Record<string, string>)[key] = v;
    } else throw new UsageError(`unknown flag: ${flag}`, 'run');
  }
  a.image = argv[i];
  a.cmd = argv.slice(i + 1);
  return a;
}

/** The emulated backend prefers the wasip1/wasm image of an index, else takes the host's. */
async function resolveForEmulation(
  store: ImageStore,
  ref: string,
  platform?: string,
): Promise<ResolvedImage> {
  if (platform !== undefined) return store.resolve(ref, parsePlatform(platform));
  try {
    return await store.resolve(ref, WASI_PLATFORM);
  } catch (e) {
    if (e instanceof UnsupportedPlatformError) return store.resolve(ref);
    throw e;
  }
}

async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const a = parse(argv);
  if (a === null) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  if (a.backend !== 'emulated' && a.backend !== 'linux')
    throw new UsageError(`invalid --backend ${a.backend}: expected emulated or linux`, 'run');
  const store = await ctx.store();
  const ref = isToolboxReference(a.image) ? TOOLBOX_IMAGE : a.image!;
  if (ref === TOOLBOX_IMAGE || a.toolbox) await ensureToolboxImage(store, packagedToolboxFiles);
  if (a.backend === 'linux') {
    // the Linux backend runs the host's platform (linux/amd64 of the base image)
    const image = await store.resolve(
      ref,
      a.platform === undefined ? store.platform : parsePlatform(a.platform),
    );
    return runOnLinux(ctx, store, image, a);
  }
  const image = await resolveForEmulation(store, ref, a.platform);
  const layers = (await imageLayerTrees(store.content, image)).map((t) => t.root);
  const toolbox = a.toolbox
    ? flattenLayers(await imageLayerTrees(store.content, await store.resolve(TOOLBOX_IMAGE, WASI_PLATFORM)))
    : undefined;

  const kernel = new Kernel({ workers: jsPlatform().workers(), pool: 1 });
  const stdin = new InputQueue();
  const input = process.stdin;
  const onData = (chunk: Buffer): void => stdin.push(chunk);
  const onEnd = (): void => stdin.end();
  if (!a.interactive) stdin.end();
  // -t: a kernel terminal on all three, fed by this terminal's keystrokes (raw mode)
  const term = a.tty
    ? new Terminal({ rows: process.stdout.rows ?? 24, cols: process.stdout.columns ?? 80 }).attach(kernel)
    : null;
  const stdio: Entry[] = term
    ? [term.entry(), term.entry(), term.entry()]
    : [
        stdin.entry(),
        { type: 'stdio', write: (b) => void ctx.stdout.write(b.slice()), filetype: ctx.stdout.isTTY ? 2 : 0 },
        { type: 'stdio', write: (b) => void ctx.stderr.write(b.slice()), filetype: ctx.stderr.isTTY ? 2 : 0 },
      ];
  // An image's own ELF programs, run from inside (sh -c /bin/ls), get the same explanation.
  kernel.on((e) => {
    if (e.type === 'exec-format') ctx.stderr.write(`berth: ${execFormatMessage(e.path, e.platform)}\n`);
  });
  let started;
  try {
    started = await runEmulated(kernel, {
      layers,
      config: image.config,
      cmd: a.cmd,
      entrypoint: a.entrypoint === undefined ? undefined : a.entrypoint === '' ? [] : [a.entrypoint],
      env: a.env,
      hostEnv: ctx.env,
      workdir: a.workdir,
      hostname: a.hostname,
      name: a.name,
      toolbox,
      stdio,
    });
  } catch (e) {
    kernel.shutdown();
    if (e instanceof CommandError) {
      ctx.stderr.write(`berth: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
  let attached: Attached | null = null;
  if (term) {
    term.control(started.init);
    if (a.interactive) attached = attachTerminal(term, process.stdin, process.stdout);
  } else if (a.interactive) {
    input.on('data', onData);
    input.on('end', onEnd);
  }
  const forward = (sig: number) => () => started.container.signal(sig);
  const onInt = forward(Signal.SIGINT);
  const onTerm = forward(Signal.SIGTERM);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return exitCode(await started.init.exited);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    attached?.detach();
    input.off('data', onData);
    input.off('end', onEnd);
    input.pause();
    await started.container.remove();
    kernel.shutdown();
  }
}

export const runVerb: VerbInfo = {
  name: 'run',
  summary: 'Run a command in a new container (emulated kernel)',
  run,
};
