/**
 * Suspended processes: how a process blocked in a syscall gives its worker thread back.
 *
 * A worker is a whole JavaScript thread (several MB); a container whose PID 1 sleeps or
 * waits for input would hold one for nothing. Programs built with binaryen's asyncify pass
 * (berth's sh and toolbox are: wasm/build.sh) can unwind their stack into their own memory
 * and later rewind it. So when a syscall has been parked for a while, the kernel asks the
 * worker to suspend (channel state SUSPEND instead of RESPONSE):
 *
 *   1. the worker starts asyncify's unwind (its data lives in the guest's free stack,
 *      below the stack pointer) and returns from the import; the guest unwinds to
 *      `_start`, and the worker posts 'suspended' with the values of the module's mutable
 *      globals, then serves other processes. The memory, the channel and the held call
 *      stay with the kernel.
 *   2. when the call completes, the kernel writes its result to the channel, takes any
 *      worker, and posts a 'run' with `resume`: the worker instantiates the module on the
 *      same memory, puts back the bytes its data segments cover and the globals, and
 *      starts asyncify's rewind; the guest re-enters the same import, which returns the
 *      result as if nothing had happened.
 *
 * The worker may decline (inside a signal handler, whose frames sit on a JavaScript
 * stack that cannot be unwound; or with no free stack): it sets the state back to
 * REQUEST and waits as before. A killed suspended process needs no worker to end.
 */
import { REQUEST, STATE, SUSPEND } from './channel.js';

/** How long a call must be parked before its worker is asked to suspend (ms). */
export const SUSPEND_AFTER_MS = 200;

/** What a new instance needs to continue a suspended one. */
export interface SavedStack {
  /** The module's mutable globals, in the order of SuspendInfo.globals. */
  globals: (number | bigint)[];
  /** Address of asyncify's unwind data in the guest's memory. */
  data: number;
}

/** Ask the worker holding this channel's parked call to suspend; false if the call is no longer held. */
export function requestSuspend(channel: Int32Array): boolean {
  if (Atomics.compareExchange(channel, STATE, REQUEST, SUSPEND) !== REQUEST) return false;
  Atomics.notify(channel, STATE);
  return true;
}
