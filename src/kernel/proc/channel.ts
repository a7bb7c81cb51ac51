/**
 * The syscall channel between a process's worker and the kernel thread: one small
 * SharedArrayBuffer per process. The worker writes an import index and its arguments,
 * raises `state` to REQUEST and rings the kernel's doorbell; the kernel runs the call
 * against the process's (shared) memory, writes the result and raises `state` to
 * RESPONSE. Both sides spin briefly before sleeping in Atomics.wait / waitAsync, which
 * keeps a syscall round trip near a microsecond while a program is busy with syscalls.
 *
 * Layout (Int32 slots):
 *   0 state   IDLE | REQUEST | RESPONSE | SUSPEND (the kernel asks a parked call's worker
 *             to unwind the guest and give its thread back: src/kernel/proc/suspend.ts)
 *   1 index   import index (see ImportSpec list), or a negative Control request
 *   2 result  i32 result
 *   3 action  what the worker must do after the call: 0 continue, 1 exit (unwind), 2 signal
 *   4 value   exit status (action 1) or signal number (action 2)
 *   8..      i64 result at byte 32
 *   16..     arguments: slot i at byte 64 + 8*i (i32 in the low half, i64 as a whole)
 */
export const STATE = 0;
export const INDEX = 1;
export const RESULT = 2;
export const ACTION = 3;
export const VALUE = 4;
export const RESULT64_BYTE = 32;
export const ARGS_BYTE = 64;
export const MAX_ARGS = 24;
export const CHANNEL_BYTES = ARGS_BYTE + MAX_ARGS * 8;

export const IDLE = 0;
export const REQUEST = 1;
export const RESPONSE = 2;
export const SUSPEND = 3;

export const ACTION_CONTINUE = 0;
export const ACTION_EXIT = 1;
export const ACTION_SIGNAL = 2;

/** Requests that are not imports (negative indices). */
export const Control = {
  /** `_start` returned: exit status 0. */
  Returned: -1,
  /** The instance trapped; slot 16 holds the TrapKind. */
  Trapped: -2,
} as const;

/** Why a wasm instance trapped, as the worker classifies the RuntimeError. */
export const TrapKind = {
  Unreachable: 1,
  MemoryOutOfBounds: 2,
  Arithmetic: 3,
  StackOverflow: 4,
  BadCall: 5,
  Other: 6,
} as const;

/** One import of the module as the worker binds it: value kinds of params and result. */
export interface ImportSpec {
  module: string;
  name: string;
  /** One letter per parameter: 'i' i32, 'I' i64, 'f' f32, 'F' f64. */
  params: string;
  /** '' for no result, else one letter as params. */
  result: string;
}

/** The kernel-wide doorbell: slot 0 counts requests from every process. */
export function newDoorbell(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8));
}

export function newChannel(): SharedArrayBuffer {
  return new SharedArrayBuffer(CHANNEL_BYTES);
}
