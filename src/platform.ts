/**
 * Host services the core needs whose fastest form differs between browsers and Node:
 * SHA-256, (de)compression and threads for processes. The defaults are pure browser code; `src/node/platform.ts`
 * installs Node's native crypto and zlib. Everything in the core asks here.
 */
import type { WorkerFactory } from './kernel/proc/workers.js';

export interface Hasher {
  update(chunk: Uint8Array): void;
  /** 'sha256:<64 hex>' */
  digest(): string;
}

export type ByteStream = AsyncIterable<Uint8Array>;

export interface Codecs {
  gunzip(source: ByteStream): ByteStream;
  gzip(source: ByteStream): ByteStream;
  /** zstd decompression (no compression needed: berth writes gzip or uncompressed). */
  unzstd(source: ByteStream): ByteStream;
}

export interface Platform {
  sha256(): Hasher;
  codecs: Codecs;
  /** Where the kernel's process workers come from (Web Workers or worker_threads). */
  workers(): WorkerFactory;
}

let current: Platform | undefined;
let fallback: (() => Platform) | undefined;

/** Register the browser defaults (done once by the module that implements them). */
export function setDefaultPlatform(make: () => Platform): void {
  fallback = make;
}

/** Node entry points call this with native implementations. */
export function installPlatform(p: Platform): void {
  current = p;
}

export function platform(): Platform {
  if (!current) {
    if (!fallback)
      throw new Error('berth: no platform installed (import src/browser.ts or src/node/platform.ts)');
    current = fallback();
  }
  return current;
}
