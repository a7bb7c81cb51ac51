/**
 * Where process workers come from. The kernel needs only to start a worker running the
 * trampoline, post to it, hear from it and terminate it; Node (worker_threads, see
 * src/node/workers.ts) and browsers (Web Workers, below) each provide that, and both run
 * the same trampoline source, so there is one code path for processes.
 */
import { workerSource } from './trampoline.js';

export interface ProcessWorker {
  post(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  /** Stop it now, even in a tight loop. */
  terminate(): void;
  /** Whether it keeps its host alive (Node: ref/unref; a running process does, an idle one not). */
  keepAlive?(on: boolean): void;
}

export interface WorkerFactory {
  create(): ProcessWorker;
}

const browserBootstrap = `const port = {
  post: (m) => self.postMessage(m),
  on: (f) => { self.onmessage = (e) => f(e.data); },
};`;

/** Web Workers from a Blob URL of the trampoline (no bundler involved). */
export class BrowserWorkerFactory implements WorkerFactory {
  private url: string | null = null;

  create(): ProcessWorker {
    this.url ??= URL.createObjectURL(new Blob([workerSource(browserBootstrap)], { type: 'text/javascript' }));
    const worker = new Worker(this.url);
    return {
      post: (m) => worker.postMessage(m),
      onMessage: (h) => {
        worker.onmessage = (e: MessageEvent) => h(e.data);
      },
      terminate: () => worker.terminate(),
    };
  }
}
