/**
 * How the CLI fails, following Docker's exit codes: a usage error or a failure of the
 * engine itself prints `berth: …` and exits 125; a command that ran and failed (no such
 * image, a bad archive) prints `Error: …` and exits 1.
 */
import { BerthError } from '../errors.js';

/** Bad flags or arguments: exit 125 with a pointer to `--help`. */
export class UsageError extends BerthError {
  constructor(
    message: string,
    readonly verb?: string,
  ) {
    super(message);
  }
}

/** The engine could not do its part (store unusable, internal failure): exit 125. */
export class EngineError extends BerthError {}

export const EXIT_FAILED = 1;
export const EXIT_ENGINE = 125;

export interface Reported {
  code: number;
  text: string;
}

/** The stderr text and exit code for an error escaping a command. */
export function report(err: unknown, verb?: string): Reported {
  if (err instanceof UsageError) {
    const v = err.verb ?? verb;
    return { code: EXIT_ENGINE, text: `berth: ${err.message}\nSee 'berth ${v ? `${v} ` : ''}--help'.\n` };
  }
  if (err instanceof EngineError) return { code: EXIT_ENGINE, text: `berth: ${err.message}\n` };
  const message = err instanceof Error ? err.message : String(err);
  if (
    err instanceof BerthError ||
    (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string')
  ) {
    return { code: EXIT_FAILED, text: `Error: ${message}\n` };
  }
  return { code: EXIT_ENGINE, text: `berth: ${message}\n` };
}
