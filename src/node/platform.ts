/**
 * Installs Node's native SHA-256 (node:crypto), zlib codecs and worker_threads as berth's platform
 * services. Node entry points import this module for its side effect, first.
 */
import { createHash } from 'node:crypto';
import { installPlatform, type Hasher } from '../platform.js';
import { nodeCodecs } from './codecs.js';
import { NodeWorkerFactory } from './workers.js';

/** An incremental SHA-256 backed by OpenSSL. */
export function nodeSha256(): Hasher {
  const h = createHash('sha256');
  return {
    update(chunk: Uint8Array): void {
      h.update(chunk);
    },
    digest(): string {
      return `sha256:${h.digest('hex')}`;
    },
  };
}

const workers = new NodeWorkerFactory();
installPlatform({ sha256: nodeSha256, codecs: nodeCodecs, workers: () => workers });
