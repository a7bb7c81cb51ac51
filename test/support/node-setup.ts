/**
 * Setup file of the vitest `node` project: installs Node's native SHA-256 and zlib as
 * berth's platform services before any test file runs.
 */
import '../../src/node/platform.js';
