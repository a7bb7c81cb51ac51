/**
 * Connect a real Node terminal to a kernel terminal (`berth run -it`): stdin in raw mode
 * sends every keystroke to the kernel's line discipline (which does the echo, ^C and
 * line editing), the kernel terminal's output goes to stdout, and stdout's size follows
 * the window. Works with any stream pair that looks like process.stdin/stdout.
 */
import type { Terminal } from '../kernel/tty/terminal.js';

/** What is used of process.stdin. */
export interface TtyInput {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** What is used of process.stdout. */
export interface TtyOutput {
  rows?: number;
  columns?: number;
  write(chunk: Uint8Array): unknown;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface Attached {
  /** Undo everything: listeners off, raw mode as it was, stdin paused. */
  detach(): void;
}

export function attachTerminal(term: Terminal, input: TtyInput, output: TtyOutput): Attached {
  const raw = input.isTTY === true && typeof input.setRawMode === 'function';
  if (raw) input.setRawMode!(true);
  const onData = (chunk: Buffer | string): void =>
    term.input(
      typeof chunk === 'string' ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length),
    );
  // end of the host's input (a pipe, not a keyboard): like a hangup of the line
  const onEnd = (): void => term.hangup();
  const onResize = (): void => {
    if (output.rows !== undefined && output.columns !== undefined) term.resize(output.rows, output.columns);
  };
  const unsubscribe = term.onOutput((bytes) => void output.write(bytes));
  onResize();
  input.on('data', onData);
  input.on('end', onEnd);
  output.on('resize', onResize);
  input.resume();
  return {
    detach: () => {
      unsubscribe();
      input.off('data', onData);
      input.off('end', onEnd);
      output.off('resize', onResize);
      if (raw) input.setRawMode!(false);
      input.pause();
    },
  };
}
