/**
 * The Engine of a berth root in Node: the image store on disk, container records on
 * disk, the emulated runtime (volumes are host directories through HostFs) and the Linux
 * runtime (opened on first use, so a host without root only fails when asked for it),
 * and the control socket through which other berth processes reach this one's containers.
 */
import type { Server } from 'node:net';
import type { ImageStore } from '../images/image-store.js';
import { LinuxBackend } from '../linux/linux-backend.js';
import { Engine } from '../runtime/engine.js';
import { EmulatedRuntime, toolboxTree } from '../runtime/emulated-runtime.js';
import { ensureToolboxImage } from '../toolbox/ensure.js';
import { TOOLBOX_IMAGE, WASI_PLATFORM } from '../toolbox/image.js';
import { DirRecordStore } from './container-records.js';
import { controlAddress, serveControl, SocketRemote } from './control.js';
import { HostFs } from './host-fs.js';
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
    runtimes: {
      emulated: () =>
        new EmulatedRuntime({
          volume: (source, readOnly) => new HostFs(source, { readOnly }),
          toolbox: async () => {
            await ensureToolbox();
            const image = await store.resolve(TOOLBOX_IMAGE, WASI_PLATFORM);
            return toolboxTree({ content: store.content, image });
          },
          onExecFormat: options.onExecFormat,
        }),
      linux: () => LinuxBackend.open(root),
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
