/**
 * Harness smoke test: runs in both vitest projects (node and chromium) and checks the web
 * APIs the core relies on are there in each.
 */
import { describe, expect, inject, it } from 'vitest';
import './provided.js';

const environment = inject('berthEnvironment');

// printf 'hello from berth\n' | gzip -9n
const GZIPPED = new Uint8Array([
  0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x48, 0x2b,
  0xca, 0xcf, 0x55, 0x48, 0x4a, 0x2d, 0x2a, 0xc9, 0xe0, 0x02, 0x00, 0x37, 0xa2, 0xd6, 0x09, 0x11, 0x00, 0x00,
  0x00,
]);

describe(`test environment (${environment})`, () => {
  it('runs, in the environment its project claims', () => {
    expect(['node', 'chromium']).toContain(environment);
    expect(typeof window).toBe(environment === 'chromium' ? 'object' : 'undefined');
    if (environment === 'chromium') {
      expect(navigator.userAgent).toMatch(/Chrom(e|ium)\//);
    }
  });

  it('has crypto.subtle', async () => {
    expect(typeof crypto.subtle.digest).toBe('function');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc')));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gunzips with DecompressionStream', async () => {
    const stream = new Blob([GZIPPED]).stream().pipeThrough(new DecompressionStream('gzip'));
    expect(await new Response(stream).text()).toBe('hello from berth\n');
  });

  it('has SharedArrayBuffer and Atomics (cross-origin isolated in Chromium)', () => {
    if (environment === 'chromium') {
      // COOP/COEP headers set on the vitest browser server (vitest.config.ts).
      expect(globalThis.crossOriginIsolated).toBe(true);
    }
    expect(typeof SharedArrayBuffer).toBe('function');
    const shared = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(shared, 0, 42);
    expect(Atomics.load(shared, 0)).toBe(42);
    // A wait that cannot block proves Atomics.wait is allowed here (it is not on a page's main thread).
    if (environment === 'node') expect(Atomics.wait(shared, 0, 0, 0)).toBe('not-equal');
  });
});
