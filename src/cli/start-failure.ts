/**
 * Docker's exit codes for a container that could not be created or started: 126 for a
 * command that cannot be executed, 127 for one not found, 125 for everything else (the
 * engine's part failed: no such image, bad flags, a host without what the backend needs).
 */
import { CommandError } from '../runtime/command.js';

export interface Failure {
  code: number;
  message: string;
}

export function startFailure(e: unknown): Failure {
  if (e instanceof CommandError) return { code: e.exitCode, message: e.message };
  const code = (e as { exitCode?: unknown }).exitCode;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 126 || code === 127) return { code, message };
  return { code: 125, message };
}
