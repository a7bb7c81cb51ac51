/**
 * Setup file of the vitest `chromium` project: installs the browser platform services
 * (noble SHA-256, DecompressionStream/CompressionStream codecs) before any test file runs.
 * Test files here must not import node: modules (see docs/testing.md).
 */
import '../../src/browser-platform.js';
