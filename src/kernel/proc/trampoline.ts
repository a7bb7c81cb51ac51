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
 *
 * A suspendable (asyncify'd) program can also be asked, while the kernel holds one of its
 * syscalls, to unwind its stack and give the worker back ('suspended'); a later 'run' with
 * `resume` instantiates it again on the same memory, puts back its globals and data, and
 * rewinds into the same import, which then returns the call's result (see suspend.ts).
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
    /** How to suspend this program; null when it cannot be. */
    suspend: { globals: number[]; stackPointer: number; data: { lo: number; hi: number } } | null;
    /** Set when this run continues a suspended process. */
    resume?: { globals: (number | bigint)[]; data: number };
  }
  const programs = new Map<string, { module: WebAssembly.Module; imports: Spec[] }>();
  const SPIN = 20000;
  const REQUEST = 1;
  const RESPONSE = 2;
  const SUSPEND = 3;
  /** Bytes of the guest's free stack (below its stack pointer) lent to asyncify's unwind data. */
  const UNWIND_BYTES = 65536;
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

    let handlerDepth = 0;
    /** Set while the guest unwinds to suspend, and while it rewinds to resume. */
    let unwinding = false;
    let rewinding = false;
    let unwindData = 0;
    type Asyncify = Record<(typeof ASYNC)[number], (addr?: number) => void>;
    const ASYNC = [
      'asyncify_start_unwind',
      'asyncify_stop_unwind',
      'asyncify_start_rewind',
      'asyncify_stop_rewind',
    ] as const;
    let asyncify: Asyncify | null = null;

    /** Make request `index` and wait for the kernel: RESPONSE, or SUSPEND when it wants the thread back. */
    function call(index: number): number {
      Atomics.store(ch, 1, index);
      Atomics.store(ch, 0, REQUEST);
      Atomics.add(door, 0, 1);
      Atomics.notify(door, 0);
      return waitForKernel();
    }

    function waitForKernel(): number {
      let spins = 0;
      for (;;) {
        const state = Atomics.load(ch, 0);
        if (state === RESPONSE || state === SUSPEND) return state;
        if (++spins > SPIN) Atomics.wait(ch, 0, REQUEST, 50);
      }
    }

    /**
     * The kernel asked to suspend during a call: start unwinding, or decline (inside a
     * signal handler, or without room on the guest's stack) and go on waiting.
     */
    function suspendOrWait(): boolean {
      const msgSuspend = msg.suspend;
      if (asyncify !== null && msgSuspend !== null && handlerDepth === 0 && instance !== null) {
        const sp = Number(
          (instance.exports[`__berth_global_${msgSuspend.stackPointer}`] as WebAssembly.Global).value,
        );
        const top = (sp - 64) & ~15;
        const bottom = Math.max(1024, top - UNWIND_BYTES);
        if (top - bottom >= 4096) {
          const view = new DataView(msg.memory!.buffer);
          view.setInt32(bottom, bottom + 8, true);
          view.setInt32(bottom + 4, top, true);
          unwindData = bottom;
          unwinding = true;
          asyncify.asyncify_start_unwind(bottom);
          return true;
        }
      }
      Atomics.compareExchange(ch, 0, SUSPEND, REQUEST);
      port.post({ type: 'declined' });
      return false;
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
        handlerDepth++;
        try {
          if (signalHandler !== null) signalHandler(sig);
        } finally {
          handlerDepth--;
        }
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
        if (rewinding) {
          // back in the call the process was suspended in: the kernel has its result
          rewinding = false;
          asyncify!.asyncify_stop_rewind();
        } else {
          for (let k = 0; k < params.length; k++) {
            const kind = params.charCodeAt(k);
            if (kind === 73)
              big[8 + k] = args[k] as bigint; // 'I'
            else if (kind === 105)
              ch[16 + 2 * k] = args[k] as number; // 'i'
            else f64[8 + k] = args[k] as number;
          }
          let state = call(index);
          while (state === SUSPEND) {
            if (suspendOrWait()) return result === 'I' ? 0n : result === '' ? undefined : 0;
            state = waitForKernel();
          }
        }
        const r = result === 'I' ? big[4] : result === '' ? undefined : ch[2];
        after();
        return r;
      };
      (imports[spec.module] ??= {})[spec.name] = fn;
    });
    if (msg.memoryImport !== null && msg.memory !== null)
      (imports[msg.memoryImport.module] ??= {})[msg.memoryImport.name] = msg.memory;

    // A resumed process's data segments are rewritten by instantiation: keep its bytes.
    const resume = msg.resume;
    const data = msg.suspend?.data;
    const kept =
      resume !== undefined && data !== undefined && msg.memory !== null
        ? new Uint8Array(msg.memory.buffer, data.lo, data.hi - data.lo).slice()
        : null;
    try {
      instance = new WebAssembly.Instance(program.module, imports as WebAssembly.Imports);
    } catch (e) {
      port.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const exports = instance.exports;
    if (msg.suspend !== null) asyncify = Object.fromEntries(ASYNC.map((n) => [n, exports[n]])) as Asyncify;
    if (resume !== undefined && msg.suspend !== null && asyncify !== null) {
      if (kept !== null) new Uint8Array(msg.memory!.buffer).set(kept, data!.lo);
      msg.suspend.globals.forEach((g, i) => {
        (exports[`__berth_global_${g}`] as WebAssembly.Global).value = resume.globals[i]!;
      });
      rewinding = true;
      asyncify.asyncify_start_rewind(resume.data);
    }
    const start = exports._start;
    try {
      if (typeof start !== 'function') throw new TypeError('module exports no _start function');
      (start as () => void)();
      if (unwinding) {
        // suspended: the guest's stack is saved; hand its state to the kernel and the thread back
        unwinding = false;
        asyncify!.asyncify_stop_unwind();
        const globals = msg.suspend!.globals.map(
          (g) => (exports[`__berth_global_${g}`] as WebAssembly.Global).value,
        );
        port.post({ type: 'suspended', globals, data: unwindData });
        return;
      }
      call(-1);
      after();
    } catch (e) {
      if (unwinding) {
        port.post({
          type: 'error',
          message: `suspending failed: ${e instanceof Error ? e.message : String(e)}`,
        });
        return;
      }
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
