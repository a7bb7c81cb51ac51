/**
 * The Engine of a berth root in Node: the image store on disk, container records on
 * disk, the emulated runtime (volumes are host directories through HostFs) and the Linux
 * runtime (opened on first use, so a host without root only fails when asked for it),
 * and the control socket through which other berth processes reach this one's containers.
 */
import type { Server } from 'node:net';
import type { ImageStore } from '../images/image-store.js';
import { Kernel } from '../kernel/proc/kernel.js';
import { LinuxBackend } from '../linux/linux-backend.js';
import { Engine } from '../runtime/engine.js';
import { EmulatedRuntime, toolboxTree } from '../runtime/emulated-runtime.js';
import { ensureToolboxImage } from '../toolbox/ensure.js';
import { platform } from '../platform.js';
import { TOOLBOX_IMAGE, WASI_PLATFORM } from '../toolbox/image.js';
import { DirRecordStore } from './container-records.js';
import { SocketRemote } from './control-client.js';
import { controlAddress } from './control-protocol.js';
import { serveControl } from './control-server.js';
import { hostVolume } from './host-volume.js';
import { packagedToolboxFiles } from './toolbox-image.js';

export interface NodeEngineOptions {
  /** Explains an image's ELF program that the emulated backend cannot run. */
  onExecFormat?: (message: string) => void;
}

export interface NodeEngine {
  engine: Engine;
  /** Start answering other processes (before starting a container they may reach). */
  serve(): Promise<void>;
  close(): Promise<void>;
}

/** A kernel made by prewarm() for the next emulated runtime (its worker pool booting meanwhile). */
let prewarmed: Kernel | undefined;

/**
 * Make the emulated kernel now, so its worker pool boots (on another thread) while the
 * store is opened and the image read; the next engine's emulated runtime takes it. For a
 * command that will run an emulated process in this process. Returns a function to call
 * when the command is done: it shuts the kernel down if no runtime took it (its workers
 * would keep the process alive); an engine that opens the Linux runtime does that too.
 */
export function prewarm(): () => void {
  // The same kernel as EmulatedRuntime's default one.
  const kernel = (prewarmed ??= new Kernel({ workers: platform().workers(), pool: 1 }));
  return () => {
    if (prewarmed === kernel) takePrewarmed()?.shutdown();
  };
}

function takePrewarmed(): Kernel | undefined {
  const k = prewarmed;
  prewarmed = undefined;
  return k;
}

export function openEngine(root: string, store: ImageStore, options: NodeEngineOptions = {}): NodeEngine {
  let server: Server | undefined;
  const address = controlAddress(root, process.pid);
  const ensureToolbox = () => ensureToolboxImage(store, packagedToolboxFiles);
  const engine: Engine = new Engine({
    store,
    records: new DirRecordStore(root),
    ensureToolbox,
    remote: new SocketRemote(),
    pid: process.pid,
    controlAddress: (id) => (server === undefined ? undefined : `${address}#${id}`),
    volume: hostVolume,
    runtimes: {
      emulated: () =>
        new EmulatedRuntime({
          kernel: takePrewarmed(),
          volume: hostVolume,
          toolbox: async () => {
            await ensureToolbox();
            const image = await store.resolve(TOOLBOX_IMAGE, WASI_PLATFORM);
            return toolboxTree({ content: store.content, image });
          },
          onExecFormat: options.onExecFormat,
        }),
      linux: () => {
        takePrewarmed()?.shutdown();
        return LinuxBackend.open(root);
      },
    },
  });
  return {
    engine,
    async serve() {
      server ??= await serveControl(engine, address);
    },
    async close() {
      await engine.close();
      server?.close();
      server = undefined;
    },
  };
}
