/**
 * Signals: Linux numbers and names, default actions, and how a wasm trap maps to one.
 * A process killed by signal n has exit code 128 + n in shell terms (wait status n).
 */
import { TrapKind } from './channel.js';

export const Signal = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
} as const;

export const NSIG = 65;

const NAMES = new Map<number, string>(Object.entries(Signal).map(([k, v]) => [v, k]));

export function signalName(sig: number): string {
  return NAMES.get(sig) ?? `SIG${sig}`;
}

/** Parse 'TERM', 'SIGTERM' or '15'. */
export function parseSignal(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 0 && n < NSIG ? n : undefined;
  }
  const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`;
  return (Signal as Record<string, number>)[name];
}

/** Signals whose default action is to do nothing (stop/continue are not emulated: ignored too). */
const IGNORED_BY_DEFAULT = new Set<number>([
  Signal.SIGCHLD,
  Signal.SIGURG,
  Signal.SIGWINCH,
  Signal.SIGCONT,
  Signal.SIGSTOP,
  Signal.SIGTSTP,
  Signal.SIGTTIN,
  Signal.SIGTTOU,
]);

export function terminatesByDefault(sig: number): boolean {
  return sig > 0 && !IGNORED_BY_DEFAULT.has(sig);
}

/** SIGKILL and SIGSTOP cannot be caught or ignored. */
export function catchable(sig: number): boolean {
  return sig !== Signal.SIGKILL && sig !== Signal.SIGSTOP;
}

/**
 * The signal a trap kills the process with, as the same fault would on Linux: `unreachable`
 * (C's abort() and __builtin_trap) → SIGABRT; out-of-bounds memory, stack exhaustion and
 * bad indirect calls → SIGSEGV; integer divide by zero and overflow → SIGFPE; else SIGILL.
 */
export function trapSignal(kind: number): number {
  switch (kind) {
    case TrapKind.Unreachable:
      return Signal.SIGABRT;
    case TrapKind.MemoryOutOfBounds:
    case TrapKind.StackOverflow:
    case TrapKind.BadCall:
      return Signal.SIGSEGV;
    case TrapKind.Arithmetic:
      return Signal.SIGFPE;
    default:
      return Signal.SIGILL;
  }
}

/** WASI's signal enum (wasix proc_signal) → Linux numbers; they differ from 16 on. */
const WASI_SIGNALS = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
  30, 31,
];
export function linuxSignalFromWasi(sig: number): number | undefined {
  return WASI_SIGNALS[sig];
}
