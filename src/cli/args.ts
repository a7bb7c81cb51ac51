/** Flag parsing for one verb (node:util parseArgs), turning its errors into UsageError. */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface FlagSpec {
  type: 'boolean' | 'string';
  short?: string;
  multiple?: boolean;
}

export type Flags = Record<string, FlagSpec>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Parse `argv` for `verb`; `--help`/`-h` is always accepted. */
export function parseVerbArgs(verb: string, argv: string[], flags: Flags): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...flags, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(msg.charAt(0).toLowerCase() + msg.slice(1), verb);
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** Exactly / at least `n` positionals, else UsageError worded like Docker's. */
export function needArgs(verb: string, p: Parsed, n: number, exact = false): void {
  const got = p.positionals.length;
  if (exact ? got !== n : got < n) {
    const what = exact ? `exactly ${n}` : `at least ${n}`;
    throw new UsageError(`"berth ${verb}" requires ${what} argument${n === 1 ? '' : 's'}.`, verb);
  }
}
