/**
 * Setup file of the vitest `node` project: installs Node's native SHA-256, zlib and
 * worker_threads as berth's platform services before any test file runs, and the hook
 * test/support/fixture.ts uses to read `?url` fixtures from disk.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import '../../src/node/platform.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
(globalThis as { __berthReadFixture?: (url: string) => Uint8Array }).__berthReadFixture = (url) =>
  new Uint8Array(readFileSync(root + url.replace(/^\/+/, '').replace(/\?.*$/, '')));
