/**
 * Run an image on the emulated kernel: its layers as the lower layers of an overlay
 * root, a container (namespaces, cgroup, /proc, /dev, …) around it, and its command
 * started as PID 1. With `toolbox`, berth's own toolbox is mounted read-only at /.berth
 * and its bin comes first on PATH, so any image (a linux/amd64 Debian, say) can be
 * explored with a shell and tools even though its own programs cannot run here.
 */
import { createContainer, type Container, type ContainerOptions } from '../kernel/container.js';
import type { Kernel } from '../kernel/proc/kernel.js';
import type { Process } from '../kernel/proc/process.js';
import type { Entry } from '../kernel/wasi/host.js';
import type { ImageConfig } from '../oci/types.js';
import type { Inode } from '../vfs/inode.js';
import { OverlayFs } from '../vfs/overlay.js';
import { commandLine, environment, findCommand, programFor } from './command.js';

export const TOOLBOX_MOUNT = '/.berth';

export interface EmulatedRunOptions {
  /** The image's layers, bottom first (unpacked trees). */
  layers: Inode[];
  config: ImageConfig;
  /** Command line arguments replacing the image's Cmd. */
  cmd?: string[];
  entrypoint?: string[];
  /** NAME=value (or NAME, taken from hostEnv). */
  env?: string[];
  hostEnv?: Record<string, string | undefined>;
  workdir?: string;
  hostname?: string;
  name?: string;
  /** The toolbox image's root, mounted read-only at /.berth. */
  toolbox?: Inode;
  /** fds 0, 1, 2 of PID 1. */
  stdio: (Entry | undefined)[];
  container?: Partial<ContainerOptions>;
}

export interface EmulatedRun {
  container: Container;
  init: Process;
}

export async function runEmulated(kernel: Kernel, o: EmulatedRunOptions): Promise<EmulatedRun> {
  const rootfs = new OverlayFs([...o.layers].reverse()); // OverlayFs takes the top layer first
  const mounts = [...(o.container?.mounts ?? [])];
  if (o.toolbox)
    mounts.push({
      target: TOOLBOX_MOUNT,
      fs: new OverlayFs([o.toolbox]),
      readOnly: true,
      fstype: 'overlay',
      source: 'berth-toolbox',
    });
  const container = createContainer(kernel, {
    ...o.container,
    rootfs,
    mounts,
    hostname: o.hostname,
    name: o.name,
  });
  const env = environment(o.config, o.env ?? [], o.hostEnv);
  if (o.toolbox) env.PATH = `${TOOLBOX_MOUNT}/bin:${env.PATH}`;
  env.HOSTNAME ??= container.hostname;
  env.HOME ??= '/root';
  const argv = commandLine(o.config, o.cmd ?? [], o.entrypoint);
  const cwd = o.workdir ?? (o.config.config?.WorkingDir || '/');
  if (argv.length === 0) {
    await container.remove();
    throw new Error('no command specified');
  }
  const view = container.mnt.view();
  let image;
  try {
    image = programFor(view, findCommand(view, argv[0]!, env.PATH ?? '', cwd), argv);
  } catch (e) {
    await container.remove();
    throw e;
  }
  const init = await container.start({
    program: image.bytes,
    argv: image.argv,
    exe: image.path,
    env,
    cwd,
    fds: o.stdio,
  });
  return { container, init };
}
