/**
 * A terminal device: what a host (a CLI on a real terminal, a web page's xterm, a test)
 * types into and shows the output of, and what processes have as stdin/stdout/stderr.
 * The host feeds keystrokes with `input`, receives screen bytes through `onOutput`, and
 * reports size changes with `resize`; the line discipline sits between (line-discipline.ts).
 */
import { Filetype, type StdioEntry } from '../wasi/host.js';
import type { Kernel } from '../proc/kernel.js';
import type { Process } from '../proc/process.js';
import { signalGroup } from './groups.js';
import { LineDiscipline } from './line-discipline.js';

export const SIGWINCH = 28;
export const SIGHUP = 1;

export interface TerminalOptions {
  rows?: number;
  cols?: number;
}

/** Which terminal an fd entry is (entries are shared by dup and inheritance). */
const terminals = new WeakMap<StdioEntry, Terminal>();

export function terminalOf(entry: unknown): Terminal | undefined {
  return terminals.get(entry as StdioEntry);
}

export class Terminal {
  readonly discipline: LineDiscipline;
  rows: number;
  cols: number;
  /** The foreground process group (a host pid; 0: none), which ^C and ^\ signal. */
  foreground = 0;
  /** The session it is the controlling terminal of (a host pid; 0: none yet). */
  session = 0;
  private kernel: Kernel | null = null;
  private readonly listeners = new Set<(bytes: Uint8Array) => void>();
  private readonly encoder = new TextEncoder();

  constructor(opts: TerminalOptions = {}) {
    this.rows = opts.rows ?? 24;
    this.cols = opts.cols ?? 80;
    this.discipline = new LineDiscipline({
      output: (bytes) => {
        for (const l of this.listeners) l(bytes);
      },
      signal: (sig) => this.signalForeground(sig),
    });
  }

  /** Route signal characters to processes of `kernel`. */
  attach(kernel: Kernel): this {
    this.kernel = kernel;
    return this;
  }

  /**
   * Make `proc` the session leader this terminal controls, with its group in the
   * foreground — what a login or `docker run -it` does for the first process.
   */
  control(proc: Process): void {
    this.session = proc.sid;
    this.foreground = proc.pgid;
  }

  /** Keystrokes (bytes, or a string sent as UTF-8). */
  input(data: Uint8Array | string): void {
    this.discipline.receive(typeof data === 'string' ? this.encoder.encode(data) : data);
  }

  /** Receive what the screen shows; returns the unsubscribe function. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The window changed size: SIGWINCH to the foreground group, as Linux does. */
  resize(rows: number, cols: number): void {
    if (rows === this.rows && cols === this.cols) return;
    this.rows = rows;
    this.cols = cols;
    this.signalForeground(SIGWINCH);
  }

  /** The host side went away: SIGHUP to the foreground group, end of file to readers. */
  hangup(): void {
    this.discipline.hangup();
    this.signalForeground(SIGHUP);
  }

  private signalForeground(sig: number): void {
    if (this.kernel !== null && this.foreground !== 0) signalGroup(this.kernel, this.foreground, sig);
  }

  /** A new open file description of the terminal, for a process's fd. */
  entry(): StdioEntry {
    const d = this.discipline;
    const e: StdioEntry = {
      type: 'stdio',
      filetype: Filetype.CHARACTER_DEVICE,
      read: (max) => d.read(max),
      write: (bytes) => d.write(bytes),
      readable: () => d.readable(),
      writable: () => true,
      queue: d.queue,
    };
    terminals.set(e, this);
    return e;
  }
}
