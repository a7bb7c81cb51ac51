/**
 * The code that runs inside every process worker. It is shipped to workers as source text
 * (see workerSource), so it must be self-contained: no imports, no references to anything
 * outside the function, constants written as literals (they mirror channel.ts).
 *
 * A worker boots, says 'ready', and then runs one program per 'run' message: it
 * instantiates the module with the shared memory the kernel made and one forwarding
 * function per import, calls `_start`, and reports how it ended through the channel. A
 * worker whose program ended normally is reused for the next one; a killed one is
 * terminated by the kernel.
 */

/** The port a worker talks through (worker_threads parentPort or a Web Worker's self). */
export interface WorkerPort {
  post(message: unknown): void;
  on(handler: (message: unknown) => void): void;
}

export function processWorkerMain(port: WorkerPort): void {
  interface Spec {
    module: string;
    name: string;
    params: string;
    result: string;
  }
  interface RunMessage {
    type: 'run';
    digest: string;
    /** Omitted when this worker already has the program (it keeps them by digest). */
    module?: WebAssembly.Module;
    imports?: Spec[];
    memory: WebAssembly.Memory | null;
    memoryImport: { module: string; name: string } | null;
    channel: SharedArrayBuffer;
    doorbell: SharedArrayBuffer;
  }
  const programs = new Map<string, { module: WebAssembly.Module; imports: Spec[] }>();
  const SPIN = 20000;
  // Thrown through the guest's stack to unwind it when the process exits.
  const UNWIND = { unwind: true };

  function run(msg: RunMessage): void {
    if (msg.module !== undefined && msg.imports !== undefined)
      programs.set(msg.digest, { module: msg.module, imports: msg.imports });
    const program = programs.get(msg.digest);
    if (program === undefined) {
      port.post({ type: 'error', message: `worker does not have program ${msg.digest}` });
      return;
    }
    const ch = new Int32Array(msg.channel);
    const big = new BigInt64Array(msg.channel);
    const f64 = new Float64Array(msg.channel);
    const door = new Int32Array(msg.doorbell);
    let signalHandler: ((sig: number) => void) | null = null;
    let instance: WebAssembly.Instance | null = null;

    function call(index: number): void {
      Atomics.store(ch, 1, index);
      Atomics.store(ch, 0, 1);
      Atomics.add(door, 0, 1);
      Atomics.notify(door, 0);
      let spins = 0;
      while (Atomics.load(ch, 0) !== 2) {
        if (++spins > SPIN) Atomics.wait(ch, 0, 1, 50);
      }
    }

    /** After a syscall: unwind on exit, run a caught signal's handler. */
    function after(): void {
      for (;;) {
        const action = ch[3];
        if (action === 0) return;
        if (action === 1) {
          Atomics.store(ch, 0, 0);
          throw UNWIND;
        }
        // action 2: deliver signal ch[4] to the guest's handler, then ask for more.
        const sig = ch[4];
        ch[3] = 0;
        if (signalHandler === null && instance !== null) {
          const named = instance.exports.__berth_signal;
          if (typeof named === 'function') signalHandler = named as (sig: number) => void;
        }
        const saved = [ch[2], big[4]] as const;
        if (signalHandler !== null) signalHandler(sig);
        ch[2] = saved[0];
        big[4] = saved[1];
        return;
      }
    }

    const imports: Record<string, Record<string, unknown>> = {};
    program.imports.forEach((spec, index) => {
      const params = spec.params;
      const result = spec.result;
      const fn = (...args: (number | bigint)[]): number | bigint | undefined => {
        for (let k = 0; k < params.length; k++) {
          const kind = params.charCodeAt(k);
          if (kind === 73)
            big[8 + k] = args[k] as bigint; // 'I'
          else if (kind === 105)
            ch[16 + 2 * k] = args[k] as number; // 'i'
          else f64[8 + k] = args[k] as number;
        }
        call(index);
        const r = result === 'I' ? big[4] : result === '' ? undefined : ch[2];
        after();
        return r;
      };
      (imports[spec.module] ??= {})[spec.name] = fn;
    });
    if (msg.memoryImport !== null && msg.memory !== null)
      (imports[msg.memoryImport.module] ??= {})[msg.memoryImport.name] = msg.memory;

    try {
      instance = new WebAssembly.Instance(program.module, imports as WebAssembly.Imports);
    } catch (e) {
      port.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const start = instance.exports._start;
    try {
      if (typeof start !== 'function') throw new TypeError('module exports no _start function');
      (start as () => void)();
      call(-1);
      after();
    } catch (e) {
      if (e !== UNWIND) {
        ch[16] = trapKind(e);
        call(-2);
        try {
          after();
        } catch {
          /* the expected unwind */
        }
      }
    }
    Atomics.store(ch, 0, 0);
    port.post({ type: 'done' });
  }

  function trapKind(e: unknown): number {
    const text = e instanceof Error ? e.message : String(e);
    if (e instanceof RangeError && /call stack/i.test(text)) return 4;
    if (/unreachable/i.test(text)) return 1;
    if (/out of bounds|memory access/i.test(text)) return 2;
    if (/divi|overflow|conversion|remainder/i.test(text)) return 3;
    if (/signature|null function|table/i.test(text)) return 5;
    return 6;
  }

  port.on((message) => {
    const msg = message as RunMessage;
    if (msg !== null && typeof msg === 'object' && msg.type === 'run') run(msg);
  });
  port.post({ type: 'ready' });
}

/** Source text of a worker: `bootstrap` defines `port`, then the main function runs. */
export function workerSource(bootstrap: string): string {
  return `${bootstrap}\n(${processWorkerMain.toString()})(port);\n`;
}
