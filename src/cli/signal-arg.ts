/** A signal as `docker kill -s` takes it: KILL, SIGKILL, 9. */
import { Signal } from '../kernel/proc/signals.js';
import { UsageError } from './errors.js';

export function parseSignal(text: string, verb: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n >= 1 && n <= 64) return n;
  } else {
    const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`;
    const n = (Signal as Record<string, number>)[name];
    if (n !== undefined) return n;
  }
  throw new UsageError(`invalid signal: ${text}`, verb);
}
