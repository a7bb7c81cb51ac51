/** Shared test helpers: a Node platform, temp dirs, GNU tar, stream utilities. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { NodeWorkerFactory } from '../../src/node/workers.js';
import { nodeCodecs } from '../../src/node/codecs.js';
import { type Hasher, installPlatform } from '../../src/platform.js';
import { writeTar } from '../../src/tar/writer.js';
import type { TarWriteEntry } from '../../src/tar/types.js';

export function nodeHasher(): Hasher {
  const h = createHash('sha256');
  return {
    update: (c) => void h.update(c),
    digest: () => `sha256:${h.digest('hex')}`,
  };
}

export function useNodePlatform(): void {
  installPlatform({ sha256: nodeHasher, codecs: nodeCodecs, workers: () => new NodeWorkerFactory() });
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A temp dir removed after the test file. */
export function tempDir(tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `berth-${tag}-`));
  afterAll(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export function sh(cmd: string, cwd?: string): string {
  return execFileSync('sh', ['-c', cmd], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of source) parts.push(c);
  return Buffer.concat(parts);
}

/** Splits bytes into a stream of chunks of `size` (to exercise chunk boundaries). */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function tarOf(entries: TarWriteEntry[]): Promise<Uint8Array> {
  return collect(writeTar(entries));
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** Byte equality (vitest's deep equality is slow on big typed arrays). */
export function sameBytes(a: Uint8Array | null | undefined, b: Uint8Array): boolean {
  return !!a && Buffer.compare(a, b) === 0;
}

export async function all<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of source) out.push(x);
  return out;
}
