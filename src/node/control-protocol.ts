/**
 * The control protocol between berth processes (see control-server.ts): the socket
 * address of an owner, the requests, and the frames of streamed answers —
 * [kind u8][length u32 BE][payload]: 1 stdout, 2 stderr, 3 the end (JSON {code} or {error}).
 */
import { createHash } from 'node:crypto';
import type { ProcessSpec } from '../runtime/spec.js';
import type { CopyRequest } from './copy-command.js';

export type Request =
  | { op: 'kill'; id: string; signal: number }
  | { op: 'stats' | 'top' | 'changes'; id: string }
  | { op: 'exec'; id: string; process: ProcessSpec; stdin: boolean; tty?: { rows: number; cols: number } }
  | { op: 'copy'; id: string; request: CopyRequest };

export const FRAME_STDOUT = 1;
export const FRAME_STDERR = 2;
export const FRAME_EXIT = 3;

export function controlAddress(root: string, pid: number): string {
  const h = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return `\0berth-${h}-${pid}`;
}

export function frame(kind: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head[0] = kind;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}
