/** Process workers on Node: worker_threads running the trampoline source. */
import { Worker } from 'node:worker_threads';
import { workerSource } from '../kernel/proc/trampoline.js';
import type { ProcessWorker, WorkerFactory } from '../kernel/proc/workers.js';

const nodeBootstrap = `const { parentPort } = require('node:worker_threads');
const port = {
  post: (m) => parentPort.postMessage(m),
  on: (f) => parentPort.on('message', f),
};`;

const source = workerSource(nodeBootstrap);

export class NodeWorkerFactory implements WorkerFactory {
  create(): ProcessWorker {
    const worker = new Worker(source, { eval: true });
    // An idle pool worker must not keep the host process alive.
    let kept = false;
    worker.unref();
    return {
      post: (m) => worker.postMessage(m),
      onMessage: (h) => {
        worker.on('message', h);
        // a 'message' listener refs the worker again: keep it as it was
        if (!kept) worker.unref();
      },
      terminate: () => void worker.terminate(),
      keepAlive: (on) => {
        kept = on;
        if (on) worker.ref();
        else worker.unref();
      },
    };
  }
}
