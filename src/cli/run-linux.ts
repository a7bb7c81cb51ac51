/**
 * `berth run --backend linux`: the image (its linux/amd64 variant, for the base image)
 * on the Linux kernel through src/linux's LinuxRuntime (crun or runc), stdio piped to
 * this terminal, the container removed when it exits.
 */
import type { ImageStore, ResolvedImage } from '../images/image-store.js';
import { checkLinuxHost, LinuxHostError } from '../linux/host-check.js';
import { CommandError } from '../runtime/command.js';
import type { CliContext } from './context.js';

export interface LinuxRunArgs {
  cmd: string[];
  entrypoint?: string;
  env: string[];
  workdir?: string;
  hostname?: string;
  interactive: boolean;
}

export async function runOnLinux(
  ctx: CliContext,
  store: ImageStore,
  image: ResolvedImage,
  a: LinuxRunArgs,
): Promise<number> {
  const { LinuxRuntime, ContainerStartError } = await import('../linux/linux-runtime.js');
  const host = checkLinuxHost();
  if (host.problems.length > 0) throw new LinuxHostError(host.problems);
  const rt = LinuxRuntime.open(ctx.root);
  let id: string;
  try {
    id = await rt.create({
      content: store.content,
      image,
      cmd: a.cmd,
      entrypoint: a.entrypoint === undefined ? undefined : a.entrypoint === '' ? [] : [a.entrypoint],
      env: a.env,
      hostEnv: ctx.env,
      workdir: a.workdir,
      hostname: a.hostname,
      autoRemove: true,
    });
  } catch (e) {
    if (e instanceof CommandError) {
      ctx.stderr.write(`berth: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
  try {
    const io = await rt.start(id);
    if (a.interactive) process.stdin.pipe(io.stdin);
    else io.stdin.end();
    io.stdout.on('data', (b: Buffer) => void ctx.stdout.write(b));
    io.stderr.on('data', (b: Buffer) => void ctx.stderr.write(b));
    const [status] = await Promise.all([
      rt.wait(id),
      new Promise((r) => io.stdout.on('end', r)),
      new Promise((r) => io.stderr.on('end', r)),
    ]);
    return status.exitCode;
  } catch (e) {
    if (e instanceof CommandError) {
      ctx.stderr.write(`berth: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof ContainerStartError) {
      ctx.stderr.write(`berth: ${e.message}\n`);
      return 125;
    }
    throw e;
  } finally {
    if (a.interactive) process.stdin.unpipe();
    await rt.delete(id, { force: true }).catch(() => undefined);
  }
}
