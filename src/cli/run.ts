/**
 * `berth run [OPTIONS] [IMAGE] [COMMAND] [ARG...]` and `berth create`: a new container
 * through the Engine, on the emulated kernel (default) or the Linux one (--backend linux).
 * No IMAGE (or `toolbox`) means the built-in base image berth/toolbox:latest, loaded into
 * the store on first use. `--toolbox` mounts that toolbox at /.berth inside any image.
 */
import { runAttached } from './attach.js';
import { parseContainerArgs, type ContainerArgs } from './container-flags.js';
import type { CliContext, VerbInfo } from './context.js';
import { startDetached } from './detach.js';
import { startFailure } from './start-failure.js';

const OPTIONS = `Options:
      --backend string    emulated (default), or linux (root: crun or runc)
      --cpus decimal      Number of CPUs (a cgroup cpu.max quota)
  -d, --detach            Run in the background and print the container ID
  -e, --env list          Set environment variables (NAME=value, or NAME from here)
      --env-file list     Read in a file of environment variables
      --entrypoint string Overwrite the default ENTRYPOINT of the image
  -h, --help              Print usage
      --hostname string   Container host name
  -i, --interactive       Keep STDIN open
  -m, --memory bytes      Memory limit (e.g. 64m)
      --name string       Assign a name to the container
      --pids-limit int    Tune container pids limit (-1 for unlimited)
      --platform string   Image platform to use (default: wasip1/wasm where the
                          image has it on the emulated backend, else the host's)
      --read-only         Mount the container's root filesystem as read only
      --rm                Remove the container when it exits
      --tmpfs list        Mount a tmpfs directory (PATH[:size=64m,...])
      --toolbox           Mount berth's toolbox read-only at /.berth, first on PATH
  -t, --tty               Allocate a terminal
  -u, --user string       Username or UID (format: <name|uid>[:<group|gid>])
  -v, --volume list       Bind mount a host directory (HOST:CONTAINER[:ro])
  -w, --workdir string    Working directory inside the container
`;

const RUN_USAGE = `Usage:  berth run [OPTIONS] [IMAGE] [COMMAND] [ARG...]

Create and run a new container from an image (default: the built-in berth/toolbox)

${OPTIONS}
An emulated container lives in the berth process that runs it: with -d that is a
background berth process, which stays until the container exits.
`;

const CREATE_USAGE = `Usage:  berth create [OPTIONS] [IMAGE] [COMMAND] [ARG...]

Create a new container (start it with 'berth start')

${OPTIONS}`;

async function create(ctx: CliContext, a: ContainerArgs): Promise<{ id: string } | { code: number }> {
  const ne = await ctx.engine();
  try {
    const r = await ne.engine.create({ ...a, hostEnv: ctx.env });
    return { id: r.id };
  } catch (e) {
    const f = startFailure(e);
    ctx.stderr.write(`berth: ${f.message}\n`);
    return { code: f.code === 125 ? 125 : f.code };
  }
}

async function runVerbMain(ctx: CliContext, argv: string[]): Promise<number> {
  const a = parseContainerArgs(argv, 'run', ctx.env);
  if (a.help) {
    ctx.stdout.write(RUN_USAGE);
    return 0;
  }
  const made = await create(ctx, a);
  if ('code' in made) return made.code;
  if (a.detach) {
    await (await ctx.engine()).close();
    const r = await startDetached(ctx, made.id);
    if (!r.ok) {
      ctx.stderr.write(`berth: ${r.message}\n`);
      return r.code ?? 125;
    }
    ctx.stdout.write(`${made.id}\n`);
    return 0;
  }
  const ne = await ctx.engine();
  try {
    return await runAttached(ctx, ne, made.id, { interactive: a.interactive ?? false, tty: a.tty ?? false });
  } catch (e) {
    const f = startFailure(e);
    ctx.stderr.write(`berth: ${f.message}\n`);
    return f.code;
  } finally {
    await ne.close();
  }
}

async function createVerbMain(ctx: CliContext, argv: string[]): Promise<number> {
  const a = parseContainerArgs(argv, 'create', ctx.env);
  if (a.help) {
    ctx.stdout.write(CREATE_USAGE);
    return 0;
  }
  const made = await create(ctx, a);
  if ('code' in made) return made.code;
  ctx.stdout.write(`${made.id}\n`);
  return 0;
}

export const runVerb: VerbInfo = {
  name: 'run',
  summary: 'Create and run a new container from an image',
  run: runVerbMain,
};

export const createVerb: VerbInfo = {
  name: 'create',
  summary: 'Create a new container',
  run: createVerbMain,
};
