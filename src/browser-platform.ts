/**
 * The default Platform for browsers (and any JS engine): SHA-256 from @noble/hashes,
 * codecs from src/compress/browser.ts. Registered on import as the fallback that
 * `platform()` uses when nothing native was installed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { browserCodecs } from './compress/browser.js';
import { BrowserWorkerFactory } from './kernel/proc/workers.js';
import { setDefaultPlatform, type Hasher, type Platform } from './platform.js';

/** An incremental pure-JS SHA-256. */
export function browserSha256(): Hasher {
  const h = sha256.create();
  return {
    update(chunk: Uint8Array): void {
      h.update(chunk);
    },
    digest(): string {
      return `sha256:${bytesToHex(h.digest())}`;
    },
  };
}

export function browserPlatform(): Platform {
  const workers = new BrowserWorkerFactory();
  return { sha256: browserSha256, codecs: browserCodecs, workers: () => workers };
}

setDefaultPlatform(browserPlatform);
